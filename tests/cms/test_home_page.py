from django.utils.html import escape

import pytest

pytestmark = pytest.mark.django_db


def test_home_page_is_served_in_french(client, home_page):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="fr" dir="ltr">' in html
    assert "Aller au contenu" in html
    assert html.count("<h1") == 1
    assert escape(home_page.tagline) in html


def test_home_page_upcoming_events_and_logos_in_a_fixed_number_of_queries(
    client, home_page, django_assert_num_queries
):
    from cms.demo.site import seed_partners
    from community.models import Organisation
    from tests.events.signup_helpers import register
    from tests.factories import EventFactory, OrganisationFactory

    events = EventFactory.create_batch(5, capacity=3)
    register(events[0], bands=("25-59", "60+"))
    OrganisationFactory(name="Bailleur Est", kind=Organisation.Kind.FUNDER)
    OrganisationFactory(name="Centre social", kind=Organisation.Kind.PARTNER)
    seed_partners(home_page)  # with their logos
    client.get("/")
    with django_assert_num_queries(HOME_QUERIES):
        html = client.get("/").content.decode()
    assert "1 place restante" in html and "3 places restantes" in html
    assert html.count("<picture>") == 2 and 'alt="Centre social"' in html


# site, page, its privacy settings, the upcoming events with their seats, the layout's settings
# and menus, the home page's testimonials and partners with their logos (whose renditions this
# process already wrote), its mediation day banner, the active locale and the page's translations
HOME_QUERIES = 11


def test_unknown_page_is_a_french_404(client, home_page):
    response = client.get("/nexiste-pas/")
    assert response.status_code == 404
    assert "Page introuvable" in response.content.decode()


def test_an_english_browser_gets_french_and_english_is_one_address_away(client, home_page):
    """The language comes from the address, never from the browser's settings: a page in one
    language, whatever the phone is set to."""
    from wagtail.models import Locale

    french = client.get("/", headers={"accept-language": "en"}).content.decode()
    assert '<html lang="fr" dir="ltr">' in french and "Aller au contenu" in french
    assert "Skip to content" not in french

    home_page.copy_for_translation(Locale.objects.get_or_create(language_code="en")[0])
    english = client.get("/en/")
    assert english.status_code == 200
    html = english.content.decode()
    assert '<html lang="en" dir="ltr">' in html and "Skip to content" in html
