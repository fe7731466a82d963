"""Café Médiation series: a recurrence of sessions (each an Event), the residents who follow the
series, the topics they propose and support, and the summary of each session.

Models first, then the rules (one function per action), called by the public pages, the staff
pages, the admin, the beat task and the demo alike. Imported by events.models.
"""

import datetime as dt
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from dateutil.relativedelta import relativedelta

from community.models import AgeBand
from events import recurrence


def _token() -> str:
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
    token = models.CharField(max_length=64, unique=True, default=_token, editable=False)
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


# -- rules ------------------------------------------------------------------------------------


class SeriesError(Exception):
    """A rule refused the action; `message` is French, for the person."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


@dataclass
class SyncResult:
    created: int = 0
    moved: int = 0
    updated: int = 0
    cancelled: int = 0
    signed_up: int = 0


FOLLOW_SALT = "events.series.follow"


def follow_token(follow: SeriesFollow) -> str:
    return signing.dumps(follow.token, salt=FOLLOW_SALT, compress=True)


def follow_from_token(value: str) -> SeriesFollow:
    from events.tokens import BadToken

    try:
        raw = signing.loads(value, salt=FOLLOW_SALT)
    except signing.BadSignature as exc:
        raise BadToken(str(exc)) from exc
    follow = (
        SeriesFollow.objects.select_related("series", "person", "series__territory")
        .filter(token=raw)
        .first()
    )
    if follow is None:
        raise BadToken("no follow holds this token")
    return follow


def follow_url(follow: SeriesFollow) -> str:
    return reverse("events:follow", kwargs={"token": follow_token(follow)})


def horizon_end(today: dt.date) -> dt.date:
    return today + relativedelta(months=settings.EVENTS_SERIES_HORIZON_MONTHS)


def _event_values(series: CafeSeries, day: dt.date) -> dict:
    start, end = recurrence.local_span(day, series.start_time, series.end_time)
    return {
        "title": series.title,
        "summary": series.summary,
        "kind": series.kind,
        "territory_id": series.territory_id,
        "venue_name": series.venue_name,
        "venue_address": series.venue_address,
        "capacity": series.capacity,
        "start": start,
        "end": end,
    }


def sync_series(series_id: int, now: dt.datetime | None = None) -> SyncResult:
    """Make the series' future sessions match its recurrence over the rolling horizon: create
    the missing ones (and sign their followers up), move or update the changed ones (their
    registrants are told), cancel the ones no longer in the cycle. Past sessions never change.
    Safe to run twice: a second run finds nothing to do."""
    from events import services, signup
    from events.models import Event

    now = now or timezone.now()
    result = SyncResult()
    with transaction.atomic():
        series = CafeSeries.objects.select_for_update().get(pk=series_id)
        today = timezone.localdate(now)
        wanted = []
        if series.active:
            wanted = [
                day
                for day in recurrence.dates(series.rule(), today, horizon_end(today))
                if recurrence.local_span(day, series.start_time, series.end_time)[0] > now
            ]
        sessions = {
            s.day: s
            for s in SeriesSession.objects.filter(series=series, event__start__gt=now)
            .select_related("event")
            .order_by("day")
        }
        all_days = set(SeriesSession.objects.filter(series=series).values_list("day", flat=True))
        # A removed day and an added day are one session moved: its registrants keep their seat.
        removed = sorted(day for day in sessions if day not in wanted)
        added = [day for day in wanted if day not in sessions]
        moves = list(zip(removed, [d for d in added if d not in all_days], strict=False))
        changed_ids = []
        facilitators = list(series.facilitators.all())
        for old_day, new_day in moves:
            session = sessions.pop(old_day)
            session.day = new_day
            session.save(update_fields=["day"])
            sessions[new_day] = session
            result.moved += 1
        for day in sorted(sessions):
            session = sessions[day]
            if day not in wanted:
                if session.event.cancelled_at is None:
                    services.cancel(
                        session.event,
                        gettext("Cette séance ne fait plus partie du cycle."),
                    )
                    result.cancelled += 1
                continue
            values = _event_values(series, day)
            event = session.event
            if event.cancelled_at is not None:
                services.reinstate(event)
            if any(getattr(event, key) != value for key, value in values.items()):
                grew = (values["capacity"] or 0) > (event.capacity or 0) or (
                    values["capacity"] is None and event.capacity is not None
                )
                Event.objects.filter(pk=event.pk).update(**values)
                changed_ids.append(event.pk)
                if grew:
                    locked = signup.lock_event(event.pk)
                    signup.promote_waitlist(locked, now)
                result.updated += 1
        created_events = []
        for day in wanted:
            if day in sessions or day in all_days:
                continue
            event = Event.objects.create(**_event_values(series, day), live=True)
            event.announced_key = signup.announced_key_of(event)
            Event.objects.filter(pk=event.pk).update(announced_key=event.announced_key)
            if facilitators:
                event.organisers.set(facilitators)
            SeriesSession.objects.create(series=series, event=event, day=day)
            created_events.append(event)
            result.created += 1
        for event_id in changed_ids:
            signup.notify_event_changed(event_id)
    # Followers are signed up one registration per transaction (each locks its event).
    follows = list(
        SeriesFollow.objects.filter(series_id=series_id, stopped_at__isnull=True).select_related(
            "person"
        )
    )
    for event in created_events:
        for follow in follows:
            result.signed_up += _sign_up_follower(follow, event.pk, now) is not None
    return result


def sync_all(now: dt.datetime | None = None) -> int:
    """The beat task: every active series, one after the other."""
    count = 0
    for series_id in CafeSeries.objects.filter(active=True).values_list("pk", flat=True):
        sync_series(series_id, now)
        count += 1
    return count


def _sign_up_follower(follow: SeriesFollow, event_id: int, now: dt.datetime):
    """Register the follower on one session (waitlisted when full). Once per follow and session:
    a follower who said "I can't come" is not signed up again."""
    from events import signup

    person = follow.person
    contact = signup.Contact(
        person.first_name or "-",
        person.last_name or "-",
        person.email or "",
        person.phone or "",
        follow.age_band,
    )
    try:
        outcome = signup.register(
            event_id=event_id,
            person=person,  # the follower is known: nothing to decide again from their details
            contact=contact,
            participants=[signup.ParticipantData(person.first_name or "-", follow.age_band)],
            consent_text=follow.consent_text,
            submission_key=f"follow:{follow.pk}:{event_id}",
            follow=follow,
            now=now,
        )
    except (signup.SignupError, ValidationError):
        return None  # closed, already signed up on their own, or a party too large: skipped
    return outcome.registration if outcome.created else None


def follow(
    *,
    series_id: int,
    contact,
    age_band: str,
    consent_text: str,
    now: dt.datetime | None = None,
) -> SeriesFollow:
    """Follow a series: the resident is signed up to each coming session (waitlisted where it is
    full), now and as sessions are generated.

    Following again changes nothing; either way the follow page's link is sent to the address
    on record (or put on the call list), so the public answer never depends on whether the
    person already followed. The returned follow's `created` says whether this call made it."""
    from community import identity

    now = now or timezone.now()
    if not consent_text.strip():
        raise SeriesError(_("Le consentement de la personne est nécessaire."), "consent")
    if age_band not in AgeBand.values:
        raise SeriesError(_("Indiquez votre tranche d'âge."), "age_band")
    if age_band == AgeBand.CHILD:
        raise SeriesError(
            _("Un enfant de moins de 15 ans est inscrit séance par séance, par un adulte."),
            "age_band",
        )
    series = CafeSeries.objects.filter(pk=series_id, active=True).first()
    if series is None:
        raise SeriesError(_("Ce cycle n'est plus proposé."))
    try:
        with transaction.atomic():
            person = identity.identify(contact)
            existing = SeriesFollow.objects.filter(
                series=series, person=person, stopped_at__isnull=True
            ).first()
            if existing is not None:
                existing.created = False
                send_follow_link(existing, now)
                return existing
            followed = SeriesFollow.objects.create(
                series=series,
                person=person,
                age_band=age_band,
                consent_text=consent_text.strip(),
                created_at=now,
            )
    except IntegrityError:  # the same person at the same instant: the other request made it
        person = identity.identify(contact)
        existing = SeriesFollow.objects.get(series=series, person=person, stopped_at__isnull=True)
        existing.created = False
        return existing
    followed.person = person
    followed.created = True
    send_follow_link(followed, now)
    upcoming = SeriesSession.objects.filter(
        series=series, event__start__gt=now, event__cancelled_at__isnull=True, event__live=True
    ).values_list("event_id", flat=True)
    for event_id in upcoming:
        _sign_up_follower(followed, event_id, now)
    return followed


