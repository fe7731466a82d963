"""The events app's indicators on a hand-built data set, the numbers written here; and the
figures unchanged once the people behind them are anonymised."""

import datetime as dt

from django.utils import timezone

import pytest

from community import services
from community.models import Person
from community.registries import Period, indicators
from events.models import EventKind
from events.models.bookings import Registration
from tests import factories
from tests.events.signup_helpers import contact, register
from tests.indicators.builders import book, event_on, walk_in

pytestmark = pytest.mark.django_db

CONFIRMED, WAITLISTED, CANCELLED = (
    Registration.Status.CONFIRMED,
    Registration.Status.WAITLISTED,
    Registration.Status.CANCELLED,
)


@pytest.fixture
def activity(territories):
    """2025 in Lyon 8 and Lyon 9, plus one event in 2024 and cancelled/draft events."""
    lyon8, lyon9 = territories["Lyon 8"], territories["Lyon 9"]
    santy = factories.ResidenceFactory(name="Santy", territory=lyon8)
    amina, bruno, chloe, driss = (
        factories.PersonFactory(territory=lyon8, first_name=name)
        for name in ("Amina", "Bruno", "Chloé", "Driss")
    )
    before = event_on(dt.date(2024, 11, 5), lyon8)
    book(before, amina, came=True)

    cafe = event_on(dt.date(2025, 3, 4), lyon8, residence=santy)
    book(cafe, amina, ("25-59", "0-14", "0-14"), came=True)  # returning, with two children
    book(cafe, bruno, ("60+",), came=False)  # marked absent: not counted
    book(cafe, chloe, ("15-24",), status=WAITLISTED)  # never had a seat
    walk_in(cafe, 2, "60+")

    workshop = event_on(dt.date(2025, 6, 10), lyon9, kind=EventKind.INTERGENERATIONAL)
    book(workshop, amina, ("25-59",))  # a second event: still one beneficiary
    book(workshop, chloe, ("15-24", "60+"))
    book(workshop, driss, ("25-59",), status=CANCELLED)

    event_on(dt.date(2025, 7, 1), lyon9, kind=EventKind.CITIZENSHIP)
    event_on(dt.date(2025, 8, 1), lyon8, kind=EventKind.AWARENESS)
    event_on(dt.date(2025, 9, 1), lyon8, kind=EventKind.WORKING_GROUP)
    event_on(dt.date(2025, 9, 2), lyon8, kind=EventKind.WORKING_GROUP)
    cancelled = event_on(dt.date(2025, 10, 1), lyon8, kind=EventKind.AWARENESS)
    cancelled.cancelled_at = timezone.now()
    cancelled.save()
    event_on(dt.date(2025, 10, 2), lyon8, kind=EventKind.AWARENESS, live=False)  # a draft
    return {"santy": santy, "people": [amina, bruno, chloe, driss]}


def test_actions_by_kind(activity, territories, year_2025):
    actions = indicators.compute("events.actions_by_kind", year_2025)
    assert actions["Café médiation"] == 1
    assert actions["Atelier intergénérationnel"] == 1
    assert actions["Atelier citoyenneté"] == 1
    assert actions["Action de sensibilisation"] == 1  # not the cancelled one nor the draft
    assert actions["Réunion de groupe de travail"] == 2
    assert actions["Stand ou forum"] == 0
    assert indicators.compute("events.citizenship_workshops", year_2025) == 1
    assert indicators.compute("events.awareness_actions", year_2025) == 1
    assert indicators.compute("events.working_group_meetings", year_2025) == 2
    lyon9 = [territories["Lyon 9"].pk]
    assert indicators.compute("events.working_group_meetings", year_2025, lyon9) == 0


