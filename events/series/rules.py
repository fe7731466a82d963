"""Café Médiation series: a recurrence of sessions (each an Event), the residents who follow the
series, the topics they propose and support, and the summary of each session.

Models first, then the rules (one function per action), called by the public pages, the staff
pages, the admin, the beat task and the demo alike. Imported by events.models.
"""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from dateutil.relativedelta import relativedelta

from community import identity
from community.models import AgeBand
from community.rule_errors import RuleError
from events import recurrence, services, signals
from events.models import (
    CafeSeries,
    Event,
    SeriesFollow,
    SeriesSession,
    SessionSummary,
    Topic,
    TopicSupport,
)
from events.models.bookings import Registration
from events.models.outbox import OutboxMessage
from events.outbox.delivery import queue_message
from events.signup import rules as signup

# -- rules ------------------------------------------------------------------------------------


class SeriesError(RuleError):
    """A rule of the series refused the action; `message` is French, for the person."""


@dataclass
class SyncResult:
    created: int = 0
    moved: int = 0
    updated: int = 0
    cancelled: int = 0
    signed_up: int = 0


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

    now = now or timezone.now()
    result = SyncResult()
    with transaction.atomic():
        series = CafeSeries.objects.select_for_update().get(pk=series_id)
        wanted = _wanted_days(series, now)
        sessions = {
            s.day: s
            for s in SeriesSession.objects.filter(series=series, event__start__gt=now)
            .select_related("event")
            .order_by("day")
        }
        all_days = set(SeriesSession.objects.filter(series=series).values_list("day", flat=True))
        result.moved = _move_sessions(sessions, wanted, all_days)
        changed_ids = _update_sessions(series, sessions, wanted, now, result)
        created_events = _create_sessions(series, wanted, sessions, all_days)
        result.created = len(created_events)
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


def _wanted_days(series: CafeSeries, now: dt.datetime) -> list[dt.date]:
    """The days the recurrence puts a session on, from now to the horizon (none when the series
    is stopped)."""
    if not series.active:
        return []
    today = timezone.localdate(now)
    return [
        day
        for day in recurrence.dates(series.rule(), today, horizon_end(today))
        if recurrence.local_span(day, series.start_time, series.end_time)[0] > now
    ]


def _move_sessions(sessions: dict, wanted: list[dt.date], all_days: set[dt.date]) -> int:
    """Pairs each removed day with an added one and moves that session (updating `sessions`):
    a removed day and an added day are one session moved, its registrants keep their seat."""
    removed = sorted(day for day in sessions if day not in wanted)
    added = [day for day in wanted if day not in sessions]
    moves = list(zip(removed, [d for d in added if d not in all_days], strict=False))
    for old_day, new_day in moves:
        session = sessions.pop(old_day)
        session.day = new_day
        session.save(update_fields=["day"])
        sessions[new_day] = session
    return len(moves)


def _update_sessions(
    series: CafeSeries,
    sessions: dict,
    wanted: list[dt.date],
    now: dt.datetime,
    result: SyncResult,
) -> list[int]:
    """Cancels the sessions no longer in the cycle and brings the others in line with the
    series (reinstated, details updated, the waitlist promoted when seats grew); returns the
    ids of the events whose details changed, whose registrants are to be told."""
    changed_ids = []
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
            signals.send_on_commit(event.pk)
            changed_ids.append(event.pk)
            if grew:
                locked = signup.lock_event(event.pk)
                signup.promote_waitlist(locked, now)
            result.updated += 1
    return changed_ids


def _create_sessions(
    series: CafeSeries, wanted: list[dt.date], sessions: dict, all_days: set[dt.date]
) -> list[Event]:
    """A live, announced event and its session for each wanted day the series never had, led
    by the series' facilitators."""
    facilitators = list(series.facilitators.all())
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
    return created_events


