"""The annual mediation day's rules: its sessions as a timeline of parallel tracks with seats
left, clash detection, and one booking for several sessions.

Booking several sessions reuses the sign-up rules of events.signup.rules (one `register` per session,
each locking its event row while it counts seats) inside one transaction, so the booking is
all or nothing; one message then lists the whole programme with one calendar file.
"""

import datetime as dt
from dataclasses import dataclass, field
from itertools import combinations

from django.db import transaction
from django.db.models import Count, IntegerField, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from community import formats, identity
from events.models import Event, EventKind
from events.models.attendance import Attendance, WalkIn
from events.models.bookings import Booking, Participant, Registration
from events.models.outbox import OutboxMessage
from events.models.programme import Programme, Track
from events.outbox.delivery import queue_message
from events.signup import rules as signup

SESSION = EventKind.MEDIATION_DAY_SESSION


class ProgrammeError(signup.SignupError):
    """A rule refused the choice of sessions; the message is French, for the person."""


@dataclass
class ProgrammeOutcome:
    booking: Booking
    registrations: list[Registration] = field(default_factory=list)
    created: bool = True

    @property
    def confirmed(self) -> list[Registration]:
        return [r for r in self.registrations if r.status == Registration.Status.CONFIRMED]

    @property
    def waitlisted(self) -> list[Registration]:
        return [r for r in self.registrations if r.status == Registration.Status.WAITLISTED]


# -- reading ------------------------------------------------------------------------------------


def _sum_by(queryset, group_by: str, column: str):
    """The sum of `column` over `queryset` (already filtered on the outer event), or 0."""
    return Coalesce(
        Subquery(
            queryset.values(group_by).annotate(total=Sum(column)).values("total"),
            output_field=IntegerField(),
        ),
        Value(0),
    )


def _confirmed_seats():
    confirmed = Registration.objects.filter(
        event=OuterRef("pk"), status=Registration.Status.CONFIRMED
    )
    return _sum_by(confirmed, "event", "seats")


def sessions(programme_id: int, *, published_only: bool = True):
    """The programme's sessions in time order, each with its track and `confirmed_seats`,
    in one query."""
    queryset = Event.objects.filter(kind=SESSION, track__programme_id=programme_id)
    if published_only:
        queryset = queryset.published()
    return (
        queryset.select_related("track", "territory")
        .annotate(confirmed_seats=_confirmed_seats())
        .order_by("start", "track__sort_order", "pk")
    )


def seats_left(session: Event) -> int | None:
    """Seats left of a session read by `sessions()` (None: free entry)."""
    if session.capacity is None:
        return None
    return max(session.capacity - session.confirmed_seats, 0)


@dataclass
class Slot:
    start: dt.datetime
    sessions: list[Event]


def timeline(programme: Programme) -> dict:
    """What the day's page draws: the tracks, and the sessions grouped by start time (each
    slot lists the parallel sessions of the tracks). Two queries, whatever the size."""
    tracks = list(Track.objects.filter(programme=programme).order_by("sort_order", "pk"))
    slots: list[Slot] = []
    items = list(sessions(programme.pk))
    for session in items:
        session.seats_left = seats_left(session)
        if slots and slots[-1].start == session.start:
            slots[-1].sessions.append(session)
        else:
            slots.append(Slot(session.start, [session]))
    return {"tracks": tracks, "slots": slots, "sessions": items}


def overlaps(a: Event, b: Event) -> bool:
    """Two sessions overlap when each starts before the other ends: touching is allowed."""
    return a.start < b.end and b.start < a.end


def clashes(events: list[Event]) -> list[tuple[Event, Event]]:
    """Every pair of the chosen sessions that overlap, in time order."""
    ordered = sorted(events, key=lambda e: (e.start, e.end, e.pk))
    return [(a, b) for a, b in combinations(ordered, 2) if overlaps(a, b)]


