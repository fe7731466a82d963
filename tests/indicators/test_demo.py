"""seed_demo's indicators: the annex's years and three generated years, written once."""

import datetime as dt

from django.core.management import call_command
from django.utils import timezone

import pytest

from community.models import Intervention
from community.registries import Period, indicators
from events.models import Event
from events.models.bookings import Registration

pytestmark = pytest.mark.django_db


def test_seed_demo_fills_every_chart_once():
    call_command("seed_demo", password="mot-de-passe-demo-1")
    counts = (Intervention.objects.count(), Event.objects.count(), Registration.objects.count())
    call_command("seed_demo", password="mot-de-passe-demo-1")
    assert (
        Intervention.objects.count(),
        Event.objects.count(),
        Registration.objects.count(),
    ) == counts
    year_2015 = Period(dt.date(2015, 1, 1), dt.date(2015, 12, 31))
    assert (
        indicators.compute("community.interventions_by_kind", year_2015)["Mise en relation"] == 1070
    )
    last_year = timezone.localdate().year - 1
    period = Period(dt.date(last_year, 1, 1), dt.date(last_year, 12, 31))
    by_territory = indicators.items["events.participations"].by_territory(period, None)
    assert len(by_territory) == 4 and all(by_territory.values())
    by_month = indicators.items["community.interventions"].by_month(period, None)
    assert len(by_month) == 12 and all(by_month.values())
    assert indicators.compute("events.beneficiaries", period) > 0
