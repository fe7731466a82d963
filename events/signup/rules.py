"""The sign-up rules, one function per action: register, cancel, reduce a party, promote the
waitlist, remind, tell registrants of a change or a cancellation. Views, the admin, the
mediators' pages, tasks and commands all call these.

Capacity holds under any number of concurrent requests: every function that counts seats locks
the event row first (SELECT ... FOR UPDATE) and counts, decides and writes in that transaction.
"""

import datetime as dt
import hashlib
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from community import formats, identity, sms
from community.models import AgeBand
from community.normalise import normalise_phone
from community.rule_errors import RuleError
from events import signals, tokens
from events.models import Event, EventKind, SeatGroup
from events.models.bookings import Booking, Participant, Registration
from events.models.outbox import OutboxMessage
from events.outbox.delivery import queue_message
from events.signup import seat_groups as workshops


class SignupError(RuleError):
    """A rule refused the sign-up; `message` is French, for the person; `field` names the form
    field it belongs to, when there is one."""


# Contact details as typed; who they designate is decided by community.identity alone.
Contact = identity.Contact


class AlreadyRegistered(SignupError):
    """The person is already registered for the event. Never shown as such to a public visitor
    (it would tell who is registered): the caller answers as for a new sign-up and sends the
    existing link to the address on record (`send_existing_link`)."""

    def __init__(self, registration_id: int, message: str | None = None):
        super().__init__(message or _("Vous êtes déjà inscrit à cet événement."), "email")
        self.registration_id = registration_id


@dataclass(frozen=True)
class ParticipantData:
    first_name: str
    age_band: str


@dataclass
class Outcome:
    registration: Registration
    created: bool = True
    messages: list = field(default_factory=list)


# -- links ------------------------------------------------------------------------------------

BadToken = tokens.BadToken
signed_token = tokens.sign
manage_url = tokens.manage_url


def short_code(booking) -> str:
    """A booking's reference to say aloud on the phone and to give back when calling the team
    (who find the booking with it): digits in pairs, never a web address."""
    digits = f"{booking.pk:04d}"
    return " ".join(digits[i : i + 2] for i in range(0, len(digits), 2))


def booking_from_token(value: str) -> Booking:
    """The booking a link's signed token names; BadToken when tampered, expired or unknown."""
    booking = Booking.objects.select_related("person").filter(token=tokens.unsign(value)).first()
    if booking is None:
        raise BadToken("no booking holds this token")
    return booking


def booking_page(value: str) -> tuple[Booking, list[Registration]]:
    """The booking a link's signed token names with its registrations, their events and
    participants, in two queries (the registrations carry their booking); BadToken as
    `booking_from_token`."""
    registrations = list(
        Registration.objects.filter(booking__token=tokens.unsign(value))
        .select_related("booking", "event")
        .prefetch_related("participants")
    )
    if not registrations:
        return booking_from_token(value), []
    return registrations[0].booking, registrations


# -- people ------------------------------------------------------------------------------------


def send_existing_link(registration_id: int, now: dt.datetime | None = None):
    """Send a registration's message again (its link to the booking page, its calendar file) to
    the address on record, or put it on the call list for a phone-only person: what a visitor
    who is already registered gets, whoever typed the details. At most once a day per
    registration, so the form cannot be used to flood someone."""
    registration = Registration.objects.select_related("person", "event").get(pk=registration_id)
    kind = (
        OutboxMessage.Kind.WAITLISTED
        if registration.status == Registration.Status.WAITLISTED
        else OutboxMessage.Kind.CONFIRMATION
    )
    day = timezone.localdate(now or timezone.now()).isoformat()
    with transaction.atomic():
        return queue_message(
            kind=kind,
            person=registration.person,
            registration=registration,
            dedup_key=f"{kind}:again:{registration.pk}:{day}",
        )


# -- seats -------------------------------------------------------------------------------------


def lock_event(event_id: int, fields: tuple[str, ...] = ()) -> Event:
    """The event row, locked until the transaction ends: whoever counts seats holds it. Whoever
    holds it may change the seats left that the event's page shows: the pages kept for
    anonymous visitors are told once the transaction commits. `fields`: only those columns are
    read (the others would cost a query each if read later)."""
    events = Event.objects.select_for_update()
    if fields:
        events = events.only(*fields)
    event = events.get(pk=event_id)
    signals.send_on_commit(event_id, seats=True)
    return event


