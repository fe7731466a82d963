"""The mediators' rules at the door and on the phone, one function per action: mark who came,
count walk-ins, mark a call, and build the rows of the attendance sheet and of the exports.

Every tap carries the state it wants (attended, no-show, called, no answer), never a toggle, and
a walk-in carries a key generated when the form was shown: repeating a request changes nothing.
The views of events.attendance.views call these after checking the user's role and territory.
"""

import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path

from django.db import IntegrityError, transaction
from django.db.models import Count, F, Prefetch, Q, Sum
from django.template import TemplateDoesNotExist
from django.template.loader import get_template, render_to_string
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext as _

import phonenumbers

from community import exports
from community.models import AgeBand
from community.rule_errors import RuleError
from events.models import Event
from events.models.attendance import Attendance, WalkIn
from events.models.bookings import Participant, Registration
from events.models.outbox import OutboxMessage
from events.outbox import delivery
from events.signup.rules import short_code


class AttendanceError(RuleError):
    """A refused action; `message` is French, for the mediator."""


# -- check-in ----------------------------------------------------------------------------------


def mark_attendance(
    *, event_id: int, registration_id: int, status: str, user, participant_id: int | None = None
) -> Attendance:
    """Set whether a registration's people came: all of them, or one (`participant_id`), since
    a mother may come without her child. The registration's own row then says "present" when
    anyone of the party came, "absent" when no one did. The same call twice leaves the same
    state. Refused for a registration of another event or a cancelled one."""
    if status not in Attendance.Status.values:
        raise AttendanceError(_("Choisissez « présent » ou « absent »."))
    with transaction.atomic():
        registration = (
            Registration.objects.select_for_update()
            .filter(pk=registration_id, event_id=event_id)
            .first()
        )
        if registration is None:
            raise AttendanceError(_("Cette inscription ne fait pas partie de cet événement."))
        if registration.status == Registration.Status.CANCELLED:
            raise AttendanceError(
                _("Cette inscription est annulée : elle ne peut pas être pointée.")
            )
        people = Participant.objects.filter(registration=registration)
        if participant_id is not None:
            people = people.filter(pk=participant_id)
            if not people.exists():
                raise AttendanceError(_("Cette personne ne fait pas partie de l'inscription."))
        people.exclude(presence=status).update(presence=status)
        anyone = Participant.objects.filter(
            registration=registration, presence=Attendance.Status.ATTENDED
        ).exists()
        party_status = Attendance.Status.ATTENDED if anyone else Attendance.Status.NO_SHOW
        attendance, created = Attendance.objects.get_or_create(
            registration=registration,
            defaults={"status": party_status, "marked_by": user, "marked_at": timezone.now()},
        )
        if not created and attendance.status != party_status:
            attendance.status = party_status
            attendance.marked_by = user
            attendance.marked_at = timezone.now()
            attendance.save(update_fields=["status", "marked_by", "marked_at"])
    return attendance


def remove_walk_in(*, event_id: int, walk_in_id: int) -> WalkIn | None:
    """Take back a walk-in entered by mistake. Returns the removed row, or None when it was
    already gone (a repeated tap changes nothing)."""
    walk_in = WalkIn.objects.filter(pk=walk_in_id, event_id=event_id).first()
    if walk_in is None:
        return None
    walk_in.delete()
    return walk_in


