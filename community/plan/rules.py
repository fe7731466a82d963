"""The service plan's progress for a year: each indicator's value (computed through the
indicators registry, or typed), its target, the percentage reached and a status; each
objective's status from the indicators that measure it; the share of objectives reached.

Territories: a value or target over several territories adds their figures (a count) or
averages them (a rate); over the whole agency, an agency-wide row, when typed, wins over the
territories' rows. Everything is read in a fixed number of queries plus one computation per
distinct computed indicator: the size of the data changes nothing.
"""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from community.models import (
    CorrectiveAction,
    IndicatorFigure,
    IndicatorTarget,
    Objective,
    PlanIndicator,
    ServicePlan,
    Stake,
)
from community.registries import Period, indicators, is_detail, shared_figures


class Status:
    REACHED = "reached"
    PARTLY = "partly"
    NOT_REACHED = "not_reached"
    NO_VALUE = "no_value"
    NO_TARGET = "no_target"


STATUS_LABELS = {
    Status.REACHED: _("atteint"),
    Status.PARTLY: _("en partie atteint"),
    Status.NOT_REACHED: _("non atteint"),
    Status.NO_VALUE: _("non renseigné"),
    Status.NO_TARGET: _("sans cible"),
}
# A target is "partly" reached from this share on (percent).
PARTLY_FROM = 50

# Computed indicators that read the plan itself: they are left out when the plan computes its
# own figures, or each would compute the plan again.
SELF_REFERENCING = frozenset({"community.plan_objectives_reached"})


def year_period(year: int) -> Period:
    return Period(dt.date(year, 1, 1), dt.date(year, 12, 31))


def calendar_year(period: Period) -> int | None:
    """The year `period` is, when it is exactly one calendar year (targets are yearly)."""
    start, end = period.start, period.end
    if (start.month, start.day, end.month, end.day) == (1, 1, 12, 31) and start.year == end.year:
        return start.year
    return None


def plan_for_year(year: int) -> ServicePlan | None:
    """The plan covering `year`; else the latest that started before it; else the first."""
    plans = ServicePlan.objects.all()
    return (
        plans.filter(start_year__lte=year, end_year__gte=year).first()
        or plans.filter(start_year__lte=year).order_by("-start_year").first()
        or plans.order_by("start_year").first()
    )


def plain(value: Decimal) -> int | float:
    """A typed decimal as the registry's figures are: an int when whole, else a float."""
    return int(value) if value == value.to_integral_value() else float(value)


def combine(rows: list[tuple[int | None, Decimal]], kind: str, territory_ids) -> int | float | None:
    """One figure from (territory id, value) rows of one indicator and year, for
    `territory_ids` (None: the whole agency)."""
    if territory_ids is None:
        agency = [value for territory_id, value in rows if territory_id is None]
        if agency:
            return plain(agency[0])
        values = [value for territory_id, value in rows if territory_id is not None]
    else:
        wanted = set(territory_ids)
        values = [value for territory_id, value in rows if territory_id in wanted]
    if not values:
        return None
    total = sum(values, Decimal(0))
    if kind == PlanIndicator.Kind.RATE:
        return plain((total / len(values)).quantize(Decimal("0.01")))
    return plain(total)


def as_number(value):
    """A registry figure as one number: a breakdown (dict) is summed, like the dashboard does
    (its "dont" lines are already inside their type)."""
    if isinstance(value, dict):
        return sum(
            v for k, v in value.items() if isinstance(v, int | float | Decimal) and not is_detail(k)
        )
    return value


def percent(value, target) -> int | None:
    if value is None or target is None or not target:
        return None
    return round(Decimal(str(value)) * 100 / Decimal(str(target)))


def status(value, target) -> str:
    if target is None:
        return Status.NO_TARGET
    if value is None:
        return Status.NO_VALUE
    share = percent(value, target)
    if share is None:  # a target of 0: any value reaches it
        return Status.REACHED
    if share >= 100:
        return Status.REACHED
    return Status.PARTLY if share >= PARTLY_FROM else Status.NOT_REACHED


def objective_status(statuses: list[str]) -> str:
    """An objective is reached when every indicator measuring it that has a target is reached."""
    judged = [s for s in statuses if s != Status.NO_TARGET]
    if not judged:
        return Status.NO_TARGET
    if all(s == Status.REACHED for s in judged):
        return Status.REACHED
    if all(s == Status.NO_VALUE for s in judged):
        return Status.NO_VALUE
    if any(s in (Status.REACHED, Status.PARTLY) for s in judged):
        return Status.PARTLY
    return Status.NOT_REACHED


# -- targets and typed figures, read in one query each ------------------------------------------


def _rows_by_indicator(model, year: int, indicator_filter: Q) -> dict[int, list]:
    rows: dict[int, list] = {}
    for indicator_id, territory_id, value in (
        model.objects.filter(indicator_filter, year=year)
        .order_by()
        .values_list("indicator_id", "territory_id", "value")
    ):
        rows.setdefault(indicator_id, []).append((territory_id, value))
    return rows


def targets_by_key(year: int, territory_ids) -> dict[str, int | float]:
    """{computed indicator key: target for `year` over `territory_ids`}, in two queries, for the
    dashboard and the yearly report. Taken from the plan covering the year; when the plan
    names a computed indicator twice, its first occurrence's target is kept."""
    plan = plan_for_year(year)
    if plan is None:
        return {}
    rows = _rows_by_indicator(
        IndicatorTarget,
        year,
        Q(indicator__axis__stake__plan=plan) & ~Q(indicator__computed_key=""),
    )
    found: dict[str, int | float] = {}
    for indicator in PlanIndicator.objects.filter(
        pk__in=list(rows), axis__stake__plan=plan
    ).order_by("axis__stake__sort_order", "axis__sort_order", "sort_order", "pk"):
        if indicator.computed_key in found:
            continue
        target = combine(rows[indicator.pk], indicator.kind, territory_ids)
        if target is not None:
            found[indicator.computed_key] = target
    return found


