"""A satisfaction survey's answer: one per registration online, or typed in from paper.
The rules are in events.attendance.surveys."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class SurveyAnswer(models.Model):
    class Source(models.TextChoices):
        ONLINE = "online", _("En ligne")
        PAPER = "paper", _("Sur papier, saisi par un médiateur")

    event = models.ForeignKey(
        "events.Event",
        verbose_name=_("événement"),
        on_delete=models.CASCADE,
        related_name="survey_answers",
    )
    registration = models.OneToOneField(
        "events.Registration",
        verbose_name=_("inscription"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="survey_answer",
    )
    rating = models.PositiveSmallIntegerField(_("note"))
    comment = models.TextField(_("commentaire"), blank=True, max_length=2000)
    source = models.CharField(
        _("origine"), max_length=10, choices=Source.choices, default=Source.ONLINE
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("saisi par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("répondu le"), default=timezone.now)

    class Meta:
        verbose_name = _("réponse au questionnaire de satisfaction")
        verbose_name_plural = _("réponses aux questionnaires de satisfaction")
        ordering = ["-created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__gte=1) & Q(rating__lte=5), name="surveyanswer_rating_1_to_5"
            )
        ]

    def __str__(self):
        return f"{self.event}: {self.rating}/5"
