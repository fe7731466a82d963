"""The community app's outcome figures, registered in community.registries.indicators.

Each function answers for a period and optionally territories (and residences where the record
has one) with one aggregation in the database. Nothing here reads a name: anonymised people and
their records keep counting.
"""

import datetime as dt

from django.db.models import Count, Min, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from community.models import (
    AgeBand,
    FollowUp,
    Intervention,
    InterventionKind,
    ResidenceDiagnosis,
    Voice,
    WorkingGroup,
)
from community.registries import DETAIL_PREFIX, Indicator, Period, indicators, shared

SECTION_INTERVENTIONS = _("Interventions de terrain")
SECTION_TENANTS = _("Locataires référents et groupes de travail")
SECTION_VOICES = _("Diagnostics et paroles d'habitants")


def _first(queryset, field, territory_ids, **scope):
    """The first date of `field` in the (scoped) records; None when there is none."""
    value = _scope(queryset, territory_ids, **scope).aggregate(first=Min(field))["first"]
    return timezone.localtime(value).date() if isinstance(value, dt.datetime) else value


def interventions_since(territory_ids=None):
    return _first(Intervention.objects.all(), "date", territory_ids)


def follow_ups_since(territory_ids=None):
    return _first(
        FollowUp.objects.all(),
        "date",
        territory_ids,
        territory="reference_tenant__residence__territory",
    )


def working_groups_since(territory_ids=None):
    return _first(WorkingGroup.objects.all(), "created_at", territory_ids)


def diagnoses_since(territory_ids=None):
    return _first(
        ResidenceDiagnosis.objects.all(), "date", territory_ids, territory="residence__territory"
    )


def voices_since(territory_ids=None):
    return _first(Voice.objects.all(), "created_at", territory_ids)


def _scope(queryset, territory_ids, residence_ids=None, *, territory="territory", residence=None):
    if territory_ids is not None:
        queryset = queryset.filter(**{f"{territory}__in": list(territory_ids)})
    if residence_ids is not None and residence:
        queryset = queryset.filter(**{f"{residence}__in": list(residence_ids)})
    return queryset


def _interventions(period: Period, territory_ids=None, residence_ids=None):
    return _scope(
        Intervention.objects.filter(date__gte=period.start, date__lte=period.end),
        territory_ids,
        residence_ids,
        residence="residence",
    )


FIGURES = ("n", "all_people", "unsplit", *(f"all_{name}" for name in Intervention.AGE_FIELDS))


def _cube(period, territory_ids=None, residence_ids=None) -> dict:
    """The period's interventions in one grouped query (by territory, month and kind), shared
    by their count, their kinds, their people and ages, and the charts by territory and by
    month: {"total": {figure: sum}, "territory"/"month"/"kind": {value: count}}, where the
    figures are "n", "all_people", "unsplit" and "all_<age field>"."""

    def compute():
        rows = (
            _interventions(period, territory_ids, residence_ids)
            .order_by()
            .annotate(month=TruncMonth("date"))
            .values_list("territory_id", "month", "kind_id")
            .annotate(
                n=Count("pk"),
                # Named apart from the fields they add up (a name cannot be both).
                all_people=Sum("people"),
                unsplit=Sum("people", filter=Q(people_0_14__isnull=True)),
                **{f"all_{name}": Sum(name) for name in Intervention.AGE_FIELDS},
            )
        )
        total = dict.fromkeys(FIGURES, 0)
        by = {"territory": {}, "month": {}, "kind": {}}
        for territory, month, kind, *figures in rows:
            for name, value in zip(FIGURES, figures, strict=True):
                total[name] += value or 0
            n = figures[0]
            for axis, value in (("territory", territory), ("month", month), ("kind", kind)):
                by[axis][value] = by[axis].get(value, 0) + n
        return {"total": total, **by}

    return shared(
        ("community.interventions", period, _ids(territory_ids), _ids(residence_ids)), compute
    )


def _ids(ids):
    return None if ids is None else tuple(sorted(ids))


def _total(period, territory_ids, residence_ids, figure) -> int:
    return _cube(period, territory_ids, residence_ids)["total"][figure]


def interventions(period, territory_ids=None, residence_ids=None) -> int:
    return _total(period, territory_ids, residence_ids, "n")


def interventions_by_territory(period, territory_ids=None) -> dict:
    return dict(_cube(period, territory_ids)["territory"])


def interventions_by_month(period, territory_ids=None) -> dict:
    return dict(_cube(period, territory_ids)["month"])


def _kinds() -> list:
    return shared(
        ("community.intervention_kinds",),
        lambda: list(InterventionKind.objects.order_by("sort_order", "name")),
    )


