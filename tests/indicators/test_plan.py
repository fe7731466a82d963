"""The service plan: values (computed or typed), targets, percentages and statuses per objective,
on a small hand-built plan and year whose figures are chosen here; the plan's page, who may
open it; the dashboard and the yearly report showing target and percentage."""

import datetime as dt
import io

from django.test import Client
from django.urls import reverse

import pytest
from openpyxl import load_workbook

from community.models import (
    Axis,
    CorrectiveAction,
    IndicatorFigure,
    IndicatorTarget,
    Intervention,
    Objective,
    PlanIndicator,
    ServicePlan,
    Stake,
)
from community.plan import rules
from community.registries import Period, indicators

pytestmark = pytest.mark.django_db

PLAN_PAGE = "/admin/indicateurs/projet-de-service/"


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def plan(territories, kinds):
    """2025, hand-built:
    - computed "Interventions": 4 in Lyon 8, 2 in Lyon 9 (and 5 in 2024, out of the year);
      targets: agency 8, Lyon 8 5 -> 75 % agency-wide, 80 % for Lyon 8; measures objective A;
    - typed count "Conventions signées": Lyon 8 12, Lyon 9 9 (no agency row) -> 21; target
      agency 20 -> 105 %; measures objective B;
    - typed rate "Taux de connaissance": Lyon 8 40, Lyon 9 61 -> mean 50.5; target 50, tied
      to no objective;
    - objective C has no indicator; corrective actions: two decided in 2025 on A, one in 2024.
    """
    lyon8, lyon9 = territories["Lyon 8"], territories["Lyon 9"]
    for territory, n in ((lyon8, 4), (lyon9, 2)):
        for i in range(n):
            Intervention.objects.create(
                kind=kinds["rappel-regle"], territory=territory, date=dt.date(2025, 3, 1 + i)
            )
    for i in range(5):
        Intervention.objects.create(
            kind=kinds["rappel-regle"], territory=lyon8, date=dt.date(2024, 6, 1 + i)
        )
    plan = ServicePlan.objects.create(title="Plan d'essai", start_year=2024, end_year=2026)
    stake = Stake.objects.create(plan=plan, number=1, title="Être reconnus")
    axis = Axis.objects.create(stake=stake, number=1, title="Auprès des partenaires")
    a = Objective.objects.create(axis=axis, text="Objectif A : intervenir", sort_order=1)
    b = Objective.objects.create(axis=axis, text="Objectif B : conventionner", sort_order=2)
    c = Objective.objects.create(axis=axis, text="Objectif C : sans indicateur", sort_order=3)
    computed = PlanIndicator.objects.create(
        axis=axis, objective=a, label="Interventions", computed_key="community.interventions"
    )
    typed = PlanIndicator.objects.create(
        axis=axis, objective=b, label="Conventions signées", sort_order=2
    )
    rate = PlanIndicator.objects.create(
        axis=axis, label="Taux de connaissance", kind=PlanIndicator.Kind.RATE, sort_order=3
    )
    IndicatorTarget.objects.create(indicator=computed, year=2025, value=8)
    IndicatorTarget.objects.create(indicator=computed, year=2025, territory=lyon8, value=5)
    IndicatorTarget.objects.create(indicator=typed, year=2025, value=20)
    IndicatorTarget.objects.create(indicator=rate, year=2025, value=50)
    for indicator, values in ((typed, (12, 9)), (rate, (40, 61))):
        for territory, value in zip((lyon8, lyon9), values, strict=True):
            IndicatorFigure.objects.create(
                indicator=indicator, year=2025, territory=territory, value=value, source="Suivi"
            )
    for day, what in ((dt.date(2025, 4, 2), "Relancer"), (dt.date(2025, 9, 9), "Réorganiser")):
        CorrectiveAction.objects.create(objective=a, what=what, decided_on=day, who="Direction")
    CorrectiveAction.objects.create(
        objective=c, what="Ancienne", decided_on=dt.date(2024, 5, 5), who="Direction"
    )
    return {"plan": plan, "computed": computed, "typed": typed, "rate": rate, "a": a, "b": b}


def _lines(progress):
    lines = {}
    for stake in progress.stakes:
        for axis in stake.axes:
            for objective in axis.objectives:
                lines[objective.objective.text] = objective
                for line in objective.indicators:
                    lines[line.indicator.label] = line
            for line in axis.indicators:
                lines[line.indicator.label] = line
    return lines


