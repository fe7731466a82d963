"""Registries that other apps fill in their AppConfig.ready(), so `community` imports none of them.

- `personal_data`: for each app, how to export and erase what it holds about a `Person`.
- `indicators`: the outcome figures of the managers' dashboard, each a function computed by
  aggregation in the database over a period, optionally restricted to territories.
"""

import datetime
import logging
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils.translation import ngettext

from dateutil.relativedelta import relativedelta


@dataclass(frozen=True)
class PersonalDataHandler:
    key: str
    export: Callable[[Any], Any]
    erase: Callable[[Any], None]


@dataclass
class PersonalDataRegistry:
    handlers: dict[str, PersonalDataHandler] = field(default_factory=dict)

    def register(self, key: str, *, export: Callable, erase: Callable) -> None:
        if key in self.handlers:
            raise ValueError(f"A personal-data handler named {key!r} is already registered.")
        self.handlers[key] = PersonalDataHandler(key, export, erase)

    def export(self, person) -> dict[str, Any]:
        """Everything every app holds about `person`, keyed by handler."""
        return {key: handler.export(person) for key, handler in sorted(self.handlers.items())}

    def erase(self, person) -> None:
        for handler in self.handlers.values():
            handler.erase(person)


@dataclass(frozen=True)
class Period:
    start: datetime.date
    end: datetime.date  # inclusive

    def __post_init__(self):
        if self.end < self.start:
            raise ValueError("A period cannot end before it starts.")


@dataclass(frozen=True)
class Indicator:
    """One outcome figure. `compute(period, territory_ids)` returns a number, or a dict of
    numbers keyed by label (a breakdown). Optional, all backward compatible:

    - `accepts_residence`: compute also takes `residence_ids=` (else it has no residence view);
    - `by_territory(period, territory_ids)` -> {territory_id: number} and
      `by_month(period, territory_ids)` -> {first day of month: number}: the dashboard's charts;
    - `order`: position in its section;
    - `tracked_since(territory_ids)` -> the first date the figure's records exist (None: none
      yet): a period that ends before it reads "non suivi" (None), not a 0 that would say
      "nothing was done".
    """

    key: str
    label: str
    definition: str
    compute: Callable[..., int | float | dict]
    section: str = ""
    accepts_residence: bool = False
    by_territory: Callable[[Period, Iterable[int] | None], dict] | None = None
    by_month: Callable[[Period, Iterable[int] | None], dict] | None = None
    order: int = 100
    tracked_since: Callable[[Iterable[int] | None], datetime.date | None] | None = None


# Labels of a breakdown that detail another of its labels ("— dont Table ronde") start so;
# a breakdown's total counts only the others.
DETAIL_PREFIX = "— "


def is_detail(label) -> bool:
    return str(label).startswith(DETAIL_PREFIX)


@dataclass
class IndicatorRegistry:
    items: dict[str, Indicator] = field(default_factory=dict)
    # Where each section stands on the dashboard and in the report (the order a manager reads
    # them in); a section no app placed comes last, alphabetically.
    section_orders: dict[str, int] = field(default_factory=dict)

    def register(self, indicator: Indicator) -> None:
        if indicator.key in self.items:
            raise ValueError(f"An indicator named {indicator.key!r} is already registered.")
        self.items[indicator.key] = indicator

    def register_section(self, title, order: int) -> None:
        self.section_orders[str(title)] = order

    def __iter__(self):
        return iter(self.items.values())

    def ordered(self) -> list[Indicator]:
        """Every indicator by section (in the registered order), then by its order."""

        def position(indicator):
            section = str(indicator.section)
            return (self.section_orders.get(section, 1000), section, indicator.order)

        return sorted(self.items.values(), key=lambda i: (*position(i), str(i.label)))

    def compute(
        self,
        key: str,
        period: Period,
        territory_ids: Iterable[int] | None = None,
        residence_ids: Iterable[int] | None = None,
    ):
        """The figure; None when a residence is asked of an indicator that has no residence,
        or when the period ends before the figure's records begin (not tracked yet)."""
        indicator = self.items[key]
        territory_ids = None if territory_ids is None else list(territory_ids)
        residence_ids = None if residence_ids is None else list(residence_ids)
        # Inside shared_figures() a figure asked twice (the dashboard, then the plan's progress
        # for the share of objectives reached) is computed once.
        return shared(
            ("indicator", key, period, _ids(territory_ids), _ids(residence_ids)),
            lambda: self._compute(indicator, period, territory_ids, residence_ids),
        )

    @staticmethod
    def _compute(indicator, period, territory_ids, residence_ids):
        if indicator.tracked_since is not None:
            # Keyed by the function: the indicators resting on the same records share it.
            first = shared(
                ("tracked_since", indicator.tracked_since, _ids(territory_ids)),
                lambda: indicator.tracked_since(territory_ids),
            )
            if first is None or period.end < first:
                return None
        if residence_ids is not None:
            if not indicator.accepts_residence:
                return None
            return indicator.compute(period, territory_ids, residence_ids=residence_ids)
        return indicator.compute(period, territory_ids)


def _ids(ids) -> tuple | None:
    return None if ids is None else tuple(sorted(ids))