def add_walk_in(
    *,
    event_id: int,
    count: int,
    age_band: str,
    client_key: str,
    user,
    first_name: str = "",
    contact: str = "",
    consent_text: str = "",
) -> tuple[WalkIn, bool]:
    """Count `count` people of one age band who came without signing up. Returns (row, created):
    a retried POST with the same key finds the first row and counts nothing more."""
    client_key = (client_key or "").strip()
    if not client_key or len(client_key) > 64:
        raise AttendanceError(_("Le formulaire a expiré : rechargez la page et recommencez."))
    existing = WalkIn.objects.filter(client_key=client_key).first()
    if existing is not None:
        if existing.event_id != event_id:
            raise AttendanceError(_("Le formulaire a expiré : rechargez la page et recommencez."))
        return existing, False
    if not isinstance(count, int) or count < 1:
        raise AttendanceError(_("Indiquez un nombre de personnes d'au moins 1."), "count")
    if count > 500:
        raise AttendanceError(_("Ce nombre de personnes est trop grand."), "count")
    if age_band not in AgeBand.values:
        raise AttendanceError(_("Indiquez la tranche d'âge."), "age_band")
    first_name, contact = first_name.strip(), contact.strip()
    if (first_name or contact) and not consent_text.strip():
        raise AttendanceError(
            _("Pour noter un prénom ou un contact, la personne doit avoir donné son accord."),
            "consent",
        )
    if not Event.objects.filter(pk=event_id).exists():
        raise AttendanceError(_("Cet événement n'existe pas."))
    try:
        with transaction.atomic():
            walk_in = WalkIn.objects.create(
                event_id=event_id,
                count=count,
                age_band=age_band,
                first_name=first_name,
                contact=contact,
                consent_text=consent_text.strip() if (first_name or contact) else "",
                created_by=user,
                client_key=client_key,
            )
    except IntegrityError:  # the same POST, twice at once: the other one wrote the row
        return WalkIn.objects.get(client_key=client_key), False
    return walk_in, True


@dataclass
class Counts:
    confirmed_seats: int
    waitlisted_seats: int
    attended_seats: int
    no_show_seats: int
    walk_ins: int

    @property
    def present(self) -> int:
        """Everyone who came: registered parties marked present, and walk-ins."""
        return self.attended_seats + self.walk_ins


def counts(event_id: int) -> Counts:
    """The door's figures, in two queries."""
    # People, not parties: each participant is checked in on their own (a registration's
    # seats are its participants, so one query counts both).
    status = "registration__status"
    totals = Participant.objects.filter(registration__event_id=event_id).aggregate(
        confirmed=Count("pk", filter=Q(**{status: Registration.Status.CONFIRMED})),
        waitlisted=Count("pk", filter=Q(**{status: Registration.Status.WAITLISTED})),
        attended=Count(
            "pk",
            filter=Q(presence=Attendance.Status.ATTENDED) & ~Q(**{status: "cancelled"}),
        ),
        no_show=Count(
            "pk",
            filter=Q(presence=Attendance.Status.NO_SHOW) & ~Q(**{status: "cancelled"}),
        ),
    )
    walk_ins = WalkIn.objects.filter(event_id=event_id).aggregate(total=Sum("count"))["total"]
    return Counts(
        confirmed_seats=totals["confirmed"] or 0,
        waitlisted_seats=totals["waitlisted"] or 0,
        attended_seats=totals["attended"] or 0,
        no_show_seats=totals["no_show"] or 0,
        walk_ins=walk_ins or 0,
    )


def checkin_registrations(
    event: Event, query: str = "", with_access_needs: bool = False
) -> list[Registration]:
    """The live registrations of the door list, confirmed first then the waitlist, each with
    its participants and attendance, in a constant number of queries. With `with_access_needs`
    (the caller asked events.permissions.can_read_access_needs) each row also carries
    `access_needs_text`; otherwise they are not even read."""
    queryset = (
        Registration.objects.live()
        .filter(event=event)
        .select_related("person", "attendance")
        .prefetch_related(Prefetch("participants", queryset=Participant.objects.order_by("pk")))
        .order_by("status", "waitlist_position", "person__last_name", "person__first_name", "pk")
    )
    code = "".join(query.split())
    if code.isdigit() and len(code) <= 9:
        # A booking's short code, read out on the phone (events.signup.rules.short_code).
        found = queryset.filter(Q(booking_id=int(code)) | Q(person__phone__icontains=code))
        return _with_needs(found, with_access_needs)
    for word in query.split()[:5]:
        queryset = queryset.filter(
            Q(person__first_name__icontains=word)
            | Q(person__last_name__icontains=word)
            | Q(participants__first_name__icontains=word)
            | Q(person__phone__icontains=word)
        ).distinct()
    return _with_needs(queryset, with_access_needs)


def _with_needs(queryset, with_access_needs: bool) -> list[Registration]:
    if with_access_needs:
        queryset = queryset.annotate(access_needs_text=F("booking__access_needs"))
    return list(queryset)


# -- the call list -----------------------------------------------------------------------------


