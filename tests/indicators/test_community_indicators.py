"""The community app's indicators on a hand-built data set, the numbers written here."""

import datetime as dt

import pytest

from community.models import Intervention, Voice, WorkingGroup, WorkingGroupOutcome
from community.registries import Period, indicators
from tests import factories

pytestmark = pytest.mark.django_db


def log(kind, territory, date, people=1, residence=None, **extra):
    return Intervention.objects.create(
        kind=kind, territory=territory, date=date, people=people, residence=residence, **extra
    )


@pytest.fixture
def field_log(territories, kinds):
    lyon8, lyon9 = territories["Lyon 8"], territories["Lyon 9"]
    santy = factories.ResidenceFactory(name="Santy", territory=lyon8)
    d = dt.date(2025, 3, 10)
    log(kinds["gestion-conflits"], lyon8, d, people=2, residence=santy)
    log(kinds["table-ronde"], lyon8, d, people=6)
    log(kinds["table-ronde"], lyon9, dt.date(2025, 6, 1), people=5)
    log(kinds["mise-en-relation"], lyon9, dt.date(2025, 6, 2), people=3, women=2, men=1)
    log(kinds["ecoute-active"], lyon8, dt.date(2025, 12, 31), people=1, residence=santy)
    # Outside the period: the year before and the year after.
    log(kinds["ecoute-active"], lyon8, dt.date(2024, 12, 31))
    log(kinds["ecoute-active"], lyon8, dt.date(2026, 1, 1))
    return {"santy": santy}


def test_interventions_total_people_and_by_territory_and_month(field_log, territories, year_2025):
    lyon8, lyon9 = territories["Lyon 8"].pk, territories["Lyon 9"].pk
    assert indicators.compute("community.interventions", year_2025) == 5
    assert indicators.compute("community.interventions", year_2025, [lyon8]) == 3
    assert indicators.compute("community.intervention_people", year_2025) == 17
    assert indicators.compute("community.intervention_people", year_2025, [lyon9]) == 8
    santy = [field_log["santy"].pk]
    assert indicators.compute("community.interventions", year_2025, None, santy) == 2
    item = indicators.items["community.interventions"]
    assert item.by_territory(year_2025, None) == {lyon8: 3, lyon9: 2}
    assert item.by_month(year_2025, None) == {
        dt.date(2025, 3, 1): 2,
        dt.date(2025, 6, 1): 2,
        dt.date(2025, 12, 1): 1,
    }


def test_interventions_by_kind_counts_details_in_their_kind(field_log, territories, year_2025):
    figures = indicators.compute("community.interventions_by_kind", year_2025)
    assert figures["Gestion de conflits"] == 3  # one logged as such, two round tables
    assert figures["— dont Table ronde"] == 2
    assert figures["— dont Gestion de conflit en temps réel"] == 0
    assert figures["Mise en relation"] == 1
    assert figures["Écoute active"] == 1
    assert figures["Rappel à la règle"] == 0
    lyon9 = indicators.compute(
        "community.interventions_by_kind", year_2025, [territories["Lyon 9"].pk]
    )
    assert lyon9["Gestion de conflits"] == 1
    assert lyon9["Mise en relation"] == 1


