"""Intergenerational workshops' seats reserved per group of age bands, each with its own
waitlist. The counting rules are in events.signup.seat_groups, under the event's lock."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
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
