"""Seats reserved per age-band group hold under 100 concurrent sign-ups on PostgreSQL."""

import pytest

from events.models import Event, EventKind, SeatGroup
from events.models.bookings import Registration
from events.signup import rules as signup
from events.signup import seat_groups as workshops
from tests.events.signup_helpers import contact, party
from tests.events.test_signup_concurrency import run_at_once
from tests.factories import EventFactory

pytestmark = [pytest.mark.serial, pytest.mark.django_db(transaction=True)]

SIGNUPS = 100
SEATS = 8


@pytest.fixture(autouse=True)
def _outbox_is_written_not_sent(monkeypatch):
    from events import tasks

    monkeypatch.setattr(tasks.deliver_outbox, "delay_on_commit", lambda *args, **kwargs: None)


def workshop():
    event = EventFactory(kind=EventKind.INTERGENERATIONAL, capacity=2 * SEATS)
    young = SeatGroup.objects.create(
        event=event, label="Jeunes", age_bands=["0-14", "15-24"], capacity=SEATS
    )
    seniors = SeatGroup.objects.create(
        event=event, label="Seniors", age_bands=["60+"], capacity=SEATS
    )
    return event, young, seniors


def burst(event):
    contacts = [
        contact(email=f"atelier{event.pk}-{i}@exemple.fr", age_band="60+" if i % 2 else "15-24")
        for i in range(SIGNUPS)
    ]
    return run_at_once(
        SIGNUPS,
        lambda i: signup.register(
            event_id=event.pk,
            contact=contacts[i],
            participants=party("60+" if i % 2 else "15-24"),
            consent_text="ok",
        ),
    )


def test_100_concurrent_signups_hold_the_seats_of_each_group():
    for _round in range(3):
        event, young, seniors = workshop()
        errors = burst(event)
        assert errors == []
        assert workshops.taken(event.pk, [young, seniors]) == {young.pk: SEATS, seniors.pk: SEATS}
        assert Registration.objects.confirmed().filter(event=event).count() == 2 * SEATS
        waiting = Registration.objects.waitlisted().filter(event=event)
        assert waiting.count() == SIGNUPS - 2 * SEATS
        positions = sorted(waiting.values_list("waitlist_position", flat=True))
        assert positions == list(range(1, SIGNUPS - 2 * SEATS + 1))


def test_without_the_lock_the_groups_overbook(monkeypatch):
    """Proves the test above can fail: counting without the row lock sells seats twice."""
    monkeypatch.setattr(
        signup, "lock_event", lambda event_id, fields=(): Event.objects.get(pk=event_id)
    )
    worst = 0
    for _round in range(3):
        event, young, seniors = workshop()
        burst(event)
        worst = max(worst, *workshops.taken(event.pk, [young, seniors]).values())
        if worst > SEATS:
            break
    assert worst > SEATS
