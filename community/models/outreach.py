"""Making the service known: communication actions and their reach, and the knowledge survey
mediators run at the door or at stands (answers only, never who gave them)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from community.models.core import AgeBand, residence_key, territory_key


class CommunicationAction(models.Model):
    class Kind(models.TextChoices):
        DOOR_TO_DOOR = "door", _("Campagne de porte-à-porte")
        LEAFLETS = "leaflets", _("Distribution de dépliants")
        POSTERS = "posters", _("Affichage dans les résidences")
        ARTICLE = "article", _("Article dans le journal d'un partenaire")
        FORUM = "forum", _("Forum ou stand")
        OTHER = "other", _("Autre")

    kind = models.CharField(_("type"), max_length=10, choices=Kind.choices)
    date = models.DateField(_("date"), default=timezone.localdate)
    territory = territory_key("communication_actions")
    residence = residence_key("communication_actions")
    description = models.CharField(_("description"), max_length=300, blank=True)
    doors_knocked = models.PositiveIntegerField(_("portes frappées"), default=0)
    leaflets = models.PositiveIntegerField(_("dépliants distribués"), default=0)
    people_met = models.PositiveIntegerField(_("personnes rencontrées"), default=0)

    territory_field = "territory"

    class Meta:
        verbose_name = _("action de communication")
        verbose_name_plural = _("actions de communication")
        ordering = ["-date", "-pk"]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.date:%d/%m/%Y}"


class KnowledgeSurveyAnswer(models.Model):
    """One person's answers to the knowledge survey, typed by a mediator in a few taps."""

    class Place(models.TextChoices):
        DOOR = "door", _("Au porte-à-porte")
        STAND = "stand", _("Sur un stand")
        OTHER = "other", _("Ailleurs")

    date = models.DateField(_("date"), default=timezone.localdate)
    territory = territory_key("survey_answers")
    place = models.CharField(_("lieu"), max_length=6, choices=Place.choices, default=Place.DOOR)
    age_band = models.CharField(
        _("tranche d'âge"), max_length=5, choices=AgeBand.choices, blank=True
    )
    knows_service = models.BooleanField(_("connaît le dispositif de médiation sociale"))
    knows_mediators = models.BooleanField(_("connaît les médiateurs"))
    knows_missions = models.BooleanField(_("connaît leurs missions"))
    has_called_on = models.BooleanField(_("a déjà sollicité les médiateurs"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("saisi par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    client_key = models.CharField(
        max_length=64,
        unique=True,
        null=True,
        blank=True,
        editable=False,
        help_text="Generated with the phone form: a double tap records one answer.",
    )

    territory_field = "territory"

    class Meta:
        verbose_name = _("réponse à l'enquête de connaissance")
        verbose_name_plural = _("réponses à l'enquête de connaissance")
        ordering = ["-date", "-pk"]
        indexes = [models.Index(fields=["territory", "date"], name="survey_territory_date")]

    def __str__(self):
        return f"{self.territory} · {self.date:%d/%m/%Y}"