def send_follow_link(followed: SeriesFollow, now: dt.datetime | None = None):
    """Send the follower the link to their follow page (email, or the call list for a
    phone-only person); at most once a day per follow."""
    from events.delivery import queue_message
    from events.outbox import OutboxMessage

    day = timezone.localdate(now or timezone.now()).isoformat()
    with transaction.atomic():
        return queue_message(
            kind=OutboxMessage.Kind.FOLLOW,
            person=followed.person,
            dedup_key=f"follow-link:{followed.pk}:{day}",
        )


def stop_following(follow_id: int, now: dt.datetime | None = None) -> SeriesFollow:
    """Stop following: the coming registrations the follow made are cancelled (seats go to the
    waitlist). Stopping twice changes nothing."""
    from events import signup
    from events.bookings import Registration

    now = now or timezone.now()
    followed = SeriesFollow.objects.get(pk=follow_id)
    if followed.stopped_at is not None:
        return followed
    SeriesFollow.objects.filter(pk=follow_id).update(stopped_at=now)
    followed.stopped_at = now
    for registration_id in (
        Registration.objects.live()
        .filter(booking__follow_id=follow_id, event__start__gt=now)
        .values_list("pk", flat=True)
    ):
        signup.cancel_registration(registration_id, now)
    return followed


