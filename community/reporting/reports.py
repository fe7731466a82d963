"""The yearly report, laid out like the service plan's evaluation annex: per mission, the
interventions of each kind per territory for the year and over three years, the people they
concerned, then the other sections' indicators over three years; under each section, the
comment a manager wrote. Rendered as a print-ready page and as a PDF (reportlab)."""

import datetime as dt
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Sum
from django.db.models.functions import ExtractYear
from django.utils.text import slugify
from django.utils.translation import gettext as _

from community import permissions
from community.models import Intervention, InterventionKind, Mission, ReportComment, Territory
from community.plan import rules as plan_rules
from community.registries import AGENCY_WIDE_LABEL, Period, indicators, shared_figures

INTERVENTION_KEYS = ("community.interventions", "community.interventions_by_kind")
# Missions whose annex table shows a kind's own interventions beside the total with its details
# (technical watch: "Interventions" 66 / 15 / 188, then transmissions and securing).
OWN_COLUMN_MISSIONS = (Mission.TECHNICAL_WATCH,)


@dataclass
class KindLine:
    name: str
    is_detail: bool
    per_territory: list[int]
    total: int
    by_year: list[int]
    people_by_year: list[tuple[int, int, int, int]]  # (year, people, women, men)

    @property
    def has_people(self) -> bool:
        return any(p for _y, p, _w, _m in self.people_by_year)


@dataclass
class ReportSection:
    key: str
    title: str
    kinds: list[KindLine] = field(default_factory=list)
    # [(label, [by year], is_detail, target of the report's year, percent of it)]
    rows: list = field(default_factory=list)
    comment: str = ""

    @property
    def people_lines(self):
        return [line for line in self.kinds if line.has_people]


@dataclass
class Report:
    year: int
    years: list[int]
    territories: list[Territory]
    territory: Territory | None
    sections: list[ReportSection]


def section_key(title) -> str:
    return slugify(str(title))[:40]


def _intervention_counts(years, territory_ids):
    queryset = Intervention.objects.filter(
        date__gte=dt.date(years[0], 1, 1), date__lte=dt.date(years[-1], 12, 31)
    )
    if territory_ids is not None:
        queryset = queryset.filter(territory_id__in=territory_ids)
    rows = (
        queryset.annotate(year=ExtractYear("date"))
        .order_by()
        .values("kind_id", "territory_id", "year")
        .annotate(n=Count("pk"), people=Sum("people"), women=Sum("women"), men=Sum("men"))
    )
    return list(rows)


def build(year: int, territory_ids: list[int] | None, territory: Territory | None) -> Report:
    years = [year - 2, year - 1, year]
    territories = list(
        Territory.objects.filter(pk__in=territory_ids)
        if territory_ids is not None
        else Territory.objects.all()
    )
    kinds = list(InterventionKind.objects.order_by("sort_order", "name"))
    parent_of = {kind.pk: kind.parent_id for kind in kinds}
    # {(kind_id, territory_id, year): [n, people, women, men]}, details added to their parent.
    cells: dict[tuple, list[int]] = {}
    own: dict[tuple, int] = {}  # {(kind_id, territory_id, year): its own interventions}
    for row in _intervention_counts(years, territory_ids):
        values = [row["n"], row["people"] or 0, row["women"] or 0, row["men"] or 0]
        key = (row["kind_id"], row["territory_id"], row["year"])
        own[key] = own.get(key, 0) + row["n"]
        for kind_id in (row["kind_id"], parent_of.get(row["kind_id"])):
            if kind_id is None:
                continue
            cell = cells.setdefault((kind_id, row["territory_id"], row["year"]), [0, 0, 0, 0])
            for i, value in enumerate(values):
                cell[i] += value

    def total(kind_id, year_, index=0, territory_id=None):
        return sum(
            value[index]
            for (k, t, y), value in cells.items()
            if k == kind_id and y == year_ and (territory_id is None or t == territory_id)
        )

    sections = []
    for mission, title in Mission.choices:
        section = ReportSection(mission, str(title))
        for kind in kinds:
            if kind.mission != mission:
                continue
            line = KindLine(
                name=kind.name,
                is_detail=kind.parent_id is not None,
                per_territory=[total(kind.pk, year, territory_id=t.pk) for t in territories],
                total=total(kind.pk, year),
                by_year=[total(kind.pk, y) for y in years],
                people_by_year=[
                    (y, total(kind.pk, y, 1), total(kind.pk, y, 2), total(kind.pk, y, 3))
                    for y in years
                ],
            )
            if kind.active or any(line.by_year):
                section.kinds.append(line)
                if mission in OWN_COLUMN_MISSIONS and kind.pk in parent_of.values():
                    section.kinds.append(_own_line(kind, own, years, year, territories))
        sections.append(section)

    periods = [Period(dt.date(y, 1, 1), dt.date(y, 12, 31)) for y in years]
    others: dict[str, ReportSection] = {}
    targets = plan_rules.targets_by_key(year, territory_ids)
    agency_targets = targets if territory_ids is None else plan_rules.targets_by_key(year, None)
    with shared_figures():
        _other_sections(others, periods, years, territory_ids, (targets, agency_targets))
    sections.extend(others.values())
    return _with_comments(Report(year, years, territories, territory, sections), territory)


