"""The managers' dashboard: every registered indicator for a period beside the previous one,
for the territories the user may see (or one of them), with charts and their data tables, and
the same figures as CSV or XLSX.

The number of queries depends on the number of indicators, never on the amount of data: each
indicator is one or two aggregations.
"""

import datetime as dt
from dataclasses import dataclass, field

from django import forms
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from community import exports, permissions
from community.models import Residence, Territory
from community.plan import rules as plan_rules
from community.registries import Indicator, Period, indicators, is_detail, shared_figures


class PeriodForm(forms.Form):
    """Which period and where. Read from the query string; every field has a default."""

    KINDS = [
        ("year", gettext_lazy("Année")),
        ("quarter", gettext_lazy("Trimestre")),
        ("custom", gettext_lazy("Dates choisies")),
    ]
    period = forms.ChoiceField(label=gettext_lazy("Période"), choices=KINDS, required=False)
    year = forms.IntegerField(
        label=gettext_lazy("Année"), min_value=2000, max_value=2100, required=False
    )
    quarter = forms.TypedChoiceField(
        label=gettext_lazy("Trimestre"),
        choices=[(q, f"T{q}") for q in range(1, 5)],
        coerce=int,
        required=False,
    )
    start = forms.DateField(
        label=gettext_lazy("Du"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label=gettext_lazy("Au"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    territory = forms.ModelChoiceField(
        label=gettext_lazy("Territoire"),
        queryset=Territory.objects.all(),
        required=False,
        empty_label=gettext_lazy("Tous mes territoires"),
    )
    residence = forms.ModelChoiceField(
        label=gettext_lazy("Résidence"),
        queryset=Residence.objects.all(),
        required=False,
        empty_label=gettext_lazy("Toutes"),
    )

    def __init__(self, data, *, user):
        super().__init__(data)
        self.user = user
        self.fields["territory"].queryset = permissions.visible_territories(user)
        self.fields["residence"].queryset = permissions.restrict_to_visible(
            Residence.objects.select_related("territory"), user
        )

    def clean(self):
        data = super().clean()
        today = timezone.localdate()
        kind = data.get("period") or "year"
        data["period"] = kind
        year = data.get("year") or today.year
        data["year"] = year
        if kind == "custom":
            start, end = data.get("start"), data.get("end")
            if not start or not end:
                raise forms.ValidationError(_("Indiquez la date de début et la date de fin."))
            if end < start:
                raise forms.ValidationError(
                    _("La période se termine avant de commencer : vérifiez les dates.")
                )
            if (end - start).days > 3660:
                raise forms.ValidationError(_("Choisissez une période de dix ans au plus."))
        residence = data.get("residence")
        territory = data.get("territory")
        if residence and territory and residence.territory_id != territory.pk:
            self.add_error("residence", _("Cette résidence n'est pas sur le territoire choisi."))
        return data


def foreign_territory(user, query) -> bool:
    """Whether the query names a territory (or a residence of one) the user may not see."""
    try:
        reject_foreign_territory(user, query)
    except PermissionDenied:
        return True
    return False


def reject_foreign_territory(user, query) -> None:
    """A territory or residence id the user may not see raises PermissionDenied."""
    for name in ("territory", "residence"):
        value = query.get(name)
        if not value:
            continue
        try:
            pk = int(value)
        except ValueError:
            continue
        if name == "territory":
            if Territory.objects.filter(pk=pk).exists() and not permissions.can_see_territory(
                user, pk
            ):
                raise PermissionDenied
        else:
            territory_id = (
                Residence.objects.filter(pk=pk).values_list("territory_id", flat=True).first()
            )
            if territory_id and not permissions.can_see_territory(user, territory_id):
                raise PermissionDenied


def periods(data: dict) -> tuple[Period, Period]:
    """The chosen period and the one just before it, of the same kind."""
    kind, year = data["period"], data["year"]
    if kind == "quarter":
        quarter = data.get("quarter") or ((timezone.localdate().month - 1) // 3 + 1)
        start = dt.date(year, 3 * quarter - 2, 1)
        end = (dt.date(year + (quarter == 4), (3 * quarter) % 12 + 1, 1)) - dt.timedelta(days=1)
        previous_start = (
            dt.date(year - 1, 10, 1) if quarter == 1 else dt.date(year, 3 * quarter - 5, 1)
        )
        return Period(start, end), Period(previous_start, start - dt.timedelta(days=1))
    if kind == "custom":
        start, end = data["start"], data["end"]
        length = end - start
        previous_end = start - dt.timedelta(days=1)
        return Period(start, end), Period(previous_end - length, previous_end)
    return (
        Period(dt.date(year, 1, 1), dt.date(year, 12, 31)),
        Period(dt.date(year - 1, 1, 1), dt.date(year - 1, 12, 31)),
    )


def scope(user, data: dict) -> tuple[list[int] | None, list[int] | None]:
    """(territory ids, residence ids) the figures are computed over; None means all."""
    residence = data.get("residence")
    territory = data.get("territory")
    if territory is not None:
        territory_ids = [territory.pk]
    else:
        visible = permissions.visible_territory_ids(user)
        territory_ids = None if visible is None else sorted(visible)
    return territory_ids, ([residence.pk] if residence else None)


# -- figures ------------------------------------------------------------------------------------


@dataclass
class Row:
    label: str
    value: object
    previous: object
    definition: str = ""
    key: str = ""
    details: list = field(default_factory=list)  # [(label, value, previous)] for breakdowns
    target: object = None  # the service plan's target for the period, when it is a year

    @property
    def change(self):
        return _change(self.value, self.previous)

    @property
    def percent(self) -> int | None:
        return plan_rules.percent(self.value, self.target)

    @property
    def change_percent(self) -> int | None:
        return change_percent(self.value, self.previous)


def _change(value, previous):
    if not isinstance(value, int | float) or not isinstance(previous, int | float):
        return None
    return value - previous


def change_percent(value, previous) -> int | None:
    """The change as a rounded percentage of the previous figure; None when there is no
    previous figure to compare with (not tracked, or 0)."""
    delta = _change(value, previous)
    if delta is None or not previous:
        return None
    return round(delta * 100 / previous)


def _breakdown_total(values: dict | None):
    """A breakdown's total: its main labels only (a "dont" line is already in its type)."""
    if values is None:
        return None
    return sum(v for k, v in values.items() if isinstance(v, int | float) and not is_detail(k))


@dataclass
class Section:
    title: str
    rows: list[Row]


def _ordered() -> list[Indicator]:
    return indicators.ordered()


def figures(period, previous, territory_ids, residence_ids=None) -> list[Section]:
    """Every indicator for the period and the one before; beside each, the service plan's
    target when the period is a calendar year (targets are yearly, and not per residence)."""
    with shared_figures():
        sections = _figures(period, previous, territory_ids, residence_ids)
    year = plan_rules.calendar_year(period)
    if year is not None and residence_ids is None:
        targets = plan_rules.targets_by_key(year, territory_ids)
        for section in sections:
            for row in section.rows:
                row.target = targets.get(row.key)
    return sections


def figures_and_charts(period, previous, territory_ids, residence_ids=None, *, with_charts=True):
    """The figures, and the charts (none for a residence: they are by territory and month),
    computed together: the charts read the aggregations the figures made (participations by
    territory and by month come with the participations)."""
    with shared_figures():
        sections = figures(period, previous, territory_ids, residence_ids)
        if not with_charts or residence_ids is not None:
            return sections, None
        return sections, charts(period, territory_ids)


def _figures(period, previous, territory_ids, residence_ids=None) -> list[Section]:
    sections: dict[str, Section] = {}
    for indicator in _ordered():
        value = indicators.compute(indicator.key, period, territory_ids, residence_ids)
        before = indicators.compute(indicator.key, previous, territory_ids, residence_ids)
        row = Row(str(indicator.label), value, before, str(indicator.definition), indicator.key)
        if isinstance(value, dict) or isinstance(before, dict):
            previous_values = before if isinstance(before, dict) else {}
            row.details = [
                (
                    str(k),
                    v,
                    previous_values.get(k) if before is not None else None,
                    _change(v, previous_values.get(k)),
                )
                for k, v in (value or {}).items()
            ]
            row.value = _breakdown_total(value)
            row.previous = _breakdown_total(before)
        title = str(indicator.section) or _("Autres")
        sections.setdefault(title, Section(title, [])).rows.append(row)
    return list(sections.values())


# -- charts: inline SVG computed here, drawn by the template, each with its data table ----------

CHART_WIDTH, BAR_HEIGHT, CHART_LEFT = 640, 28, 110


@dataclass
class Chart:
    key: str
    title: str
    kind: str  # "bars" or "line"
    points: list  # [(label, value, x, y, width)]
    width: int = CHART_WIDTH
    height: int = 200
    max_value: int = 0
    polyline: str = ""


def _bars(key, title, values: list[tuple[str, int]]) -> Chart:
    top = max([v for _, v in values] + [1])
    usable = CHART_WIDTH - CHART_LEFT - 60
    points = [
        (label, value, CHART_LEFT, 10 + i * (BAR_HEIGHT + 8), round(usable * value / top))
        for i, (label, value) in enumerate(values)
    ]
    return Chart(
        key, title, "bars", points, height=20 + len(values) * (BAR_HEIGHT + 8), max_value=top
    )


def _line(key, title, values: list[tuple[str, int]]) -> Chart:
    top = max([v for _, v in values] + [1])
    height, left, bottom = 220, 50, 180
    step = (CHART_WIDTH - left - 20) / max(len(values) - 1, 1)
    points = [
        (label, value, round(left + i * step), round(bottom - 160 * value / top), 0)
        for i, (label, value) in enumerate(values)
    ]
    polyline = " ".join(f"{x},{y}" for _, _, x, y, _ in points)
    return Chart(key, title, "line", points, height=height, max_value=top, polyline=polyline)


def month_label(month: dt.date) -> str:
    """ "janv. 2026", "juin 2026", "juil. 2026", "août 2026": the press abbreviations, which
    never read two months alike (Django's "M" gives "Jui" for both June and July)."""
    return date_format(month, "N Y")


def months(period: Period) -> list[dt.date]:
    first = period.start.replace(day=1)
    result = []
    while first <= period.end and len(result) < 121:
        result.append(first)
        first = (first + dt.timedelta(days=32)).replace(day=1)
    return result


def charts(period, territory_ids) -> list[Chart]:
    territories = list(
        Territory.objects.filter(pk__in=territory_ids)
        if territory_ids is not None
        else Territory.objects.all()
    )
    result = []
    for indicator in _ordered():
        if indicator.by_territory and len(territories) > 1:
            values = indicator.by_territory(period, territory_ids)
            result.append(
                _bars(
                    f"{indicator.key}-territoires",
                    _("%(label)s par territoire") % {"label": indicator.label},
                    [(t.name, values.get(t.pk, 0)) for t in territories],
                )
            )
        if indicator.by_month:
            values = indicator.by_month(period, territory_ids)
            result.append(
                _line(
                    f"{indicator.key}-mois",
                    _("%(label)s par mois") % {"label": indicator.label},
                    [(month_label(m), values.get(m, 0)) for m in months(period)],
                )
            )
    return result


# -- exports ------------------------------------------------------------------------------------


def export_rows(sections, period, previous) -> tuple[list, list[list]]:
    header = [
        _("Section"),
        _("Indicateur"),
        _("Détail"),
        _("Du %(start)s au %(end)s") % {"start": period.start, "end": period.end},
        _("Du %(start)s au %(end)s") % {"start": previous.start, "end": previous.end},
        _("Cible"),
        _("% de la cible"),
    ]
    rows = []
    for section in sections:
        for row in section.rows:
            rows.append(
                [section.title, row.label, "", row.value, row.previous, row.target, row.percent]
            )
            for label, value, before, _delta in row.details:
                rows.append([section.title, row.label, label, value, before, None, None])
    return header, [exports.clean_row(row) for row in rows]