def kind_totals(queryset) -> list[tuple]:
    """[(kind, own count, total with its details, people)] in the kinds' order, for every kind
    (two queries: the kinds, and the counts grouped by kind)."""
    counts = {
        row["kind_id"]: (row["n"], row["people"] or 0)
        for row in queryset.order_by()
        .values("kind_id")
        .annotate(n=Count("pk"), people=Sum("people"))
    }
    return _kind_lines(counts, _kinds())


def _kind_lines(counts: dict, kinds: list) -> list[tuple]:
    totals = {kind.pk: counts.get(kind.pk, (0, 0))[0] for kind in kinds}
    for kind in kinds:
        if kind.parent_id in totals:
            totals[kind.parent_id] += counts.get(kind.pk, (0, 0))[0]
    return [
        (kind, counts.get(kind.pk, (0, 0))[0], totals[kind.pk], counts.get(kind.pk, (0, 0))[1])
        for kind in kinds
    ]


def interventions_by_kind(period, territory_ids=None, residence_ids=None) -> dict:
    """{kind: count}; a kind that details another is shown as "dont …" and counted in it."""
    counts = _cube(period, territory_ids, residence_ids)["kind"]
    result = {}
    for kind, _own, total, _people in _kind_lines(
        {kind_id: (n, 0) for kind_id, n in counts.items()}, _kinds()
    ):
        if not total and not kind.active:
            continue
        label = kind.name if kind.parent_id is None else f"{DETAIL_PREFIX}{_('dont')} {kind.name}"
        result[label] = total
    return result


def intervention_people(period, territory_ids=None, residence_ids=None) -> int:
    return _total(period, territory_ids, residence_ids, "all_people")


def intervention_people_by_age(period, territory_ids=None, residence_ids=None) -> dict:
    """People of the interventions by the age bands mediators typed; those of interventions
    typed without the split are shown apart."""
    result = {
        str(label): _total(period, territory_ids, residence_ids, f"all_{name}")
        for name, (_band, label) in zip(Intervention.AGE_FIELDS, AgeBand.choices, strict=True)
    }
    result[str(_("Âge non précisé"))] = _total(period, territory_ids, residence_ids, "unsplit")
    return result


def intervention_young_people(period, territory_ids=None, residence_ids=None) -> int:
    return _total(period, territory_ids, residence_ids, "all_people_0_14") + _total(
        period, territory_ids, residence_ids, "all_people_15_24"
    )


def reference_tenants_followed(period, territory_ids=None, residence_ids=None) -> int:
    queryset = _scope(
        FollowUp.objects.filter(date__gte=period.start, date__lte=period.end),
        territory_ids,
        residence_ids,
        territory="reference_tenant__residence__territory",
        residence="reference_tenant__residence",
    )
    return queryset.aggregate(n=Count("reference_tenant", distinct=True))["n"]


def follow_ups(period, territory_ids=None, residence_ids=None) -> int:
    return _scope(
        FollowUp.objects.filter(date__gte=period.start, date__lte=period.end),
        territory_ids,
        residence_ids,
        territory="reference_tenant__residence__territory",
        residence="reference_tenant__residence",
    ).count()


def working_groups_engaged(period, territory_ids=None, residence_ids=None) -> int:
    queryset = _scope(
        WorkingGroup.objects.filter(
            Q(created_at__date__lte=period.end)
            & (
                ~Q(status=WorkingGroup.Status.FINISHED)
                | Q(outcomes__date__gte=period.start, outcomes__date__lte=period.end)
            )
        ),
        territory_ids,
        residence_ids,
        residence="residence",
    )
    return queryset.aggregate(n=Count("pk", distinct=True))["n"]


def diagnoses(period, territory_ids=None, residence_ids=None) -> int:
    return _scope(
        ResidenceDiagnosis.objects.filter(date__gte=period.start, date__lte=period.end),
        territory_ids,
        residence_ids,
        territory="residence__territory",
        residence="residence",
    ).count()


def _voices(period, territory_ids, residence_ids):
    return _scope(
        Voice.objects.filter(created_at__date__gte=period.start, created_at__date__lte=period.end),
        territory_ids,
        residence_ids,
        residence="residence",
    )


def voices(period, territory_ids=None, residence_ids=None) -> int:
    return _voices(period, territory_ids, residence_ids).count()


def voices_to_action(period, territory_ids=None, residence_ids=None) -> int:
    """Voices of the period now turned into an action, or answered by a working group."""
    return (
        _voices(period, territory_ids, residence_ids)
        .filter(Q(status=Voice.Status.ACTION) | Q(working_groups__isnull=False))
        .aggregate(n=Count("pk", distinct=True))["n"]
    )