def seats_taken(event_id: int) -> int:
    return (
        Registration.objects.filter(
            event_id=event_id, status=Registration.Status.CONFIRMED
        ).aggregate(total=Sum("seats"))["total"]
        or 0
    )


def seats_left(event: Event) -> int | None:
    """Seats still free, or None when the event has no capacity (free entry). An event read
    with its seats counted in the same query (events.queries, `with_seats`) costs no query."""
    if event.capacity is None:
        return None
    counted = event.__dict__.get("seats_left")
    if counted is not None:
        return counted
    return max(event.capacity - seats_taken(event.pk), 0)


def registration_closed_reason(event: Event, now: dt.datetime | None = None) -> str | None:
    """Why nobody can sign up now, in French; None when sign-up is open."""
    now = now or timezone.now()
    if not event.live:
        return _("Cet événement n'est pas publié.")
    if event.cancelled_at is not None:
        return _("Cet événement est annulé.")
    if event.start <= now:
        return _("Cet événement a déjà commencé ou est passé : les inscriptions sont closes.")
    if event.registration_opens_at and now < event.registration_opens_at:
        return _("Les inscriptions ouvriront le %(date)s.") % {
            "date": formats.when(event.registration_opens_at, "date_heure")
        }
    if event.registration_closes_at and now >= event.registration_closes_at:
        return _("Les inscriptions sont closes.")
    return None


def registration_context(event: Event) -> dict:
    """What a page shows about signing up for `event`: why it is closed, and seats left."""
    context = {"closed_reason": registration_closed_reason(event), "seats_left": seats_left(event)}
    groups = _seat_groups(event)
    if groups:
        free = workshops.left(event.pk, groups)
        context["seat_groups"] = [
            {"label": g.label, "bands": g.age_band_labels(), "left": max(free[g.pk], 0)}
            for g in groups
        ]
    return context


def check_party(
    participants: list[ParticipantData], contact: Contact, guardian_consent: bool
) -> None:
    """Refuses a party without participants, with an incomplete one, or with a child under 15
    signed up by a child or without the guardian's consent (the forms run it to show every
    error at once)."""
    if not participants:
        raise SignupError(_("Indiquez au moins un participant."), "participants")
    for participant in participants:
        if not participant.first_name.strip():
            raise SignupError(_("Indiquez le prénom de chaque participant."), "participants")
        if participant.age_band not in AgeBand.values:
            raise SignupError(_("Indiquez la tranche d'âge de chaque participant."), "participants")
    if any(p.age_band == AgeBand.CHILD for p in participants):
        if contact.age_band == AgeBand.CHILD:
            raise SignupError(
                _("Un enfant de moins de 15 ans doit être inscrit par un adulte responsable."),
                "age_band",
            )
        if not guardian_consent:
            raise SignupError(
                _(
                    "Pour inscrire un enfant de moins de 15 ans, confirmez que vous êtes son "
                    "responsable légal et que vous donnez votre accord."
                ),
                "guardian_consent",
            )


def check_sms_consent(contact: Contact, sms_consent: bool) -> None:
    """Texts need a mobile number: the consent to them is refused without one (an invalid
    number is refused on its own field by community.identity)."""
    if not sms_consent:
        return
    try:
        phone = normalise_phone(contact.phone)
    except ValidationError:
        return
    if not phone:
        raise SignupError(
            _("Pour recevoir des SMS, indiquez votre numéro de portable."), "sms_consent"
        )
    if not sms.is_mobile(phone):
        raise SignupError(
            _("Ce numéro n'est pas un numéro de portable : il ne peut pas recevoir de SMS."),
            "sms_consent",
        )


# -- actions -----------------------------------------------------------------------------------


