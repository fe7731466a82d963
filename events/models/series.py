"""Café Médiation series: the recurrence of sessions, who follows them, the topics residents
propose and support, and each session's summary. Their rules are in events.series.rules."""

import datetime as dt
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from dateutil.relativedelta import relativedelta

from community.models import AgeBand
from events import recurrence


def new_token() -> str:
    return secrets.token_urlsafe(24)


class CafeSeries(models.Model):
    """A cycle of sessions at the same place and time: "every second Tuesday, 14:00 to 16:00"."""

    class Frequency(models.TextChoices):
        WEEKLY = recurrence.WEEKLY, _("Toutes les N semaines")
        MONTHLY = recurrence.MONTHLY, _("Tous les N mois, un jour de la semaine donné")

    class Weekday(models.IntegerChoices):
        MONDAY = 0, _("lundi")
        TUESDAY = 1, _("mardi")
        WEDNESDAY = 2, _("mercredi")
        THURSDAY = 3, _("jeudi")
        FRIDAY = 4, _("vendredi")
        SATURDAY = 5, _("samedi")
        SUNDAY = 6, _("dimanche")

    class MonthWeek(models.IntegerChoices):
        FIRST = 1, _("le premier")
        SECOND = 2, _("le deuxième")
        THIRD = 3, _("le troisième")
        FOURTH = 4, _("le quatrième")
        LAST = -1, _("le dernier")

    title = models.CharField(_("titre"), max_length=200)
    summary = models.CharField(_("présentation"), max_length=300, blank=True)
    kind = models.CharField(
        _("type de séances"),
        max_length=30,
        default="cafe_mediation",
        help_text=_("Le type des événements créés pour chaque séance."),
    )
    territory = models.ForeignKey(
        "community.Territory",
        verbose_name=_("territoire"),
        on_delete=models.PROTECT,
        related_name="cafe_series",
    )
    territory_field = "territory"  # for community.permissions.restrict_records
    venue_name = models.CharField(_("lieu"), max_length=200)
    venue_address = models.CharField(_("adresse du lieu"), max_length=300, blank=True)
    facilitators = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("animateurs"),
        related_name="facilitated_series",
        blank=True,
    )
    frequency = models.CharField(
        _("récurrence"), max_length=10, choices=Frequency.choices, blank=True
    )
    interval = models.PositiveSmallIntegerField(
        _("toutes les"), default=1, help_text=_("1 : chaque semaine (ou mois), 2 : une sur deux…")
    )
    weekday = models.PositiveSmallIntegerField(
        _("jour"), choices=Weekday.choices, default=Weekday.TUESDAY
    )
    month_week = models.SmallIntegerField(
        _("quel jour du mois"),
        choices=MonthWeek.choices,
        null=True,
        blank=True,
        help_text=_("Pour une récurrence mensuelle : le deuxième mardi du mois, par exemple."),
    )
    start_date = models.DateField(_("première date"))
    end_date = models.DateField(_("dernière date"), null=True, blank=True)
    start_time = models.TimeField(_("heure de début"), help_text=_("Heure de Paris."))
    end_time = models.TimeField(_("heure de fin"), help_text=_("Heure de Paris."))
    excluded_dates = models.JSONField(_("dates exclues"), default=list, blank=True)
    extra_dates = models.JSONField(_("dates ajoutées"), default=list, blank=True)
    capacity = models.PositiveIntegerField(
        _("places par séance"), null=True, blank=True, help_text=_("Vide : entrée libre.")
    )
    active = models.BooleanField(
        _("actif"), default=True, help_text=_("Les séances ne sont créées que d'un cycle actif.")
    )
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    # When the series page last changed, for the sitemap's lastmod.
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)

    class Meta:
        verbose_name = _("cycle Café Médiation")
        verbose_name_plural = _("cycles Café Médiation")
        ordering = ["title", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="cafeseries_end_after_start",
            ),
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(capacity__gt=0),
                name="cafeseries_capacity_positive",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("events:series", kwargs={"pk": self.pk, "slug": self.slug})

    @property
    def slug(self) -> str:
        return slugify(self.title)[:80] or "cafe"

    def rule(self) -> recurrence.Rule:
        return recurrence.Rule(
            frequency=self.frequency,
            weekday=self.weekday,
            start=self.start_date,
            until=self.end_date,
            interval=self.interval or 1,
            month_week=self.month_week,
            excluded=frozenset(_as_dates(self.excluded_dates)),
            extra=frozenset(_as_dates(self.extra_dates)),
        )

    def clean(self):
        super().clean()
        errors = {}
        if not self.frequency and not self.extra_dates:
            errors["frequency"] = _(
                "Choisissez une récurrence, ou ajoutez au moins une date : le cycle n'a aucune séance."
            )
        if self.frequency == recurrence.MONTHLY and not self.month_week:
            errors["month_week"] = _("Pour une récurrence mensuelle, choisissez quel jour du mois.")
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = _("La dernière date ne peut pas précéder la première.")
        if self.start_time and self.end_time and self.end_time <= self.start_time:
            errors["end_time"] = _("L'heure de fin doit suivre l'heure de début.")
        if self.capacity is not None and self.capacity <= 0:
            errors["capacity"] = _("Le nombre de places doit être supérieur à zéro.")
        if self.start_date and not errors:
            rule = self.rule()
            last = self.end_date or self.start_date + relativedelta(years=2)
            plain = set(recurrence.dates(_without_changes(rule), self.start_date, last))
            outside = sorted(d for d in rule.excluded if d not in plain)
            if outside:
                errors["excluded_dates"] = _(
                    "Ces dates exclues ne sont pas des dates du cycle : %(dates)s."
                ) % {"dates": ", ".join(d.strftime("%d/%m/%Y") for d in outside)}
            early = sorted(d for d in rule.extra if d < self.start_date)
            late = sorted(d for d in rule.extra if self.end_date and d > self.end_date)
            if early or late:
                errors["extra_dates"] = _(
                    "Ces dates ajoutées sont hors de la période du cycle : %(dates)s."
                ) % {"dates": ", ".join(d.strftime("%d/%m/%Y") for d in early + late)}
        if errors:
            raise ValidationError(errors)