def test_participations_beneficiaries_young_and_age_bands(activity, territories, year_2025):
    # Café: 3 (Amina's party) + 2 walk-ins; workshop: 1 + 2. Bruno was absent, Chloé waitlisted
    # at the café, Driss cancelled.
    assert indicators.compute("events.participations", year_2025) == 8
    assert indicators.compute("events.participations", year_2025, [territories["Lyon 9"].pk]) == 3
    santy = [activity["santy"].pk]
    assert indicators.compute("events.participations", year_2025, None, santy) == 5
    assert indicators.compute("events.beneficiaries", year_2025) == 2  # Amina and Chloé
    assert indicators.compute("events.young_participants", year_2025) == 3
    assert indicators.compute("events.participants_by_age_band", year_2025) == {
        "0 à 14 ans": 2,
        "15 à 24 ans": 1,
        "25 à 59 ans": 2,
        "60 ans et plus": 3,
    }
    assert indicators.compute("events.new_and_returning", year_2025) == {
        "Nouveaux": 1,  # Chloé
        "Déjà venus": 1,  # Amina came in 2024
    }
    item = indicators.items["events.participations"]
    assert item.by_territory(year_2025, None) == {
        territories["Lyon 8"].pk: 5,
        territories["Lyon 9"].pk: 3,
    }
    assert item.by_month(year_2025, None) == {dt.date(2025, 3, 1): 5, dt.date(2025, 6, 1): 3}


@pytest.mark.parametrize(
    ("key", "queries"),
    [
        ("events.actions_by_kind", 1),
        ("events.citizenship_workshops", 1),
        ("events.participations", 2),
        ("events.beneficiaries", 1),
        ("events.young_participants", 2),
        ("events.participants_by_age_band", 2),
        ("events.new_and_returning", 2),
    ],
)
def test_each_figure_is_a_fixed_number_of_queries(
    key, queries, activity, year_2025, django_assert_num_queries
):
    with django_assert_num_queries(queries):
        indicators.compute(key, year_2025, [1, 2, 3])


def test_a_beneficiary_is_counted_once_across_events_and_across_email_and_phone(territories):
    lyon8 = territories["Lyon 8"]
    first = factories.EventFactory(territory=lyon8)
    second = factories.EventFactory(territory=lyon8, start=first.start + dt.timedelta(days=2))
    second.end = second.start + dt.timedelta(hours=2)
    second.save()
    third = factories.EventFactory(territory=lyon8, start=first.start + dt.timedelta(days=3))
    third.end = third.start + dt.timedelta(hours=2)
    third.save()
    # Online with her email and phone, then by a mediator on the phone, then by email only.
    register(first, contact=contact(email="nadia@exemple.fr", phone="06 12 34 56 78"))
    register(second, contact=contact(email="", phone="+33612345678"), source="phone")
    register(third, contact=contact(email="Nadia@Exemple.fr"))
    register(third, contact=contact(email="autre@exemple.fr"))
    assert Person.objects.count() == 2
    today = timezone.localdate()
    period = Period(today, today + dt.timedelta(days=30))
    assert indicators.compute("events.beneficiaries", period) == 2
    assert indicators.compute("events.participations", period) == 4


def _all_figures(period):
    return {item.key: indicators.compute(item.key, period) for item in indicators}


def test_figures_are_unchanged_once_everyone_is_anonymised(activity, year_2025, kinds):
    from community.models import Intervention

    lyon8 = activity["santy"].territory
    Intervention.objects.create(
        kind=kinds["aide-morale"], territory=lyon8, date=dt.date(2025, 5, 5)
    )
    tenant = factories.ReferenceTenantFactory(
        residence=activity["santy"], person=activity["people"][0]
    )
    factories.FollowUpFactory(reference_tenant=tenant, date=dt.date(2025, 5, 6))
    factories.VoiceFactory(
        territory=lyon8,
        person=activity["people"][1],
        contact_consent=True,
        created_at=dt.datetime(2025, 5, 5, tzinfo=dt.UTC),
    )
    before = _all_figures(year_2025)
    assert before["events.beneficiaries"] == 2
    for person in Person.objects.all():
        assert services.anonymise_person(person.pk)
    assert not Person.objects.exclude(first_name="").exists()
    assert _all_figures(year_2025) == before