def call_messages(queryset, limit: int = 300) -> list[OutboxMessage]:
    """The call rows of `queryset` (already restricted to the user's territories), with what to
    say rendered once and saved in one query. What is said is written to be spoken
    (events/calls/<kind>.txt): no attachment, no address to read out, a short code instead."""
    messages = list(
        queryset.filter(channel=OutboxMessage.Channel.CALL)
        .select_related(
            "person__territory",
            "registration__event__territory",
            "registration__booking",
            "handled_by",
        )
        .prefetch_related(
            Prefetch("registration__participants", queryset=Participant.objects.order_by("pk"))
        )
        .order_by("due_at", "pk")[:limit]
    )
    for message in messages:
        message.phone_display = national_phone(message.to_phone)
    fresh = [_render_script(m) for m in messages if not m.subject]
    if fresh:
        OutboxMessage.objects.bulk_update(
            fresh, ["subject", "body_text", "body_html", "attachments"], batch_size=500
        )
    return messages


def _render_script(message: OutboxMessage) -> OutboxMessage:
    """The email's subject and calendar file (kept on the row), and as text what the mediator
    says on the phone, when the kind has a spoken version."""
    delivery.render(message, save=False)
    template = f"events/calls/{message.kind}.txt"
    try:
        get_template(template)
    except TemplateDoesNotExist:
        return message
    context = delivery.message_context(message)
    registration = message.registration
    territory = getattr(message.person, "territory", None)
    if registration is not None:
        context["short_code"] = short_code(registration.booking)
        territory = registration.event.territory
    if territory is not None and territory.phone:
        context["team"] = territory
        context["team_phone"] = national_phone(territory.phone)
    message.body_text = render_to_string(template, context)
    message.body_html = ""
    return message


@dataclass
class CallCard:
    """One person to call and every message to tell them, oldest first."""

    person: object
    phone: str
    phone_display: str
    messages: list

    @property
    def pk(self) -> str:
        return self.phone.lstrip("+") or str(getattr(self.person, "pk", ""))

    @property
    def ids(self) -> list[int]:
        return [m.pk for m in self.messages]

    @property
    def attempts(self) -> int:
        return max(m.attempts for m in self.messages)

    @property
    def due_at(self):
        return self.messages[0].due_at

    @property
    def last_try(self):
        tried = [m.sent_at for m in self.messages if m.state == OutboxMessage.State.NO_ANSWER]
        return max(tried) if tried else None


def call_cards(messages) -> list[CallCard]:
    """The messages to call, one card per person (by phone number: one call tells them all),
    in the order of each person's oldest message."""
    cards: dict = {}
    for message in messages:
        key = message.to_phone or f"person-{message.person_id}"  # one call reaches a number
        card = cards.get(key)
        if card is None:
            cards[key] = card = CallCard(
                message.person, message.to_phone, message.phone_display, []
            )
        card.messages.append(message)
    return sorted(cards.values(), key=lambda c: (c.due_at, c.messages[0].pk))


def group_by_day(cards) -> list[tuple[dt.date, list]]:
    days: dict[dt.date, list] = {}
    for card in cards:
        days.setdefault(timezone.localdate(card.due_at), []).append(card)
    return sorted(days.items())


TO_CALL = (OutboxMessage.State.PENDING, OutboxMessage.State.NO_ANSWER)


def mark_call(
    *,
    message_id: int,
    state: str,
    user,
    visible=None,
    also: list[int] | None = None,
    seen_attempts: int | None = None,
) -> OutboxMessage:
    """Record the outcome of a call to one person: "called" (what their messages say was told)
    or "no answer" (the messages stay on the list to call again, with one more attempt counted).

    `also` are the other messages on the same person's card. `seen_attempts` is the number of
    attempts the page showed: a repeated "no answer" tap finds it already counted and adds none.
    `visible` is the queryset of messages the user may handle; a message outside it is refused
    like an unknown one."""
    if state not in (OutboxMessage.State.CALLED, OutboxMessage.State.NO_ANSWER):
        raise AttendanceError(_("Choisissez « appelé » ou « pas de réponse »."))
    queryset = visible if visible is not None else OutboxMessage.objects.all()
    now = timezone.now()
    with transaction.atomic():
        message = (
            queryset.select_for_update(of=("self",))
            .filter(pk=message_id, channel=OutboxMessage.Channel.CALL)
            .first()
        )
        if message is None:
            raise AttendanceError(_("Ce message n'est pas sur votre liste d'appels."))
        card = [message]
        if also:
            # Only messages to the same number: a forged id of someone else's changes nothing.
            card += list(
                queryset.select_for_update(of=("self",))
                .filter(
                    pk__in=[i for i in also if i != message_id],
                    channel=OutboxMessage.Channel.CALL,
                    to_phone=message.to_phone,
                )
                .order_by("pk")
            )
        for row in card:
            _mark_one(row, state, user, now, seen_attempts)
    return message