def test_reference_tenants_follow_ups_groups_diagnoses_and_voices(territories, year_2025):
    lyon8, lyon9 = territories["Lyon 8"], territories["Lyon 9"]
    albert = factories.ResidenceFactory(name="Albert Laurent", territory=lyon8)
    chateau = factories.ResidenceFactory(name="Le Château", territory=lyon9)
    tenant_a = factories.ReferenceTenantFactory(residence=albert)
    tenant_b = factories.ReferenceTenantFactory(residence=albert)
    tenant_c = factories.ReferenceTenantFactory(residence=chateau)
    for tenant, date in (
        (tenant_a, dt.date(2025, 2, 1)),
        (tenant_a, dt.date(2025, 5, 1)),
        (tenant_b, dt.date(2025, 9, 1)),
        (tenant_c, dt.date(2024, 9, 1)),  # last year: not counted
    ):
        factories.FollowUpFactory(reference_tenant=tenant, date=date)
    assert indicators.compute("community.reference_tenants_followed", year_2025) == 2
    assert indicators.compute("community.follow_ups", year_2025) == 3
    assert indicators.compute("community.follow_ups", year_2025, [lyon9.pk]) == 0

    active = factories.WorkingGroupFactory(territory=lyon8, status=WorkingGroup.Status.ACTIVE)
    finished = factories.WorkingGroupFactory(territory=lyon9, status=WorkingGroup.Status.FINISHED)
    WorkingGroupOutcome.objects.create(
        working_group=finished, date=dt.date(2025, 4, 1), text="Bancs"
    )
    gone = factories.WorkingGroupFactory(territory=lyon9, status=WorkingGroup.Status.FINISHED)
    WorkingGroupOutcome.objects.create(working_group=gone, date=dt.date(2023, 4, 1), text="Fini")
    later = factories.WorkingGroupFactory(territory=lyon8)  # created after the period
    WorkingGroup.objects.exclude(pk=later.pk).update(
        created_at=dt.datetime(2023, 1, 1, tzinfo=dt.UTC)
    )
    assert indicators.compute("community.working_groups_engaged", year_2025) == 2
    assert indicators.compute("community.working_groups_engaged", year_2025, [lyon9.pk]) == 1

    factories.ResidenceDiagnosisFactory(residence=albert, date=dt.date(2025, 3, 1))
    factories.ResidenceDiagnosisFactory(residence=chateau, date=dt.date(2025, 3, 1))
    factories.ResidenceDiagnosisFactory(residence=chateau, date=dt.date(2022, 3, 1))
    assert indicators.compute("community.diagnoses", year_2025) == 2
    assert indicators.compute("community.diagnoses", year_2025, None, [chateau.pk]) == 1

    when = dt.datetime(2025, 5, 5, 12, tzinfo=dt.UTC)
    new = factories.VoiceFactory(territory=lyon8, created_at=when)
    factories.VoiceFactory(territory=lyon8, created_at=when, status=Voice.Status.ACTION)
    answered = factories.VoiceFactory(territory=lyon9, created_at=when)
    active.answers_voices.add(answered)
    factories.VoiceFactory(territory=lyon9, created_at=when.replace(year=2024))
    assert new.status == Voice.Status.NEW
    assert indicators.compute("community.voices", year_2025) == 3
    assert indicators.compute("community.voices_to_action", year_2025) == 2
    assert indicators.compute("community.voices_to_action", year_2025, [lyon8.pk]) == 1


@pytest.mark.parametrize(
    "key",
    [
        "community.interventions",
        "community.intervention_people",
        "community.reference_tenants_followed",
        "community.follow_ups",
        "community.working_groups_engaged",
        "community.diagnoses",
        "community.voices",
        "community.voices_to_action",
    ],
)
def test_each_figure_is_one_query(key, field_log, year_2025, django_assert_num_queries):
    with django_assert_num_queries(1):
        indicators.compute(key, year_2025, [1, 2])


def test_by_kind_is_three_queries_whatever_the_data(
    field_log, year_2025, django_assert_num_queries
):
    # When the records begin (is the figure tracked yet), the counts per kind, the kinds.
    with django_assert_num_queries(3):
        indicators.compute("community.interventions_by_kind", year_2025)


def test_a_residence_is_not_asked_of_an_indicator_without_one(year_2025):
    assert indicators.compute("community.new_persons", year_2025, None, [1]) is None


def test_a_period_must_not_end_before_it_starts():
    with pytest.raises(ValueError):
        Period(dt.date(2025, 2, 1), dt.date(2025, 1, 31))