def register(
    *,
    event_id: int,
    contact: Contact,
    participants: list[ParticipantData],
    consent_text: str,
    source: str = Booking.Source.ONLINE,
    created_by=None,
    guardian_consent: bool = False,
    access_needs: str = "",
    access_needs_consent: bool = False,
    submission_key: str | None = None,
    accept_waitlist: bool = True,
    now: dt.datetime | None = None,
    booking: Booking | None = None,
    notify: bool = True,
    person=None,
    follow=None,
    sms_consent: bool = False,
    language: str = "",
) -> Outcome:
    """Sign `participants` up for the event, as one booking made by `contact`.

    Confirmed when the seats left cover the whole party, otherwise on the waitlist (a party is
    never split). Raises SignupError (French message) or ValidationError (per field).

    `booking` adds this registration to an existing booking (the mediation day books several
    sessions at once, events.programme.rules); `notify=False` leaves the message to that caller.
    `person` is given when the caller already knows who it is (a series follower, whose
    `follow` the booking then records); otherwise community.identity decides from `contact`
    (staff-entered when `created_by` is set).

    `submission_key` must come from `events.signup.idempotency.bind` (or be internal): a key already
    used for this event returns that booking's registration, so it must never be a value a
    visitor can choose.

    `sms_consent`: the contact agreed to get this booking's messages as texts on the mobile
    number given (recorded on the booking, like the other consents). `language`: the page's, in
    which the booking's emails are written (the site's language when empty)."""
    _check_request(consent_text, access_needs, access_needs_consent, source)
    contact = identity.clean(contact)
    check_party(participants, contact, guardian_consent)
    check_sms_consent(contact, sms_consent)
    request = _Request(
        event_id=event_id,
        contact=contact,
        participants=participants,
        consent_text=consent_text,
        source=source,
        created_by=created_by,
        guardian_consent=guardian_consent,
        access_needs=access_needs,
        access_needs_consent=access_needs_consent,
        submission_key=submission_key,
        accept_waitlist=accept_waitlist,
        now=now or timezone.now(),
        booking=booking,
        notify=notify,
        person=person,
        follow=follow,
        sms_consent=sms_consent,
        language=language,
    )
    for attempt in (1, 2):
        try:
            with transaction.atomic():
                return _register_once(request)
        except IntegrityError as exc:
            # A uniqueness constraint refused a write and rolled the whole attempt back: the
            # same form submitted twice at once (the other request's registration is the
            # outcome), or someone made meanwhile (the person, or their registration). One more
            # attempt then finds them: who they are, and that they are already registered.
            again = _same_submission(event_id, submission_key)
            if again is not None:
                return Outcome(again, created=False)
            if attempt == 2:
                raise SignupError(_("Vous êtes déjà inscrit à cet événement."), "email") from exc
    raise AssertionError("unreachable")


@dataclass(frozen=True)
class _Request:
    """What `register` was asked, checked, for each attempt of its transaction."""

    event_id: int
    contact: Contact
    participants: list
    consent_text: str
    source: str
    created_by: object
    guardian_consent: bool
    access_needs: str
    access_needs_consent: bool
    submission_key: str | None
    accept_waitlist: bool
    now: dt.datetime
    booking: Booking | None
    notify: bool
    person: object
    follow: object
    sms_consent: bool
    language: str


# What a sign-up reads of the event it locks (its other columns, the description among them,
# are not needed to count and decide).
LOCKED_FIELDS = (
    "id",
    "live",
    "kind",
    "start",
    "capacity",
    "cancelled_at",
    "registration_opens_at",
    "registration_closes_at",
)


def _register_once(r: _Request) -> Outcome:
    """One attempt of `register`, in its transaction. Who and how first: none of it needs the
    event's lock, which is held only for the counting and writing of seats. No savepoint: an
    IntegrityError rolls the attempt back and `register` decides."""
    person = r.booking.person if r.booking is not None else r.person
    if person is None:
        person = identity.identify(r.contact, entered_by=r.created_by, savepoint=False)
    booking = r.booking or _new_booking(
        person=person,
        source=r.source,
        created_by=r.created_by,
        consent_text=r.consent_text,
        guardian_consent=r.guardian_consent,
        access_needs=r.access_needs,
        access_needs_consent=r.access_needs_consent,
        submission_key=r.submission_key,
        follow=r.follow,
        now=r.now,
        sms_consent=r.sms_consent,
        language=r.language,
    )
    event = lock_event(r.event_id, fields=LOCKED_FIELDS)
    _check_event_open(event, len(r.participants), r.now)
    counts = _counts_under_lock(event, person)
    if counts["mine"] is not None:
        raise AlreadyRegistered(counts["mine"])
    fits = _party_fits(event, r.participants, r.accept_waitlist, counts["taken"] or 0)
    registration = _create_registration(
        booking, event, person, r.participants, fits, r.now, counts["last_position"] or 0
    )
    if r.notify:
        message = _queue_status_message(registration, event, new_registration=True)
        if r.created_by is not None and r.source != Booking.Source.ONLINE:
            _told_by(message, r.created_by, r.now)
    return Outcome(registration)


