"""Retried requests arriving at the same moment, on PostgreSQL, one connection each: the same
walk-in key or the same tap sent eight times at once still counts once."""

import pytest

from community import roles
from events.attendance import rules as attendance
from events.models.attendance import Attendance, WalkIn
from tests.events.signup_helpers import register
from tests.events.test_signup_concurrency import run_at_once
from tests.factories import EventFactory, StaffFactory

pytestmark = [pytest.mark.serial, pytest.mark.django_db(transaction=True)]

AT_ONCE = 8


def test_the_same_walk_in_posted_at_once_counts_once(territories):
    mediator = StaffFactory(role=roles.MEDIATOR, territories=[territories["Lyon 8"]])
    event = EventFactory(territory=territories["Lyon 8"])
    errors = run_at_once(
        AT_ONCE,
        lambda i: attendance.add_walk_in(
            event_id=event.pk, count=2, age_band="60+", client_key="same-form", user=mediator
        ),
    )
    assert errors == []
    assert WalkIn.objects.count() == 1
    assert attendance.counts(event.pk).walk_ins == 2


def test_the_same_tap_at_once_leaves_one_row(territories):
    mediator = StaffFactory(role=roles.MEDIATOR, territories=[territories["Lyon 8"]])
    event = EventFactory(territory=territories["Lyon 8"], capacity=5)
    registration = register(event, bands=("25-59", "60+"))
    errors = run_at_once(
        AT_ONCE,
        lambda i: attendance.mark_attendance(
            event_id=event.pk,
            registration_id=registration.pk,
            status=Attendance.Status.ATTENDED,
            user=mediator,
        ),
    )
    assert errors == []
    assert Attendance.objects.filter(registration=registration).count() == 1
    assert attendance.counts(event.pk).attended_seats == 2
