"""Builders for the Café Médiation tests."""

import datetime as dt

from django.utils import timezone

from events import recurrence
from events.models import CafeSeries
from events.signup import rules as signup


def make_series(territory, **kwargs) -> CafeSeries:
    today = timezone.localdate()
    values = {
        "title": "Café Médiation États-Unis",
        "territory": territory,
        "venue_name": "Salle associative des États-Unis",
        "venue_address": "Boulevard des États-Unis, 69008 Lyon",
        "frequency": recurrence.WEEKLY,
        "interval": 1,
        "weekday": (today + dt.timedelta(days=2)).weekday(),
        "start_date": today,
        "start_time": dt.time(14),
        "end_time": dt.time(16),
        "capacity": 10,
    }
    values.update(kwargs)
    series = CafeSeries(**values)
    series.full_clean()
    series.save()
    return series


def follower_contact(n: int, **kwargs) -> signup.Contact:
    values = {
        "first_name": f"Voisin{n}",
        "last_name": "Habitant",
        "email": f"voisin{n}@exemple.fr",
        "phone": "",
        "age_band": "60+",
    }
    values.update(kwargs)
    return signup.Contact(**values)
