"""Registrations written straight to the database, for figures over past periods."""

import datetime as dt

from django.utils import timezone

from events.models.attendance import Attendance, WalkIn
from events.models.bookings import Booking, Participant, Registration
from tests import factories


def event_on(day: dt.date, territory, **kwargs):
    start = timezone.make_aware(dt.datetime.combine(day, dt.time(14)))
    return factories.EventFactory(
        territory=territory, start=start, end=start + dt.timedelta(hours=2), **kwargs
    )


def book(event, person, bands=("25-59",), status=Registration.Status.CONFIRMED, came=None):
    booking = Booking.objects.create(person=person, consent_text="J'accepte.")
    registration = Registration.objects.create(
        booking=booking,
        event=event,
        person=person,
        status=status,
        seats=len(bands),
        waitlist_position=1 if status == Registration.Status.WAITLISTED else None,
    )
    Participant.objects.bulk_create(
        Participant(registration=registration, first_name=f"P{i}", age_band=band)
        for i, band in enumerate(bands)
    )
    if came is not None:
        Attendance.objects.create(
            registration=registration,
            status=Attendance.Status.ATTENDED if came else Attendance.Status.NO_SHOW,
        )
    return registration


def walk_in(event, count, band):
    return WalkIn.objects.create(
        event=event, count=count, age_band=band, client_key=f"k-{event.pk}-{count}-{band}"
    )