def sync_all(now: dt.datetime | None = None) -> int:
    """The beat task: every active series, one after the other."""
    count = 0
    for series_id in CafeSeries.objects.filter(active=True).values_list("pk", flat=True):
        sync_series(series_id, now)
        count += 1
    return count


def _sign_up_follower(follow: SeriesFollow, event_id: int, now: dt.datetime, notify: bool = True):
    """Register the follower on one session (waitlisted when full). Once per follow and session:
    a follower who said "I can't come" is not signed up again. `notify=False` leaves the
    message to the caller (following: one email lists every session)."""

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
            participants=follow_party(follow),
            guardian_consent=follow.guardian_consent,
            consent_text=follow.consent_text,
            submission_key=f"follow:{follow.pk}:{event_id}",
            follow=follow,
            now=now,
            notify=notify,
        )
    except (signup.SignupError, ValidationError):
        return None  # closed, already signed up on their own, or a party too large: skipped
    return outcome.registration if outcome.created else None


def follow_party(follow: SeriesFollow) -> list:
    """Who each session's registration seats: the follower, then their companions."""
    person = follow.person
    return [signup.ParticipantData(person.first_name or "-", follow.age_band)] + [
        signup.ParticipantData(c["first_name"] or "-", c["age_band"]) for c in follow.companions
    ]


def follow(
    *,
    series_id: int,
    contact,
    age_band: str,
    consent_text: str,
    companions: list | tuple = (),
    guardian_consent: bool = False,
    now: dt.datetime | None = None,
) -> SeriesFollow:
    """Follow a series: the resident, and the `companions` (ParticipantData) who come with
    them, are signed up to each coming session (waitlisted where it is full), now and as
    sessions are generated. A child under 15 among them needs the guardian's accord, as for a
    one-off sign-up (events.signup.rules.check_party).

    Following again changes nothing; either way the follow page's link is sent to the address
    on record (or put on the call list), so the public answer never depends on whether the
    person already followed. The returned follow's `created` says whether this call made it."""

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
    companions = list(companions)
    party = [signup.ParticipantData(contact.first_name or "-", age_band), *companions]
    signup.check_party(party, contact, guardian_consent)
    series = CafeSeries.objects.filter(pk=series_id, active=True).first()
    if series is None:
        raise SeriesError(_("Ce cycle n'est plus proposé."))
    if series.capacity is not None and len(party) > series.capacity:
        raise SeriesError(
            _("Ce groupe compte %(party)s personnes pour %(capacity)s places par séance.")
            % {"party": len(party), "capacity": series.capacity},
            "participants",
        )
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
                companions=[
                    {"first_name": c.first_name, "age_band": c.age_band} for c in companions
                ],
                guardian_consent=guardian_consent
                and any(c.age_band == AgeBand.CHILD for c in party),
                created_at=now,
            )
    except IntegrityError:  # the same person at the same instant: the other request made it
        person = identity.identify(contact)
        existing = SeriesFollow.objects.get(series=series, person=person, stopped_at__isnull=True)
        existing.created = False
        return existing
    followed.person = person
    followed.created = True
    upcoming = SeriesSession.objects.filter(
        series=series, event__start__gt=now, event__cancelled_at__isnull=True, event__live=True
    ).values_list("event_id", flat=True)
    for event_id in upcoming:
        # One email for all of them (below), not one confirmation per session.
        _sign_up_follower(followed, event_id, now, notify=False)
    send_follow_link(followed, now)
    return followed


def send_follow_link(followed: SeriesFollow, now: dt.datetime | None = None):
    """Send the follower the link to their follow page with the dates of their coming sessions
    (email, or the call list for a phone-only person); at most once a day per follow."""

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
    signals.send_on_commit()
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
    signals.send_on_commit(event_id)
    topic.session_id = event_id
    return topic


SUMMARY_MAX_LENGTH = 5000


def publish_summary(*, event_id: int, text: str, user=None, now=None) -> SessionSummary:
    """Publish (or correct) the summary of a session that took place."""

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