def _hours(event: Event) -> str:
    return f"{formats.hour_text(event.start)}–{formats.hour_text(event.end)}"


def clash_message(a: Event, b: Event) -> str:
    return _(
        "« %(first)s » (%(first_hours)s) et « %(second)s » (%(second_hours)s) ont lieu en même "
        "temps : gardez l'une des deux."
    ) % {"first": a.title, "first_hours": _hours(a), "second": b.title, "second_hours": _hours(b)}


def check_choice(programme_id: int, event_ids: list[int]) -> list[Event]:
    """The chosen sessions, refused with a French message when one is not of this programme,
    not published, cancelled, or when two of them overlap."""
    ids = sorted(set(event_ids))
    if not ids:
        raise ProgrammeError(_("Choisissez au moins une séance."), "sessions")
    events = list(
        Event.objects.filter(pk__in=ids).select_related("track", "territory").order_by("pk")
    )
    if len(events) != len(ids):
        raise ProgrammeError(_("Une des séances choisies n'existe pas."), "sessions")
    for event in events:
        if event.kind != SESSION or event.track is None or event.track.programme_id != programme_id:
            raise ProgrammeError(
                _("« %(title)s » ne fait pas partie du programme de cette journée.")
                % {"title": event.title},
                "sessions",
            )
        if event.cancelled_at is not None:
            raise ProgrammeError(
                _("« %(title)s » est annulée : retirez-la de votre programme.")
                % {"title": event.title},
                "sessions",
            )
        if not event.live:
            raise ProgrammeError(
                _("« %(title)s » n'est pas publiée.") % {"title": event.title}, "sessions"
            )
    found = clashes(events)
    if found:
        raise ProgrammeError(clash_message(*found[0]), "sessions")
    return events


# -- booking ------------------------------------------------------------------------------------


def book_sessions(
    *,
    programme_id: int,
    event_ids: list[int],
    contact: signup.Contact,
    participants: list[signup.ParticipantData],
    consent_text: str,
    source: str = Booking.Source.ONLINE,
    created_by=None,
    guardian_consent: bool = False,
    access_needs: str = "",
    access_needs_consent: bool = False,
    submission_key: str | None = None,
    accept_waitlist: bool = True,
    now: dt.datetime | None = None,
) -> ProgrammeOutcome:
    """Book `participants` on every chosen session at once, as one booking.

    Each session is confirmed when its seats cover the party, otherwise waitlisted (when
    `accept_waitlist`); the rest stays confirmed. Nothing is written when any choice is refused
    (clash, another programme, cancelled, closed, already registered). One message lists it all."""
    if submission_key:
        # Keys are bound to the visitor's browser (events.signup.idempotency): only the browser that
        # made this booking can send this key again.
        existing = Booking.objects.filter(submission_key=submission_key).first()
        if existing is not None:
            return ProgrammeOutcome(existing, list(existing.registrations.all()), created=False)
    chosen = check_choice(programme_id, event_ids)
    now = now or timezone.now()
    with transaction.atomic():
        person = identity.identify(contact, entered_by=created_by)
        _check_no_clash_with_booked(programme_id, chosen, person)
        booking = Booking.objects.create(
            person=person,
            source=source,
            created_by=created_by,
            consent_text=consent_text.strip(),
            consent_given_at=now,
            guardian_consent=guardian_consent,
            access_needs=access_needs.strip() if access_needs_consent else "",
            access_needs_consent_at=now if access_needs_consent and access_needs.strip() else None,
            submission_key=submission_key or None,
        )
        registrations = []
        for event in chosen:  # in id order: concurrent bookings lock events in the same order
            try:
                outcome = signup.register(
                    event_id=event.pk,
                    contact=contact,
                    participants=participants,
                    consent_text=consent_text,
                    source=source,
                    created_by=created_by,
                    guardian_consent=guardian_consent,
                    access_needs=access_needs,
                    access_needs_consent=access_needs_consent,
                    accept_waitlist=accept_waitlist,
                    now=now,
                    booking=booking,
                    notify=False,
                )
            except signup.AlreadyRegistered as exc:
                exc.message = _("« %(title)s » : %(reason)s") % {
                    "title": event.title,
                    "reason": exc.message,
                }
                raise
            except signup.SignupError as exc:
                raise ProgrammeError(
                    _("« %(title)s » : %(reason)s") % {"title": event.title, "reason": exc.message},
                    exc.field or "sessions",
                ) from exc
            registrations.append(outcome.registration)
        first = min(registrations, key=lambda r: (r.event.start, r.pk))
        queue_message(
            kind=OutboxMessage.Kind.PROGRAMME,
            person=person,
            registration=first,
            dedup_key=f"programme:{booking.pk}",
        )
    registrations.sort(key=lambda r: (r.event.start, r.pk))
    return ProgrammeOutcome(booking, registrations)