def _own_line(kind, own: dict, years, year, territories) -> KindLine:
    """The kind's own interventions, without those of the kinds that detail it."""

    def count(year_, territory_id=None):
        return sum(
            n
            for (k, t, y), n in own.items()
            if k == kind.pk and y == year_ and (territory_id is None or t == territory_id)
        )

    return KindLine(
        name=_("%(kind)s (interventions)") % {"kind": kind.name},
        is_detail=True,
        per_territory=[count(year, t.pk) for t in territories],
        total=count(year),
        by_year=[count(y) for y in years],
        people_by_year=[(y, 0, 0, 0) for y in years],
    )


def _other_sections(others, periods, years, territory_ids, all_targets) -> None:
    targets, agency_targets = all_targets
    for indicator in indicators.ordered():
        if indicator.key in INTERVENTION_KEYS:
            continue
        # A figure of the whole agency has none for some territories: the agency's, said so.
        agency_wide = indicator.agency_wide and territory_ids is not None
        scope = None if agency_wide else territory_ids
        values = [indicators.compute(indicator.key, p, scope) for p in periods]
        title = str(indicator.section) or _("Autres")
        section = others.setdefault(title, ReportSection(section_key(title), title))
        target = agency_targets.get(indicator.key) if agency_wide else targets.get(indicator.key)
        label = str(indicator.label)
        if agency_wide:
            label = f"{label} ({AGENCY_WIDE_LABEL})"
        if any(isinstance(v, dict) for v in values):
            total = None if values[-1] is None else plan_rules.as_number(values[-1])
            section.rows.append(
                (
                    label,
                    [""] * len(years),
                    False,
                    target,
                    plan_rules.percent(total, target),
                )
            )
            labels = dict.fromkeys(label for v in values if v for label in v)
            for label in labels:
                by_year = [None if v is None else v.get(label, 0) for v in values]
                section.rows.append((str(label), by_year, True, None, None))
        else:
            section.rows.append(
                (
                    label,
                    values,
                    False,
                    target,
                    plan_rules.percent(values[-1], target),
                )
            )


def _with_comments(report: Report, territory) -> Report:
    comments = dict(
        ReportComment.objects.filter(year=report.year, territory=territory).values_list(
            "section", "text"
        )
    )
    for section in report.sections:
        section.comment = comments.get(section.key, "")
    return report


def section_keys(year: int, territory_ids) -> set[str]:
    keys = {value for value, _label in Mission.choices}
    keys |= {section_key(str(i.section) or _("Autres")) for i in indicators}
    return keys


def can_comment(user, territory) -> bool:
    return user.has_perm("community.change_reportcomment") and (
        permissions.can_see_territory(user, territory)
    )


@transaction.atomic
def save_comments(user, year: int, territory, texts: dict[str, str]) -> int:
    """A manager saves every section's comment of one year's report at once (one form: text
    typed under one section is never lost by saving another). All or nothing; returns how
    many comments changed."""
    changed = 0
    for section, text in texts.items():
        existing = (
            ReportComment.objects.filter(year=year, territory=territory, section=section)
            .values_list("text", flat=True)
            .first()
        )
        if (existing or "") == text.strip():
            continue
        save_comment(user, year, territory, section, text)
        changed += 1
    return changed


@transaction.atomic
def save_comment(user, year: int, territory, section: str, text: str) -> ReportComment:
    """A manager writes (or rewrites) the comment under one section of one year's report."""
    if not can_comment(user, territory):
        raise PermissionDenied
    if section not in section_keys(year, None):
        raise ValidationError(_("Cette section n'existe pas dans le rapport."))
    if len(text) > 4000:
        raise ValidationError(_("Le commentaire ne peut pas dépasser 4000 caractères."))
    comment, _created = ReportComment.objects.update_or_create(
        year=year,
        territory=territory,
        section=section,
        defaults={"text": text.strip(), "updated_by": user},
    )
    return comment


# -- PDF ----------------------------------------------------------------------------------------


def to_pdf(report: Report, site_name: str = "Vivre Ensemble") -> bytes:
    from community.reporting import pdf  # noqa: PLC0415 -- start-up cost: reportlab loads only when a PDF is drawn

    return pdf.to_pdf(report, site_name)


def export_rows(report: Report) -> tuple[list, list[list]]:
    """The report's figures as rows for CSV/XLSX."""
    header = [
        _("Section"),
        _("Ligne"),
        *[str(y) for y in report.years],
        _("Cible %(year)s") % {"year": report.year},
        _("% de la cible"),
    ]
    rows = []
    for section in report.sections:
        for line in section.kinds:
            rows.append([section.title, line.name, *line.by_year, None, None])
        for label, values, _is_detail, target, share in section.rows:
            rows.append([section.title, label, *values, target, share])
    return header, rows
