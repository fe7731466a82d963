"""The agency's work with partner structures: agreements and their objectives, meetings with
partners (information, awareness, practice exchanges, immersions, presentations), follow-ups of
people's situations with a partner structure, and calls for tender.

The rules that count them are in community.activities.rules."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel

from community.models.core import (
    AgeBand,
    Organisation,
    Person,
    territory_key,
)
from community.models.people import ConsentMethod


class PartnershipAgreement(ClusterableModel):
    """A signed agreement (convention) with a partner, its period and its objectives."""

    class Kind(models.TextChoices):
        OBJECTIVES_MEANS = "objectives", _("Convention d'objectifs et de moyens")
        BILATERAL = "bilateral", _("Convention bilatérale")
        PARTNERSHIP = "partnership", _("Convention de partenariat")
        SERVICE = "service", _("Convention de prestation")

    partner = models.ForeignKey(
        Organisation,
        verbose_name=_("partenaire"),
        on_delete=models.PROTECT,
        related_name="agreements",
    )
    kind = models.CharField(_("type"), max_length=12, choices=Kind.choices)
    title = models.CharField(_("intitulé"), max_length=200)
    territory = territory_key(
        "agreements", null=True, blank=True, help_text=_("Vide : une convention de toute l'agence.")
    )
    signed_on = models.DateField(_("signée le"))
    starts_on = models.DateField(_("début"))
    ends_on = models.DateField(_("fin"), null=True, blank=True)
    document = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("document signé"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_(
            "Rangé d'office dans la collection privée des conventions : seule l'équipe du "
            "territoire de la convention peut le télécharger."
        ),
    )

    territory_field = "territory"

    class Meta:
        verbose_name = _("convention de partenariat")
        verbose_name_plural = _("conventions de partenariat")
        ordering = ["-signed_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="agreement_period_in_order",
            )
        ]

    def __str__(self):
        return f"{self.title} · {self.partner}"

    def clean(self):
        if self.ends_on and self.starts_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("La fin ne peut pas précéder le début.")})


class AgreementObjective(models.Model):
    class Status(models.TextChoices):
        IN_PROGRESS = "in_progress", _("En cours")
        MET = "met", _("Atteint")
        PARTLY = "partly", _("Partiellement atteint")
        NOT_MET = "not_met", _("Non atteint")

    agreement = ParentalKey(
        PartnershipAgreement,
        verbose_name=_("convention"),
        on_delete=models.CASCADE,
        related_name="objectives",
    )
    text = models.CharField(_("objectif"), max_length=400)
    status = models.CharField(
        _("état"), max_length=12, choices=Status.choices, default=Status.IN_PROGRESS
    )
    assessed_on = models.DateField(_("évalué le"), null=True, blank=True)

    class Meta:
        verbose_name = _("objectif de convention")
        verbose_name_plural = _("objectifs de convention")
        ordering = ["pk"]

    def __str__(self):
        return self.text


class PartnerMeeting(models.Model):
    """A meeting with partners' staff: how long, with how many people. No names."""

    class Kind(models.TextChoices):
        INFORMATION = "information", _("Réunion d'information")
        AWARENESS = "awareness", _("Atelier de sensibilisation")
        PRACTICE_EXCHANGE = "practice", _("Échange de pratiques")
        IMMERSION = "immersion", _("Immersion sur le terrain")
        PRESENTATION = "presentation", _("Présentation du service")

    kind = models.CharField(_("type"), max_length=12, choices=Kind.choices)
    date = models.DateField(_("date"), default=timezone.localdate)
    territory = territory_key("partner_meetings")
    partners = models.ManyToManyField(
        Organisation, verbose_name=_("partenaires"), related_name="meetings", blank=True
    )
    subject = models.CharField(_("objet"), max_length=200, blank=True)
    hours = models.DecimalField(_("durée (heures)"), max_digits=5, decimal_places=1, default=1)
    participants = models.PositiveIntegerField(_("participants"), default=0)

    territory_field = "territory"

    class Meta:
        verbose_name = _("rencontre avec des partenaires")
        verbose_name_plural = _("rencontres avec des partenaires")
        ordering = ["-date", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(hours__gt=0), name="partner_meeting_hours_positive")
        ]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.date:%d/%m/%Y}"


