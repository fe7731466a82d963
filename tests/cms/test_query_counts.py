"""The home page, a territory page and the catalogue make the same number of queries with 1 or
30 children, testimonials and partners (at most 15)."""

import io

from django.core.files.images import ImageFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from wagtail.images import get_image_model
from wagtail.models import Locale

import pytest
from PIL import Image as PILImage

from cms.models import (
    HomePage,
    HomePartner,
    HomeTestimonial,
    ServiceCatalogPage,
    ServicePage,
    TerritoryPage,
)
from cms.models import (
    Testimonial as QuoteSnippet,
)
from community.models import Organisation, Residence
from tests.factories import OrganisationFactory, ResidenceFactory

# One demo seed for the module (tests/cms/conftest.py), on one xdist worker.
SHARED_DEMO_SITE = True
pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("cms_query_counts")]
# Two of them find the page's language: the active locale and the page's translations (the
# language switcher and hreflang alternates).
MAX_QUERIES = 17


def picture(n):
    buffer = io.BytesIO()
    PILImage.new("RGB", (400, 300), (n * 7 % 255, 90, 120)).save(buffer, format="PNG")
    return get_image_model().objects.create(
        title=f"Image {n}", file=ImageFile(buffer, name=f"image-{n}.png")
    )


def count_queries(client, url):
    assert client.get(url).status_code == 200  # renditions are made on the first view
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def grow_home(home, total):
    while home.testimonial_items.count() < total:
        n = home.testimonial_items.count()
        testimonial = QuoteSnippet.objects.create(
            quote=f"Citation {n}", first_name=f"P{n}", role="habitant"
        )
        HomeTestimonial.objects.create(page=home, testimonial=testimonial, sort_order=n)
    while home.partner_items.count() < total:
        n = home.partner_items.count()
        kind = Organisation.Kind.FUNDER if n % 2 else Organisation.Kind.PARTNER
        organisation = OrganisationFactory(kind=kind, logo=picture(n), website="https://exemple.fr")
        HomePartner.objects.create(page=home, organisation=organisation, sort_order=n)


def shrink_home(home):
    home.testimonial_items.exclude(pk=home.testimonial_items.first().pk).delete()
    home.partner_items.exclude(pk=home.partner_items.first().pk).delete()


def test_home_page_query_count_is_constant(client, demo_site):
    home = HomePage.objects.get(locale=Locale.get_default())
    shrink_home(home)
    one = count_queries(client, "/")
    grow_home(home, 30)
    assert home.testimonial_items.count() == 30 and home.partner_items.count() == 30
    thirty = count_queries(client, "/")
    html = client.get("/").content.decode()
    assert html.count("<picture>") >= 30
    assert one == thirty <= MAX_QUERIES, (one, thirty)


def test_territory_page_query_count_is_constant(client, demo_site):
    from community.models import ReferenceTenant, WorkingGroup

    page = TerritoryPage.objects.select_related("territory").get(territory__slug="lyon-8")
    # The demo's reference tenants and working groups hold on to residences: clear them first.
    ReferenceTenant.objects.all().delete()
    WorkingGroup.objects.all().delete()
    Residence.objects.filter(territory=page.territory).exclude(
        pk=Residence.objects.filter(territory=page.territory).first().pk
    ).delete()
    one = count_queries(client, page.url)
    for _ in range(29):
        ResidenceFactory(territory=page.territory)
    assert Residence.objects.filter(territory=page.territory).count() == 30
    thirty = count_queries(client, page.url)
    assert one == thirty <= MAX_QUERIES, (one, thirty)


def test_catalogue_query_count_is_constant(client, demo_site):
    catalogue = ServiceCatalogPage.objects.get()
    for service in ServicePage.objects.child_of(catalogue)[1:]:
        service.delete()
    one = count_queries(client, catalogue.url)
    for n in range(29):
        service = ServicePage(
            title=f"Prestation {n}",
            slug=f"prestation-{n}",
            summary="Une prestation.",
            image=picture(100 + n),
            image_alt="Un dessin",
        )
        catalogue.add_child(instance=service)
        service.save_revision().publish()
    catalogue.refresh_from_db()
    assert ServicePage.objects.child_of(catalogue).live().count() == 30
    thirty = count_queries(client, catalogue.url)
    assert one == thirty <= MAX_QUERIES, (one, thirty)