def test_values_targets_percentages_and_statuses_for_the_agency(plan):
    progress = rules.progress(plan["plan"], 2025)
    lines = _lines(progress)
    interventions = lines["Interventions"]
    assert (interventions.value, interventions.target, interventions.percent) == (6, 8, 75)
    assert interventions.status == rules.Status.PARTLY
    conventions = lines["Conventions signées"]
    assert (conventions.value, conventions.target, conventions.percent) == (21, 20, 105)
    assert conventions.status == rules.Status.REACHED
    knowledge = lines["Taux de connaissance"]
    assert (knowledge.value, knowledge.target, knowledge.percent) == (50.5, 50, 101)
    assert lines["Objectif A : intervenir"].status == rules.Status.PARTLY
    assert lines["Objectif B : conventionner"].status == rules.Status.REACHED
    assert lines["Objectif C : sans indicateur"].status == rules.Status.NO_TARGET
    assert [a.what for a in lines["Objectif A : intervenir"].corrective_actions] == [
        "Relancer",
        "Réorganiser",
    ]
    assert lines["Objectif C : sans indicateur"].corrective_actions == []  # 2024's
    assert (progress.objectives_reached, progress.objectives_judged, progress.rate) == (1, 2, 50)


def test_an_agency_row_wins_over_the_territories_and_a_territory_reads_its_own(plan, territories):
    IndicatorFigure.objects.create(
        indicator=plan["typed"], year=2025, value=30, source="Bilan de l'agence"
    )
    lines = _lines(rules.progress(plan["plan"], 2025))
    assert lines["Conventions signées"].value == 30
    lyon8 = _lines(rules.progress(plan["plan"], 2025, [territories["Lyon 8"].pk]))
    assert (lyon8["Interventions"].value, lyon8["Interventions"].target) == (4, 5)
    assert lyon8["Interventions"].percent == 80
    assert (lyon8["Conventions signées"].value, lyon8["Conventions signées"].target) == (12, None)
    assert lyon8["Conventions signées"].status == rules.Status.NO_TARGET
    assert lyon8["Taux de connaissance"].value == 40
    lyon7 = _lines(rules.progress(plan["plan"], 2025, [territories["Lyon 7"].pk]))
    assert lyon7["Conventions signées"].value is None  # nothing typed there


def test_a_year_without_figures_is_not_reached_nor_invented(plan):
    lines = _lines(rules.progress(plan["plan"], 2026))
    assert lines["Conventions signées"].value is None
    assert lines["Conventions signées"].status == rules.Status.NO_TARGET
    IndicatorTarget.objects.create(indicator=plan["typed"], year=2026, value=25)
    lines = _lines(rules.progress(plan["plan"], 2026))
    assert lines["Conventions signées"].status == rules.Status.NO_VALUE
    assert lines["Objectif B : conventionner"].status == rules.Status.NO_VALUE


def test_the_plans_own_figures_in_the_registry(plan, territories, year_2025):
    assert indicators.compute("community.corrective_actions", year_2025) == 2
    assert indicators.compute("community.corrective_actions", year_2025, [1]) is None
    assert indicators.compute("community.plan_indicators", year_2025) == 3
    assert indicators.compute("community.plan_objectives_reached", year_2025) == 50
    quarter = Period(dt.date(2025, 1, 1), dt.date(2025, 3, 31))
    assert indicators.compute("community.plan_objectives_reached", quarter) is None
    lyon8 = [territories["Lyon 8"].pk]
    # Lyon 8: interventions 4 of 5 (80 %: partly), conventions without a target: 0 of 1 judged.
    assert indicators.compute("community.plan_objectives_reached", year_2025, lyon8) == 0


def test_the_plan_page_shows_every_objective_with_its_figures(staff, plan):
    response = client_for(staff["manager"]).get(PLAN_PAGE, {"year": 2025})
    assert response.status_code == 200
    content = response.content.decode()
    for text in ("Objectif A : intervenir", "Objectif B : conventionner", "Objectif C"):
        assert text in content
    assert "105 %" in content and "75 %" in content and "101 %" in content
    assert "Relancer" in content and "Ancienne" not in content
    assert "1 sur 2" in content


def test_who_may_open_the_plan_page(staff, plan, territories):
    mediator = client_for(staff["mediator_lyon8"])
    response = mediator.get(PLAN_PAGE, {"year": 2025})
    assert response.status_code == 200
    lines = _lines(response.context["progress"])
    assert lines["Interventions"].value == 4  # Lyon 8's only
    assert "80 %" in response.content.decode()
    assert mediator.get(PLAN_PAGE, {"territory": territories["Lyon 9"].pk}).status_code == 403
    refused = client_for(staff["communication"]).get(PLAN_PAGE)
    assert (refused.status_code, refused["Location"]) == (302, "/admin/")  # Wagtail's refusal
    assert Client().get(PLAN_PAGE).status_code == 302