def _mark_one(message: OutboxMessage, state: str, user, now, seen_attempts: int | None) -> None:
    if state == OutboxMessage.State.NO_ANSWER:
        if message.state == OutboxMessage.State.CALLED:
            return  # someone reached them meanwhile
        if seen_attempts is not None and message.attempts > seen_attempts:
            return  # this tap was already counted
        message.attempts += 1
    elif message.state == state:
        return
    message.state = state
    message.handled_by = user
    message.sent_at = now
    message.save(update_fields=["state", "handled_by", "sent_at", "attempts"])


# -- the attendance sheet and the exports ------------------------------------------------------


def sheet_rows(event: Event) -> list[dict]:
    """One row per confirmed participant: first name, the contact's name, age band."""
    registrations = (
        Registration.objects.confirmed()
        .filter(event=event)
        .select_related("person")
        .prefetch_related(Prefetch("participants", queryset=Participant.objects.order_by("pk")))
        .order_by("person__last_name", "person__first_name", "pk")
    )
    rows = []
    for registration in registrations:
        for participant in registration.participants.all():
            rows.append(
                {
                    "first_name": participant.first_name,
                    "contact": f"{registration.person.first_name} {registration.person.last_name}".strip(),
                    "age_band": participant.get_age_band_display(),
                }
            )
    return rows