def intervention_indicators() -> list[Indicator]:
    """The mediators' field log."""
    return [
        Indicator(
            "community.interventions",
            _("Interventions"),
            _("Nombre d'interventions de terrain saisies par les médiateurs pendant la période."),
            interventions,
            SECTION_INTERVENTIONS,
            accepts_residence=True,
            by_territory=interventions_by_territory,
            by_month=interventions_by_month,
            order=10,
            tracked_since=interventions_since,
        ),
        Indicator(
            "community.interventions_by_kind",
            _("Interventions par type"),
            _(
                "Les mêmes interventions, réparties par type (catégories de l'annexe "
                "d'évaluation) : le total est celui des types principaux, égal au nombre "
                "d'interventions ; les lignes « dont » détaillent un type et y sont déjà comptées."
            ),
            interventions_by_kind,
            SECTION_INTERVENTIONS,
            accepts_residence=True,
            order=20,
            tracked_since=interventions_since,
        ),
        Indicator(
            "community.intervention_people",
            _("Personnes concernées par les interventions"),
            _("Somme des personnes déclarées pour chaque intervention de la période."),
            intervention_people,
            SECTION_INTERVENTIONS,
            accepts_residence=True,
            order=30,
            tracked_since=interventions_since,
        ),
        Indicator(
            "community.intervention_people_by_age",
            _("Personnes concernées par les interventions, par âge"),
            _(
                "Répartition par âge saisie avec les interventions de la période ; les "
                "personnes d'une intervention saisie sans répartition sont comptées à part."
            ),
            intervention_people_by_age,
            SECTION_INTERVENTIONS,
            accepts_residence=True,
            order=40,
        ),
        Indicator(
            "community.intervention_young_people",
            _("Jeunes de moins de 25 ans concernés par les interventions"),
            _("Personnes de 0 à 24 ans déclarées dans la répartition par âge des interventions."),
            intervention_young_people,
            SECTION_INTERVENTIONS,
            accepts_residence=True,
            order=50,
        ),
    ]


def tenant_indicators() -> list[Indicator]:
    """Reference tenants, their follow-ups and working groups."""
    return [
        Indicator(
            "community.reference_tenants_followed",
            _("Locataires référents suivis"),
            _("Nombre de locataires référents ayant eu au moins un suivi pendant la période."),
            reference_tenants_followed,
            SECTION_TENANTS,
            accepts_residence=True,
            order=10,
            tracked_since=follow_ups_since,
        ),
        Indicator(
            "community.follow_ups",
            _("Suivis de locataires référents"),
            _("Nombre de rencontres, appels et formations avec des locataires référents."),
            follow_ups,
            SECTION_TENANTS,
            accepts_residence=True,
            order=20,
            tracked_since=follow_ups_since,
        ),
        Indicator(
            "community.working_groups_engaged",
            _("Groupes de travail engagés"),
            _(
                "Groupes de travail existant avant la fin de la période et non terminés, "
                "ou ayant enregistré un résultat pendant la période."
            ),
            working_groups_engaged,
            SECTION_TENANTS,
            accepts_residence=True,
            order=30,
            tracked_since=working_groups_since,
        ),
    ]


def voice_indicators() -> list[Indicator]:
    """Diagnoses and residents' voices."""
    return [
        Indicator(
            "community.diagnoses",
            _("Diagnostics de résidence"),
            _("Nombre de diagnostics des besoins réalisés avec les bailleurs pendant la période."),
            diagnoses,
            SECTION_VOICES,
            accepts_residence=True,
            order=10,
            tracked_since=diagnoses_since,
        ),
        Indicator(
            "community.voices",
            _("Paroles d'habitants recueillies"),
            _("Nombre d'idées et de besoins d'habitants reçus pendant la période."),
            voices,
            SECTION_VOICES,
            accepts_residence=True,
            order=20,
            tracked_since=voices_since,
        ),
        Indicator(
            "community.voices_to_action",
            _("Paroles devenues une action"),
            _(
                "Parmi les paroles reçues pendant la période, celles transformées en action "
                "ou auxquelles répond un groupe de travail."
            ),
            voices_to_action,
            SECTION_VOICES,
            accepts_residence=True,
            order=30,
            tracked_since=voices_since,
        ),
    ]


def register() -> None:
    # The order a manager reads the dashboard in: the field first.
    indicators.register_section(SECTION_INTERVENTIONS, 10)
    indicators.register_section(SECTION_TENANTS, 50)
    indicators.register_section(SECTION_VOICES, 60)
    specs = [*intervention_indicators(), *tenant_indicators(), *voice_indicators()]
    for indicator in specs:
        if indicator.key not in indicators.items:
            indicators.register(indicator)