def test_the_dashboard_shows_target_and_percentage_for_a_year(staff, plan):
    client = client_for(staff["manager"])
    response = client.get("/admin/indicateurs/", {"period": "year", "year": 2025})
    rows = {r.key: r for s in response.context["sections"] for r in s.rows}
    assert (rows["community.interventions"].target, rows["community.interventions"].percent) == (
        8,
        75,
    )
    assert rows["community.voices"].target is None
    csv = client.get(reverse("indicators:export_csv"), {"year": 2025}).content.decode("utf-8-sig")
    assert "Interventions de terrain;Interventions;;6;5;8;75" in csv.splitlines()
    workbook = load_workbook(
        io.BytesIO(client.get(reverse("indicators:export_xlsx"), {"year": 2025}).content)
    )
    rows_xlsx = list(workbook.active.iter_rows(values_only=True))
    assert ("Interventions de terrain", "Interventions", None, 6, 5, 8, 75) in rows_xlsx
    quarter = client.get("/admin/indicateurs/", {"period": "quarter", "year": 2025, "quarter": 1})
    rows = {r.key: r for s in quarter.context["sections"] for r in s.rows}
    assert rows["community.interventions"].target is None  # targets are yearly
    mediator = client_for(staff["mediator_lyon8"])
    response = mediator.get("/admin/indicateurs/", {"period": "year", "year": 2025})
    rows = {r.key: r for s in response.context["sections"] for r in s.rows}
    assert (rows["community.interventions"].value, rows["community.interventions"].target) == (
        4,
        5,
    )


def test_the_yearly_report_shows_target_and_percentage(staff, plan):
    from community.reporting import reports

    rule = PlanIndicator.objects.create(
        axis=plan["typed"].axis,
        label="Actions correctives",
        computed_key="community.corrective_actions",
    )
    IndicatorTarget.objects.create(indicator=rule, year=2025, value=4)
    report = reports.build(2025, None, None)
    rows = {row[0]: row for s in report.sections for row in s.rows}
    label = str(indicators.items["community.corrective_actions"].label)
    assert rows[label][1:] == ([0, 1, 2], False, 4, 50)
    client = client_for(staff["manager"])
    csv = client.get(reverse("indicators:report_csv"), {"year": 2025}).content.decode("utf-8-sig")
    assert f"Projet de service;{label};0;1;2;4;50" in csv.splitlines()


def test_two_targets_for_the_same_year_get_a_message_not_a_500(staff, plan):
    client = client_for(staff["manager"])
    indicator = plan["typed"]
    url = reverse("wagtailsnippets_community_planindicator:edit", args=[indicator.pk])
    data = {
        "axis": indicator.axis_id,
        "objective": indicator.objective_id,
        "label": indicator.label,
        "computed_key": "",
        "kind": "count",
        "sort_order": 2,
        "targets-TOTAL_FORMS": 3,
        "targets-INITIAL_FORMS": 1,
        "targets-MIN_NUM_FORMS": 0,
        "targets-MAX_NUM_FORMS": 1000,
        "targets-0-id": indicator.targets.get().pk,
        "targets-0-year": 2025,
        "targets-0-territory": "",
        "targets-0-value": 20,
        "targets-0-ORDER": 1,
        "targets-1-id": "",
        "targets-1-year": 2027,
        "targets-1-territory": "",
        "targets-1-value": 3,
        "targets-1-ORDER": 2,
        "targets-2-id": "",
        "targets-2-year": 2027,
        "targets-2-territory": "",
        "targets-2-value": 4,
        "targets-2-ORDER": 3,
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert "déjà une cible pour cette année" in response.content.decode()
    assert not IndicatorTarget.objects.filter(year=2027).exists()
    data["computed_key"] = "inconnu.cle"
    data["targets-2-year"] = 2028
    response = client.post(url, data)
    assert response.status_code == 200
    assert not IndicatorTarget.objects.filter(year=2027).exists()
    data["computed_key"] = ""
    response = client.post(url, data)
    assert response.status_code == 302
    assert set(
        IndicatorTarget.objects.filter(indicator=indicator).values_list("year", "value")
    ) == {
        (2025, 20),
        (2027, 3),
        (2028, 4),
    }


def test_a_mediator_reads_the_plan_but_does_not_write_it(staff, plan):
    mediator = client_for(staff["mediator_lyon8"])
    objective = plan["a"]
    assert mediator.get(reverse("wagtailsnippets_community_objective:list")).status_code == 200
    response = mediator.post(
        reverse("wagtailsnippets_community_objective:edit", args=[objective.pk]),
        {"axis": objective.axis_id, "text": "Changé", "sort_order": 1},
    )
    assert response.status_code in (302, 403)
    objective.refresh_from_db()
    assert objective.text == "Objectif A : intervenir"