def blank_lines(event: Event, rows: list) -> int:
    """Lines left blank on the sheet for walk-ins."""
    return max(8, min(30, len(rows) // 2))


def national_phone(phone: str | None) -> str:
    if not phone:
        return ""
    try:
        number = phonenumbers.parse(phone, "FR")
    except phonenumbers.NumberParseException:
        return phone
    if number.country_code == 33:
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def export_header() -> list[str]:
    return [
        _("Type"),
        _("Statut"),
        _("Présence"),
        _("Nom"),
        _("Prénom"),
        _("Téléphone"),
        _("Adresse électronique"),
        _("Participants"),
        _("Tranches d'âge"),
        _("Places"),
        _("Origine"),
        _("Saisie par"),
        _("Date"),
    ]


def export_rows(event: Event) -> list[list]:
    """The rows of a session's export, built once for CSV and XLSX: every registration with its
    attendance, then the walk-ins. Access needs are never read here. Cells are neutralised by the writer (community.exports)."""
    registrations = (
        Registration.objects.filter(event=event)
        .select_related("person", "booking", "booking__created_by", "attendance")
        .prefetch_related(Prefetch("participants", queryset=Participant.objects.order_by("pk")))
        .order_by("status", "waitlist_position", "person__last_name", "pk")
    )
    rows = []
    for r in registrations:
        attendance = getattr(r, "attendance", None)
        participants = list(r.participants.all())
        rows.append(
            [
                _("Inscription"),
                r.get_status_display(),
                attendance.get_status_display() if attendance else "",
                r.person.last_name,
                r.person.first_name,
                national_phone(r.person.phone),
                r.person.email or "",
                ", ".join(p.first_name for p in participants),
                ", ".join(p.age_band for p in participants),
                r.seats,
                r.booking.get_source_display(),
                str(r.booking.created_by or ""),
                timezone.localtime(r.created_at).strftime("%d/%m/%Y %H:%M"),
            ]
        )
    for walk_in in WalkIn.objects.filter(event=event).select_related("created_by"):
        rows.append(
            [
                _("Sans inscription"),
                "",
                Attendance.Status.ATTENDED.label,
                "",
                walk_in.first_name,
                walk_in.contact if walk_in.contact and "@" not in walk_in.contact else "",
                walk_in.contact if "@" in walk_in.contact else "",
                walk_in.first_name,
                walk_in.age_band,
                walk_in.count,
                _("Sur place, sans inscription"),
                str(walk_in.created_by or ""),
                timezone.localtime(walk_in.created_at).strftime("%d/%m/%Y %H:%M"),
            ]
        )
    return [[c if isinstance(c, int) else str(c) for c in row] for row in rows]


def export_csv(event: Event) -> bytes:
    return exports.to_csv(export_header(), export_rows(event))


def export_xlsx(event: Event) -> bytes:
    return exports.to_xlsx(export_header(), export_rows(event), _("Inscriptions"))


DEJAVU = Path("/usr/share/fonts/truetype/dejavu")


def _fonts() -> tuple[str, str]:
    """DejaVu (every name's letters) when installed, else the PDF's built-in Helvetica."""
    from reportlab.pdfbase import pdfmetrics  # noqa: PLC0415 -- start-up cost: reportlab loads only when a PDF is drawn
    from reportlab.pdfbase.ttfonts import TTFont  # noqa: PLC0415 -- start-up cost: reportlab loads only when a PDF is drawn

    regular, bold = DEJAVU / "DejaVuSans.ttf", DEJAVU / "DejaVuSans-Bold.ttf"
    if regular.exists() and bold.exists():
        if "DejaVuSans" not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont("DejaVuSans", str(regular)))
            pdfmetrics.registerFont(TTFont("DejaVuSans-Bold", str(bold)))
        return "DejaVuSans", "DejaVuSans-Bold"
    return "Helvetica", "Helvetica-Bold"


def sheet_pdf(event: Event) -> bytes:
    """The attendance sheet ("feuille d'émargement") funders ask for, as an A4 PDF."""
    from reportlab.lib import colors  # noqa: PLC0415 -- start-up cost: reportlab loads only when a PDF is drawn
    from reportlab.lib.pagesizes import A4  # noqa: PLC0415 -- start-up cost: reportlab loads only when a PDF is drawn
    from reportlab.lib.styles import ParagraphStyle  # noqa: PLC0415 -- start-up cost: reportlab loads only when a PDF is drawn
    from reportlab.lib.units import mm  # noqa: PLC0415 -- start-up cost: reportlab loads only when a PDF is drawn
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle  # noqa: PLC0415 -- start-up cost: reportlab loads only when a PDF is drawn

    regular, bold = _fonts()
    rows = sheet_rows(event)
    start = timezone.localtime(event.start)
    title_style = ParagraphStyle("title", fontName=bold, fontSize=15, leading=19)
    text_style = ParagraphStyle("text", fontName=regular, fontSize=10, leading=13)
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=15 * mm,
        bottomMargin=15 * mm,
        title=_("Feuille d'émargement : %(title)s") % {"title": event.title},
        author="Vivre Ensemble",
    )
    story = [
        Paragraph(escape(_("Feuille d'émargement")), title_style),
        Paragraph(escape(event.title), title_style),
        Spacer(1, 3 * mm),
        Paragraph(
            escape(
                f"{start.strftime('%d/%m/%Y %H:%M')} · {event.venue_name} · {event.territory.name}"
            ),
            text_style,
        ),
        Spacer(1, 5 * mm),
    ]
    data = [["N°", _("Prénom"), _("Inscrit par"), _("Tranche d'âge"), _("Signature")]]
    for index, row in enumerate(rows, start=1):
        data.append([str(index), row["first_name"], row["contact"], row["age_band"], ""])
    for index in range(len(rows) + 1, len(rows) + blank_lines(event, rows) + 1):
        data.append([str(index), "", "", "", ""])
    table = Table(
        data,
        colWidths=[12 * mm, 42 * mm, 45 * mm, 30 * mm, 51 * mm],
        rowHeights=[8 * mm] + [10 * mm] * (len(data) - 1),
        repeatRows=1,
    )
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, 0), bold, 10),
                ("FONT", (0, 1), (-1, -1), regular, 10),
                ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8e8e8")),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ]
        )
    )
    story.append(table)
    document.build(story)
    return buffer.getvalue()
