from django.utils.html import escape

import pytest

pytestmark = pytest.mark.django_db


def test_home_page_is_served_in_french(client, home_page):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="fr">' in html
    assert "Aller au contenu" in html
    assert html.count("<h1") == 1
    assert escape(home_page.tagline) in html


def test_home_page_upcoming_events_show_seats_in_a_fixed_number_of_queries(
    client, home_page, django_assert_num_queries
):
    from tests.events.signup_helpers import register
    from tests.factories import EventFactory

    events = EventFactory.create_batch(5, capacity=3)
    register(events[0], bands=("25-59", "60+"))
    client.get("/")
    with django_assert_num_queries(HOME_QUERIES):
        html = client.get("/").content.decode()
    assert "1 place restante" in html and "3 places restantes" in html


# site, page, view restrictions, the upcoming events with their seats, the layout's settings
# and menus, and the home page's own blocks
HOME_QUERIES = 10


def test_unknown_page_is_a_french_404(client, home_page):
    response = client.get("/nexiste-pas/")
    assert response.status_code == 404
    assert "Page introuvable" in response.content.decode()


def test_english_is_available(client, home_page):
    response = client.get("/", headers={"accept-language": "en"})
    assert response.status_code == 200
    assert '<html lang="en">' in response.content.decode()
    assert "Skip to content" in response.content.decode()
