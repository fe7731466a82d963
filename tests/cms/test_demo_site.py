from django.core.management import call_command

from wagtail.models import GroupPagePermission, Locale, Page

import pytest

from cms.models import (
    AccessibilityStatementPage,
    FormPage,
    HomePage,
    MissionPage,
    PrivacyPage,
    ServicePage,
    TerritoryPage,
)
from cms.models import (
    Testimonial as QuoteSnippet,
)
from community import roles

pytestmark = pytest.mark.django_db


def test_seed_demo_builds_the_whole_site_once():
    call_command("seed_demo", password="mot-de-passe-demo-1")
    pages = Page.objects.count()
    call_command("seed_demo", password="mot-de-passe-demo-1")
    assert Page.objects.count() == pages
    assert set(MissionPage.objects.values_list("title", flat=True)) == {
        "Gestion des conflits",
        "Mise en relation",
        "Assistance aux personnes",
        "Veille technique",
    }
    assert ServicePage.objects.count() == 6
    assert {p.territory.name for p in TerritoryPage.objects.select_related("territory")} == {
        "Lyon 7",
        "Lyon 8",
        "Lyon 9",
        "EMH",
    }
    assert {"Hibaaq", "Quentin", "Maimouna", "Karen"} <= set(
        QuoteSnippet.objects.values_list("first_name", flat=True)
    )
    # One privacy page, translated into English and Arabic.
    privacy = PrivacyPage.objects.live().filter(locale__language_code="fr")
    assert privacy.count() == 1
    assert {p.locale.language_code for p in privacy.get().get_translations()} == {"en", "ar"}
    assert AccessibilityStatementPage.objects.live().count() == 1
    assert set(FormPage.objects.values_list("kind", flat=True)) == {"contact", "newcomer"}
    home = HomePage.objects.get(locale=Locale.get_default())
    assert home.testimonial_items.count() == 5
    assert home.partner_items.count() >= 3
    for page in MissionPage.objects.all():
        assert page.image is not None and page.image_alt
    # Given by community.roles on the root page (so on the whole tree), not by the demo.
    granted = set(
        GroupPagePermission.objects.filter(
            group__name=roles.COMMUNICATION, page=home.get_parent()
        ).values_list("permission__codename", flat=True)
    )
    assert {"add_page", "change_page", "publish_page"} <= granted


def test_communication_staff_can_edit_pages(client, demo_site):
    from tests.factories import StaffFactory

    user = StaffFactory(role=roles.COMMUNICATION)
    client.force_login(user)
    mission = MissionPage.objects.first()
    assert client.get(f"/admin/pages/{mission.pk}/edit/").status_code == 200
    assert client.get("/admin/snippets/cms/testimonial/").status_code == 200


def test_admin_edit_screens_render(admin_client, demo_site):
    from cms.models import ServicePage, TerritoryPage

    for page in [
        demo_site,
        ServicePage.objects.first(),
        TerritoryPage.objects.first(),
        FormPage.objects.first(),
    ]:
        assert admin_client.get(f"/admin/pages/{page.pk}/edit/").status_code == 200
    assert admin_client.get("/admin/settings/cms/navigationsettings/").status_code in (200, 302)
    assert admin_client.get("/admin/settings/cms/agencysettings/").status_code in (200, 302)
    response = admin_client.get("/admin/snippets/cms/testimonial/", {"q": "Hibaaq"})
    assert response.status_code == 200
    assert "Hibaaq" in response.content.decode() and "Quentin" not in response.content.decode()
