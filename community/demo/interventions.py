"""Demo field log: the 2014-2016 figures of the service plan's evaluation annex entered as
interventions (so the 2015 yearly report reproduces the annex), and three recent years of
generated activity across the four territories. Idempotent: each year is written once."""

import datetime as dt
import random

from django.db import transaction

from community.interventions.kinds import create_default_kinds
from community.models import Intervention, InterventionKind, Territory

TERRITORY_NAMES = ("Lyon 7", "Lyon 8", "Lyon 9", "EMH")
EVERY = dict.fromkeys(TERRITORY_NAMES)  # split evenly over the four territories

# code -> {year: count or {territory: count}}; conflict-management details carry EMH's share.
ANNEX = {
    "rappel-regle": {2014: 978, 2015: 1391, 2016: 588},
    "sensibilisation": {
        2014: {"EMH": 2, "Lyon 7": 7, "Lyon 8": 10, "Lyon 9": 1},
        2015: {"EMH": 12, "Lyon 7": 17, "Lyon 8": 12, "Lyon 9": 5},
        2016: {"EMH": 5, "Lyon 7": 4, "Lyon 8": 9, "Lyon 9": 9},
    },
    "concertation": {2014: 237, 2015: 257, 2016: 187},
    "fiche-liaison": {
        2014: {"EMH": 30, "Lyon 7": 19, "Lyon 8": 13, "Lyon 9": 0},
        2015: {"EMH": 87, "Lyon 7": 13, "Lyon 8": 10, "Lyon 9": 17},
        2016: {"EMH": 14, "Lyon 7": 8, "Lyon 8": 7, "Lyon 9": 14},
    },
    "mise-en-relation": {2014: 707, 2015: 1070, 2016: 941},
    "facilitation-projet": {2014: 71, 2015: 154, 2016: 154},
    "aide-physique": {2014: 283, 2015: 121, 2016: 145},
    "aide-morale": {2014: 662, 2015: 588, 2016: 433},
    "aide-administrative": {2014: 76, 2015: 121, 2016: 136},
    "ecoute-active": {2014: 14578, 2015: 8320, 2016: 2470},
    "transmission-bailleur": {2014: 266, 2015: 204, 2016: 338},
    "securisation": {2014: 53, 2015: 13, 2016: 21},
    "veille-technique": {2014: 66, 2015: 15, 2016: 188},
}
# Conflict management: (total, EMH total, round tables, EMH round tables, real time, deferred).
CONFLICTS = {
    2014: (996, 446, 19, 9, 128, 154),
    2015: (1838, 703, 31, 15, 137, 274),
    2016: (786, 318, 20, 9, 74, 147),
}
# People reached: (beneficiaries, women, men) for putting people in touch; beneficiaries of
# project facilitation.
PEOPLE = {
    "mise-en-relation": {2014: (960, 400, 560), 2015: (1047, 472, 575), 2016: (1166, 640, 526)},
    "facilitation-projet": {
        2014: (166, None, None),
        2015: (837, None, None),
        2016: (1593, None, None),
    },
}


def split(total: int, parts: int) -> list[int]:
    base, extra = divmod(total, parts)
    return [base + (1 if i < extra else 0) for i in range(parts)]


def _by_territory(value) -> dict[str, int]:
    if isinstance(value, dict):
        return value
    return dict(zip(TERRITORY_NAMES, split(value, len(TERRITORY_NAMES)), strict=True))


def _conflict_counts(year) -> dict[str, dict[str, int]]:
    total, emh, round_tables, emh_round_tables, real_time, deferred = CONFLICTS[year]
    others = TERRITORY_NAMES[:3]

    def with_emh(n, emh_n):
        return {"EMH": emh_n, **dict(zip(others, split(n - emh_n, 3), strict=True))}

    details = {
        "table-ronde": with_emh(round_tables, emh_round_tables),
        "conflit-temps-reel": with_emh(real_time, round(real_time * emh / total)),
        "conflit-temps-differe": with_emh(deferred, round(deferred * emh / total)),
    }
    detail_emh = sum(d["EMH"] for d in details.values())
    detail_total = round_tables + real_time + deferred
    details["gestion-conflits"] = with_emh(total - detail_total, emh - detail_emh)
    return details


