"""Capacity under concurrency, on PostgreSQL, with one real connection per sign-up."""

import threading
from concurrent.futures import ThreadPoolExecutor

from django.db import connection

import pytest

from events.models import Event
from events.models.bookings import Registration
from events.models.outbox import OutboxMessage
from events.signup import rules as signup
from tests.events.signup_helpers import contact, party
from tests.factories import EventFactory

pytestmark = [pytest.mark.serial, pytest.mark.django_db(transaction=True)]

SIGNUPS = 200
SEATS = 20


@pytest.fixture(autouse=True)
def _outbox_is_written_not_sent(monkeypatch):
    """These tests are about seats: the outbox rows are written (and counted) but not sent here,
    as in production where a worker sends them after the commit (tests/events/test_delivery*)."""
    from events import tasks

    monkeypatch.setattr(tasks.deliver_outbox, "delay_on_commit", lambda *args, **kwargs: None)


class Crowd:
    """`size` threads, each with its own database connection, released together for each burst.
    The connections are opened before the first burst and kept from one burst to the next:
    opening 200 of them takes about a second, which spread each burst over that second, and
    paid it again every round."""

    def __init__(self, size: int):
        self.size = size
        self.pool = ThreadPoolExecutor(max_workers=size)

    def __enter__(self) -> "Crowd":
        assert self.run_at_once(lambda i: connection.ensure_connection()) == []
        return self

    def __exit__(self, *exc) -> None:
        # The barrier holds every thread until all have arrived: each closes its own connection.
        self.run_at_once(lambda i: connection.close())
        self.pool.shutdown()

    def run_at_once(self, action) -> list:
        """Run action(i) for i in range(size), one per thread, released together; return the
        exceptions raised."""
        barrier = threading.Barrier(self.size)
        errors = []

        def worker(i):
            try:
                barrier.wait()
                action(i)
            except Exception as exc:  # collected and asserted by the test
                errors.append(exc)

        list(self.pool.map(worker, range(self.size)))
        return errors


def run_at_once(count: int, action) -> list:
    """Run action(i) for i in range(count) in `count` threads released together; return the
    exceptions raised."""
    with Crowd(count) as crowd:
        return crowd.run_at_once(action)


def sign_up_many(event, crowd: Crowd) -> list:
    contacts = [contact(email=f"concurrent{event.pk}-{i}@exemple.fr") for i in range(SIGNUPS)]
    return crowd.run_at_once(
        lambda i: signup.register(
            event_id=event.pk, contact=contacts[i], participants=party(), consent_text="ok"
        ),
    )


def confirmed_seats(event) -> int:
    return signup.seats_taken(event.pk)


@pytest.fixture
def crowd():
    with Crowd(SIGNUPS) as crowd:
        yield crowd


def test_200_simultaneous_signups_never_overbook_20_seats(crowd):
    for _round in range(10):
        event = EventFactory(capacity=SEATS)
        errors = sign_up_many(event, crowd)
        assert errors == []
        assert confirmed_seats(event) == SEATS
        positions = sorted(
            Registration.objects.waitlisted()
            .filter(event=event)
            .values_list("waitlist_position", flat=True)
        )
        assert positions == list(range(1, SIGNUPS - SEATS + 1))
        assert OutboxMessage.objects.filter(registration__event=event).count() == SIGNUPS


def test_without_the_lock_the_same_burst_overbooks(monkeypatch, crowd):
    """Proves the test above can fail: counting without the row lock sells seats twice."""
    monkeypatch.setattr(
        signup, "lock_event", lambda event_id, fields=(): Event.objects.get(pk=event_id)
    )
    overbooked = []
    for _round in range(3):
        event = EventFactory(capacity=SEATS)
        sign_up_many(event, crowd)
        overbooked.append(confirmed_seats(event))
        if overbooked[-1] > SEATS:
            break
    assert max(overbooked) > SEATS, overbooked


def test_concurrent_cancellations_and_reductions_promote_each_freed_seat_once():
    event = EventFactory(capacity=SEATS)
    pairs = [
        signup.register(
            event_id=event.pk,
            contact=contact(),
            participants=party("25-59", "60+"),
            consent_text="ok",
        ).registration
        for _ in range(5)
    ]
    singles = [
        signup.register(
            event_id=event.pk, contact=contact(), participants=party(), consent_text="ok"
        ).registration
        for _ in range(40)
    ]
    confirmed_singles = [r for r in singles if r.status == Registration.Status.CONFIRMED]
    assert confirmed_seats(event) == SEATS and len(confirmed_singles) == 10

    def act(i):
        if i < 10:
            signup.cancel_registration(confirmed_singles[i].pk)
        else:
            registration = pairs[i - 10]
            signup.reduce_party(
                registration.pk, [registration.participants.order_by("pk").first().pk]
            )

    assert run_at_once(15, act) == []
    assert confirmed_seats(event) == SEATS  # 15 seats freed, 15 single waitlisters promoted
    promoted = Registration.objects.filter(event=event, messages__kind="promoted")
    assert promoted.count() == 15
    assert promoted.distinct().count() == 15
    assert (
        Registration.objects.confirmed()
        .filter(event=event, waitlist_position__isnull=False)
        .count()
        == 0
    )
