"""A resident's own data: the export holds everything about them and nothing of anyone else;
deleting the account leaves the figures and no personal field; an unverified phone unlocks
nothing."""

import json

from wagtail.models import ModelLogEntry

import pytest
from allauth.account.models import EmailAddress

from community import services
from community.models import Person, User, Voice
from community.privacy import rules as privacy
from events.models.bookings import Booking, Participant, Registration
from tests import factories
from tests.accounts.helpers import reauthenticate, resident
from tests.privacy.conftest import figures, sign_up

pytestmark = pytest.mark.django_db


def download(client):
    reauthenticate(client)
    response = client.post("/compte/mes-donnees.json")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert "attachment" in response["Content-Disposition"]
    return json.loads(
        b"".join(response.streaming_content) if response.streaming else response.content
    )


def test_export_holds_online_and_mediator_registrations_and_voices_and_nothing_else(
    client, lyon8, mediator
):
    cafe = factories.EventFactory(title="Café médiation Mermoz", territory=lyon8)
    workshop = factories.EventFactory(title="Atelier intergénérationnel", territory=lyon8)
    # A mediator signed Amina up on the phone, under her email, before she had an account.
    sign_up(
        workshop,
        email="amina@exemple.fr",
        source=Booking.Source.PHONE,
        created_by=mediator,
        access_needs="Fauteuil roulant",
        access_needs_consent=True,
    )
    # Someone else, same event, must not appear.
    sign_up(cafe, email="voisin@exemple.fr", first_name="Karim")
    factories.VoiceFactory(
        text="Le voisin du 3e fait du bruit",
        territory=lyon8,
        contact_email="voisin@exemple.fr",
        contact_consent=True,
        contact_consent_method="online",
    )
    # Amina creates her account (address verified) and signs up online.
    user = resident(email="amina@exemple.fr", first_name="Amina")
    person = services.link_person_to_user(user)
    sign_up(cafe, email="amina@exemple.fr")
    factories.VoiceFactory(
        text="Un banc devant la résidence",
        territory=lyon8,
        contact_email="amina@exemple.fr",
        contact_consent=True,
        contact_consent_method="online",
    )
    # She subscribes to the newsletter from her account; Karim from the footer form.
    from django.db import transaction

    from cms.newsletter import rules as newsletter

    with transaction.atomic():
        newsletter.subscribe_account(person, territories=[lyon8])
    newsletter.subscribe("voisin@exemple.fr", first_name="Karim")
    client.force_login(user)

    data = download(client)

    assert data["person_id"] == person.pk
    subscription = data["data"]["cms.newsletter"]["subscription"]
    assert subscription["state"] == "active" and subscription["territories"] == ["Lyon 8"]
    assert data["data"]["community.person"]["email"] == "amina@exemple.fr"
    bookings = data["data"]["events.bookings"]
    assert {b["source"] for b in bookings} == {"online", "phone"}
    events = sorted(r["event"] for b in bookings for r in b["registrations"])
    assert events == ["Atelier intergénérationnel", "Café médiation Mermoz"]
    assert [v["text"] for v in data["data"]["community.voices"]] == ["Un banc devant la résidence"]
    text = json.dumps(data, ensure_ascii=False)
    assert "voisin" not in text and "Karim" not in text and "bruit" not in text
    # The export is in the audit log, without the person's name.
    entry = ModelLogEntry.objects.get(action=privacy.EXPORT_ACTION)
    assert entry.user == user and entry.data["self_service"] is True
    assert "Amina" not in entry.label


def test_export_without_a_verified_address_gives_nothing(client, lyon8):
    factories.PersonFactory(email="zoe@exemple.fr")  # a mediator-made record under that email
    user = factories.UserFactory(email="zoe@exemple.fr")  # address not verified
    client.force_login(user)
    reauthenticate(client)
    response = client.post("/compte/mes-donnees.json")
    assert response.status_code == 302
    assert response.headers["Location"] == "/compte/"
    assert Person.objects.get(email="zoe@exemple.fr").user is None
    assert not ModelLogEntry.objects.filter(action=privacy.EXPORT_ACTION).exists()