def _check_no_clash_with_booked(programme_id: int, chosen: list[Event], person) -> None:
    """Refuses a choice that overlaps a session of the same programme the person already
    booked outside this choice."""
    already = list(
        Event.objects.filter(
            kind=SESSION,
            track__programme_id=programme_id,
            registrations__person=person,
            registrations__status__in=[
                Registration.Status.CONFIRMED,
                Registration.Status.WAITLISTED,
            ],
        ).exclude(pk__in=[e.pk for e in chosen])
    )
    for mine in already:
        for event in chosen:
            if overlaps(mine, event):
                # What this person booked is theirs to know: a public caller answers as
                # for a new booking and sends the link to the address on record.
                raise signup.AlreadyRegistered(
                    Registration.objects.live()
                    .filter(event=mine, person=person)
                    .values_list("pk", flat=True)
                    .first(),
                    _("Vous êtes déjà inscrit à « %(mine)s », à la même heure que « %(title)s ».")
                    % {"mine": mine.title, "title": event.title},
                )


def message_context(booking: Booking) -> dict:
    """What the programme's confirmation shows: every live session of the booking, and one
    calendar file holding them all (events.outbox.delivery renders it)."""
    registrations = list(
        booking.registrations.live()
        .select_related("event", "event__territory", "event__track__programme")
        .order_by("event__start", "pk")
    )
    events = [r.event for r in registrations]
    programme = events[0].track.programme if events and events[0].track_id else None
    context = {"programme_registrations": registrations, "calendar_events": events}
    if programme is not None:
        context.update(
            programme=programme,
            calendar_name=str(programme),
            calendar_filename=f"journee-mediation-{programme.year}.ics",
        )
    return context


# -- after the day ------------------------------------------------------------------------------


def attendance_by_session(programme_id: int) -> list[dict]:
    """Who came to each session, from check-in: the people marked present (one by one: a
    mother may come without her child), and walk-ins. One query, whatever the number of
    sessions."""
    attended = Participant.objects.filter(
        registration__event=OuterRef("pk"), presence=Attendance.Status.ATTENDED
    ).exclude(registration__status=Registration.Status.CANCELLED)
    walk_ins = WalkIn.objects.filter(event=OuterRef("pk"))
    rows = (
        sessions(programme_id)
        .filter(cancelled_at__isnull=True)
        .annotate(
            attended_seats=Coalesce(
                Subquery(
                    attended.values("registration__event")
                    .annotate(total=Count("pk"))
                    .values("total"),
                    output_field=IntegerField(),
                ),
                Value(0),
            ),
            walk_in_count=_sum_by(walk_ins, "event", "count"),
        )
    )
    return [
        {
            "session": session,
            "registered": session.confirmed_seats,
            "attended": session.attended_seats,
            "walk_ins": session.walk_in_count,
            "present": session.attended_seats + session.walk_in_count,
        }
        for session in rows
    ]


def programme_for_year(year: int) -> Programme | None:
    return Programme.objects.filter(year=year).first()