personal_data = PersonalDataRegistry()
indicators = IndicatorRegistry()

_memo: ContextVar[dict | None] = ContextVar("indicator_memo", default=None)


@contextmanager
def shared_figures():
    """While the dashboard (or a report) computes many indicators at once, indicators that rest
    on the same aggregation (e.g. participants by age band, and so participations and young
    participants) compute it once: see `shared()`. Outside this block nothing is kept."""
    if _memo.get() is not None:  # nested (the plan's progress inside the dashboard): share
        yield
        return
    token = _memo.set({})
    try:
        yield
    finally:
        _memo.reset(token)


def shared(key: tuple, compute: Callable[[], Any]) -> Any:
    """`compute()`, or its result already computed for `key` inside `shared_figures()`."""
    memo = _memo.get()
    if memo is None:
        return compute()
    if key not in memo:
        memo[key] = compute()
    return memo[key]


@dataclass(frozen=True)
class Meeting:
    """A working group's meeting, as the events app describes it to the group's public page."""

    title: str
    start: datetime.datetime
    url: str = ""
    venue: str = ""


@dataclass
class WorkingGroupMeetings:
    """The events app registers one function answering "the next meetings of these groups", so
    a working group's page lists them while `community` imports nothing from `events`.

    The function takes a list of working-group ids and a limit, and returns
    {group_id: [Meeting, ...]} for the upcoming, published meetings only."""

    provider: Callable[[list[int], int], dict[int, list[Meeting]]] | None = None

    def register(self, provider: Callable[[list[int], int], dict[int, list[Meeting]]]) -> None:
        self.provider = provider

    def upcoming(self, group_ids: list[int], limit: int = 3) -> dict[int, list[Meeting]]:
        if self.provider is None:
            return {}
        return self.provider(list(group_ids), limit)


working_group_meetings = WorkingGroupMeetings()


@dataclass(frozen=True)
class RetentionRule:
    """One kind of personal data and how long it is kept.

    - `key`: "app.what", unique;
    - `label`: what is removed, in French (shown to managers and on the privacy page);
    - `setting`: the name of the Django setting holding the duration, read at every run, so the
      privacy page and the behaviour cannot disagree; `unit` is "months" or "days";
    - `preview(now)`: how many records the next run would remove or anonymise (no write);
    - `run(now)`: remove or anonymise them, return how many; safe to run twice.
    """

    key: str
    label: str
    setting: str
    preview: Callable[[datetime.datetime], int]
    run: Callable[[datetime.datetime], int]
    unit: str = "months"
    description: str = ""

    @property
    def duration(self) -> int:
        return int(getattr(settings, self.setting))

    def cutoff(self, now: datetime.datetime) -> datetime.datetime:
        """`now` minus the rule's duration: what is older goes."""
        if self.unit == "days":
            return now - datetime.timedelta(days=self.duration)
        return now - relativedelta(months=self.duration)

    @property
    def duration_label(self) -> str:
        if self.unit == "days":
            return ngettext("%(n)s jour", "%(n)s jours", self.duration) % {"n": self.duration}
        return ngettext("%(n)s mois", "%(n)s mois", self.duration) % {"n": self.duration}


@dataclass
class RetentionRegistry:
    """The retention rules every app registers in its AppConfig.ready(); the daily beat task
    `community.run_retention` runs them all, the managers' admin page previews them and the
    privacy page states their durations."""

    rules: dict[str, RetentionRule] = field(default_factory=dict)
    holds: dict[str, Callable[[datetime.datetime], Any]] = field(default_factory=dict)

    def register(self, rule: RetentionRule) -> None:
        if rule.key in self.rules:
            raise ValueError(f"A retention rule named {rule.key!r} is already registered.")
        if rule.unit not in ("months", "days"):
            raise ValueError(f"Retention rule {rule.key!r}: unit must be 'months' or 'days'.")
        self.rules[rule.key] = rule

    def __iter__(self):
        return iter(self.rules.values())

    def hold(self, key: str, persons: Callable[[datetime.datetime], Any]) -> None:
        """Register a reason to keep a Person although their registrations are past retention:
        `persons(now)` returns a queryset (or list) of the ids of persons still in use (an
        account, a reference tenancy, a newsletter subscription, a followed series...)."""
        if key in self.holds:
            raise ValueError(f"A retention hold named {key!r} is already registered.")
        self.holds[key] = persons

    def held_person_ids(self, now: datetime.datetime) -> set[int]:
        held: set[int] = set()
        for persons in self.holds.values():
            held.update(persons(now))
        return held

    def get(self, key: str) -> RetentionRule:
        return self.rules[key]

    def preview(self, now: datetime.datetime) -> dict[str, int]:
        return {rule.key: rule.preview(now) for rule in self}

    def run(self, now: datetime.datetime) -> dict[str, int | None]:
        """Run every rule, each in its own transaction (one failing rule does not undo the
        others' work; the next day's run retries it)."""
        done: dict[str, int | None] = {}
        for rule in self:
            try:
                with transaction.atomic():
                    done[rule.key] = rule.run(now)
            except Exception:
                logging.getLogger("community.retention").exception(
                    "Retention rule %s failed", rule.key
                )
                done[rule.key] = None
        return done


retention = RetentionRegistry()
