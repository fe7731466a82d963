"""Public answers reveal no one: a known visitor and an unknown one get the same answer, the
existing link goes to the address on record, and a double-submission key only ever serves the
browser session it was made for."""

import html
import re

from django.test import Client
from django.urls import reverse

import pytest

from events.models.bookings import Booking, Registration
from events.models.outbox import OutboxMessage
from events.signup import rules as signup
from tests.events.series_helpers import make_series
from tests.events.signup_helpers import contact, emailed_link, register
from tests.events.test_signup_views import form_data
from tests.factories import EventFactory, PersonFactory, TerritoryFactory

pytestmark = pytest.mark.django_db


def page_key(client, url) -> str:
    page = client.get(url).content.decode()
    return re.search(r'name="submission_key" value="([^"]+)"', page).group(1)


def answer(client, url, data):
    """The response to a POST and the text of the page it leads to."""
    response = client.post(url, data)
    followed = client.get(response["Location"]) if response.status_code == 302 else None
    return response, html.unescape(followed.content.decode()) if followed else ""


def test_already_registered_gets_the_same_answer_and_the_link_by_email():
    event = EventFactory(capacity=20)
    url = reverse("events:signup", args=[event.pk])
    existing = register(event, contact=contact(email="awa@exemple.fr"))

    newcomer = Client()
    new_response, new_page = answer(newcomer, url, form_data(email="nouvelle@exemple.fr"))
    known = Client()
    known_response, known_page = answer(known, url, form_data(email="awa@exemple.fr"))

    assert known_response.status_code == new_response.status_code == 302
    assert known_response["Location"] == new_response["Location"]
    assert "Vous êtes déjà inscrit à" not in known_page
    assert signup.manage_url(existing.booking) not in known_page
    resent = OutboxMessage.objects.filter(registration=existing).exclude(
        pk=OutboxMessage.objects.filter(registration=existing).order_by("pk").first().pk
    )
    assert [(m.channel, m.to_email) for m in resent] == [("email", "awa@exemple.fr")]


def test_already_registered_by_phone_only_goes_to_the_call_list():
    event = EventFactory(capacity=20)
    existing = register(event, contact=contact(email="", phone="06 12 34 56 78"))
    response = Client().post(
        reverse("events:signup", args=[event.pk]), form_data(email="", phone="0612345678")
    )
    assert response.status_code == 302
    calls = OutboxMessage.objects.filter(registration=existing, channel=OutboxMessage.Channel.CALL)
    assert calls.count() == 2  # the confirmation, and the link again
    assert {m.to_phone for m in calls} == {"+33612345678"}


def test_an_anonymous_booker_gets_the_link_by_email_not_on_the_page():
    event = EventFactory(capacity=20)
    url = reverse("events:signup", args=[event.pk])
    client = Client()
    key = page_key(client, url)
    response, page = answer(client, url, form_data(submission_key=key))
    booking = Booking.objects.get()
    assert signup.manage_url(booking) not in page and "confirmée" not in page
    link = emailed_link("maimouna@exemple.fr")
    assert signup.booking_from_token(link.rstrip("/").rsplit("/", 1)[1]) == booking
    assert "Issa" in client.get(link).content.decode()


def test_following_again_answers_like_a_new_follow_and_mails_the_link():
    cafe = make_series(TerritoryFactory())
    url = cafe.get_absolute_url()
    data = {
        "first_name": "Awa",
        "last_name": "Ba",
        "email": "awa@exemple.fr",
        "phone": "",
        "age_band": "25-59",
        "consent": "on",
    }
    first, _page = answer(Client(), url, data)
    again, page = answer(Client(), url, data)
    new, _page = answer(Client(), url, {**data, "email": "autre@exemple.fr"})
    assert again.status_code == new.status_code == 302
    assert again["Location"] == new["Location"]
    assert "/cafes/suivi/" not in again["Location"]
    assert "/cafes/suivi/" not in page
    sent = OutboxMessage.objects.filter(kind="follow", to_email="awa@exemple.fr")
    assert sent.count() == 1  # the first follow sent it; the same day, once is enough


