"""The sign-up rules of events.signup.rules, on outcomes: rows, positions, messages."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils import timezone

import pytest

from events.models.bookings import Registration
from events.models.outbox import OutboxMessage
from events.signup import rules as signup
from tests.events.signup_helpers import contact, party, register
from tests.factories import EventFactory

pytestmark = pytest.mark.django_db

R = Registration.Status


def test_confirmed_while_seats_last_then_waitlisted_in_order():
    event = EventFactory(capacity=3)
    first = register(event, bands=("25-59", "0-14"), guardian_consent=True)
    second = register(event)
    third = register(event)
    fourth = register(event, bands=("60+", "60+"))
    assert [r.status for r in (first, second, third, fourth)] == [
        R.CONFIRMED,
        R.CONFIRMED,
        R.WAITLISTED,
        R.WAITLISTED,
    ]
    assert (third.waitlist_position, fourth.waitlist_position) == (1, 2)
    assert signup.seats_left(event) == 0
    kinds = list(OutboxMessage.objects.order_by("pk").values_list("kind", flat=True))
    assert kinds == ["confirmation", "confirmation", "waitlisted", "waitlisted"]


def test_a_party_is_never_split_and_the_waitlist_can_be_declined():
    event = EventFactory(capacity=3)
    register(event, bands=("25-59", "25-59"))
    with pytest.raises(signup.SignupError) as excinfo:
        register(event, bands=("25-59", "60+"), accept_waitlist=False)
    assert excinfo.value.field == "accept_waitlist"
    assert "Il reste 1 place(s) pour 2 personne(s)" in excinfo.value.message
    assert Registration.objects.count() == 1


def test_same_person_twice_gets_a_french_message_and_no_row():
    event = EventFactory(capacity=10)
    register(event, contact=contact(email="karim@exemple.fr"))
    with pytest.raises(signup.SignupError, match="déjà inscrit"):
        register(event, contact=contact(email="KARIM@exemple.fr "))
    assert Registration.objects.count() == 1


def test_the_database_refuses_a_second_live_registration(django_db_blocker):
    from django.db import IntegrityError, transaction

    event = EventFactory(capacity=10)
    registration = register(event)
    with pytest.raises(IntegrityError), transaction.atomic():
        Registration.objects.create(
            booking=registration.booking,
            event=event,
            person=registration.person,
            status=R.WAITLISTED,
            seats=1,
            waitlist_position=9,
        )


def test_cancelled_registration_does_not_block_signing_up_again():
    event = EventFactory(capacity=10)
    registration = register(event, contact=contact(email="lina@exemple.fr"))
    signup.cancel_registration(registration.pk)
    again = register(event, contact=contact(email="lina@exemple.fr"))
    assert again.status == R.CONFIRMED


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"capacity": 2}, "Ce groupe compte 3 personnes pour 2 places en tout."),
        (
            {"cancelled_at": timezone.now(), "cancellation_reason": "Pluie"},
            "Cet événement est annulé.",
        ),
        (
            {
                "start": timezone.now() - dt.timedelta(hours=1),
                "end": timezone.now() + dt.timedelta(hours=1),
            },
            "déjà commencé",
        ),
        (
            {"registration_closes_at": timezone.now() - dt.timedelta(minutes=1)},
            "Les inscriptions sont closes.",
        ),
        (
            {"registration_opens_at": timezone.now() + dt.timedelta(days=1)},
            "Les inscriptions ouvriront le",
        ),
        ({"live": False}, "n'est pas publié"),
    ],
)
def test_refusals_leave_no_row(fields, message):
    event = EventFactory(**{"capacity": 10, **fields})
    with pytest.raises(signup.SignupError, match=message):
        register(event, bands=("25-59", "25-59", "25-59"))
    assert Registration.objects.count() == 0
    assert OutboxMessage.objects.count() == 0


def test_a_child_needs_an_adult_guardian_who_consents():
    event = EventFactory(capacity=10)
    with pytest.raises(signup.SignupError) as excinfo:
        register(event, bands=("25-59", "0-14"))
    assert excinfo.value.field == "guardian_consent"
    with pytest.raises(signup.SignupError, match="inscrit par un adulte"):
        register(event, bands=("0-14",), contact=contact(age_band="0-14"), guardian_consent=True)
    registration = register(event, bands=("25-59", "0-14"), guardian_consent=True)
    assert registration.booking.guardian_consent is True
    assert sorted(registration.participants.values_list("age_band", flat=True)) == ["0-14", "25-59"]


def test_contact_needs_an_email_or_a_valid_phone():
    event = EventFactory(capacity=10)
    with pytest.raises(ValidationError) as excinfo:
        register(event, contact=signup.Contact("Ali", "Ben", "", ""))
    assert "adresse électronique ou un numéro" in excinfo.value.message_dict["email"][0]
    with pytest.raises(ValidationError) as excinfo:
        register(event, contact=signup.Contact("Ali", "Ben", "pas-une-adresse", "12"))
    assert set(excinfo.value.message_dict) == {"email", "phone"}


def test_phone_only_resident_gets_a_call_not_an_email():
    event = EventFactory(capacity=10)
    registration = register(event, contact=contact(email="", phone="06 11 22 33 44"))
    message = OutboxMessage.objects.get(registration=registration)
    assert message.channel == OutboxMessage.Channel.CALL
    assert message.to_phone == "+33611223344"


def test_access_needs_need_their_own_consent():
    event = EventFactory(capacity=10)
    with pytest.raises(signup.SignupError) as excinfo:
        register(event, access_needs="Fauteuil roulant")
    assert excinfo.value.field == "access_needs_consent"
    registration = register(event, access_needs="Fauteuil roulant", access_needs_consent=True)
    assert registration.booking.access_needs == "Fauteuil roulant"


def test_same_submission_key_makes_one_booking():
    event = EventFactory(capacity=10)
    first = signup.register(
        event_id=event.pk,
        contact=contact(email="a@exemple.fr"),
        participants=party(),
        consent_text="ok",
        submission_key="k1",
    )
    second = signup.register(
        event_id=event.pk,
        contact=contact(email="a@exemple.fr"),
        participants=party(),
        consent_text="ok",
        submission_key="k1",
    )
    assert second.created is False
    assert second.registration.pk == first.registration.pk
    assert Registration.objects.count() == 1


def test_cancelling_promotes_in_order_skipping_parties_that_do_not_fit():
    event = EventFactory(capacity=3)
    holder = register(event, bands=("25-59", "25-59"))
    register(event)  # fills the third seat
    big = register(event, bands=("25-59", "25-59", "25-59"))
    small = register(event)
    signup.cancel_registration(holder.pk)
    big.refresh_from_db()
    small.refresh_from_db()
    assert big.status == R.WAITLISTED  # 3 do not fit in 2 freed seats: skipped, not split
    assert small.status == R.CONFIRMED and small.waitlist_position is None
    promoted = OutboxMessage.objects.filter(kind="promoted")
    assert list(promoted.values_list("registration", flat=True)) == [small.pk]
    signup.cancel_registration(holder.pk)  # twice: nothing more
    assert promoted.count() == 1


def test_reducing_a_party_frees_seats_for_the_waitlist():
    event = EventFactory(capacity=2)
    family = register(event, bands=("25-59", "0-14"), guardian_consent=True)
    waiting = register(event)
    keep = [family.participants.order_by("pk").first().pk]
    signup.reduce_party(family.pk, keep)
    family.refresh_from_db()
    waiting.refresh_from_db()
    assert family.seats == 1 and family.participants.count() == 1
    assert waiting.status == R.CONFIRMED
    with pytest.raises(signup.SignupError):
        signup.reduce_party(family.pk, [])


def test_reminders_go_once_per_registration(settings):
    event = EventFactory(
        capacity=5, start=timezone.now() + dt.timedelta(hours=30), reminder_hours=48
    )
    later = EventFactory(
        capacity=5, start=timezone.now() + dt.timedelta(hours=100), reminder_hours=48
    )
    register(event)
    register(later)
    assert signup.send_reminders() == 1
    assert signup.send_reminders() == 0
    assert OutboxMessage.objects.filter(kind="reminder").count() == 1


def test_cancelling_the_event_tells_every_live_registrant_once():
    from events import services

    event = EventFactory(capacity=1)
    register(event)
    register(event)
    gone = register(event)
    signup.cancel_registration(gone.pk)
    services.cancel(event, "Salle indisponible")
    assert OutboxMessage.objects.filter(kind="cancelled").count() == 2
    assert signup.notify_event_cancelled(event.pk) == 0


def test_a_published_change_of_date_tells_registrants(django_capture_on_commit_callbacks):
    from events import services

    event = EventFactory(capacity=5, live=False)
    services.publish(event)
    register(event)
    event.start += dt.timedelta(days=1)
    event.end += dt.timedelta(days=1)
    services.publish(event)
    changed = OutboxMessage.objects.filter(kind="changed")
    assert changed.count() == 1
    from events.outbox.delivery import render

    assert "changé" in render(changed.get()).body_text
    event.title = "Nouveau titre"  # not a date, time or place
    services.publish(event)
    assert changed.count() == 1


def test_tokens_are_signed():
    event = EventFactory(capacity=5)
    registration = register(event)
    token = signup.signed_token(registration.booking)
    assert signup.booking_from_token(token) == registration.booking
    with pytest.raises(signup.BadToken):
        signup.booking_from_token(token[:-2] + "xx")
    with pytest.raises(signup.BadToken):
        signup.booking_from_token(registration.booking.token)


def test_a_sign_up_that_meets_a_concurrent_write_runs_again_once(monkeypatch):
    """The transaction has no savepoint: a uniqueness refusal (someone made meanwhile by another
    request) rolls the attempt back and the sign-up runs again, finding who was made."""
    from django.db import IntegrityError

    from community import identity

    real = identity.identify
    calls = []

    def identify_meeting_a_concurrent_insert(*args, **kwargs):
        calls.append(kwargs.get("savepoint"))
        if len(calls) % 2 == 1:
            raise IntegrityError("duplicate key value violates unique constraint")
        return real(*args, **kwargs)

    monkeypatch.setattr(identity, "identify", identify_meeting_a_concurrent_insert)
    event = EventFactory(capacity=3)
    typed = contact()
    outcome = signup.register(
        event_id=event.pk, contact=typed, participants=party(), consent_text="ok"
    )
    assert outcome.registration.status == R.CONFIRMED
    assert Registration.objects.filter(event=event).count() == 1
    assert OutboxMessage.objects.filter(registration=outcome.registration).count() == 1
    # The same details again: the second attempt finds the person already registered.
    with pytest.raises(signup.AlreadyRegistered):
        signup.register(event_id=event.pk, contact=typed, participants=party(), consent_text="ok")
    assert calls == [False] * 4
