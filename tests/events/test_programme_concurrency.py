"""The mediation day under concurrency, on PostgreSQL: many residents book overlapping sets of
sessions at once. Seats never exceed capacity on any session, and bookings that lock several
sessions never deadlock (each locks its sessions in the same order). The negative controls take
away the seat lock, then the order, and see the same burst overbook, then deadlock."""

import pytest

from events.models import Event
from events.models.bookings import Booking, Registration
from events.models.outbox import OutboxMessage
from events.programme import rules as programme
from events.signup import rules as signup
from tests.events.programme_helpers import add_session, make_programme
from tests.events.signup_helpers import contact, party
from tests.events.test_signup_concurrency import _outbox_is_written_not_sent, run_at_once  # noqa: F401

pytestmark = [pytest.mark.serial, pytest.mark.django_db(transaction=True)]

RESIDENTS = 40
SEATS = 5


def make_day(attempt: int = 0):
    day = make_programme(days_ahead=30 + 366 * attempt)  # one programme a year
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
    return day, sessions, choices


def book_at_once(day, choices, tag: str = "") -> list:
    contacts = [contact(email=f"journee{tag}-{i}@exemple.fr") for i in range(RESIDENTS)]
    return run_at_once(
        RESIDENTS,
        lambda i: programme.book_sessions(
            programme_id=day.pk,
            event_ids=[s.pk for s in choices[i]],
            contact=contacts[i],
            participants=party(),
            consent_text="ok",
        ),
    )


def test_simultaneous_programme_bookings_never_overbook_nor_deadlock():
    day, sessions, choices = make_day()
    errors = book_at_once(day, choices)
    assert errors == []
    assert Booking.objects.count() == RESIDENTS
    for session in sessions:
        confirmed = Registration.objects.confirmed().filter(event=session).count()
        waiting = Registration.objects.waitlisted().filter(event=session).count()
        assert confirmed == SEATS, session.title
        chose = sum(session in chosen for chosen in choices)
        assert waiting == chose - SEATS, session.title
    assert OutboxMessage.objects.filter(kind=OutboxMessage.Kind.PROGRAMME).count() == RESIDENTS


def test_without_the_seat_lock_the_same_burst_overbooks(monkeypatch):
    """Proves the test above can fail on seats: counting without the event row lock."""
    monkeypatch.setattr(
        signup, "lock_event", lambda event_id, fields=(): Event.objects.get(pk=event_id)
    )
    overbooked = []
    for attempt in range(3):
        day, sessions, choices = make_day(attempt)
        book_at_once(day, choices, tag=str(attempt))
        overbooked.append(
            max(Registration.objects.confirmed().filter(event=s).count() for s in sessions)
        )
        if overbooked[-1] > SEATS:
            break
    assert max(overbooked) > SEATS, overbooked


def test_locking_sessions_in_the_order_chosen_deadlocks(monkeypatch):
    """Proves the test above can fail on deadlocks: each booking locking its sessions in the
    order the resident listed them (instead of by id) deadlocks under the same burst."""
    by_id = programme.check_choice

    def in_listed_order(programme_id, event_ids):
        rank = {pk: n for n, pk in enumerate(event_ids)}
        return sorted(by_id(programme_id, event_ids), key=lambda event: rank[event.pk])

    monkeypatch.setattr(programme, "check_choice", in_listed_order)
    failures = []
    for attempt in range(3):
        day, _sessions, choices = make_day(attempt)
        errors = book_at_once(day, choices, tag=str(attempt))
        failures.append([type(e).__name__ for e in errors])
        if errors:
            break
    assert any("deadlock" in str(e).lower() for e in errors), failures
