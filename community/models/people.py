"""Reference tenants (locataires référents) and the mediators' follow-ups with them."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from community.models.core import Person, Residence


class TrainingTopic(models.Model):
    """Something a reference tenant was trained in or made aware of (a list editors manage)."""

    name = models.CharField(_("intitulé"), max_length=150, unique=True)
    sort_order = models.PositiveSmallIntegerField(_("ordre d'affichage"), default=0)

    class Meta:
        verbose_name = _("thème de sensibilisation")
        verbose_name_plural = _("thèmes de sensibilisation")
        ordering = ["sort_order", "name"]

    def __str__(self):
        return self.name


class ConsentMethod(models.TextChoices):
    """How a person gave their consent to be contacted."""

    ORAL = "oral", _("À l'oral, en face à face")
    PHONE = "phone", _("Par téléphone")
    WRITTEN = "written", _("Par écrit (papier)")
    ONLINE = "online", _("En ligne (formulaire)")
    EMAIL = "email", _("Par courriel")


class ReferenceTenant(models.Model):
    """A resident who acts as a relay in their residence, followed by the mediators."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Actif")
        PAUSED = "paused", _("En pause")
        STOPPED = "stopped", _("Arrêté")

    person = models.ForeignKey(
        Person,
        verbose_name=_("personne"),
        on_delete=models.PROTECT,
        related_name="reference_tenancies",
    )
    residence = models.ForeignKey(
        Residence,
        verbose_name=_("résidence"),
        on_delete=models.PROTECT,
        related_name="reference_tenants",
    )
    since = models.DateField(_("référent depuis le"), default=timezone.localdate)
    status = models.CharField(
        _("statut"), max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    topics = models.ManyToManyField(
        TrainingTopic,
        verbose_name=_("formé ou sensibilisé à"),
        blank=True,
        related_name="reference_tenants",
    )
    contact_consent = models.BooleanField(
        _("accepte d'être contacté"),
        default=False,
        help_text=_("La personne a accepté que l'équipe la recontacte."),
    )
    contact_consent_date = models.DateField(_("date du consentement"), null=True, blank=True)
    contact_consent_method = models.CharField(
        _("consentement donné"), max_length=10, choices=ConsentMethod.choices, blank=True
    )
    created_at = models.DateTimeField(_("créé le"), default=timezone.now, editable=False)
    stopped_on = models.DateField(
        _("arrêté le"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("Les notes de suivi sont effacées un délai fixé après l'arrêt."),
    )

    territory_field = "residence__territory"

    class Meta:
        verbose_name = _("locataire référent")
        verbose_name_plural = _("locataires référents")
        ordering = ["residence__name", "person__last_name", "person__first_name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "residence"], name="reference_tenant_person_residence_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(contact_consent=False)
                | (
                    models.Q(contact_consent_date__isnull=False)
                    & ~models.Q(contact_consent_method="")
                ),
                name="reference_tenant_consent_has_date_and_method",
            ),
        ]

    def __str__(self):
        return f"{self.person} ({self.residence})"

    def save(self, *args, **kwargs):
        # The retention of follow-up notes counts from the day the tenant stopped.
        if self.status == self.Status.STOPPED and self.stopped_on is None:
            self.stopped_on = timezone.localdate()
        elif self.status != self.Status.STOPPED:
            self.stopped_on = None
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "stopped_on"}
        super().save(*args, **kwargs)

    def clean(self):
        if self.contact_consent and not (self.contact_consent_date and self.contact_consent_method):
            raise ValidationError(
                _("Indiquez la date du consentement et la façon dont il a été donné.")
            )


class FollowUp(models.Model):
    """A contact between a mediator and a reference tenant. The note is visible to the staff of
    the tenant's territory and to managers only; opening it is written to the audit log."""

    class Kind(models.TextChoices):
        MEETING = "meeting", _("Rencontre")
        PHONE = "phone", _("Appel téléphonique")
        TRAINING = "training", _("Formation")

    reference_tenant = models.ForeignKey(
        ReferenceTenant,
        verbose_name=_("locataire référent"),
        on_delete=models.CASCADE,
        related_name="follow_ups",
    )
    date = models.DateField(_("date"), default=timezone.localdate)
    mediator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("médiateur"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="follow_ups",
    )
    kind = models.CharField(_("type"), max_length=10, choices=Kind.choices)
    note = models.TextField(_("note"), max_length=2000, blank=True)
    created_at = models.DateTimeField(_("créé le"), default=timezone.now, editable=False)

    territory_field = "reference_tenant__residence__territory"

    class Meta:
        verbose_name = _("suivi")
        verbose_name_plural = _("suivis")
        ordering = ["-date", "-pk"]
        indexes = [models.Index(fields=["reference_tenant", "-date"], name="followup_tenant_date")]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.date:%d/%m/%Y}"
