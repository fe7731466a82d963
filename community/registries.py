"""Registries that other apps fill in their AppConfig.ready(), so `community` imports none of them.

- `personal_data`: for each app, how to export and erase what it holds about a `Person`.
- `indicators`: the outcome figures of the managers' dashboard, each a function computed by
  aggregation in the database over a period, optionally restricted to territories.
"""

import datetime
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any


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
    - `order`: position in its section.
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


@dataclass
class IndicatorRegistry:
    items: dict[str, Indicator] = field(default_factory=dict)

    def register(self, indicator: Indicator) -> None:
        if indicator.key in self.items:
            raise ValueError(f"An indicator named {indicator.key!r} is already registered.")
        self.items[indicator.key] = indicator

    def __iter__(self):
        return iter(self.items.values())

    def compute(
        self,
        key: str,
        period: Period,
        territory_ids: Iterable[int] | None = None,
        residence_ids: Iterable[int] | None = None,
    ):
        """The figure; None when a residence is asked of an indicator that has no residence."""
        indicator = self.items[key]
        if residence_ids is not None:
            if not indicator.accepts_residence:
                return None
            return indicator.compute(period, territory_ids, residence_ids=list(residence_ids))
        return indicator.compute(period, territory_ids)


personal_data = PersonalDataRegistry()
indicators = IndicatorRegistry()

_memo: ContextVar[dict | None] = ContextVar("indicator_memo", default=None)


@contextmanager
def shared_figures():
    """While the dashboard (or a report) computes many indicators at once, indicators that rest
    on the same aggregation (e.g. participants by age band, and so participations and young
    participants) compute it once: see `shared()`. Outside this block nothing is kept."""
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