def _check_request(
    consent_text: str, access_needs: str, access_needs_consent: bool, source: str
) -> None:
    """What a sign-up needs before anyone is looked up: consent, the accord for access needs,
    a known source."""
    if not consent_text.strip():
        raise SignupError(
            _("Le consentement de la personne est nécessaire pour l'inscrire."), "consent"
        )
    if access_needs.strip() and not access_needs_consent:
        raise SignupError(
            _(
                "Cochez la case d'accord pour que nous puissions enregistrer vos besoins d'accessibilité."
            ),
            "access_needs_consent",
        )
    if source not in Booking.Source.values:
        raise SignupError(_("Origine de l'inscription inconnue."), "source")


def _new_booking(
    *,
    person,
    source: str,
    created_by,
    consent_text: str,
    guardian_consent: bool,
    access_needs: str,
    access_needs_consent: bool,
    submission_key: str | None,
    follow,
    now: dt.datetime,
    sms_consent: bool = False,
    language: str = "",
) -> Booking:
    """The booking that records who signed up, with which consent; access needs are kept only
    with their accord."""
    return Booking.objects.create(
        person=person,
        source=source,
        created_by=created_by,
        consent_text=consent_text.strip(),
        consent_given_at=now,
        guardian_consent=guardian_consent,
        access_needs=access_needs.strip() if access_needs_consent else "",
        access_needs_consent_at=now if access_needs_consent and access_needs.strip() else None,
        submission_key=submission_key or None,
        follow=follow,
        sms_consent_at=now if sms_consent else None,
        # The page's language (its emails are written in it); the site's language otherwise.
        language=language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE,
    )


def _check_event_open(event: Event, party: int, now: dt.datetime) -> None:
    """Refuses a sign-up the event cannot take at all: closed, or a party above its capacity."""
    reason = registration_closed_reason(event, now)
    if reason:
        raise SignupError(reason)
    if event.capacity is not None and party > event.capacity:
        raise SignupError(
            _("Ce groupe compte %(party)s personnes pour %(capacity)s places en tout.")
            % {"party": party, "capacity": event.capacity},
            "participants",
        )


# What a sign-up decides on, in SQL: the ORM's aggregate with filtered Sum and Max cost about
# 0.7 ms of CPU to build and compile on each sign-up, more than PostgreSQL takes to answer it,
# and sign-ups are what a burst is made of. CASE rather than FILTER: SQLite runs it too.
_COUNTS_UNDER_LOCK_SQL = (
    'SELECT SUM(CASE WHEN "status" = %s THEN "seats" END), MAX("waitlist_position"), '
    'MAX(CASE WHEN "person_id" = %s AND "status" <> %s THEN "id" END) '
    'FROM "events_registration" WHERE "event_id" = %s'
)


def _counts_under_lock(event: Event, person) -> dict:
    """What a sign-up decides on, in one query (the caller holds the event's lock): the seats
    confirmed (`taken`), the last waitlist position (`last_position`; only waitlisted
    registrations have one) and the person's live registration, if any (`mine`)."""
    status = Registration.Status
    with transaction.get_connection().cursor() as cursor:
        cursor.execute(
            _COUNTS_UNDER_LOCK_SQL,
            [status.CONFIRMED.value, person.pk, status.CANCELLED.value, event.pk],
        )
        taken, last_position, mine = cursor.fetchone()
    return {"taken": taken, "last_position": last_position, "mine": mine}


