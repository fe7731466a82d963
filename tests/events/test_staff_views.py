"""The mediators' phone pages under /equipe/: assisted sign-up, check-in, the call list, the
sheet and the exports, through the test client."""

import io

from django.urls import reverse

import pypdf
import pytest

from community import roles
from community.models import Person
from events.models.attendance import Attendance, WalkIn
from events.models.bookings import Booking, Registration
from events.models.outbox import OutboxMessage
from events.outbox import delivery
from tests.events.signup_helpers import contact, register
from tests.factories import EventFactory, PersonFactory, StaffFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def mediator(territories):
    return StaffFactory(
        role=roles.MEDIATOR, territories=[territories["Lyon 8"]], first_name="Nadia"
    )


@pytest.fixture
def event(territories):
    return EventFactory(territory=territories["Lyon 8"], capacity=2, title="Café médiation")


def assisted(**overrides):
    data = {
        "first_name": "Rachid",
        "last_name": "Benali",
        "email": "",
        "phone": "06 11 22 33 44",
        "participates": "on",
        "age_band": "60+",
        "accept_waitlist": "on",
        "source": "phone",
        "consent": "on",
        "submission_key": "cle-1",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def test_assisted_signup_records_the_consent_source_and_who(client, mediator, event, smtp_sink):
    client.force_login(mediator)
    response = client.post(reverse("staff:signup", args=[event.pk]), assisted())
    assert response.status_code == 302
    registration = Registration.objects.get()
    booking = registration.booking
    assert registration.status == Registration.Status.CONFIRMED
    assert booking.source == Booking.Source.PHONE and booking.created_by == mediator
    assert "Accord donné par téléphone, recueilli par Nadia Martin" in booking.consent_text
    assert "J'accepte que Vivre Ensemble enregistre" in booking.consent_text
    # A resident with only a phone gets nothing mailed; the mediator told them on the phone,
    # so the confirmation is recorded as said by them, not left to call.
    assert delivery.send_due() == 0
    assert smtp_sink.messages == []
    message = OutboxMessage.objects.get()
    assert (message.channel, message.kind) == ("call", "confirmation")
    assert (message.state, message.handled_by) == ("called", mediator)
    calls = client.get(reverse("staff:calls"))
    assert calls.status_code == 200
    assert "Personne à appeler." in calls.content.decode()


def test_assisted_signup_without_consent_is_refused(client, mediator, event):
    client.force_login(mediator)
    response = client.post(reverse("staff:signup", args=[event.pk]), assisted(consent=None))
    assert response.status_code == 400
    assert "Sans l&#x27;accord de la personne, elle ne peut pas être inscrite." in (
        response.content.decode()
    )
    assert not Booking.objects.exists() and not Person.objects.exists()


def test_assisted_signup_follows_capacity_and_waitlist(client, mediator, event):
    register(event, bands=("25-59", "25-59"))
    client.force_login(mediator)
    response = client.post(
        reverse("staff:signup", args=[event.pk]), assisted(source="door", submission_key="k2")
    )
    assert response.status_code == 302
    registration = Registration.objects.get(person__phone="+33611223344")
    assert registration.status == Registration.Status.WAITLISTED
    assert registration.waitlist_position == 1
    assert registration.booking.source == Booking.Source.DOOR_TO_DOOR


def test_assisted_signup_refuses_a_child_without_guardian_consent(client, mediator, event):
    client.force_login(mediator)
    response = client.post(
        reverse("staff:signup", args=[event.pk]),
        assisted(other_first_name_1="Inès", other_age_band_1="0-14"),
    )
    assert response.status_code == 400
    assert not Registration.objects.exists()


def test_person_search_finds_by_name_phone_and_email_and_prefills(client, mediator, event):
    person = PersonFactory(
        first_name="Fatoumata",
        last_name="Keita",
        email="fk@exemple.fr",
        phone="+33622334455",
        territory=event.territory,  # the search finds persons of the mediator's territories
    )
    client.force_login(mediator)
    url = reverse("staff:signup", args=[event.pk])
    for query in ("keita", "06 22 33 44 55", "fk@exemple.fr"):
        page = client.get(url, {"q": query}).content.decode()
        assert f"?personne={person.pk}" in page, query
    page = client.get(url, {"personne": person.pk}).content.decode()
    assert 'value="Fatoumata"' in page and 'value="fk@exemple.fr"' in page
    # Signing the found person up reuses the record instead of creating a duplicate.
    client.post(
        url,
        assisted(first_name="Fatoumata", last_name="Keita", phone="", email="fk@exemple.fr"),
    )
    assert Person.objects.count() == 1
    assert Registration.objects.get().person == person


def test_check_in_tap_posted_twice_counts_once(client, mediator, event):
    registration = register(event, bands=("25-59", "60+"))
    client.force_login(mediator)
    url = reverse("staff:checkin_mark", args=[event.pk, registration.pk])
    for _ in range(2):
        response = client.post(url, {"status": "attended"})
        assert response.status_code == 302
    assert Attendance.objects.filter(registration=registration, status="attended").count() == 1
    page = client.get(reverse("staff:checkin", args=[event.pk])).content.decode()
    assert "Présents : 2 (2 inscrits sur 2, 0 sans inscription)" in page


def test_check_in_of_another_events_registration_is_refused(client, mediator, event, territories):
    other = register(EventFactory(territory=territories["Lyon 8"]))
    client.force_login(mediator)
    response = client.post(
        reverse("staff:checkin_mark", args=[event.pk, other.pk]), {"status": "attended"}
    )
    assert response.status_code == 400
    assert "Cette inscription ne fait pas partie de cet événement." in response.content.decode()
    assert not Attendance.objects.exists()


def test_walk_in_posted_twice_counts_once_and_zero_is_refused(client, mediator, event):
    client.force_login(mediator)
    url = reverse("staff:walk_in", args=[event.pk])
    data = {"count": "3", "age_band": "60+", "client_key": "abc"}
    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 302
    assert WalkIn.objects.get().count == 3
    response = client.post(url, {**data, "count": "0", "client_key": "def"})
    assert response.status_code == 400
    assert "Indiquez un nombre de personnes d&#x27;au moins 1." in response.content.decode()
    response = client.post(url, {**data, "first_name": "Awa", "client_key": "ghi"})
    assert response.status_code == 400
    assert WalkIn.objects.count() == 1
    page = client.get(reverse("staff:checkin", args=[event.pk])).content.decode()
    assert "3 sans inscription" in page


def test_check_in_search_filters_the_list(client, mediator, event):
    register(event, contact=contact(first_name="Aïcha", last_name="Traoré"))
    register(event, contact=contact(first_name="Bernard", last_name="Durand"))
    client.force_login(mediator)
    page = client.get(reverse("staff:checkin", args=[event.pk]), {"q": "traoré"}).content.decode()
    assert "Aïcha" in page and "Bernard" not in page


def test_sheet_page_and_pdf_list_confirmed_participants(client, mediator, event):
    register(event, contact=contact(first_name="Hawa", last_name="Camara"))
    client.force_login(mediator)
    page = client.get(reverse("staff:sheet", args=[event.pk])).content.decode()
    assert "Camara" in page and "Signature" in page
    response = client.get(reverse("staff:sheet_pdf", args=[event.pk]))
    assert response["Content-Type"] == "application/pdf"
    text = pypdf.PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    assert "Camara" in text


def test_exports_download_for_the_territorys_staff(client, mediator, event):
    register(event, access_needs="Boucle magnétique", access_needs_consent=True)
    client.force_login(mediator)
    csv_response = client.get(reverse("staff:export_csv", args=[event.pk]))
    assert csv_response.status_code == 200
    assert "attachment" in csv_response["Content-Disposition"]
    assert "Boucle" not in csv_response.content.decode("utf-8-sig")
    xlsx = client.get(reverse("staff:export_xlsx", args=[event.pk]))
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"


def test_call_marking_is_recorded(client, mediator, event):
    register(event, contact=contact(email="", phone="0611223344"))
    message = OutboxMessage.objects.get()
    client.force_login(mediator)
    for _ in range(2):
        response = client.post(reverse("staff:call_mark", args=[message.pk]), {"state": "called"})
        assert response.status_code == 302
    message.refresh_from_db()
    assert message.state == "called" and message.handled_by == mediator
    page = client.get(reverse("staff:calls")).content.decode()
    assert "Personne à appeler." in page and "appelé par Nadia" in page


def _many(event, n, phone_only=False):
    for i in range(n):
        who = contact(email="", phone=f"06{10000000 + i:08d}") if phone_only else contact()
        register(event, contact=who, bands=("25-59", "60+"))


@pytest.mark.parametrize("n", [5, 200])
def test_check_in_page_queries_are_constant(
    client, mediator, territories, n, django_assert_max_num_queries
):
    event = EventFactory(territory=territories["Lyon 8"], capacity=None)
    _many(event, n)
    first = Registration.objects.order_by("pk").first()
    Attendance.objects.create(registration=first, status="attended", marked_by=mediator)
    WalkIn.objects.create(event=event, count=2, age_band="60+", client_key="x")
    client.force_login(mediator)
    with django_assert_max_num_queries(15):
        response = client.get(reverse("staff:checkin", args=[event.pk]))
    assert response.status_code == 200
    assert response.content.decode().count('id="inscription-') == n


@pytest.mark.parametrize("n", [5, 200])
def test_call_list_queries_are_constant(
    client, mediator, territories, n, django_assert_max_num_queries
):
    event = EventFactory(territory=territories["Lyon 8"], capacity=None)
    _many(event, n, phone_only=True)
    client.force_login(mediator)
    with django_assert_max_num_queries(15):
        response = client.get(reverse("staff:calls"))
    assert response.status_code == 200
    assert response.content.decode().count('class="call"') == n
    assert not OutboxMessage.objects.filter(subject="").exists()  # rendered, once
    with django_assert_max_num_queries(15):
        client.get(reverse("staff:calls"))


def test_home_lists_my_territorys_sessions_only(client, mediator, event, territories):
    EventFactory(territory=territories["Lyon 9"], title="Atelier de Lyon 9")
    client.force_login(mediator)
    page = client.get(reverse("staff:home")).content.decode()
    assert "Café médiation" in page and "Atelier de Lyon 9" not in page


def test_the_admin_list_links_to_assisted_signup(client, mediator, event):
    client.force_login(mediator)
    page = client.get(reverse("events_registrations", args=[event.pk])).content.decode()
    assert reverse("staff:signup", args=[event.pk]) in page