# -- the plan's progress ------------------------------------------------------------------------


@dataclass
class IndicatorLine:
    indicator: PlanIndicator
    value: object
    target: int | float | None
    percent: int | None
    status: str

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.status])

    @property
    def computed(self) -> bool:
        return bool(self.indicator.computed_key)


@dataclass
class ObjectiveLine:
    objective: Objective
    indicators: list[IndicatorLine]
    status: str
    corrective_actions: list[CorrectiveAction] = field(default_factory=list)

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.status])


@dataclass
class AxisLine:
    axis: object
    objectives: list[ObjectiveLine]
    indicators: list[IndicatorLine]  # those tied to no objective


@dataclass
class StakeLine:
    stake: Stake
    axes: list[AxisLine]


@dataclass
class Progress:
    plan: ServicePlan
    year: int
    stakes: list[StakeLine]
    objectives_reached: int
    objectives_judged: int
    objectives_total: int

    @property
    def rate(self) -> int | None:
        if not self.objectives_judged:
            return None
        return round(100 * self.objectives_reached / self.objectives_judged)


def _value(indicator, figures, period, territory_ids):
    if indicator.computed_key:
        if indicator.computed_key in SELF_REFERENCING or (
            indicator.computed_key not in indicators.items
        ):
            return None
        return as_number(indicators.compute(indicator.computed_key, period, territory_ids))
    return combine(figures.get(indicator.pk, []), indicator.kind, territory_ids)


def progress(plan: ServicePlan, year: int, territory_ids=None) -> Progress:
    """Every stake, axis, objective and indicator of `plan` with its figures for `year`."""
    stakes = list(plan.stakes.prefetch_related("axes"))
    objectives = list(Objective.objects.filter(axis__stake__plan=plan))
    plan_indicators = list(PlanIndicator.objects.filter(axis__stake__plan=plan))
    in_plan = Q(indicator__axis__stake__plan=plan)
    targets = _rows_by_indicator(IndicatorTarget, year, in_plan)
    figures = _rows_by_indicator(IndicatorFigure, year, in_plan)
    actions: dict[int, list] = {}
    for action in CorrectiveAction.objects.filter(
        objective__axis__stake__plan=plan, decided_on__year=year
    ):
        actions.setdefault(action.objective_id, []).append(action)

    period = year_period(year)
    lines: dict[int, IndicatorLine] = {}
    with shared_figures():
        for indicator in plan_indicators:
            value = _value(indicator, figures, period, territory_ids)
            target = combine(targets.get(indicator.pk, []), indicator.kind, territory_ids)
            lines[indicator.pk] = IndicatorLine(
                indicator, value, target, percent(value, target), status(value, target)
            )

    by_objective: dict[int, list[IndicatorLine]] = {}
    loose: dict[int, list[IndicatorLine]] = {}
    for indicator in plan_indicators:
        line = lines[indicator.pk]
        if indicator.objective_id:
            by_objective.setdefault(indicator.objective_id, []).append(line)
        else:
            loose.setdefault(indicator.axis_id, []).append(line)
    objective_lines: dict[int, list[ObjectiveLine]] = {}
    for objective in objectives:
        measured = by_objective.get(objective.pk, [])
        objective_lines.setdefault(objective.axis_id, []).append(
            ObjectiveLine(
                objective,
                measured,
                objective_status([line.status for line in measured]),
                actions.get(objective.pk, []),
            )
        )
    stake_lines = [
        StakeLine(
            stake,
            [
                AxisLine(axis, objective_lines.get(axis.pk, []), loose.get(axis.pk, []))
                for axis in stake.axes.all()
            ],
        )
        for stake in stakes
    ]
    every = [o for axis_objectives in objective_lines.values() for o in axis_objectives]
    result = Progress(
        plan,
        year,
        stake_lines,
        objectives_reached=sum(o.status == Status.REACHED for o in every),
        objectives_judged=sum(o.status != Status.NO_TARGET for o in every),
        objectives_total=len(every),
    )
    # "Objectives reached" reads the plan itself: known only now. Its status feeds no
    # objective's (the demo ties it to none), or it would be its own input.
    for line in lines.values():
        if line.indicator.computed_key in SELF_REFERENCING:
            line.value = result.rate
            line.percent = percent(line.value, line.target)
            line.status = status(line.value, line.target)
    return result


# -- figures of the plan itself, offered to the indicators registry -----------------------------


def _plans_in(period: Period):
    return ServicePlan.objects.filter(
        start_year__lte=period.end.year, end_year__gte=period.start.year
    )


def corrective_actions(period: Period, territory_ids=None) -> int | None:
    """Corrective actions decided in the period. They belong to the agency, not to a
    territory: asked for some territories only, there is no figure."""
    if territory_ids is not None:
        return None
    return CorrectiveAction.objects.filter(
        decided_on__gte=period.start, decided_on__lte=period.end
    ).count()


def plan_indicators(period: Period, territory_ids=None) -> int | None:
    """Result indicators identified in the plans covering the period (agency figure)."""
    if territory_ids is not None:
        return None
    return PlanIndicator.objects.filter(axis__stake__plan__in=_plans_in(period)).count()


def objectives_reached_rate(period: Period, territory_ids=None) -> int | None:
    """Share (percent) of the operational objectives with a target that are reached, for a
    calendar year; no figure for another period (targets are yearly)."""
    year = calendar_year(period)
    if year is None:
        return None
    plan = _plans_in(period).first()
    if plan is None:
        return None
    return progress(plan, year, territory_ids).rate