def _party_fits(
    event: Event, participants: list[ParticipantData], accept_waitlist: bool, taken: int
) -> bool:
    """Whether the whole party fits in the seats left (under the event's lock; `taken`: the
    seats confirmed); refuses when it does not and the person declined the waitlist."""
    party = len(participants)
    groups = _seat_groups(event)
    if groups:
        # Seats reserved per group of age bands: the party must fit in every group.
        need = workshops.needs(groups, [p.age_band for p in participants])
        _check_groups(groups, need)
        free = workshops.left(event.pk, groups)
        fits = workshops.fits(need, free)
        left = sum(max(free[key], 0) for key in need)
    else:
        left = None if event.capacity is None else event.capacity - taken
        fits = left is None or party <= left
    if not fits and not accept_waitlist:
        raise SignupError(
            _(
                "Il reste %(left)s place(s) pour %(party)s personne(s). Vous pouvez vous "
                "inscrire sur la liste d'attente : nous vous écrirons si des places se libèrent."
            )
            % {"left": max(left, 0), "party": party},
            "accept_waitlist",
        )
    return fits


def _create_registration(
    booking: Booking,
    event: Event,
    person,
    participants: list[ParticipantData],
    fits: bool,
    now: dt.datetime,
    last_position: int,
) -> Registration:
    """The registration, confirmed or last on the waitlist (after `last_position`), with its
    participants."""
    party = len(participants)
    if fits:
        registration = Registration.objects.create(
            booking=booking,
            event=event,
            person=person,
            status=Registration.Status.CONFIRMED,
            seats=party,
            confirmed_at=now,
        )
    else:
        registration = Registration.objects.create(
            booking=booking,
            event=event,
            person=person,
            status=Registration.Status.WAITLISTED,
            seats=party,
            waitlist_position=last_position + 1,
        )
    Participant.objects.bulk_create(
        Participant(registration=registration, first_name=p.first_name.strip(), age_band=p.age_band)
        for p in participants
    )
    return registration


def _same_submission(event_id: int, submission_key: str | None) -> Registration | None:
    """The registration the same form made when it was submitted twice at once."""
    if not submission_key:
        return None
    return (
        Registration.objects.filter(booking__submission_key=submission_key, event_id=event_id)
        .select_related("booking")
        .first()
    )


def _queue_status_message(
    registration: Registration,
    event: Event,
    kind: str | None = None,
    *,
    new_registration: bool = False,
):
    """`new_registration`: the registration was made in this transaction, so no message can
    hold its key yet (events.outbox.delivery.queue_message then writes without a savepoint)."""
    kind = kind or (
        OutboxMessage.Kind.CONFIRMATION
        if registration.status == Registration.Status.CONFIRMED
        else OutboxMessage.Kind.WAITLISTED
    )
    return queue_message(
        kind=kind,
        person=registration.person,
        registration=registration,
        dedup_key=f"{kind}:{registration.pk}",
        key_is_new=new_registration,
    )


def _told_by(message: OutboxMessage | None, user, now: dt.datetime) -> None:
    """A mediator signing someone up on the phone, at the door or at the venue is talking to
    them and tells them the outcome there: no call to make about it, so the call is recorded as
    made by that mediator (an email still goes to a person who has an address)."""
    if message is None or message.channel != OutboxMessage.Channel.CALL:
        return
    message.state = OutboxMessage.State.CALLED
    message.handled_by = user
    message.sent_at = now
    message.save(update_fields=["state", "handled_by", "sent_at"])


def promote_waitlist(event: Event, now: dt.datetime | None = None) -> list[Registration]:
    """Give freed seats to the waitlist in position order; a party that does not fit is
    skipped, never split. The caller holds the event's lock. Each promoted person is told once."""
    groups = _seat_groups(event)
    if groups:
        return _promote_per_group(event, groups, now)
    candidates = list(
        Registration.objects.waitlisted().filter(event=event).order_by("waitlist_position")
    )
    if event.capacity is None:
        left = sum(r.seats for r in candidates)
    else:
        left = event.capacity - seats_taken(event.pk)
    promoted = []
    now = now or timezone.now()
    for registration in candidates:
        if left <= 0:
            break
        if registration.seats > left:
            continue
        registration.status = Registration.Status.CONFIRMED
        registration.waitlist_position = None
        registration.confirmed_at = now
        registration.save(update_fields=["status", "waitlist_position", "confirmed_at"])
        left -= registration.seats
        promoted.append(registration)
        if event.start > now and event.cancelled_at is None:
            _queue_status_message(registration, event, OutboxMessage.Kind.PROMOTED)
    return promoted