def test_a_guessed_export_url_needs_a_post_and_a_login(client):
    assert client.get("/compte/mes-donnees.json").status_code in (302, 405)
    response = client.post("/compte/mes-donnees.json")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_phone_typed_into_the_profile_does_not_expose_registrations_made_under_it(
    client, lyon8, mediator
):
    event = factories.EventFactory(territory=lyon8)
    # A mediator signed up a neighbour who has only a phone.
    sign_up(
        event,
        phone="06 12 34 56 78",
        first_name="Voisine",
        source=Booking.Source.PHONE,
        created_by=mediator,
    )
    user = resident(email="curieux@exemple.fr", first_name="Curieux")
    client.force_login(user)

    response = client.post(
        "/compte/",
        {
            "first_name": "Curieux",
            "last_name": "",
            "phone": "06 12 34 56 78",
            "territory": "",
            "age_band": "",
        },
    )
    assert response.status_code == 200
    assert "déjà connu" in response.content.decode()
    person = Person.objects.get(user=user)
    assert person.phone is None
    assert "Voisine" not in json.dumps(download(client), ensure_ascii=False)
    assert "Voisine" not in client.get("/evenements/mes-inscriptions/").content.decode()


def test_an_unverified_profile_phone_never_draws_a_later_phone_booking(client, lyon8, mediator):
    user = resident(email="curieux@exemple.fr", first_name="Curieux")
    client.force_login(user)
    response = client.post(
        "/compte/",
        {
            "first_name": "Curieux",
            "last_name": "Dupont",
            "phone": "0612345678",
            "territory": lyon8.pk,
            "age_band": "25-59",
        },
    )
    assert response.status_code == 302
    person = Person.objects.get(user=user)
    assert (person.phone, person.phone_verified) == ("+33612345678", False)
    assert (person.last_name, person.territory, person.age_band) == ("Dupont", lyon8, "25-59")

    # Later a mediator signs up the real owner of that number, by phone.
    event = factories.EventFactory(territory=lyon8)
    registration = sign_up(
        event,
        phone="0612345678",
        first_name="Voisine",
        source=Booking.Source.PHONE,
        created_by=mediator,
    )
    assert registration.person_id != person.pk
    person.refresh_from_db()
    assert person.phone is None  # the unverified claim yielded
    assert "Voisine" not in json.dumps(download(client), ensure_ascii=False)


def test_deleting_the_account_keeps_every_figure_and_no_personal_field(client, lyon8, mediator):
    event = factories.EventFactory(territory=lyon8)
    other = factories.EventFactory(territory=lyon8)
    user = resident(email="amina@exemple.fr", first_name="Amina", last_name="Diallo")
    person = services.link_person_to_user(user)
    person.phone, person.age_band, person.territory = "0698765432", "25-59", lyon8
    person.save()
    registration = sign_up(
        event,
        email="amina@exemple.fr",
        bands=("25-59", "0-14"),
        guardian_consent=True,
        access_needs="Malvoyante",
        access_needs_consent=True,
    )
    sign_up(other, email="autre@exemple.fr", first_name="Autre")
    from events.attendance.rules import mark_attendance

    mark_attendance(
        event_id=event.pk, registration_id=registration.pk, status="attended", user=mediator
    )
    factories.VoiceFactory(
        text="Une idée",
        territory=lyon8,
        person=person,
        age_band="25-59",
        contact_name="Amina Diallo",
        contact_email="amina@exemple.fr",
        contact_consent=True,
        contact_consent_method="online",
    )
    before = figures()
    client.force_login(user)
    reauthenticate(client)

    assert client.get("/compte/supprimer/").status_code == 200
    refused = client.post("/compte/supprimer/", {})
    assert refused.status_code == 200 and User.objects.filter(pk=user.pk).exists()
    response = client.post("/compte/supprimer/", {"confirm": "on"})

    assert response.status_code == 302
    assert not User.objects.filter(pk=user.pk).exists()
    assert not EmailAddress.objects.filter(email="amina@exemple.fr").exists()
    assert "_auth_user_id" not in client.session
    assert figures() == before
    person.refresh_from_db()
    assert person.anonymised_at is not None
    assert (person.first_name, person.last_name, person.email, person.phone) == ("", "", None, None)
    booking = Booking.objects.get(person=person)
    assert (booking.access_needs, booking.consent_text) == ("", "")
    assert set(
        Participant.objects.filter(registration__person=person).values_list("first_name", flat=True)
    ) == {""}
    voice = Voice.objects.get(text="Une idée")
    assert (voice.person, voice.contact_name, voice.contact_email) == (None, "", "")
    # Nothing else was touched.
    assert (
        Participant.objects.exclude(registration__person=person).filter(first_name="").count() == 0
    )
    assert Registration.objects.filter(person__email="autre@exemple.fr").exists()
    # Nobody's name in the log that outlives them.
    assert not ModelLogEntry.objects.filter(label__icontains="Amina").exists()


def test_staff_cannot_delete_their_account_here(client, mediator):
    client.force_login(mediator)
    reauthenticate(client)
    assert client.post("/compte/supprimer/", {"confirm": "on"}).status_code == 200
    assert User.objects.filter(pk=mediator.pk).exists()