def test_a_submission_key_from_another_session_returns_nothing():
    event = EventFactory(capacity=20)
    url = reverse("events:signup", args=[event.pk])
    owner = Client()
    key = page_key(owner, url)
    owner.post(url, form_data(email="awa@exemple.fr", submission_key=key))
    booking = Booking.objects.get()

    thief = Client()
    page_key(thief, url)
    response, page = answer(thief, url, form_data(email="voleur@exemple.fr", submission_key=key))
    assert response.status_code == 302
    assert signup.manage_url(booking) not in response["Location"]
    assert signup.manage_url(booking) not in page
    assert Booking.objects.count() == 2


def test_a_series_follow_internal_key_returns_nothing():
    from events.series import rules as series_rules

    cafe = make_series(TerritoryFactory())
    series_rules.sync_series(cafe.pk)
    followed = series_rules.follow(
        series_id=cafe.pk,
        contact=contact(email="suiveur@exemple.fr"),
        age_band="25-59",
        consent_text="oui",
    )
    registration = Registration.objects.filter(person=followed.person).first()
    event = registration.event
    key = registration.booking.submission_key
    assert key.startswith("follow:")
    response, page = answer(
        Client(),
        reverse("events:signup", args=[event.pk]),
        form_data(email="voleur@exemple.fr", submission_key=key),
    )
    assert signup.manage_url(registration.booking) not in response.get("Location", "")
    assert signup.manage_url(registration.booking) not in page


def test_a_double_click_makes_one_booking_and_leads_to_the_same_answer():
    event = EventFactory(capacity=20)
    url = reverse("events:signup", args=[event.pk])
    client = Client()
    key = page_key(client, url)
    first = client.post(url, form_data(submission_key=key))
    second, page = answer(client, url, form_data(submission_key=key))
    booking = Booking.objects.get()
    assert first["Location"] == second["Location"]
    assert OutboxMessage.objects.filter(registration__booking=booking).count() == 1
    link = emailed_link("maimouna@exemple.fr")
    assert signup.booking_from_token(link.rstrip("/").rsplit("/", 1)[1]) == booking


def test_a_programme_key_from_another_session_returns_nothing(home_page):
    from events.models import Event
    from tests.cms.mediation_day_helpers import make_day_page
    from tests.cms.test_mediation_day import booking_data
    from tests.events.programme_helpers import add_session

    day = make_day_page(home_page)
    add_session(day.programme, "Table ronde", "10:00", "11:00")
    url = day.url + "programme/"
    owner = Client()
    key = page_key(owner, url)
    owner.post(url, booking_data(day, "Table ronde", submission_key=key))
    booking = Booking.objects.get()
    assert Event.objects.filter(title="Table ronde").exists()

    response, page = answer(
        Client(),
        url,
        booking_data(day, "Table ronde", email="voleur@exemple.fr", submission_key=key),
    )
    assert response.status_code == 302
    assert signup.manage_url(booking) not in response["Location"]
    assert signup.manage_url(booking) not in page


def test_a_programme_already_booked_answers_like_a_new_booking(home_page):
    from tests.cms.mediation_day_helpers import make_day_page
    from tests.cms.test_mediation_day import booking_data
    from tests.events.programme_helpers import add_session

    day = make_day_page(home_page)
    add_session(day.programme, "Table ronde", "10:00", "11:00")
    url = day.url + "programme/"
    PersonFactory(email="hawa@exemple.fr")
    Client().post(url, booking_data(day, "Table ronde", submission_key="a"))
    again, page = answer(Client(), url, booking_data(day, "Table ronde", submission_key="b"))
    new, _page = answer(
        Client(), url, booking_data(day, "Table ronde", email="neuf@exemple.fr", submission_key="c")
    )
    assert again.status_code == new.status_code == 302
    assert again["Location"] == new["Location"]
    assert "Vous êtes déjà inscrit à" not in page


# -- the answer page itself: identical for a known and an unknown anonymous visitor ------------

VOLATILE = re.compile(r'(name="csrfmiddlewaretoken" value=|nonce=)"[^"]*"')