def _seat_groups(event: Event) -> list:
    """The event's seats reserved per age band (intergenerational workshops only, so other
    events pay no query for it)."""
    if event.kind != EventKind.INTERGENERATIONAL:
        return []
    return list(SeatGroup.objects.filter(event_id=event.pk))


def _check_groups(groups: list, need: dict[int, int]) -> None:
    if -1 in need:
        raise SignupError(
            _("Cet atelier réserve ses places à ces tranches d'âge : %(bands)s.")
            % {"bands": "; ".join(g.age_band_labels() for g in groups)},
            "participants",
        )
    for group in groups:
        if need.get(group.pk, 0) > group.capacity:
            raise SignupError(
                _("Le groupe « %(label)s » compte %(capacity)s places en tout.")
                % {"label": group.label, "capacity": group.capacity},
                "participants",
            )


def _promote_per_group(event: Event, groups: list, now=None) -> list[Registration]:
    """Each group's freed seats go to that group's waitlist in order: a party waits only on the
    groups it needs, and is promoted when every one of them has room."""
    candidates = list(
        Registration.objects.waitlisted()
        .filter(event=event)
        .order_by("waitlist_position")
        .prefetch_related("participants")
    )
    free = workshops.left(event.pk, groups)
    promoted = []
    now = now or timezone.now()
    for registration in candidates:
        need = workshops.needs(groups, [p.age_band for p in registration.participants.all()])
        if not workshops.fits(need, free):
            continue
        for key, count in need.items():
            free[key] -= count
        registration.status = Registration.Status.CONFIRMED
        registration.waitlist_position = None
        registration.confirmed_at = now
        registration.save(update_fields=["status", "waitlist_position", "confirmed_at"])
        promoted.append(registration)
        if event.start > now and event.cancelled_at is None:
            _queue_status_message(registration, event, OutboxMessage.Kind.PROMOTED)
    return promoted


@transaction.atomic
def cancel_registration(
    registration_id: int, now: dt.datetime | None = None, tell_person: bool = False
) -> Registration:
    """Cancel a registration (the resident from their link, or staff) and give the seats to the
    waitlist. Cancelling twice changes nothing. With `tell_person` (the resident cancelled
    themselves) a message confirms what was cancelled."""
    event_id = Registration.objects.values_list("event_id", flat=True).get(pk=registration_id)
    event = lock_event(event_id)
    registration = Registration.objects.select_related("booking", "person").get(pk=registration_id)
    if registration.status == Registration.Status.CANCELLED:
        return registration
    was_confirmed = registration.status == Registration.Status.CONFIRMED
    registration.status = Registration.Status.CANCELLED
    registration.waitlist_position = None
    registration.cancelled_at = now or timezone.now()
    registration.save(update_fields=["status", "waitlist_position", "cancelled_at"])
    if was_confirmed:
        promote_waitlist(event, now)
    if tell_person:
        _queue_status_message(registration, event, OutboxMessage.Kind.WITHDRAWN)
    return registration


@transaction.atomic
def reduce_party(registration_id: int, keep_participant_ids: list[int], now=None) -> Registration:
    """Keep only these participants (at least one); freed seats go to the waitlist."""
    event_id = Registration.objects.values_list("event_id", flat=True).get(pk=registration_id)
    event = lock_event(event_id)
    registration = Registration.objects.get(pk=registration_id)
    if registration.status == Registration.Status.CANCELLED:
        raise SignupError(_("Cette inscription est annulée."))
    participants = list(registration.participants.all())
    keep = [p for p in participants if p.pk in set(keep_participant_ids)]
    if not keep:
        raise SignupError(
            _("Gardez au moins un participant, ou annulez l'inscription."), "participants"
        )
    if len(keep) == len(participants):
        return registration
    Participant.objects.filter(registration=registration).exclude(
        pk__in=[p.pk for p in keep]
    ).delete()
    registration.seats = len(keep)
    registration.save(update_fields=["seats"])
    if registration.status == Registration.Status.CONFIRMED:
        promote_waitlist(event, now)
    # The booking as it now stands, with its updated calendar file, to the person who made it.
    stamp = (now or timezone.now()).isoformat()
    kind = (
        OutboxMessage.Kind.CONFIRMATION
        if registration.status == Registration.Status.CONFIRMED
        else OutboxMessage.Kind.WAITLISTED
    )
    queue_message(
        kind=kind,
        person=registration.person,
        registration=registration,
        dedup_key=f"{kind}:{registration.pk}:changed:{registration.seats}:{stamp}",
    )
    return registration


