"""The demo's service plan: every result indicator of the seed's lists, under its axis, in its
own wording; computed ones linked to a registered indicator; written once."""

import pytest

from community.demo import activities as demo_activities
from community.demo import plan as demo_plan
from community.models import (
    Axis,
    CorrectiveAction,
    IndicatorFigure,
    IndicatorTarget,
    Objective,
    PlanIndicator,
    ServicePlan,
    Stake,
)
from community.plan import rules
from community.registries import indicators
from tests.indicators.test_plan import PLAN_PAGE, client_for

pytestmark = pytest.mark.django_db

# The seed's "Indicateurs de résultat" lists, axis by axis, as the seed writes them.
SEED_INDICATORS = [
    [
        "nombre d'actions de communication",
        "taux de sollicitation des médiateurs sociaux",
        "taux de connaissance du dispositif",
        "taux de connaissance des médiateurs sociaux et des missions",
    ],
    [
        "nombre de conventions de partenariat signées",
        "nombre de rencontres et de suivis de situations",
        "taux de connaissance des missions",
        "nombre de présentations, d'immersions",
    ],
    [
        "nombre d'actions de mobilisation",
        "nombre d'ateliers citoyenneté",
        "nombre de sensibilisations",
        "nombre de jeunes bénéficiaires",
    ],
    [
        "nombre de diagnostics réalisés",
        "traitement des données du diagnostic",
        "nombre d'actions mises en place",
        "nombre de bénéficiaires",
    ],
    [
        "nombre de rencontres avec les habitants",
        "nombre d'actions/projets mis en place",
        "nombre de bénéficiaires",
    ],
    [
        "nombre de projets impliquant la médiation sociale",
        "nombre de personnes suivies en lien avec les structures",
        "nombre de conventions signées",
        "nombre d'objectifs atteints",
    ],
    [
        "nombre de projets développés",
        "nombre d'habitants locataires sensibilisés",
        "nombre d'habitants référents suivis",
        "nombre de groupes de travail engagés",
    ],
    [
        "nombre de diagnostics engagés",
        "nombre de projets développés",
        "nombre de réponses aux appels d'offre",
        "nombre d'appels d'offre remportés",
    ],
    ["nombre d'heures de formation-échanges de pratiques", "nombre de bénéficiaires"],
    ["nombre de réunions et groupes de travail", "nombre de bénéficiaires", "taux de satisfaction"],
    [
        "nombre d'outils adaptés et créés",
        "nombre de rencontres inter-équipes",
        "taux d'utilisation des outils",
    ],
    [
        "taux d'évolution des domaines de compétences acquis",
        "nombre d'immersions inter-équipes",
        "nombre de salariés ayant évolué dans les compétences",
        "taux de satisfaction, de motivation et de reconnaissance",
    ],
    [
        "nombre d'indicateurs identifiés",
        "taux d'objectifs opérationnels atteints",
        "nombre d'actions correctives mises en place",
    ],
]


def _counts():
    return [
        model.objects.count()
        for model in (
            ServicePlan,
            Stake,
            Axis,
            Objective,
            PlanIndicator,
            IndicatorTarget,
            IndicatorFigure,
            CorrectiveAction,
        )
    ]


def test_the_demo_plan_holds_every_seed_indicator_under_its_axis_once(territories):
    demo_plan.seed()
    counts = _counts()
    demo_plan.seed()
    assert _counts() == counts
    plan = ServicePlan.objects.get()
    assert (plan.start_year, plan.end_year) == (2017, 2019)
    assert Stake.objects.count() == 6 and Axis.objects.count() == 13
    assert Objective.objects.count() == 50
    by_axis = [
        list(axis.indicators.order_by("sort_order").values_list("label", flat=True))
        for axis in Axis.objects.order_by("stake__sort_order", "sort_order")
    ]
    assert by_axis == SEED_INDICATORS
    for indicator in PlanIndicator.objects.all():
        assert indicator.computed_key == "" or indicator.computed_key in indicators.items
        assert indicator.objective is None or indicator.objective.axis_id == indicator.axis_id
        # every indicator has a target each year of the plan and the year before it
        assert sorted(indicator.targets.values_list("year", flat=True)) == [2016, 2017, 2018, 2019]
        if not indicator.computed_key:
            assert indicator.figures.filter(year=2016).exists()
    # A registry key per computed indicator: each has its own dashboard line and target.
    computed = list(PlanIndicator.objects.exclude(computed_key="").prefetch_related("targets"))
    keys = [indicator.computed_key for indicator in computed]
    assert sorted(k for k in keys if keys.count(k) > 1) == []
    targets = rules.targets_by_key(2016, None)
    for indicator in computed:
        own = next(t.value for t in indicator.targets.all() if t.year == 2016)
        assert targets[indicator.computed_key] == own, indicator.label


def test_the_demo_plan_page_shows_2016_complete(staff):
    demo_plan.seed()
    response = client_for(staff["manager"]).get(PLAN_PAGE, {"year": 2016})
    assert response.status_code == 200
    progress = response.context["progress"]
    lines = [
        line
        for stake in progress.stakes
        for axis in stake.axes
        for line in [*axis.indicators, *(i for o in axis.objectives for i in o.indicators)]
    ]
    assert len(lines) == 46
    assert all(line.target is not None for line in lines)
    typed = [line for line in lines if not line.computed]
    assert typed and all(line.value is not None and line.percent is not None for line in typed)
    content = response.content.decode()
    assert "diagnostiquer des besoins dans de nouveaux domaines" in content
    assert "taux d&#x27;objectifs opérationnels atteints" in content
    assert progress.objectives_judged > 0 and progress.rate is not None
    rate_line = next(
        line for line in lines if line.indicator.computed_key == "community.plan_objectives_reached"
    )
    assert rate_line.value == progress.rate
    assert rules.plan_for_year(2016) == progress.plan


def test_the_demo_records_give_the_plans_indicators_their_2016_values(staff):
    demo_plan.seed()
    demo_activities.seed()
    demo_activities.seed()  # idempotent
    response = client_for(staff["manager"]).get(PLAN_PAGE, {"year": 2016})
    progress = response.context["progress"]
    values = {
        line.indicator.computed_key: line.value
        for stake in progress.stakes
        for axis in stake.axes
        for line in [*axis.indicators, *(i for o in axis.objectives for i in o.indicators)]
        if line.computed
    }
    assert {
        key: values[key]
        for key in (
            "community.agreements_signed",
            "community.agreement_objectives_met",
            "community.residence_projects",
            "community.new_field_diagnoses",
            "community.practice_exchange_hours",
            "community.practice_exchange_participants",
            "community.tenders_answered",
            "community.tenders_won",
            "community.communication_actions",
            "community.partner_follow_ups",
            "community.team_meetings",
            "community.inter_team_meetings",
            "community.inter_team_immersions",
        )
    } == {
        "community.agreements_signed": 4,
        "community.agreement_objectives_met": 7,
        "community.residence_projects": 3,
        "community.new_field_diagnoses": 2,
        "community.practice_exchange_hours": 42,
        "community.practice_exchange_participants": 95,
        "community.tenders_answered": 3,
        "community.tenders_won": 1,
        "community.communication_actions": 31,
        "community.partner_follow_ups": 97,
        "community.team_meetings": 18,
        "community.inter_team_meetings": 4,
        "community.inter_team_immersions": 5,
    }
    for key in (
        "community.knows_service_rate",
        "community.solicitation_rate",
        "community.projects",
        "community.presentations_immersions",
        "community.meetings_and_situations",
    ):
        assert values[key] > 0, key
