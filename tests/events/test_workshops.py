"""Intergenerational workshops: seats reserved per group of age bands, each with its waitlist."""

import pytest

from events.models import EventKind, SeatGroup
from events.models.bookings import Registration
from events.signup import rules as signup
from events.signup import seat_groups as workshops
from tests.events.signup_helpers import register
from tests.factories import EventFactory

pytestmark = pytest.mark.django_db

R = Registration.Status


def workshop(young=2, seniors=2):
    event = EventFactory(kind=EventKind.INTERGENERATIONAL, capacity=young + seniors)
    SeatGroup.objects.create(
        event=event, label="Jeunes", age_bands=["0-14", "15-24"], capacity=young
    )
    SeatGroup.objects.create(event=event, label="Seniors", age_bands=["60+"], capacity=seniors)
    return event


def test_each_group_fills_and_waits_on_its_own():
    event = workshop()
    youth = [register(event, bands=("15-24",)) for _ in range(3)]
    seniors = [register(event, bands=("60+",)) for _ in range(2)]
    assert [r.status for r in youth] == [R.CONFIRMED, R.CONFIRMED, R.WAITLISTED]
    assert [r.status for r in seniors] == [R.CONFIRMED, R.CONFIRMED]
    groups = list(SeatGroup.objects.filter(event=event))
    assert sorted(workshops.taken(event.pk, groups).values()) == [2, 2]


def test_a_freed_senior_seat_goes_to_the_next_senior_not_the_first_in_line():
    event = workshop(young=1, seniors=1)
    register(event, bands=("15-24",))
    senior = register(event, bands=("60+",))
    young_waiting = register(event, bands=("15-24",))
    senior_waiting = register(event, bands=("60+",))
    assert young_waiting.waitlist_position < senior_waiting.waitlist_position
    signup.cancel_registration(senior.pk)
    young_waiting.refresh_from_db()
    senior_waiting.refresh_from_db()
    assert (young_waiting.status, senior_waiting.status) == (R.WAITLISTED, R.CONFIRMED)


def test_a_grandparent_and_child_need_a_seat_in_each_group():
    event = workshop(young=1, seniors=2)
    register(event, bands=("15-24",))
    family = register(event, bands=("60+", "0-14"), guardian_consent=True)
    assert family.status == R.WAITLISTED  # no young seat left


def test_an_age_band_outside_every_group_is_refused_with_a_message():
    event = workshop()
    with pytest.raises(signup.SignupError, match="réserve ses places"):
        register(event, bands=("25-59",))
    assert not Registration.objects.exists()


def test_the_event_page_shows_seats_left_per_group(client):
    event = workshop(young=2, seniors=3)
    register(event, bands=("60+",))
    body = client.get(event.get_absolute_url()).content.decode()
    assert "Jeunes (0 à 14 ans, 15 à 24 ans) : 2 places libres" in body
    assert "Seniors (60 ans et plus) : 2 places libres" in body
