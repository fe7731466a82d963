"""The team side of the plan: inter-team meetings, working groups, training and immersions,
logged with their hours and how many took part. No HR file: no names."""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class TeamActivity(models.Model):
    class Kind(models.TextChoices):
        INTER_TEAM_MEETING = "meeting", _("Rencontre inter-équipes")
        WORKING_GROUP = "working_group", _("Groupe de travail interne")
        TRAINING = "training", _("Formation")
        IMMERSION = "immersion", _("Immersion inter-équipes")

    kind = models.CharField(_("type"), max_length=14, choices=Kind.choices)
    date = models.DateField(_("date"), default=timezone.localdate)
    subject = models.CharField(_("objet"), max_length=200, blank=True)
    hours = models.DecimalField(_("durée (heures)"), max_digits=5, decimal_places=1, default=1)
    participants = models.PositiveIntegerField(_("participants"), default=1)

    class Meta:
        verbose_name = _("temps d'équipe")
        verbose_name_plural = _("temps d'équipe")
        ordering = ["-date", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(hours__gt=0), name="team_activity_hours_positive")
        ]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.date:%d/%m/%Y}"
