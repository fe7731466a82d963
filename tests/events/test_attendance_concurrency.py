"""Retried requests arriving at the same moment, on PostgreSQL, one connection each: the same
walk-in key or the same tap sent eight times at once still counts once. The negative controls
take away the unique key (and the row lock) and see the same burst count twice."""

import contextlib
import copy

from django.db import connection, models
from django.db.models.query import QuerySet

import pytest

from community import roles
from events.attendance import rules as attendance
from events.models.attendance import Attendance, WalkIn
from events.models.bookings import Participant, Registration
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


@contextlib.contextmanager
def without_unique(model, field_name: str, replacement: models.Field | None = None):
    """The table without the unique index of `field_name` for the duration (a negative
    control), put back afterwards (the rows written meanwhile are deleted first)."""
    old = model._meta.get_field(field_name)
    new = replacement or copy.deepcopy(old)
    if replacement is None:
        new._unique = False
    new.set_attributes_from_name(field_name)
    new.model = model
    with connection.schema_editor() as editor:
        editor.alter_field(model, old, new)
    try:
        yield
    finally:
        model.objects.all().delete()
        with connection.schema_editor() as editor:
            editor.alter_field(model, new, old)


def test_without_the_unique_key_the_same_walk_in_counts_more_than_once(territories):
    """Proves the walk-in test can fail: the check before the insert alone lets a burst in."""
    mediator = StaffFactory(role=roles.MEDIATOR, territories=[territories["Lyon 8"]])
    event = EventFactory(territory=territories["Lyon 8"])
    rows = []
    with without_unique(WalkIn, "client_key"):
        for attempt in range(5):
            run_at_once(
                AT_ONCE,
                lambda i, key=f"same-form-{attempt}": attendance.add_walk_in(
                    event_id=event.pk, count=2, age_band="60+", client_key=key, user=mediator
                ),
            )
            rows.append(WalkIn.objects.filter(client_key=f"same-form-{attempt}").count())
            if rows[-1] > 1:
                break
    assert max(rows) > 1, rows


def test_without_the_row_lock_and_the_unique_key_the_same_tap_leaves_two_rows(
    territories, monkeypatch
):
    """Proves the tap test can fail. Either safeguard alone holds: the row lock serialises the
    taps, the one-to-one key turns the second insert into a read. Without both, it breaks."""
    mediator = StaffFactory(role=roles.MEDIATOR, territories=[territories["Lyon 8"]])
    event = EventFactory(territory=territories["Lyon 8"], capacity=40)
    registrations = [register(event, bands=("25-59", "60+")) for _ in range(5)]
    # Each person's presence already says "came": the rule's update of the participants then
    # touches no row, so it does not serialise the taps by itself (a third, implicit lock).
    Participant.objects.filter(registration__event=event).update(
        presence=Attendance.Status.ATTENDED
    )
    monkeypatch.setattr(QuerySet, "select_for_update", lambda self, *args, **kwargs: self)
    plain_key = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="+")
    broken = []
    with without_unique(Attendance, "registration", replacement=plain_key):
        for registration in registrations:
            errors = run_at_once(
                AT_ONCE,
                lambda i, pk=registration.pk: attendance.mark_attendance(
                    event_id=event.pk,
                    registration_id=pk,
                    status=Attendance.Status.ATTENDED,
                    user=mediator,
                ),
            )
            rows = Attendance.objects.filter(registration_id=registration.pk).count()
            broken.append((rows, len(errors)))
            if rows > 1 or errors:
                break
    assert any(rows > 1 or errors for rows, errors in broken), broken