def _as_dates(values) -> list[dt.date]:
    return [v if isinstance(v, dt.date) else dt.date.fromisoformat(v) for v in values or []]


def _without_changes(rule: recurrence.Rule) -> recurrence.Rule:
    return recurrence.Rule(
        frequency=rule.frequency,
        weekday=rule.weekday,
        start=rule.start,
        until=rule.until,
        interval=rule.interval,
        month_week=rule.month_week,
    )


class SeriesSession(models.Model):
    """One session of a series: the event residents sign up for, and the day of the recurrence
    it stands for."""

    series = models.ForeignKey(
        CafeSeries, verbose_name=_("cycle"), on_delete=models.CASCADE, related_name="sessions"
    )
    event = models.OneToOneField(
        "events.Event",
        verbose_name=_("événement"),
        on_delete=models.CASCADE,
        related_name="series_session",
    )
    day = models.DateField(_("date de la séance"))

    class Meta:
        verbose_name = _("séance")
        verbose_name_plural = _("séances")
        ordering = ["day"]
        constraints = [
            models.UniqueConstraint(fields=["series", "day"], name="seriessession_one_per_day")
        ]

    def __str__(self):
        return f"{self.series} — {self.day:%d/%m/%Y}"


class SeriesFollow(models.Model):
    """A resident follows a series: signed up to each coming session while seats allow."""

    series = models.ForeignKey(
        CafeSeries, verbose_name=_("cycle"), on_delete=models.CASCADE, related_name="follows"
    )
    person = models.ForeignKey(
        "community.Person",
        verbose_name=_("habitant"),
        on_delete=models.PROTECT,
        related_name="series_follows",
    )
    age_band = models.CharField(_("tranche d'âge"), max_length=5, choices=AgeBand.choices)
    consent_text = models.TextField(_("texte du consentement affiché"))
    # Who comes with the follower to each session: [{"first_name", "age_band"}, ...].
    companions = models.JSONField(_("personnes qui l'accompagnent"), default=list, blank=True)
    guardian_consent = models.BooleanField(
        _("accord du responsable légal"),
        default=False,
        help_text=_("Donné en suivant le cycle, pour les enfants de moins de 15 ans inscrits."),
    )
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    created_at = models.DateTimeField(_("suivi depuis"), default=timezone.now)
    stopped_at = models.DateTimeField(_("arrêté le"), null=True, blank=True)

    class Meta:
        verbose_name = _("abonnement à un cycle")
        verbose_name_plural = _("abonnements aux cycles")
        ordering = ["series", "created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["series", "person"],
                condition=Q(stopped_at__isnull=True),
                name="seriesfollow_one_active_per_person",
            )
        ]

    def __str__(self):
        return f"{self.person} → {self.series}"


class Topic(models.Model):
    """A discussion topic a resident proposes for a series; public once a mediator approves it."""

    class Status(models.TextChoices):
        PENDING = "pending", _("À modérer")
        APPROVED = "approved", _("Publié")
        REJECTED = "rejected", _("Refusé")

    MAX_LENGTH = 200

    series = models.ForeignKey(
        CafeSeries, verbose_name=_("cycle"), on_delete=models.CASCADE, related_name="topics"
    )
    person = models.ForeignKey(
        "community.Person",
        verbose_name=_("proposé par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="proposed_topics",
    )
    text = models.CharField(_("sujet"), max_length=MAX_LENGTH)
    status = models.CharField(
        _("statut"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    session = models.ForeignKey(
        "events.Event",
        verbose_name=_("retenu pour la séance"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="picked_topics",
    )
    created_at = models.DateTimeField(_("proposé le"), default=timezone.now)

    class Meta:
        verbose_name = _("sujet proposé")
        verbose_name_plural = _("sujets proposés")
        ordering = ["series", "-created_at", "pk"]

    def __str__(self):
        return self.text


class TopicSupport(models.Model):
    topic = models.ForeignKey(
        Topic, verbose_name=_("sujet"), on_delete=models.CASCADE, related_name="supports"
    )
    person = models.ForeignKey(
        "community.Person",
        verbose_name=_("habitant"),
        on_delete=models.CASCADE,
        related_name="topic_supports",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("soutien à un sujet")
        verbose_name_plural = _("soutiens aux sujets")
        ordering = ["topic", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["topic", "person"], name="topicsupport_once_per_person")
        ]

    def __str__(self):
        return f"{self.person_id} → {self.topic_id}"


class SessionSummary(models.Model):
    """The "compte rendu" of a session, published on its page by a mediator."""

    event = models.OneToOneField(
        "events.Event",
        verbose_name=_("séance"),
        on_delete=models.CASCADE,
        related_name="session_summary",
    )
    text = models.TextField(_("compte rendu"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("rédigé par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    published_at = models.DateTimeField(_("publié le"), default=timezone.now)

    class Meta:
        verbose_name = _("compte rendu de séance")
        verbose_name_plural = _("comptes rendus de séance")
        ordering = ["-published_at"]

    def __str__(self):
        return str(self.event)
