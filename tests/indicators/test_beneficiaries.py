"""Young beneficiaries counted as distinct people, beneficiaries per kind of action and per axis
of the service plan, and the age split mediators type on their interventions; a small data set
whose figures are written here."""

import datetime as dt

import pytest

from community.models import Intervention, InterventionKind
from community.registries import indicators
from events.models import EventKind
from events.models.bookings import Participant
from tests import factories
from tests.indicators.builders import book, event_on, walk_in

pytestmark = pytest.mark.django_db


def test_young_people_kinds_and_axes_count_each_person_once(territories, year_2025):
    lyon8, lyon9 = territories["Lyon 8"], territories["Lyon 9"]
    mother, grandpa, teen = (
        factories.PersonFactory(territory=lyon8, first_name=name)
        for name in ("Amina", "Bruno", "Chloé")
    )
    workshop = event_on(dt.date(2025, 3, 4), lyon8, kind=EventKind.INTERGENERATIONAL)
    workshop_2 = event_on(dt.date(2025, 5, 6), lyon8, kind=EventKind.INTERGENERATIONAL)
    cafe = event_on(dt.date(2025, 4, 1), lyon9, kind=EventKind.CAFE_MEDIATION)
    stand = event_on(dt.date(2025, 6, 1), lyon9, kind=EventKind.STAND)
    # Amina brings her two children to both workshops: two young people, not four.
    for event in (workshop, workshop_2):
        registration = book(event, mother, bands=("25-59", "0-14", "15-24"), came=True)
        Participant.objects.filter(registration=registration, age_band="0-14").update(
            first_name="Yanis"
        )
        Participant.objects.filter(registration=registration, age_band="15-24").update(
            first_name="Sofia"
        )
    book(workshop, grandpa, bands=("60+",))
    book(cafe, teen, bands=("15-24",))
    book(cafe, grandpa, bands=("60+",))
    book(stand, teen, bands=("15-24",), came=False)  # absent: not a beneficiary
    walk_in(cafe, 4, "15-24")  # counted in participations, not as distinct people
    book(event_on(dt.date(2024, 4, 1), lyon8), teen, bands=("0-14",))  # another year

    assert indicators.compute("events.young_participants", year_2025) == 9
    assert indicators.compute("events.young_beneficiaries", year_2025) == 3
    assert indicators.compute("events.young_beneficiaries", year_2025, [lyon9.pk]) == 1
    by_kind = indicators.compute("events.beneficiaries_by_kind", year_2025)
    assert by_kind[str(EventKind.INTERGENERATIONAL.label)] == 2
    assert by_kind[str(EventKind.CAFE_MEDIATION.label)] == 2
    assert by_kind[str(EventKind.STAND.label)] == 0
    assert indicators.compute("events.beneficiaries_intergenerational", year_2025) == 2
    assert indicators.compute("events.beneficiaries_participation", year_2025) == 2
    assert indicators.compute("events.beneficiaries_participation", year_2025, [lyon8.pk]) == 0
    assert indicators.compute("events.beneficiaries", year_2025) == 3


def test_the_interventions_age_split_is_counted(territories, year_2025):
    lyon8 = territories["Lyon 8"]
    kind = InterventionKind.objects.filter(active=True).first()
    for day, people, split in (
        (dt.date(2025, 2, 1), 10, (2, 3, 4, 1)),
        (dt.date(2025, 3, 1), 5, (None, None, None, None)),  # not split
        (dt.date(2025, 4, 1), 6, (0, 6, 0, 0)),
        (dt.date(2024, 4, 1), 9, (9, 0, 0, 0)),  # another year
    ):
        Intervention.objects.create(
            kind=kind,
            territory=lyon8,
            date=day,
            people=people,
            **dict(zip(Intervention.AGE_FIELDS, split, strict=True)),
        )
    by_age = indicators.compute("community.intervention_people_by_age", year_2025)
    assert list(by_age.values()) == [2, 9, 4, 1, 5]
    assert indicators.compute("community.intervention_young_people", year_2025) == 11