def visit(url, data, key_field=True):
    """A fresh anonymous browser: opens the form, posts it, and reads the answer page.
    Returns (status, Location, the answer page without its CSRF token and nonces)."""
    client = Client()
    if key_field:
        data = {**data, "submission_key": page_key(client, url)}
    response = client.post(url, data)
    page = (
        client.get(response["Location"]).content.decode() if response.has_header("Location") else ""
    )
    return response.status_code, response.get("Location"), VOLATILE.sub("", page)


def test_signup_answer_is_byte_identical_for_a_known_and_an_unknown_anonymous_visitor():
    event = EventFactory(capacity=3)  # the newcomer lands on the waitlist: a status to leak
    url = reverse("events:signup", args=[event.pk])
    existing = register(event, contact=contact(email="awa@exemple.fr"))
    known = visit(url, form_data(email="awa@exemple.fr"))
    unknown = visit(url, form_data(email="nouvelle@exemple.fr"))
    assert known[:2] == unknown[:2] and known[0] == 302
    assert known[2] == unknown[2]
    assert "/inscriptions/" not in unknown[2] and "liste d'attente" not in unknown[2]
    assert reverse("events:ics", args=[event.pk]) in unknown[2]
    assert Registration.objects.filter(event=event).count() == 2
    assert existing.person.registrations.count() == 1


def test_follow_answer_is_byte_identical_for_a_known_and_an_unknown_anonymous_visitor():
    cafe = make_series(TerritoryFactory())
    url = cafe.get_absolute_url()
    data = {
        "first_name": "Awa",
        "last_name": "Ba",
        "email": "awa@exemple.fr",
        "phone": "",
        "age_band": "25-59",
        "consent": "on",
    }
    visit(url, data, key_field=False)  # Awa follows the series
    known = visit(url, data, key_field=False)
    unknown = visit(url, {**data, "email": "autre@exemple.fr"}, key_field=False)
    assert known[:2] == unknown[:2] and known[0] == 302
    assert known[2] == unknown[2]
    assert "/cafes/suivi/" not in unknown[2]
    assert cafe.get_absolute_url() in unknown[2]


def test_programme_answer_is_byte_identical_for_a_known_and_an_unknown_anonymous_visitor(
    home_page,
):
    from tests.cms.mediation_day_helpers import make_day_page
    from tests.cms.test_mediation_day import booking_data
    from tests.events.programme_helpers import add_session

    day = make_day_page(home_page)
    add_session(day.programme, "Table ronde", "10:00", "11:00")
    url = day.url + "programme/"
    visit(url, booking_data(day, "Table ronde"))  # Hawa books
    known = visit(url, booking_data(day, "Table ronde"))
    unknown = visit(url, booking_data(day, "Table ronde", email="neuf@exemple.fr"))
    assert known[:2] == unknown[:2] and known[0] == 302
    assert known[2] == unknown[2]
    assert "/inscriptions/" not in unknown[2]
    assert day.url in unknown[2]


def test_a_signed_in_resident_sees_their_own_booking_on_the_answer():
    from tests.factories import UserFactory

    event = EventFactory(capacity=20)
    url = reverse("events:signup", args=[event.pk])
    user = UserFactory(email="maimouna@exemple.fr")
    PersonFactory(email="maimouna@exemple.fr", user=user)
    client = Client()
    client.force_login(user)
    response = client.post(url, form_data(submission_key=page_key(client, url)))
    page = html.unescape(client.get(response["Location"]).content.decode())
    booking = Booking.objects.get()
    assert booking.person.user_id == user.pk
    assert signup.manage_url(booking) in page
    assert "C'est noté : votre inscription est confirmée." in page
    # Signed in, but signing up someone else: their link is not shown.
    other = client.post(
        url, form_data(email="voisine@exemple.fr", submission_key=page_key(client, url))
    )
    their = Booking.objects.exclude(pk=booking.pk).get()
    page = html.unescape(client.get(other["Location"]).content.decode())
    assert signup.manage_url(their) not in page
