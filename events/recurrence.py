"""Recurrence of a Café Médiation series: which days, at which local times.

Dates come from dateutil's rrule on calendar days (no time zone involved), then each day gets
its wall-clock start and end in Europe/Paris (settings.TIME_ZONE) through zoneinfo: a session at
14:00 stays at 14:00 local on both sides of the clock changes, its UTC offset moving instead.
"""

import datetime as dt
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.conf import settings

from dateutil import rrule

WEEKLY = "weekly"
MONTHLY = "monthly"

_WEEKDAYS = [rrule.MO, rrule.TU, rrule.WE, rrule.TH, rrule.FR, rrule.SA, rrule.SU]


@dataclass(frozen=True)
class Rule:
    """Every `interval` weeks on `weekday` (0 = Monday), or every `interval` months on the
    `month_week`-th `weekday` (1 to 4, or -1 for the last), from `start` to `until` included;
    minus `excluded`, plus `extra` days."""

    frequency: str
    weekday: int
    start: dt.date
    until: dt.date | None = None
    interval: int = 1
    month_week: int | None = None
    excluded: frozenset[dt.date] = field(default_factory=frozenset)
    extra: frozenset[dt.date] = field(default_factory=frozenset)


def dates(rule: Rule, window_start: dt.date, window_end: dt.date) -> list[dt.date]:
    """The days of `rule` between `window_start` and `window_end` (both included), sorted."""
    last = min(window_end, rule.until) if rule.until else window_end
    found: set[dt.date] = set()
    if last >= window_start and last >= rule.start:
        weekday = _WEEKDAYS[rule.weekday]
        if rule.frequency == MONTHLY:
            byweekday = weekday(rule.month_week or 1)
            freq = rrule.MONTHLY
        else:
            byweekday = weekday
            freq = rrule.WEEKLY
        days = rrule.rrule(
            freq,
            dtstart=dt.datetime.combine(rule.start, dt.time()),
            interval=max(rule.interval, 1),
            byweekday=byweekday,
            until=dt.datetime.combine(last, dt.time()),
        )
        found = {d.date() for d in days if d.date() >= window_start}
    found -= set(rule.excluded)
    found |= {d for d in rule.extra if window_start <= d <= window_end}
    return sorted(found)


def local_span(day: dt.date, start: dt.time, end: dt.time) -> tuple[dt.datetime, dt.datetime]:
    """The aware start and end of a session on `day` at these wall-clock times in Paris."""
    zone = ZoneInfo(settings.TIME_ZONE)
    begins = dt.datetime.combine(day, start, tzinfo=zone)
    ends = dt.datetime.combine(day, end, tzinfo=zone)
    if ends <= begins:  # a session past midnight ends the next day
        ends = dt.datetime.combine(day + dt.timedelta(days=1), end, tzinfo=zone)
    return begins, ends
