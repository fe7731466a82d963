"""Builders for the mediation day's tests: a programme with tracks, and its sessions."""

import datetime as dt

from django.utils import timezone

from events.models import EventKind
from events.models.programme import Programme, Track
from tests.factories import EventFactory, TerritoryFactory


def make_programme(
    *, year=None, days_ahead=30, tracks=("Habiter ensemble", "Jeunesse"), territory=None
):
    date = timezone.localdate() + dt.timedelta(days=days_ahead)
    programme = Programme.objects.create(
        year=year or date.year,
        date=date,
        territory=territory or TerritoryFactory(),
        venue_name="Mairie du 8e arrondissement",
        venue_address="12 avenue Jean Mermoz, 69008 Lyon",
    )
    for index, name in enumerate(tracks):
        Track.objects.create(programme=programme, name=name, sort_order=index)
    return programme


def at(programme, hour, minute=0):
    return timezone.make_aware(dt.datetime.combine(programme.date, dt.time(hour, minute)))


def add_session(programme, title, start, end, *, track=0, capacity=20, **fields):
    """A published session from `start` to `end` ("HH:MM") in the programme's n-th track."""
    track = list(programme.tracks.order_by("sort_order"))[track]
    h1, m1 = (int(x) for x in start.split(":"))
    h2, m2 = (int(x) for x in end.split(":"))
    return EventFactory(
        title=title,
        kind=EventKind.MEDIATION_DAY_SESSION,
        track=track,
        territory=programme.territory,
        venue_name=programme.venue_name,
        start=at(programme, h1, m1),
        end=at(programme, h2, m2),
        capacity=capacity,
        **fields,
    )
