"""Each page type can be created where it belongs and nowhere else."""

from django.core.exceptions import ValidationError

from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

import pytest

from cms.blocks import BodyBlock, CallToActionBlock, ImageWithCaptionBlock
from cms.models import (
    AccessibilityStatementPage,
    FormPage,
    HomePage,
    MissionIndexPage,
    MissionPage,
    PrivacyPage,
    ServiceCatalogPage,
    ServicePage,
    StandardPage,
    TerritoryIndexPage,
    TerritoryPage,
)
from tests.factories import TerritoryFactory

ALL = {
    HomePage,
    StandardPage,
    MissionIndexPage,
    MissionPage,
    ServiceCatalogPage,
    ServicePage,
    TerritoryIndexPage,
    TerritoryPage,
    FormPage,
    PrivacyPage,
    AccessibilityStatementPage,
}
ALLOWED = {
    HomePage: {Page},
    StandardPage: {HomePage, StandardPage},
    MissionIndexPage: {HomePage},
    MissionPage: {MissionIndexPage},
    ServiceCatalogPage: {HomePage},
    ServicePage: {ServiceCatalogPage},
    TerritoryIndexPage: {HomePage},
    TerritoryPage: {TerritoryIndexPage},
    FormPage: {HomePage, StandardPage},
    PrivacyPage: {HomePage},
    AccessibilityStatementPage: {HomePage},
}


class TestWhereEachPageTypeMayLive(WagtailPageTestCase):
    def test_each_page_type_is_allowed_under_its_parents_only(self):
        parents = ALL | {Page}
        for child, allowed in ALLOWED.items():
            for parent in parents:
                if parent in allowed:
                    self.assertCanCreateAt(parent, child)
                else:
                    self.assertCanNotCreateAt(parent, child)

    def test_only_forms_and_standard_pages_go_under_a_standard_page(self):
        self.assertAllowedSubpageTypes(StandardPage, {StandardPage, FormPage})
        self.assertAllowedSubpageTypes(ServiceCatalogPage, {ServicePage})
        self.assertAllowedSubpageTypes(MissionIndexPage, {MissionPage})
        self.assertAllowedSubpageTypes(TerritoryIndexPage, {TerritoryPage})


# One demo seed for the module (tests/cms/conftest.py), on one xdist worker.
SHARED_DEMO_SITE = True
pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("cms_page_tree")]


def test_a_page_cannot_be_added_under_a_parent_it_does_not_belong_to(demo_site):
    catalogue = ServiceCatalogPage.objects.get()
    assert not MissionPage.can_create_at(catalogue)
    territory_index = TerritoryIndexPage.objects.get()
    assert ServicePage not in territory_index.specific_class.allowed_subpage_models()


def test_an_image_block_without_alt_text_cannot_be_published(demo_site):
    from wagtail.images import get_image_model

    image = get_image_model().objects.first()
    block = ImageWithCaptionBlock()
    with pytest.raises(ValidationError) as error:
        block.clean(block.to_python({"image": image.pk, "alt_text": "", "caption": ""}))
    assert "alt_text" in error.value.block_errors
    cleaned = block.clean(
        block.to_python({"image": image.pk, "alt_text": "Un dessin", "caption": ""})
    )
    assert cleaned["alt_text"] == "Un dessin"


def test_a_page_image_without_alt_text_cannot_be_published(demo_site):
    mission = MissionPage.objects.first()
    mission.image_alt = ""
    with pytest.raises(ValidationError) as error:
        mission.full_clean()
    assert "image_alt" in error.value.message_dict
    assert "texte alternatif" in error.value.message_dict["image_alt"][0]


def test_publishing_a_page_image_without_alt_in_the_admin_is_refused(admin_client, demo_site):
    mission = MissionPage.objects.first()
    response = admin_client.post(
        f"/admin/pages/{mission.pk}/edit/",
        nested_form_data(
            {
                "title": mission.title,
                "slug": mission.slug,
                "summary": mission.summary,
                "image": mission.image_id,
                "image_alt": "",
                "residents_can_ask": rich_text(""),
                "body": streamfield([]),
                "action-publish": "action-publish",
            }
        ),
    )
    assert response.status_code == 200  # the form again, not a redirect
    mission.refresh_from_db()
    assert mission.image_alt  # unchanged
    assert "Une image sans texte alternatif ne peut pas être publiée." in response.content.decode()


def test_a_call_to_action_needs_exactly_one_destination():
    block = CallToActionBlock()
    value = block.to_python({"title": "T", "text": "", "page": None, "url": "", "label": "Aller"})
    with pytest.raises(ValidationError):
        block.clean(value)


def test_every_body_block_has_an_icon_a_template_and_a_description():
    for name, child in BodyBlock().child_blocks.items():
        assert child.meta.icon, name
        assert child.meta.template, name
        assert child.meta.description, name


def test_a_territory_has_one_page(demo_site):
    lyon8 = TerritoryFactory(slug="lyon-8")
    assert TerritoryPage.objects.filter(territory=lyon8).count() == 1