def _people(code, year, count) -> list[tuple[int, int | None, int | None]]:
    """(people, women, men) for each of `count` interventions, adding up to the annex."""
    if code not in PEOPLE:
        return [(1, None, None)] * count
    people, women, men = PEOPLE[code][year]
    result = []
    for n in split(people, count):
        if women is None:
            result.append((n, None, None))
            continue
        w = min(n, women)
        women -= w
        result.append((n, w, n - w))
    return result


def _dates(year: int, count: int, rng: random.Random) -> list[dt.date]:
    start = dt.date(year, 1, 1)
    days = (dt.date(year, 12, 31) - start).days + 1
    return [start + dt.timedelta(days=rng.randrange(days)) for _ in range(count)]


@transaction.atomic
def seed_annex(years=(2014, 2015, 2016)) -> int:
    """The annex's figures as interventions; returns how many rows were written now."""
    kinds = create_default_kinds(InterventionKind)
    territories = {t.name: t for t in Territory.objects.filter(name__in=TERRITORY_NAMES)}
    if len(territories) < len(TERRITORY_NAMES):
        return 0
    written = 0
    for year in years:
        if Intervention.objects.filter(client_key__startswith=f"annex-{year}-").exists():
            continue
        rng = random.Random(year)
        plan = {code: _by_territory(values[year]) for code, values in ANNEX.items()}
        plan.update(_conflict_counts(year))
        rows = []
        for code, per_territory in plan.items():
            count = sum(per_territory.values())
            people = _people(code, year, count)
            dates = _dates(year, count, rng)
            i = 0
            for name, n in per_territory.items():
                for _ in range(n):
                    p, women, men = people[i]
                    rows.append(
                        Intervention(
                            kind=kinds[code],
                            date=dates[i],
                            territory=territories[name],
                            people=p,
                            women=women,
                            men=men,
                            client_key=f"annex-{year}-{code}-{i}",
                        )
                    )
                    i += 1
        Intervention.objects.bulk_create(rows, batch_size=2000)
        written += len(rows)
    return written


# Recent years: about this many interventions a month per territory, by kind.
RECENT_MIX = {
    "gestion-conflits": 6,
    "conflit-temps-reel": 2,
    "table-ronde": 1,
    "rappel-regle": 6,
    "mise-en-relation": 5,
    "aide-administrative": 2,
    "ecoute-active": 12,
    "transmission-bailleur": 3,
}


@transaction.atomic
def seed_recent(today: dt.date | None = None, years: int = 3) -> int:
    """Generated activity for the current year and the two before it, up to today."""
    today = today or dt.date.today()
    kinds = create_default_kinds(InterventionKind)
    territories = list(Territory.objects.filter(name__in=TERRITORY_NAMES))
    written = 0
    for year in range(today.year - years + 1, today.year + 1):
        if Intervention.objects.filter(client_key__startswith=f"demo-{year}-").exists():
            continue
        rng = random.Random(f"demo-{year}")
        rows = []
        for month in range(1, 13):
            first = dt.date(year, month, 1)
            if first > today:
                break
            last = (first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
            last = min(last, today)
            for territory in territories:
                for code, per_month in RECENT_MIX.items():
                    for _ in range(rng.randint(per_month // 2, per_month + per_month // 2)):
                        people = rng.choice((1, 1, 1, 2, 2, 3, 4))
                        women = rng.randint(0, people)
                        rows.append(
                            Intervention(
                                kind=kinds[code],
                                date=first
                                + dt.timedelta(days=rng.randrange((last - first).days + 1)),
                                territory=territory,
                                people=people,
                                women=women,
                                men=people - women,
                                client_key=f"demo-{year}-{len(rows)}",
                            )
                        )
        Intervention.objects.bulk_create(rows, batch_size=2000)
        written += len(rows)
    return written


def seed() -> int:
    return seed_annex() + seed_recent()
