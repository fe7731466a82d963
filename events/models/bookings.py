"""Bookings: one contact person books seats for one or more events, each a Registration holding
its participants. Seats count participants. Imported by events.models so Django registers them."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from community.models import AgeBand


def new_token() -> str:
    return secrets.token_urlsafe(24)


class Booking(models.Model):
    """Who booked, how, and with what consent. The token, signed, is the key of every link in
    the emails: nothing is reachable by guessing an id."""

    class Source(models.TextChoices):
        ONLINE = "online", _("En ligne")
        PHONE = "phone", _("Par téléphone, avec un médiateur")
        DOOR_TO_DOOR = "door", _("En porte-à-porte, avec un médiateur")
        AT_VENUE = "venue", _("Sur place, avec un médiateur")

    person = models.ForeignKey(
        "community.Person",
        verbose_name=_("contact"),
        on_delete=models.PROTECT,
        related_name="bookings",
    )
    source = models.CharField(
        _("origine"), max_length=10, choices=Source.choices, default=Source.ONLINE
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("saisie par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    consent_text = models.TextField(_("texte du consentement affiché"))
    consent_given_at = models.DateTimeField(_("consentement donné le"), default=timezone.now)
    guardian_consent = models.BooleanField(
        _("consentement du responsable légal"),
        default=False,
        help_text=_(
            "Le contact a déclaré être le responsable légal des participants de moins de 15 ans."
        ),
    )
    access_needs = models.TextField(
        _("besoins d'accessibilité"),
        blank=True,
        help_text=_(
            "Donnée sensible : visible des seuls organisateurs, effacée un mois après l'événement."
        ),
    )
    access_needs_consent_at = models.DateTimeField(
        _("consentement aux besoins d'accessibilité"), null=True, blank=True
    )
    sms_consent_at = models.DateTimeField(
        _("accord pour recevoir des SMS"),
        null=True,
        blank=True,
        help_text=_(
            "Le contact a accepté de recevoir par SMS les messages de cette inscription, sur son "
            "numéro de portable."
        ),
    )
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    submission_key = models.CharField(
        max_length=64,
        unique=True,
        null=True,
        blank=True,
        editable=False,
        help_text="The form's one-time key: a double-clicked submit makes one booking.",
    )
    follow = models.ForeignKey(
        "events.SeriesFollow",
        verbose_name=_("suivi du cycle"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="bookings",
        help_text=_("Le suivi d'un Café Médiation qui a fait cette inscription, le cas échéant."),
    )
    # The language of the page the sign-up was made on: its emails are written in it.
    language = models.CharField(
        _("langue"), max_length=10, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    created_at = models.DateTimeField(_("créée le"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("réservation")
        verbose_name_plural = _("réservations")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.person} ({self.created_at:%d/%m/%Y})"


class RegistrationQuerySet(models.QuerySet):
    def live(self):
        return self.exclude(status=Registration.Status.CANCELLED)

    def confirmed(self):
        return self.filter(status=Registration.Status.CONFIRMED)

    def waitlisted(self):
        return self.filter(status=Registration.Status.WAITLISTED)


class Registration(models.Model):
    """One booking's seats for one event."""

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("Confirmée")
        WAITLISTED = "waitlisted", _("En liste d'attente")
        CANCELLED = "cancelled", _("Annulée")

    booking = models.ForeignKey(
        Booking,
        verbose_name=_("réservation"),
        on_delete=models.CASCADE,
        related_name="registrations",
    )
    event = models.ForeignKey(
        "events.Event",
        verbose_name=_("événement"),
        on_delete=models.PROTECT,
        related_name="registrations",
    )
    person = models.ForeignKey(
        "community.Person",
        verbose_name=_("contact"),
        on_delete=models.PROTECT,
        related_name="registrations",
        help_text="The booking's contact, repeated here so the database can refuse a second live registration.",
    )
    status = models.CharField(_("statut"), max_length=12, choices=Status.choices)
    seats = models.PositiveSmallIntegerField(_("places"), help_text=_("Le nombre de participants."))
    waitlist_position = models.PositiveIntegerField(
        _("rang en liste d'attente"), null=True, blank=True
    )
    created_at = models.DateTimeField(_("créée le"), default=timezone.now, editable=False)
    confirmed_at = models.DateTimeField(_("confirmée le"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("annulée le"), null=True, blank=True)

    objects = RegistrationQuerySet.as_manager()

    class Meta:
        verbose_name = _("inscription")
        verbose_name_plural = _("inscriptions")
        ordering = ["event", "status", "waitlist_position", "created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "person"],
                condition=~Q(status="cancelled"),
                name="registration_one_live_per_person_event",
                violation_error_message=_("Cette personne est déjà inscrite à cet événement."),
            ),
            models.UniqueConstraint(
                fields=["event", "waitlist_position"],
                condition=Q(status="waitlisted"),
                name="registration_unique_waitlist_position",
            ),
            models.CheckConstraint(condition=Q(seats__gt=0), name="registration_seats_positive"),
            models.CheckConstraint(
                condition=Q(status="waitlisted", waitlist_position__isnull=False)
                | (~Q(status="waitlisted") & Q(waitlist_position__isnull=True)),
                name="registration_position_only_when_waitlisted",
            ),
        ]
        indexes = [models.Index(fields=["event", "status"], name="registration_event_status")]

    def __str__(self):
        return f"{self.person} → {self.event} ({self.get_status_display()})"


class Participant(models.Model):
    """Someone who takes a seat: a first name and an age band, nothing more."""

    registration = models.ForeignKey(
        Registration,
        verbose_name=_("inscription"),
        on_delete=models.CASCADE,
        related_name="participants",
    )
    first_name = models.CharField(_("prénom"), max_length=100)
    age_band = models.CharField(_("tranche d'âge"), max_length=5, choices=AgeBand.choices)
    presence = models.CharField(
        _("présence"),
        max_length=10,
        blank=True,
        choices=[("attended", _("Présent")), ("no_show", _("Absent"))],
        help_text=_("Pointée à l'accueil, personne par personne (vide : pas encore pointée)."),
    )

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        ordering = ["registration", "pk"]

    def __str__(self):
        return f"{self.first_name} ({self.get_age_band_display()})"
