import datetime

from django.utils import timezone

import pytest

from community.registries import Indicator, IndicatorRegistry, Period, indicators
from tests.factories import PersonFactory


def test_a_period_cannot_end_before_it_starts():
    with pytest.raises(ValueError, match="end before it starts"):
        Period(datetime.date(2025, 2, 1), datetime.date(2025, 1, 1))


def test_an_indicator_key_is_registered_once():
    registry = IndicatorRegistry()
    indicator = Indicator("x", "X", "Définition.", lambda period, ids: 0)
    registry.register(indicator)
    with pytest.raises(ValueError, match="already registered"):
        registry.register(indicator)


@pytest.mark.django_db
def test_new_persons_indicator_counts_by_period_and_territory(territories):
    PersonFactory.create_batch(3, territory=territories["Lyon 8"])
    PersonFactory(territory=territories["Lyon 9"])
    today = timezone.localdate()
    period = Period(today.replace(day=1), today)
    assert indicators.compute("community.new_persons", period) == 4
    assert indicators.compute("community.new_persons", period, [territories["Lyon 8"].pk]) == 3
    last_year = Period(
        today.replace(year=today.year - 1, day=1), today.replace(year=today.year - 1)
    )
    assert indicators.compute("community.new_persons", last_year) == 0