def remove_participant(registration_id: int, participant_id: int, now=None) -> Participant:
    """Take one person off a registration (the "Retirer" button); returns who was removed.
    The last person cannot be removed: that is cancelling."""
    participant = Participant.objects.filter(
        pk=participant_id, registration_id=registration_id
    ).first()
    if participant is None:
        raise SignupError(_("Cette personne ne fait pas partie de l'inscription."))
    others = list(
        Participant.objects.filter(registration_id=registration_id)
        .exclude(pk=participant_id)
        .values_list("pk", flat=True)
    )
    reduce_party(registration_id, others, now)
    return participant


def send_reminders(now: dt.datetime | None = None) -> int:
    """Queue the reminder of every confirmed registration whose event starts within its
    reminder delay. Safe to run as often as beat likes: one reminder per registration and date."""
    now = now or timezone.now()
    horizon = now + dt.timedelta(hours=settings.EVENTS_MAX_REMINDER_HOURS)
    events = Event.objects.filter(
        live=True, cancelled_at__isnull=True, start__gt=now, start__lte=horizon
    )
    count = 0
    for event in events:
        if event.start - dt.timedelta(hours=event.reminder_hours) > now:
            continue
        registrations = (
            Registration.objects.confirmed().filter(event=event).select_related("person", "booking")
        )
        for registration in registrations:
            with transaction.atomic():
                message = queue_message(
                    kind=OutboxMessage.Kind.REMINDER,
                    person=registration.person,
                    registration=registration,
                    dedup_key=f"reminder:{registration.pk}:{event.start.isoformat()}",
                )
            count += message is not None
    return count


def announced_key_of(event: Event) -> str:
    """The facts registrants were told (dates and place) as a short key: when it changes, they
    are told again (notify_event_changed; the series update their sessions with it too)."""
    values = [event.start.isoformat(), event.end.isoformat(), event.venue_name, event.venue_address]
    return hashlib.sha256("|".join(values).encode()).hexdigest()[:16]


def notify_event_changed(event_id: int) -> int:
    """Tell every live registrant that the date, time or place changed (called when an edit is
    published). One message per registrant and version of the facts, however often it runs."""
    event = Event.objects.get(pk=event_id)
    if event.cancelled_at is not None or event.start <= timezone.now():
        return 0
    key = announced_key_of(event)
    if event.announced_key in ("", key):
        if event.announced_key == "":
            Event.objects.filter(pk=event.pk).update(announced_key=key)
        return 0
    count = 0
    with transaction.atomic():
        for registration in (
            Registration.objects.live().filter(event=event).select_related("person", "booking")
        ):
            message = queue_message(
                kind=OutboxMessage.Kind.CHANGED,
                person=registration.person,
                registration=registration,
                dedup_key=f"changed:{registration.pk}:{key}",
            )
            count += message is not None
        Event.objects.filter(pk=event.pk).update(announced_key=key)
    return count


def notify_event_cancelled(event_id: int) -> int:
    """Tell every live registrant that the event is cancelled, once each."""
    event = Event.objects.get(pk=event_id)
    count = 0
    with transaction.atomic():
        for registration in (
            Registration.objects.live().filter(event=event).select_related("person", "booking")
        ):
            message = queue_message(
                kind=OutboxMessage.Kind.CANCELLED,
                person=registration.person,
                registration=registration,
                dedup_key=f"cancelled:{registration.pk}",
            )
            count += message is not None
    return count
