"""The page cache for anonymous visitors (cms/page_cache.py): a hit costs no query, and what a
page shows is never stale after an edit, a cancellation or a seat taken or freed; signed-in
visitors and pages with a form never go through it."""

import re

from django.core.cache import cache
from django.test import Client

import pytest

from events import services as event_rules
from events.signup import rules as signup
from tests.events.signup_helpers import register
from tests.factories import EventFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.PAGE_CACHE_SECONDS = 60
    settings.PAGE_CACHE_MAX_AGE = 0
    settings.PAGE_CACHE_SHARED_MAX_AGE = 5
    cache.clear()
    yield
    cache.clear()


def html(response) -> str:
    return response.content.decode()


def test_a_second_anonymous_request_is_served_without_a_query(
    client, home_page, django_assert_num_queries
):
    first = client.get("/")
    assert first.status_code == 200
    with django_assert_num_queries(0):
        hit = client.get("/")
    assert hit.status_code == 200
    assert hit.content == first.content
    assert hit["X-Page-Cache"] == "hit"
    assert hit["Cache-Control"] == "public, max-age=0, s-maxage=5"
    assert hit["ETag"] == first["ETag"]
    # The language is the address's: neither the kept copy nor the first answer varies on the
    # browser's language or cookies.
    assert "Vary" not in hit and "Vary" not in first
    assert not hit.cookies


def test_a_matching_etag_is_answered_304_without_a_query(
    client, home_page, django_assert_num_queries
):
    etag = client.get("/")["ETag"]
    with django_assert_num_queries(0):
        response = client.get("/", HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304
    assert response.content == b""


def test_each_language_has_its_own_copy_and_the_browser_language_is_ignored(client, home_page):
    from wagtail.models import Locale

    english = home_page.copy_for_translation(Locale.objects.create(language_code="en"))
    english.save_revision().publish()
    client.get("/", HTTP_ACCEPT_LANGUAGE="fr")
    client.get("/en/")
    french = client.get("/", HTTP_ACCEPT_LANGUAGE="en")  # an English browser: the French copy
    english = client.get("/en/")
    assert french["X-Page-Cache"] == english["X-Page-Cache"] == "hit"
    assert 'lang="fr"' in html(french) and 'lang="en"' in html(english)
    assert "Accept-Language" not in client.get("/evenements/nope/").get("Vary", "")
    # An excluded address is excluded under a language prefix too.
    from django.test import RequestFactory

    from cms.page_cache import may_serve_from_cache

    for path in ("/evenements/inscriptions/abc/", "/en/evenements/inscriptions/abc/"):
        assert not may_serve_from_cache(RequestFactory().get(path))
    assert may_serve_from_cache(RequestFactory().get("/en/agenda/"))


def test_a_published_edit_shows_on_the_next_anonymous_request(
    client, home_page, django_capture_on_commit_callbacks
):
    client.get("/")
    assert client.get("/")["X-Page-Cache"] == "hit"
    home_page.title = "Bienvenue aux habitants du quartier"
    with django_capture_on_commit_callbacks(execute=True):
        home_page.save_revision().publish()
    assert "Bienvenue aux habitants du quartier" in html(client.get("/"))


def test_a_cancelled_event_shows_on_the_next_anonymous_request(
    client, django_capture_on_commit_callbacks
):
    event = EventFactory(capacity=10)
    url = event.get_absolute_url()
    client.get(url)
    assert client.get(url)["X-Page-Cache"] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        event_rules.cancel(event, "Salle indisponible")
    page = html(client.get(url))
    assert "Cet événement est annulé." in page and "Salle indisponible" in page


def test_a_sign_up_that_fills_the_last_seat_shows_complet_at_once(
    client, django_capture_on_commit_callbacks
):
    event = EventFactory(capacity=2)
    with django_capture_on_commit_callbacks(execute=True):
        register(event)
    url = event.get_absolute_url()
    client.get(url)
    cached = client.get(url)
    assert cached["X-Page-Cache"] == "hit" and "Il reste 1 place." in html(cached)
    with django_capture_on_commit_callbacks(execute=True):
        register(event)
    page = html(client.get(url))
    assert "Il reste 1 place." not in page
    assert "Complet" in page


def test_a_cancellation_that_frees_a_seat_shows_at_once(client, django_capture_on_commit_callbacks):
    event = EventFactory(capacity=1)
    with django_capture_on_commit_callbacks(execute=True):
        registration = register(event)
    url = event.get_absolute_url()
    client.get(url)
    cached = client.get(url)
    assert cached["X-Page-Cache"] == "hit" and "Complet" in html(cached)
    with django_capture_on_commit_callbacks(execute=True):
        signup.cancel_registration(registration.pk)
    page = html(client.get(url))
    assert "Complet" not in page
    assert "Il reste 1 place." in page


def test_a_signed_in_visitor_never_receives_a_cached_page(client, home_page):
    client.get("/")
    assert client.get("/")["X-Page-Cache"] == "hit"
    client.force_login(UserFactory())
    response = client.get("/")
    assert "X-Page-Cache" not in response
    assert "Se déconnecter" in html(response)
    assert "private" in response["Cache-Control"]


def test_a_signed_in_page_is_never_served_to_anyone_else(client, home_page):
    client.force_login(UserFactory())
    client.get("/")
    client.get("/")
    client.logout()
    client.cookies.clear()
    anonymous = client.get("/")
    assert "Se déconnecter" not in html(anonymous)
    assert "csrfmiddlewaretoken" not in html(anonymous)


def csrf_token_in(response) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html(response)).group(1)


