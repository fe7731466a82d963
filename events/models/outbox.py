"""The outbox: every message to a person is a row with a state before anything is sent.

Emails and text messages (SMS) are claimed and sent by workers (events.outbox.delivery); messages
for people who have only a phone and did not agree to texts, and texts that could not be sent, go
to the mediators' call list instead. Imported by events.models."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OutboxMessage(models.Model):
    class Channel(models.TextChoices):
        EMAIL = "email", _("Courriel")
        CALL = "call", _("À appeler")
        SMS = "sms", _("SMS")

    class State(models.TextChoices):
        PENDING = "pending", _("À envoyer")
        SENDING = "sending", _("En cours d'envoi")
        SENT = "sent", _("Envoyé")
        FAILED = "failed", _("Échec")
        CALLED = "called", _("Appelé")
        NO_ANSWER = "no_answer", _("Pas de réponse")

    class Kind(models.TextChoices):
        CONFIRMATION = "confirmation", _("Confirmation d'inscription")
        WAITLISTED = "waitlisted", _("Inscription en liste d'attente")
        PROMOTED = "promoted", _("Place libérée")
        REMINDER = "reminder", _("Rappel")
        CHANGED = "changed", _("Événement modifié")
        CANCELLED = "cancelled", _("Événement annulé")
        SURVEY = "survey", _("Questionnaire de satisfaction")
        PROGRAMME = "programme", _("Programme de la journée de la médiation")
        FOLLOW = "follow", _("Lien de suivi d'un cycle")
        WITHDRAWN = "withdrawn", _("Annulation par la personne")

    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    channel = models.CharField(_("canal"), max_length=10, choices=Channel.choices)
    state = models.CharField(_("état"), max_length=10, choices=State.choices, default=State.PENDING)
    person = models.ForeignKey(
        "community.Person",
        verbose_name=_("destinataire"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="outbox_messages",
    )
    registration = models.ForeignKey(
        "events.Registration",
        verbose_name=_("inscription"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="messages",
    )
    to_email = models.EmailField(_("adresse"), blank=True)
    to_phone = models.CharField(_("téléphone"), max_length=20, blank=True)
    subject = models.CharField(_("objet"), max_length=255)
    body_text = models.TextField(_("texte"))
    body_html = models.TextField(_("HTML"), blank=True)
    attachments = models.JSONField(default=list, blank=True)
    dedup_key = models.CharField(
        max_length=200,
        unique=True,
        help_text="One message per fact: a task that runs twice finds the row and writes nothing.",
    )
    message_id = models.CharField(_("Message-ID"), max_length=255, blank=True)
    due_at = models.DateTimeField(_("à envoyer à partir de"), default=timezone.now)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(_("envoyé le"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("tentatives"), default=0)
    last_error = models.TextField(_("dernière erreur"), blank=True)
    handled_by = models.ForeignKey(
        "community.User",
        verbose_name=_("traité par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("créé le"), default=timezone.now, editable=False)

    # What names or reaches the person, blanked by erasure and retention (kind, state, dates and
    # links to the registration stay: the survey figures and the call list count them).
    BLANK = {
        "to_email": "",
        "to_phone": "",
        "body_text": "",
        "body_html": "",
        "attachments": [],
        "last_error": "",
    }
    FINISHED = (State.SENT, State.FAILED, State.CALLED, State.NO_ANSWER)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["due_at", "pk"]
        indexes = [
            models.Index(fields=["channel", "state", "due_at"], name="outbox_due"),
            models.Index(fields=["state", "claimed_at"], name="outbox_claimed"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} → {self.to_email or self.to_phone} ({self.get_state_display()})"


class SmsOptOut(models.Model):
    """A mobile number whose owner answered STOP (as the SMS provider reported it): no text goes
    to it any more, its messages go to the call list. Kept when the person is anonymised: it is
    the record of their refusal."""

    phone = models.CharField(_("téléphone"), max_length=20, unique=True)
    source = models.CharField(_("origine"), max_length=50, blank=True)
    created_at = models.DateTimeField(_("reçu le"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("refus des SMS")
        verbose_name_plural = _("refus des SMS")

    def __str__(self):
        return self.phone
