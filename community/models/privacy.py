"""Requests residents make about their personal data (by letter, at the desk, by email), and how
the staff answered them. The request and its answer are also written to Wagtail's audit log."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from community.models.core import Person


class DataRequest(models.Model):
    class Kind(models.TextChoices):
        ACCESS = "access", _("Accès (copie des données)")
        ERASURE = "erasure", _("Effacement")
        RECTIFICATION = "rectification", _("Rectification")
        OBJECTION = "objection", _("Opposition")

    class Channel(models.TextChoices):
        LETTER = "letter", _("Courrier")
        DESK = "desk", _("À l'accueil")
        EMAIL = "email", _("Courriel")
        PHONE = "phone", _("Téléphone")

    class Outcome(models.TextChoices):
        OPEN = "open", _("En cours")
        EXPORTED = "exported", _("Données transmises")
        ANONYMISED = "anonymised", _("Personne anonymisée")
        REFUSED = "refused", _("Refusée (identité non vérifiée, autre motif)")
        DONE = "done", _("Traitée")

    person = models.ForeignKey(
        Person,
        verbose_name=_("personne"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="data_requests",
    )
    kind = models.CharField(_("demande"), max_length=15, choices=Kind.choices)
    channel = models.CharField(_("reçue par"), max_length=10, choices=Channel.choices)
    received_on = models.DateField(_("reçue le"), default=timezone.localdate)
    details = models.TextField(
        _("détails"),
        blank=True,
        max_length=4000,
        help_text=_("Ce que la personne demande, comment son identité a été vérifiée."),
    )
    outcome = models.CharField(
        _("réponse"), max_length=12, choices=Outcome.choices, default=Outcome.OPEN
    )
    answer = models.TextField(_("réponse apportée"), blank=True, max_length=4000)
    answered_at = models.DateTimeField(_("répondue le"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("répondue par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("enregistrée par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("enregistrée le"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("demande sur les données personnelles")
        verbose_name_plural = _("demandes sur les données personnelles")
        ordering = ["-received_on", "-pk"]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.received_on:%d/%m/%Y}"
