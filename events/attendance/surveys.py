"""Satisfaction surveys: a set time after a session, each attendee with an email gets a signed
link (one answer per registration): a rating from 1 to 5 and an optional comment. Mediators type
paper answers in. Results per event, series, kind and territory, aggregated in the database.
Imported by events.models."""

import datetime as dt
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, models, transaction
from django.db.models import Avg, Count
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from community.rule_errors import RuleError
from events.models import SurveyAnswer
from events.models.attendance import Attendance
from events.models.bookings import Registration
from events.models.outbox import OutboxMessage
from events.outbox.delivery import queue_message
from events.tokens import BadToken


class SurveyError(RuleError):
    """A survey answer refused; `message` is French, for the person who answers."""


SALT = "events.survey"
MAX_AGE = dt.timedelta(days=60)


def survey_token(registration) -> str:
    return signing.dumps(
        {"r": registration.pk, "b": registration.booking.token}, salt=SALT, compress=True
    )


def survey_url(registration) -> str:
    return reverse("events:survey", kwargs={"token": survey_token(registration)})


def registration_from_token(value: str):
    """The registration a survey link names; BadToken when tampered, expired or unknown."""
    try:
        data = signing.loads(value, salt=SALT, max_age=MAX_AGE)
    except signing.BadSignature as exc:
        raise BadToken(str(exc)) from exc
    registration = (
        Registration.objects.select_related("event", "booking", "person")
        .filter(pk=data.get("r"), booking__token=data.get("b"))
        .first()
    )
    if registration is None:
        raise BadToken("no registration matches this survey link")
    return registration


def due_at(event) -> dt.datetime:
    """When the survey of `event` goes out: EVENTS_SURVEY_DELAY_HOURS after its end, or (0,
    the default) the next morning at EVENTS_SURVEY_HOUR, Paris time."""
    hours = settings.EVENTS_SURVEY_DELAY_HOURS
    if hours:
        return event.end + dt.timedelta(hours=hours)
    zone = ZoneInfo(settings.TIME_ZONE)
    day = event.end.astimezone(zone).date() + dt.timedelta(days=1)
    return dt.datetime.combine(day, dt.time(settings.EVENTS_SURVEY_HOUR), tzinfo=zone)


def _check_rating(rating) -> int:
    try:
        value = int(rating)
    except (TypeError, ValueError):
        value = 0
    if not 1 <= value <= 5:
        raise SurveyError(gettext("Choisissez une note de 1 à 5."), "rating")
    return value


def answer(*, registration_id: int, rating, comment: str = "") -> SurveyAnswer:
    """The resident's answer from the signed link: once per registration."""
    value = _check_rating(rating)
    registration = Registration.objects.get(pk=registration_id)
    try:
        with transaction.atomic():
            return SurveyAnswer.objects.create(
                event_id=registration.event_id,
                registration=registration,
                rating=value,
                comment=(comment or "").strip()[:2000],
            )
    except IntegrityError:
        raise SurveyError(gettext("Vous avez déjà répondu à ce questionnaire. Merci !")) from None


def enter_paper_answer(*, event_id: int, rating, comment: str = "", user=None) -> SurveyAnswer:
    value = _check_rating(rating)
    return SurveyAnswer.objects.create(
        event_id=event_id,
        rating=value,
        comment=(comment or "").strip()[:2000],
        source=SurveyAnswer.Source.PAPER,
        entered_by=user,
    )


def send_surveys(now: dt.datetime | None = None) -> int:
    """Queue the survey of every attendee with an email of each event whose survey is due.
    One message per registration, however often it runs (the outbox's dedup key)."""
    now = now or timezone.now()
    lookback = now - dt.timedelta(days=settings.EVENTS_SURVEY_WINDOW_DAYS)
    already = OutboxMessage.objects.filter(
        kind=OutboxMessage.Kind.SURVEY, registration=models.OuterRef("pk")
    )
    registrations = (
        Registration.objects.filter(
            attendance__status=Attendance.Status.ATTENDED,
            event__end__gte=lookback,
            event__end__lte=now,
            event__cancelled_at__isnull=True,
            person__email__isnull=False,
            survey_answer__isnull=True,
        )
        .exclude(person__email="")
        .exclude(models.Exists(already))
        .select_related("event", "person")
    )
    count = 0
    for registration in registrations:
        if due_at(registration.event) > now:
            continue
        with transaction.atomic():
            message = queue_message(
                kind=OutboxMessage.Kind.SURVEY,
                person=registration.person,
                registration=registration,
                dedup_key=f"survey:{registration.pk}",
            )
        count += message is not None
    return count


# -- results ----------------------------------------------------------------------------------


def results(answers, *by: str) -> list[dict]:
    """Average rating and number of answers, grouped by `by` (a lookup path), in one query."""
    return list(
        answers.values(*by).annotate(average=Avg("rating"), answers=Count("pk")).order_by(*by)
    )


def response_rate(events) -> dict:
    """Answers given online over surveys sent, for these events."""
    sent = OutboxMessage.objects.filter(
        kind=OutboxMessage.Kind.SURVEY, registration__event__in=events
    ).count()
    answered = SurveyAnswer.objects.filter(
        event__in=events, source=SurveyAnswer.Source.ONLINE
    ).count()
    return {"sent": sent, "answered": answered, "rate": (answered / sent) if sent else None}
