"""The blank sign-up page is rendered once per process for what it shows, and each visitor
gets it with their own CSRF token and double-submission key (events.signup.form_page). What it
shows must never be stale: seats left, a full or closed event, an edit, the language; and a
signed-in resident or a visitor with a message waiting never gets the kept page."""

import html
import re

from django.test import Client
from django.urls import reverse

import pytest

from events import services as event_rules
from events.signup import form_page
from tests.events.signup_helpers import register
from tests.events.test_signup_views import form_data
from tests.factories import EventFactory, PersonFactory, UserFactory

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
KEY = re.compile(r'name="submission_key" value="(\w+)"')


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    """The kept pages follow the page cache's content generation: on, as in production."""
    settings.PAGE_CACHE_SECONDS = 60


def visit(url: str, client=None):
    """A new browser's visit (no cookie): the response, and whether a template was rendered."""
    response = (client or Client(enforce_csrf_checks=True)).get(url)
    assert response.status_code == 200
    return response, bool(response.templates)


def text(response) -> str:
    return html.unescape(response.content.decode())


def test_each_visitor_gets_the_kept_page_with_their_own_token_and_key(
    django_assert_num_queries,
):
    event = EventFactory(capacity=10)
    url = reverse("events:signup", args=[event.pk])
    first, rendered = visit(url)
    assert rendered
    browser = Client(enforce_csrf_checks=True)
    with django_assert_num_queries(1):  # the event with its seats left; nothing rendered
        second, rendered = visit(url, browser)
    assert not rendered

    tokens = [TOKEN.search(text(r)).group(1) for r in (first, second)]
    keys = [KEY.search(text(r)).group(1) for r in (first, second)]
    assert tokens[0] != tokens[1] and keys[0] != keys[1]
    masked = [KEY.sub("", TOKEN.sub("", text(r))) for r in (first, second)]
    assert masked[0] == masked[1]
    assert not {form_page.CSRF_HOLE, form_page.KEY_HOLE} & set(re.findall(r"\w+", text(second)))

    # The second visitor's page signs them up: its token matches its cookie, its key is theirs.
    data = form_data(other_first_name_1="", other_age_band_1="", guardian_consent=None)
    data.update(csrfmiddlewaretoken=tokens[1], submission_key=keys[1])
    assert browser.post(url, data).status_code == 302
    assert event.registrations.count() == 1


def test_seats_a_full_event_an_edit_and_a_cancellation_show_at_once():
    event = EventFactory(capacity=2, title="Atelier cuisine")
    url = reverse("events:signup", args=[event.pk])
    visit(url)
    page, rendered = visit(url)
    assert not rendered and "Il reste 2 places." in text(page)

    register(event)
    assert "Il reste 1 place." in text(visit(url)[0])
    register(event)
    assert "Complet : votre inscription ira sur la liste d'attente." in text(visit(url)[0])

    event.title = "Atelier cuisine du monde"
    event.save()
    assert "Atelier cuisine du monde" in text(visit(url)[0])

    event_rules.cancel(event, "Salle indisponible")
    page = text(visit(url)[0])
    assert "Cet événement est annulé." in page and 'name="submission_key"' not in page


def test_each_language_has_its_own_page():
    event = EventFactory(capacity=5)
    url = reverse("events:signup", args=[event.pk])
    visit(url)
    visit(f"/en{url}")
    french, english = text(visit(url)[0]), text(visit(f"/en{url}")[0])
    assert '<html lang="fr"' in french and "S'inscrire" in french
    assert '<html lang="en"' in english and "Sign up" in english


def test_a_signed_in_resident_or_a_waiting_message_gets_a_page_of_their_own():
    event = EventFactory(capacity=5)
    url = reverse("events:signup", args=[event.pk])
    visit(url)
    visit(url)

    user = UserFactory(email="zoubida@exemple.fr")
    PersonFactory(first_name="Zoubida", last_name="Haddad", email=user.email, user=user)
    resident = Client()
    resident.force_login(user)
    page, rendered = visit(url, resident)
    assert rendered and 'value="Zoubida"' in text(page)

    visitor = Client()
    visitor.cookies["messages"] = "anything"
    assert visit(url, visitor)[1]


def test_without_the_page_cache_every_page_is_rendered(settings):
    settings.PAGE_CACHE_SECONDS = 0
    event = EventFactory(capacity=5)
    url = reverse("events:signup", args=[event.pk])
    visit(url)
    assert visit(url)[1]