def test_a_page_with_a_form_is_rendered_for_each_visitor():
    event = EventFactory(capacity=10)
    url = f"/evenements/{event.pk}/inscription/"
    first, second = Client(), Client()
    one = first.get(url)
    two = second.get(url)
    assert one.status_code == two.status_code == 200
    assert "X-Page-Cache" not in two
    assert two.cookies["csrftoken"].value != one.cookies["csrftoken"].value
    assert csrf_token_in(two) != csrf_token_in(one)


def test_pages_are_not_cached_when_the_setting_is_zero(client, home_page, settings):
    settings.PAGE_CACHE_SECONDS = 0
    client.get("/")
    response = client.get("/")
    assert "X-Page-Cache" not in response
    assert "ETag" not in response


def test_a_sign_up_keeps_the_pages_that_show_no_seats(
    client, home_page, django_capture_on_commit_callbacks, django_assert_num_queries
):
    """Seats are what a sign-up changes: pages that did not read them (the answer page, a
    territory's page, the home page's text without cards) stay kept through a burst of sign-ups,
    while every page that showed seats is rendered again."""
    event = EventFactory(capacity=5)
    received = f"/evenements/demande-recue/inscription/{event.pk}/"
    url = event.get_absolute_url()
    for path in (received, url):
        assert client.get(path).status_code == 200
        assert client.get(path)["X-Page-Cache"] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        register(event)
    with django_assert_num_queries(0):
        kept = client.get(received)
    assert kept["X-Page-Cache"] == "hit"
    page = client.get(url)
    assert page["X-Page-Cache"] == "miss" and "Il reste 4 places." in html(page)
    # an edit of the event is content: the answer page, which names it, is rendered again
    event.title = "Atelier couture du mardi"
    with django_capture_on_commit_callbacks(execute=True):
        event.save()
    again = client.get(received)
    assert again["X-Page-Cache"] == "miss" and "Atelier couture du mardi" in html(again)


def test_a_sign_up_leaves_each_process_its_layout_copy(
    client, home_page, settings, django_capture_on_commit_callbacks
):
    """The layout's per-process copy (cms.layout_cache) follows content changes only: a burst of
    sign-ups must not send every process back to the database for its site and menus."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from cms import layout_cache

    settings.LAYOUT_CACHE_SECONDS = 30
    layout_cache.clear()
    event = EventFactory(capacity=5)
    # A form, at addresses of its own so that each is rendered (events.signup.form_page keeps
    # a blank form page per address).
    form = f"/evenements/{event.pk}/inscription/?v="
    Client().get(form + "1")  # creates the settings rows, which empties the copy once
    Client().get(form + "2")
    with CaptureQueriesContext(connection) as warm:
        Client().get(form + "3")
    with django_capture_on_commit_callbacks(execute=True):
        register(event)
    with CaptureQueriesContext(connection) as after:
        assert Client().get(form + "4").status_code == 200
    assert len(after.captured_queries) == len(warm.captured_queries)
