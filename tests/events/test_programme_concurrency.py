"""The mediation day under concurrency, on PostgreSQL: many residents book overlapping sets of
sessions at once. Seats never exceed capacity on any session, and bookings that lock several
sessions never deadlock (each locks its sessions in the same order)."""

import pytest

from events.models.bookings import Booking, Registration
from events.models.outbox import OutboxMessage
from events.programme import rules as programme
from tests.events.programme_helpers import add_session, make_programme
from tests.events.signup_helpers import contact, party
from tests.events.test_signup_concurrency import _outbox_is_written_not_sent, run_at_once  # noqa: F401

pytestmark = [pytest.mark.serial, pytest.mark.django_db(transaction=True)]

RESIDENTS = 40
SEATS = 5


def test_simultaneous_programme_bookings_never_overbook_nor_deadlock():
    day = make_programme()
    sessions = [
        add_session(day, "Ouverture", "09:00", "10:00", capacity=SEATS),
        add_session(day, "Table ronde", "10:00", "11:00", capacity=SEATS),
        add_session(day, "Atelier", "10:00", "11:00", track=1, capacity=SEATS),
        add_session(day, "Forum", "14:00", "15:00", capacity=SEATS),
    ]
    # Each resident picks the opening, one of the two parallel 10:00 sessions, and the forum,
    # listed in a different order each time.
    choices = [
        [sessions[3], sessions[1 + i % 2], sessions[0]][:: 1 if i % 3 else -1]
        for i in range(RESIDENTS)
    ]
    contacts = [contact(email=f"journee-{i}@exemple.fr") for i in range(RESIDENTS)]
    errors = run_at_once(
        RESIDENTS,
        lambda i: programme.book_sessions(
            programme_id=day.pk,
            event_ids=[s.pk for s in choices[i]],
            contact=contacts[i],
            participants=party(),
            consent_text="ok",
        ),
    )
    assert errors == []
    assert Booking.objects.count() == RESIDENTS
    for session in sessions:
        confirmed = Registration.objects.confirmed().filter(event=session).count()
        waiting = Registration.objects.waitlisted().filter(event=session).count()
        assert confirmed == SEATS, session.title
        chose = sum(session in chosen for chosen in choices)
        assert waiting == chose - SEATS, session.title
    assert OutboxMessage.objects.filter(kind=OutboxMessage.Kind.PROGRAMME).count() == RESIDENTS
