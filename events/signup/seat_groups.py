"""Intergenerational workshops: seats reserved per group of age bands ("8 seats for 0-14 and
15-24, 8 for 60+"), each group with its own waitlist. The counting rules live in
events.signup.rules, under the event's lock. Imported by events.models."""

from django.db.models import Count

from events.models import SeatGroup
from events.models.bookings import Participant, Registration


def group_of(groups: list[SeatGroup], age_band: str) -> SeatGroup | None:
    return next((g for g in groups if age_band in g.age_bands), None)


def needs(groups: list[SeatGroup], age_bands: list[str]) -> dict[int, int]:
    """Seats a party needs in each group, by group id (a band in no group is keyed -1)."""
    result: dict[int, int] = {}
    for band in age_bands:
        group = group_of(groups, band)
        key = group.pk if group else -1
        result[key] = result.get(key, 0) + 1
    return result


def taken(event_id: int, groups: list[SeatGroup]) -> dict[int, int]:
    """Confirmed seats per group, counted in the database from the participants' age bands."""
    rows = (
        Participant.objects.filter(
            registration__event_id=event_id,
            registration__status=Registration.Status.CONFIRMED,
        )
        .values("age_band")
        .annotate(n=Count("pk"))
    )
    result = {g.pk: 0 for g in groups}
    for row in rows:
        group = group_of(groups, row["age_band"])
        if group is not None:
            result[group.pk] += row["n"]
    return result


def left(event_id: int, groups: list[SeatGroup]) -> dict[int, int]:
    counts = taken(event_id, groups)
    return {g.pk: g.capacity - counts[g.pk] for g in groups}


def fits(need: dict[int, int], free: dict[int, int]) -> bool:
    return all(free.get(key, 0) >= count for key, count in need.items())