class Gender(models.TextChoices):
    WOMAN = "f", _("Femme")
    MAN = "m", _("Homme")
    OTHER = "x", _("Autre ou non précisé")


class PartnerFollowUp(ClusterableModel):
    """A person's situation followed with a partner structure (a young person put in touch with
    the Mission Locale...). Pseudonymous by default: age band, gender, territory; a named Person
    only with the person's consent."""

    class Outcome(models.TextChoices):
        ONGOING = "ongoing", _("En cours")
        SOLVED = "solved", _("Situation résolue")
        TAKEN_OVER = "taken_over", _("Prise en charge par la structure")
        DROPPED = "dropped", _("Sans suite")

    partner = models.ForeignKey(
        Organisation,
        verbose_name=_("structure partenaire"),
        on_delete=models.PROTECT,
        related_name="partner_follow_ups",
    )
    territory = territory_key("partner_follow_ups")
    age_band = models.CharField(_("tranche d'âge"), max_length=5, choices=AgeBand.choices)
    gender = models.CharField(
        _("genre"), max_length=1, choices=Gender.choices, default=Gender.OTHER
    )
    reason = models.CharField(_("motif"), max_length=300)
    opened_on = models.DateField(_("ouvert le"), default=timezone.localdate)
    outcome = models.CharField(
        _("issue"), max_length=12, choices=Outcome.choices, default=Outcome.ONGOING
    )
    closed_on = models.DateField(_("clos le"), null=True, blank=True)
    person = models.ForeignKey(
        Person,
        verbose_name=_("personne"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="partner_follow_ups",
        help_text=_("Seulement si la personne a accepté d'être nommée."),
    )
    consent_method = models.CharField(
        _("consentement donné"), max_length=10, choices=ConsentMethod.choices, blank=True
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("saisi par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )

    territory_field = "territory"

    class Meta:
        verbose_name = _("suivi avec une structure partenaire")
        verbose_name_plural = _("suivis avec des structures partenaires")
        ordering = ["-opened_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(person__isnull=True) | ~Q(consent_method=""),
                name="partner_follow_up_person_needs_consent",
            ),
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True) | Q(closed_on__gte=F("opened_on")),
                name="partner_follow_up_dates_in_order",
            ),
        ]

    def __str__(self):
        return f"{self.partner} · {self.get_age_band_display()} · {self.opened_on:%d/%m/%Y}"


class PartnerFollowUpStep(models.Model):
    follow_up = ParentalKey(
        PartnerFollowUp,
        verbose_name=_("suivi"),
        on_delete=models.CASCADE,
        related_name="steps",
    )
    date = models.DateField(_("date"), default=timezone.localdate)
    what = models.CharField(_("étape"), max_length=300)

    class Meta:
        verbose_name = _("étape du suivi")
        verbose_name_plural = _("étapes du suivi")
        ordering = ["date", "pk"]

    def __str__(self):
        return f"{self.date:%d/%m/%Y} · {self.what}"


class CallForTender(models.Model):
    """A call for tender the agency answered (or decided to answer), and its result."""

    class Result(models.TextChoices):
        PENDING = "pending", _("En attente")
        WON = "won", _("Remporté")
        LOST = "lost", _("Non retenu")

    title = models.CharField(_("intitulé"), max_length=200)
    issuer = models.ForeignKey(
        Organisation,
        verbose_name=_("émetteur"),
        on_delete=models.PROTECT,
        related_name="calls_for_tender",
    )
    answered_on = models.DateField(_("réponse déposée le"))
    result = models.CharField(
        _("résultat"), max_length=10, choices=Result.choices, default=Result.PENDING
    )
    decided_on = models.DateField(_("résultat connu le"), null=True, blank=True)
    amount = models.DecimalField(
        _("montant (€)"), max_digits=10, decimal_places=2, null=True, blank=True
    )

    class Meta:
        verbose_name = _("appel d'offre")
        verbose_name_plural = _("appels d'offre")
        ordering = ["-answered_on", "-pk"]

    def __str__(self):
        return self.title

    def clean(self):
        if self.result != self.Result.PENDING and not self.decided_on:
            raise ValidationError({"decided_on": _("Indiquez quand le résultat a été connu.")})
