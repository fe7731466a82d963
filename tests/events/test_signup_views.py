"""The sign-up pages, as a resident's browser without JavaScript would use them."""

import html
import re

from django.conf import settings
from django.urls import reverse

import pytest

from events import tokens
from events.models.bookings import Booking, Registration
from events.models.outbox import OutboxMessage
from events.signup import rules as signup
from tests.events.signup_helpers import emailed_link, register
from tests.factories import EventFactory

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return html.unescape(response.content.decode())


def form_data(**overrides):
    data = {
        "first_name": "Maimouna",
        "last_name": "Traoré",
        "email": "maimouna@exemple.fr",
        "phone": "",
        "participates": "on",
        "age_band": "25-59",
        "other_first_name_1": "Issa",
        "other_age_band_1": "0-14",
        "guardian_consent": "on",
        "accept_waitlist": "on",
        "consent": "on",
        "submission_key": "cle-unique-1",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_event_page_shows_seats_left_and_the_way_to_sign_up(client):
    event = EventFactory(capacity=12)
    register(event, bands=("25-59", "60+"))
    response = client.get(event.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert "Il reste 10 places." in html
    assert reverse("events:signup", args=[event.pk]) in html


def page_key(client, url) -> str:
    """The double-submission key of the form this browser session was served."""
    page = client.get(url).content.decode()
    return re.search(r'name="submission_key" value="(\w+)"', page).group(1)


def test_signing_up_a_family_sends_the_booking_link_by_email(client):
    event = EventFactory(capacity=12)
    response = client.post(reverse("events:signup", args=[event.pk]), form_data())
    booking = Booking.objects.get()
    assert response.status_code == 302
    # The answer is the same for every visitor and names no booking; the link is emailed.
    assert response["Location"] == reverse("events:received", args=["inscription", event.pk])
    answer = text(client.get(response["Location"]))
    assert "/inscriptions/" not in answer
    assert "envoyée à l'adresse électronique indiquée" in answer
    link = emailed_link("maimouna@exemple.fr")
    assert signup.booking_from_token(link.rstrip("/").rsplit("/", 1)[1]) == booking
    registration = booking.registrations.get()
    assert registration.status == Registration.Status.CONFIRMED and registration.seats == 2
    assert booking.guardian_consent is True
    assert "J'accepte que Vivre Ensemble enregistre" in booking.consent_text
    page = client.get(link)
    assert page.status_code == 200
    assert "Confirmée" in page.content.decode() and "Issa" in page.content.decode()


def test_a_double_click_makes_one_booking(client):
    event = EventFactory(capacity=12)
    url = reverse("events:signup", args=[event.pk])
    key = page_key(client, url)
    first = client.post(url, form_data(submission_key=key))
    second = client.post(url, form_data(submission_key=key))
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    # One booking, one confirmation: its link leads to that booking.
    assert OutboxMessage.objects.count() == 1
    link = emailed_link("maimouna@exemple.fr")
    assert signup.booking_from_token(link.rstrip("/").rsplit("/", 1)[1]) == Booking.objects.get()


@pytest.mark.parametrize(
    ("overrides", "field_message"),
    [
        (
            {"email": "", "phone": ""},
            "Indiquez une adresse électronique ou un numéro de téléphone.",
        ),
        ({"email": "pas-une-adresse"}, "Cette adresse électronique n'est pas valide."),
        ({"phone": "12", "email": ""}, "Ce numéro de téléphone n'est pas"),
        ({"guardian_consent": None}, "responsable légal"),
        ({"consent": None}, "Champ requis."),
        ({"other_age_band_1": ""}, "Indiquez la tranche d'âge de cette personne."),
    ],
)
def test_bad_input_re_renders_in_french_and_writes_nothing(client, overrides, field_message):
    event = EventFactory(capacity=12)
    response = client.post(reverse("events:signup", args=[event.pk]), form_data(**overrides))
    assert response.status_code == 400
    page = text(response)
    assert field_message in page
    assert 'value="Maimouna"' in page  # what was typed is kept
    assert Booking.objects.count() == 0 and Registration.objects.count() == 0


def test_same_person_twice_gets_the_neutral_answer_and_the_link_by_email(client):
    event = EventFactory(capacity=12)
    url = reverse("events:signup", args=[event.pk])
    client.post(url, form_data())
    response = client.post(url, form_data(submission_key="cle-unique-2"))
    # Whether someone is registered is not told to whoever types their address.
    assert response.status_code == 302
    assert response["Location"] == reverse("events:received", args=["inscription", event.pk])
    assert Registration.objects.count() == 1
    registration = Registration.objects.get()
    assert list(
        OutboxMessage.objects.filter(registration=registration).values_list("to_email", flat=True)
    ) == ["maimouna@exemple.fr", "maimouna@exemple.fr"]


def test_a_party_larger_than_the_event_is_refused(client):
    event = EventFactory(capacity=1)
    response = client.post(reverse("events:signup", args=[event.pk]), form_data())
    assert response.status_code == 400
    assert "Ce groupe compte 2 personnes pour 1 places en tout." in response.content.decode()


def test_a_full_event_offers_the_waitlist(client):
    event = EventFactory(capacity=2)
    register(event, bands=("25-59", "25-59"))
    page = text(client.get(reverse("events:signup", args=[event.pk])))
    assert "Complet : votre inscription ira sur la liste d'attente." in page
    response = client.post(reverse("events:signup", args=[event.pk]), form_data())
    assert response.status_code == 302
    assert Registration.objects.get(person__email="maimouna@exemple.fr").waitlist_position == 1


def test_cancelling_from_the_link_promotes_the_waitlist(client):
    event = EventFactory(capacity=1)
    holder = register(event)
    waiting = register(event)
    token = signup.signed_token(holder.booking)
    response = client.post(reverse("events:cancel", args=[token, holder.pk]))
    assert response.status_code == 302
    holder.refresh_from_db()
    waiting.refresh_from_db()
    assert holder.status == Registration.Status.CANCELLED
    assert waiting.status == Registration.Status.CONFIRMED
    assert OutboxMessage.objects.filter(kind="promoted", registration=waiting).count() == 1


def test_a_tampered_link_is_a_french_400_and_changes_nothing(client):
    event = EventFactory(capacity=1)
    registration = register(event)
    token = signup.signed_token(registration.booking)
    bad = token[:-3] + ("aaa" if not token.endswith("aaa") else "bbb")
    assert client.get(reverse("events:booking", args=[bad])).status_code == 400
    response = client.post(reverse("events:cancel", args=[bad, registration.pk]))
    assert response.status_code == 400
    assert "Ce lien n'est pas valable" in text(response)
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CONFIRMED


def test_another_bookings_registration_id_is_refused(client):
    event = EventFactory(capacity=5)
    mine = register(event)
    theirs = register(event)
    token = signup.signed_token(mine.booking)
    assert client.post(reverse("events:cancel", args=[token, theirs.pk])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == Registration.Status.CONFIRMED


def test_signed_in_resident_sees_their_registrations(client):
    from tests.factories import UserFactory

    event = EventFactory(title="Atelier tri", capacity=5)
    registration = register(event)
    user = UserFactory(email=registration.person.email)
    registration.person.user = user
    registration.person.save()
    client.force_login(user)
    response = client.get(reverse("events:my_registrations"))
    assert response.status_code == 200
    assert "Atelier tri" in response.content.decode()
    assert re.search(r"/evenements/inscriptions/[^\"]+/", response.content.decode())


# The booking page: its registrations with their booking and events, then their participants
# (and the layout's site, navigation and agency settings), whatever the number of each.
BOOKING_PAGE_QUERIES = 5  # 6 before: the booking read on its own first


def test_booking_page_query_count_is_constant(client, django_assert_num_queries):
    event = EventFactory(capacity=50)
    registration = register(event, bands=("25-59",) * 8)
    register(EventFactory(capacity=50), booking=registration.booking)
    url = signup.manage_url(registration.booking)
    client.get(url)  # the layout's settings rows are created on the first page ever served
    with django_assert_num_queries(BOOKING_PAGE_QUERIES):
        page = client.get(url)
    assert page.status_code == 200
    assert page.content.decode().count('class="booking-item"') == 2


# The sign-up path under load (benchmarks/registration_burst.py), as a new visitor walks it:
# the form page costs the event with its seats in one query (and the layout's site and settings), and opens
# no session (the double-submission key is bound to the browser's CSRF cookie instead); the
# sign-up costs who the person is (a look-up, the new person), the booking, the event's lock,
# the seats counted under it, the registration, its participant and its message, in one
# transaction without savepoints (here a savepoint pair: the test's own transaction encloses
# it), without reading the event before locking it, nor looking for a registration of a person
# made a moment ago; the answer page costs the event and reads no session.
SIGNUP_PAGE_QUERIES = 4  # the event with its seats left, site, navigation and agency settings
SIGNUP_POST_QUERIES = (
    10  # 14 before: a savepoint pair around who the person is, one around the message
)
SIGNUP_ANSWER_QUERIES = 4  # event, site, navigation settings, agency settings


def test_sign_up_page_post_and_answer_query_counts(client, django_assert_num_queries):
    event = EventFactory(capacity=30)
    url = reverse("events:signup", args=[event.pk])
    client.get(url)  # the layout's settings rows are created on the first page ever served
    client.cookies.pop(settings.SESSION_COOKIE_NAME, None)
    with django_assert_num_queries(SIGNUP_PAGE_QUERIES):
        page = client.get(url)
    assert page.status_code == 200
    assert settings.SESSION_COOKIE_NAME not in page.cookies
    key = re.search(r'name="submission_key" value="(\w+)"', page.content.decode()).group(1)
    data = form_data(
        other_first_name_1="", other_age_band_1="", guardian_consent=None, submission_key=key
    )
    with django_assert_num_queries(SIGNUP_POST_QUERIES):
        response = client.post(url, data)
    assert response.status_code == 302
    with django_assert_num_queries(SIGNUP_ANSWER_QUERIES):
        assert client.get(response["Location"]).status_code == 200
    # The same form sent again (a double click) leads to the same booking.
    assert client.post(url, data).status_code == 302
    registration = Registration.objects.get()
    assert registration.seats == 1 and registration.booking.submission_key
    assert registration.status == Registration.Status.CONFIRMED


def test_the_blank_form_is_cached_but_a_residents_details_never_are(client):
    from tests.factories import PersonFactory, UserFactory

    event = EventFactory(capacity=30)
    url = reverse("events:signup", args=[event.pk])
    first, second = client.get(url).content.decode(), client.get(url).content.decode()
    keys = [
        re.search(r'name="submission_key" value="(\w+)"', page).group(1) for page in (first, second)
    ]
    assert keys[0] != keys[1]  # each page still gets its own double-submission key
    assert 'name="first_name"' in second and 'value="Zoubida"' not in second

    user = UserFactory(email="zoubida@exemple.fr")
    PersonFactory(first_name="Zoubida", last_name="Haddad", email=user.email, user=user)
    client.force_login(user)
    mine = client.get(url).content.decode()
    assert 'value="Zoubida"' in mine and 'value="Haddad"' in mine

    client.logout()
    response = client.post(url, form_data(first_name="", submission_key="cle-2"))
    assert response.status_code == 400
    assert re.search(r'id="id_first_name_error"><li>[^<]+</li>', response.content.decode())
    assert 'value="Traoré"' in response.content.decode()  # what they typed is kept


def test_a_signed_in_resident_sees_the_series_they_follow_with_the_way_to_stop(client, territories):
    from events.series import rules as series_rules
    from tests.events.series_helpers import follower_contact, make_series
    from tests.factories import UserFactory

    cafe = make_series(territories["Lyon 8"], title="Café Médiation des États-Unis")
    follow = series_rules.follow(
        series_id=cafe.pk, contact=follower_contact(1), age_band="60+", consent_text="Oui."
    )
    user = UserFactory(email=follow.person.email)
    follow.person.user = user
    follow.person.save()
    client.force_login(user)
    page = client.get(reverse("events:my_registrations")).content.decode()
    assert "Café Médiation des États-Unis" in page
    assert tokens.follow_url(follow) in page
    series_rules.stop_following(follow.pk)
    page = client.get(reverse("events:my_registrations")).content.decode()
    assert "Vous ne suivez aucun Café Médiation." in page