def propose_topic(*, series_id: int, person, text: str) -> Topic:
    text = " ".join((text or "").split())
    if not text:
        raise SeriesError(_("Écrivez le sujet que vous proposez."), "text")
    if len(text) > Topic.MAX_LENGTH:
        raise SeriesError(
            _("Un sujet tient en %(max)s caractères au plus (le vôtre en compte %(count)s).")
            % {"max": Topic.MAX_LENGTH, "count": len(text)},
            "text",
        )
    return Topic.objects.create(series_id=series_id, person=person, text=text)


def support_topic(*, topic_id: int, person) -> TopicSupport:
    topic = Topic.objects.filter(pk=topic_id, status=Topic.Status.APPROVED).first()
    if topic is None:
        raise SeriesError(_("Ce sujet n'est pas ouvert au soutien."))
    if topic.person_id == person.pk:
        raise SeriesError(_("Vous avez proposé ce sujet : il compte déjà votre voix."))
    try:
        with transaction.atomic():
            return TopicSupport.objects.create(topic=topic, person=person)
    except IntegrityError:
        raise SeriesError(_("Vous soutenez déjà ce sujet.")) from None


def moderate_topic(topic_id: int, status: str) -> Topic:
    if status not in Topic.Status.values:
        raise SeriesError(_("Statut inconnu."))
    Topic.objects.filter(pk=topic_id).update(status=status)
    return Topic.objects.get(pk=topic_id)


def pick_topic(topic_id: int, event_id: int | None) -> Topic:
    """Pick a topic for one of its series' sessions (or take it off with None)."""
    topic = Topic.objects.get(pk=topic_id)
    if event_id is not None:
        if not SeriesSession.objects.filter(series_id=topic.series_id, event_id=event_id).exists():
            raise SeriesError(_("Cette séance n'appartient pas au cycle du sujet."))
        if topic.status != Topic.Status.APPROVED:
            raise SeriesError(_("Publiez le sujet avant de le retenir pour une séance."))
    Topic.objects.filter(pk=topic_id).update(session_id=event_id)
    topic.session_id = event_id
    return topic


SUMMARY_MAX_LENGTH = 5000


def publish_summary(*, event_id: int, text: str, user=None, now=None) -> SessionSummary:
    """Publish (or correct) the summary of a session that took place."""
    from events.models import Event

    now = now or timezone.now()
    text = (text or "").strip()
    if not text:
        raise SeriesError(_("Écrivez le compte rendu avant de le publier."), "text")
    if len(text) > SUMMARY_MAX_LENGTH:
        raise SeriesError(
            _("Le compte rendu tient en %(max)s caractères au plus.") % {"max": SUMMARY_MAX_LENGTH},
            "text",
        )
    event = Event.objects.get(pk=event_id)
    if event.start > now:
        raise SeriesError(_("Le compte rendu se publie après la séance."), "text")
    summary, _created = SessionSummary.objects.update_or_create(
        event=event, defaults={"text": text, "author": user, "published_at": now}
    )
    return summary


def session_context(event) -> dict:
    """What an event's page shows when it is a session of a series: the series, its summary
    and the topics picked for it (one query, for sessions only). `event` comes from
    queries.published_event, with its series and summary already joined."""
    session = getattr(event, "series_session", None) if _has(event, "series_session") else None
    if session is None:
        return {}
    return {
        "series": session.series,
        "session_summary": event.session_summary if _has(event, "session_summary") else None,
        "picked_topics": list(
            Topic.objects.filter(session=event, status=Topic.Status.APPROVED).order_by("pk")
        ),
    }


def _has(instance, related_name: str) -> bool:
    try:
        return getattr(instance, related_name) is not None
    except models.ObjectDoesNotExist:
        return False
