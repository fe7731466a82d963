"""Who came: attendance per registration, and walk-ins counted at the door. Imported by
events.models so Django registers them."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from community.models import AgeBand


class Attendance(models.Model):
    """Whether a registration's party came, as marked at the door. One row per registration:
    each tap sets the state it names, so a repeated tap changes nothing."""

    class Status(models.TextChoices):
        ATTENDED = "attended", _("Présent")
        NO_SHOW = "no_show", _("Absent")

    registration = models.OneToOneField(
        "events.Registration",
        verbose_name=_("inscription"),
        on_delete=models.CASCADE,
        related_name="attendance",
    )
    status = models.CharField(_("présence"), max_length=10, choices=Status.choices)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("pointé par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    marked_at = models.DateTimeField(_("pointé le"), default=timezone.now)

    class Meta:
        verbose_name = _("présence")
        verbose_name_plural = _("présences")
        ordering = ["registration"]
        permissions = [("export_attendance", _("Exporter les inscriptions et les présences"))]

    def __str__(self):
        return f"{self.registration_id}: {self.get_status_display()}"


class WalkIn(models.Model):
    """People who came without signing up, counted at the door by age band. A name and a
    contact are kept only when the person agreed."""

    event = models.ForeignKey(
        "events.Event",
        verbose_name=_("événement"),
        on_delete=models.PROTECT,
        related_name="walk_ins",
    )
    count = models.PositiveSmallIntegerField(_("nombre de personnes"))
    age_band = models.CharField(_("tranche d'âge"), max_length=5, choices=AgeBand.choices)
    first_name = models.CharField(_("prénom"), max_length=100, blank=True)
    contact = models.CharField(
        _("téléphone ou adresse électronique"),
        max_length=254,
        blank=True,
        help_text=_("Seulement avec l'accord de la personne."),
    )
    consent_text = models.TextField(_("texte du consentement"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("saisi par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("saisi le"), default=timezone.now, editable=False)
    client_key = models.CharField(
        max_length=64,
        unique=True,
        editable=False,
        help_text="Generated when the form is shown: a retried POST finds the row and adds nothing.",
    )

    class Meta:
        verbose_name = _("entrée sans inscription")
        verbose_name_plural = _("entrées sans inscription")
        ordering = ["event", "created_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(count__gt=0), name="walkin_count_positive"),
            models.CheckConstraint(
                condition=Q(first_name="", contact="") | ~Q(consent_text=""),
                name="walkin_identity_needs_consent",
            ),
        ]

    def __str__(self):
        return f"{self.event_id}: {self.count} × {self.get_age_band_display()}"
