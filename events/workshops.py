"""Intergenerational workshops: seats reserved per group of age bands ("8 seats for 0-14 and
15-24, 8 for 60+"), each group with its own waitlist. The counting rules live in
events.signup, under the event's lock. Imported by events.models."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from community.models import AgeBand


class SeatGroup(models.Model):
    event = models.ForeignKey(
        "events.Event",
        verbose_name=_("événement"),
        on_delete=models.CASCADE,
        related_name="seat_groups",
    )
    label = models.CharField(_("nom du groupe"), max_length=100, help_text=_("Ex. : « Jeunes »."))
    age_bands = models.JSONField(_("tranches d'âge"), default=list)
    capacity = models.PositiveIntegerField(_("places réservées"))

    territory_field = "event__territory"  # for community.permissions.restrict_records

    class Meta:
        verbose_name = _("places réservées par âge")
        verbose_name_plural = _("places réservées par âge")
        ordering = ["event", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(capacity__gt=0), name="seatgroup_capacity_positive")
        ]

    def __str__(self):
        return f"{self.label} ({self.capacity})"

    def age_band_labels(self) -> str:
        labels = dict(AgeBand.choices)
        return ", ".join(str(labels[b]) for b in self.age_bands if b in labels)

    def clean(self):
        super().clean()
        bands = list(self.age_bands or [])
        if not bands:
            raise ValidationError({"age_bands": _("Choisissez au moins une tranche d'âge.")})
        unknown = set(bands) - set(AgeBand.values)
        if unknown:
            raise ValidationError({"age_bands": _("Tranche d'âge inconnue.")})
        if self.event_id:
            others = SeatGroup.objects.filter(event_id=self.event_id).exclude(pk=self.pk)
            taken = {band for group in others for band in group.age_bands}
            if taken & set(bands):
                raise ValidationError(
                    {"age_bands": _("Une tranche d'âge ne peut appartenir qu'à un seul groupe.")}
                )


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
    from events.bookings import Participant, Registration

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
