"""The mediators' phone pages under /equipe/: today's sessions, signing a resident up on their
behalf, check-in at the door with walk-ins, the call list, the attendance sheet and the exports.

Every view: signed-in staff (else the login page or 403), the role's model permission (else
403), and an event of a territory the user may see, answered by community.permissions (else
404, so a guessed id reveals nothing). The rules are in events.attendance.rules and events.signup.rules.
"""

import datetime as dt

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q, Sum
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from community import permissions
from community.normalise import normalise_phone
from community.privacy import rules as privacy
from community.rule_errors import show_on_form
from events import queries
from events.attendance import rules as attendance
from events.attendance.forms import AssistedSignupForm, PersonSearchForm, WalkInForm
from events.models import Event
from events.models.attendance import Attendance
from events.models.bookings import Participant, Registration
from events.models.outbox import OutboxMessage
from events.permissions import can_read_access_needs, staff_page, visible_event
from events.signup import idempotency
from events.signup import rules as signup


def _visible_calls(user):
    return permissions.restrict_to_visible(
        OutboxMessage.objects.filter(channel=OutboxMessage.Channel.CALL),
        user,
        field="registration__event__territory",
    )


@require_GET
@staff_page("events.view_registration")
def home(request):
    today = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    events = list(
        permissions.restrict_to_visible(
            Event.objects.filter(
                start__gte=today, start__lt=today + dt.timedelta(days=31), cancelled_at__isnull=True
            )
            .select_related("territory")
            .annotate(
                booked=Sum(
                    "registrations__seats",
                    filter=Q(registrations__status=Registration.Status.CONFIRMED),
                )
            ),
            request.user,
        ).order_by("start", "pk")[:60]
    )
    tomorrow = today + dt.timedelta(days=1)
    to_call = (  # people, not messages: one call tells someone all of theirs
        _visible_calls(request.user)
        .filter(state__in=attendance.TO_CALL)
        .values("to_phone")
        .distinct()
        .count()
    )
    return render(
        request,
        "events/staff/home.html",
        {
            "today_events": [e for e in events if e.start < tomorrow],
            "upcoming_events": [e for e in events if e.start >= tomorrow],
            "to_call": to_call,
        },
    )


# -- check-in ----------------------------------------------------------------------------------


def _checkin_page(request, event, walk_in_form=None, status=200):
    query = request.GET.get("q", "").strip()[:100]
    rows = attendance.checkin_registrations(
        event, query, with_access_needs=can_read_access_needs(request.user, event)
    )
    today = timezone.localdate()
    not_today = timezone.localdate(event.start) != today
    return render(
        request,
        "events/staff/checkin.html",
        {
            "event": event,
            # Another day's session (tomorrow's, opened by mistake): the buttons wait for a
            # deliberate "check in anyway".
            "not_today": not_today,
            "can_mark": not not_today or request.GET.get("pointer") == "1",
            "query": query,
            "confirmed": [r for r in rows if r.status == Registration.Status.CONFIRMED],
            "waitlisted": [r for r in rows if r.status == Registration.Status.WAITLISTED],
            "counts": attendance.counts(event.pk),
            "walk_ins": list(event.walk_ins.order_by("-created_at", "-pk")),
            "walk_in_form": walk_in_form or WalkInForm(),
            "Status": Attendance.Status,
        },
        status=status,
    )


@require_GET
@staff_page("events.view_registration", "events.view_attendance")
def checkin(request, event_id: int):
    return _checkin_page(request, visible_event(request, event_id))


@require_POST
@staff_page("events.view_registration", "events.add_attendance", "events.change_attendance")
def checkin_mark(request, event_id: int, registration_id: int):
    event = visible_event(request, event_id)
    participant = request.POST.get("participant", "")
    status = request.POST.get("status", "")
    try:
        attendance.mark_attendance(
            event_id=event.pk,
            registration_id=registration_id,
            status=status,
            user=request.user,
            participant_id=int(participant) if participant.isdigit() else None,
        )
    except attendance.AttendanceError as exc:
        messages.error(request, exc.message)
        return _checkin_page(request, event, status=400)
    who = (
        Participant.objects.filter(pk=participant).values_list("first_name", flat=True).first()
        if participant.isdigit()
        else None
    ) or str(Registration.objects.get(pk=registration_id).person)
    messages.success(
        request,
        _("%(person)s : %(status)s.")
        % {"person": who, "status": Attendance.Status(status).label.lower()},
    )
    back = reverse("staff:checkin", args=[event.pk])
    if request.POST.get("pointer") == "1":
        back += "?pointer=1"
    return redirect(back + f"#inscription-{registration_id}")


@require_POST
@staff_page("events.view_registration", "events.add_walkin")
def walk_in(request, event_id: int):
    event = visible_event(request, event_id)
    form = WalkInForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            row, created = attendance.add_walk_in(
                event_id=event.pk,
                count=data["count"],
                age_band=data["age_band"],
                client_key=data["client_key"],
                user=request.user,
                first_name=data["first_name"],
                contact=data["contact"],
                consent_text=str(WalkInForm.CONSENT_TEXT) if data["consent"] else "",
            )
        except attendance.AttendanceError as exc:
            show_on_form(form, exc)
        else:
            if created:
                messages.success(
                    request,
                    _("Entrée sans inscription ajoutée : %(count)s × %(band)s.")
                    % {"count": row.count, "band": row.get_age_band_display()},
                )
            else:
                messages.info(request, _("Cette entrée était déjà enregistrée."))
            return redirect(reverse("staff:checkin", args=[event.pk]) + "#sans-inscription")
    return _checkin_page(request, event, walk_in_form=form, status=400)


@require_POST
@staff_page("events.view_registration", "events.delete_walkin")
def walk_in_undo(request, event_id: int):
    event = visible_event(request, event_id)
    walk_in = request.POST.get("walk_in", "")
    removed = (
        attendance.remove_walk_in(event_id=event.pk, walk_in_id=int(walk_in))
        if walk_in.isdigit()
        else None
    )
    if removed is not None:
        messages.success(
            request,
            _("Entrée sans inscription retirée : %(count)s × %(band)s.")
            % {"count": removed.count, "band": removed.get_age_band_display()},
        )
    return redirect(reverse("staff:checkin", args=[event.pk]) + "#sans-inscription")


# -- signing a resident up on their behalf -----------------------------------------------------


def _search_people(query: str, user):
    """Persons matching `query` among those `user` may find (events.queries)."""
    if len(query) < 2:
        return []
    condition = Q(email__iexact=query.strip())
    words = query.split()[:4]
    name = Q()
    for word in words:
        name &= Q(first_name__icontains=word) | Q(last_name__icontains=word)
    condition |= name
    try:
        phone = normalise_phone(query)
    except ValidationError:
        phone = None
    if phone:
        condition |= Q(phone=phone)
    people = queries.people_staff_may_find(user).filter(condition)
    return list(people.order_by("last_name", "first_name")[:10])


def _initial_from_person(request) -> dict:
    person_id = request.GET.get("personne", "")
    if not person_id.isdigit():
        return {}
    person = queries.people_staff_may_find(request.user).filter(pk=int(person_id)).first()
    if person is None:
        return {}
    return {
        "first_name": person.first_name,
        "last_name": person.last_name,
        "email": person.email or "",
        "phone": person.phone or "",
        "age_band": person.age_band,
    }


@require_http_methods(["GET", "POST"])
@staff_page("events.view_registration", "events.add_booking", "events.add_registration")
def assisted_signup(request, event_id: int):
    event = visible_event(request, event_id)
    search = PersonSearchForm(request.GET or None)
    query = search.cleaned_data["q"].strip() if search.is_valid() else ""
    context = {
        "event": event,
        "search": search,
        "query": query,
        "people": _search_people(query, request.user),
        **signup.registration_context(event),
    }
    status = 200
    if request.method == "POST":
        form = AssistedSignupForm(request.POST)
        if form.is_valid() and not context["closed_reason"]:
            data = form.cleaned_data
            try:
                outcome = signup.register(
                    event_id=event.pk,
                    contact=form.contact(),
                    participants=form.participants_data(),
                    consent_text=form.consent_text(request.user),
                    source=data["source"],
                    created_by=request.user,
                    guardian_consent=data["guardian_consent"],
                    access_needs=data["access_needs"],
                    access_needs_consent=data["access_needs_consent"],
                    submission_key=idempotency.bind(request, data["submission_key"]),
                    accept_waitlist=data["accept_waitlist"],
                    sms_consent=data.get("sms_consent", False),
                )
            except (ValidationError, signup.SignupError) as exc:
                show_on_form(form, exc)
            else:
                registration = outcome.registration
                person = registration.person
                if registration.status == Registration.Status.CONFIRMED:
                    text = _("%(person)s est inscrit(e) : inscription confirmée.")
                else:
                    text = _("%(person)s est inscrit(e) sur la liste d'attente, au rang %(rank)s.")
                text = text % {"person": person, "rank": registration.waitlist_position}
                texted = registration.messages.filter(channel=OutboxMessage.Channel.SMS)
                if texted.exists():
                    text += " " + _("La confirmation part par SMS.")
                elif not person.email:
                    text += " " + _("Sans adresse électronique : la confirmation est à appeler.")
                messages.success(request, text)
                if timezone.localdate(event.start) == timezone.localdate():
                    return redirect("staff:checkin", event_id=event.pk)
                return redirect("staff:home")
        status = 400
    else:
        form = AssistedSignupForm(
            initial={**_initial_from_person(request), "submission_key": idempotency.issue(request)}
        )
    context["form"] = form
    return render(request, "events/staff/signup.html", context, status=status)


# -- the call list -----------------------------------------------------------------------------


@require_GET
@staff_page("events.view_outboxmessage")
def calls(request):
    visible = _visible_calls(request.user)
    pending = attendance.call_messages(visible.filter(state__in=attendance.TO_CALL))
    since = timezone.now() - dt.timedelta(days=14)
    handled = attendance.call_messages(
        visible.filter(state=OutboxMessage.State.CALLED, sent_at__gte=since), limit=100
    )
    handled_cards = sorted(
        attendance.call_cards(handled), key=lambda c: c.messages[-1].sent_at, reverse=True
    )
    return render(
        request,
        "events/staff/calls.html",
        {
            "days": attendance.group_by_day(attendance.call_cards(pending)),
            "handled": handled_cards,
            "State": OutboxMessage.State,
        },
    )


def _ids(values) -> list[int]:
    return [int(v) for v in values if v.isdigit()][:50]


@require_POST
@staff_page("events.view_outboxmessage", "events.change_outboxmessage")
def call_mark(request, message_id: int):
    visible = _visible_calls(request.user)
    get_object_or_404(visible, pk=message_id)  # another territory's row: as if it did not exist
    seen = request.POST.get("seen", "")
    try:
        message = attendance.mark_call(
            message_id=message_id,
            state=request.POST.get("state", ""),
            user=request.user,
            visible=visible,
            also=_ids(request.POST.getlist("ids")),
            seen_attempts=int(seen) if seen.isdigit() else None,
        )
    except attendance.AttendanceError as exc:
        messages.error(request, exc.message)
        return redirect("staff:calls")
    who = message.person or attendance.national_phone(message.to_phone)
    if message.state == OutboxMessage.State.NO_ANSWER:
        text = _("%(person)s : pas de réponse. L'appel reste sur la liste, à refaire.")
    else:
        text = _("%(person)s : appelé.")
    messages.success(request, text % {"person": who})
    return redirect("staff:calls")


# -- the attendance sheet and the exports ------------------------------------------------------


def _filename(event: Event, extension: str) -> str:
    day = timezone.localtime(event.start).strftime("%Y-%m-%d")
    return f"{day}-{slugify(event.title)[:60] or event.pk}.{extension}"


@require_GET
@staff_page("events.view_registration", "events.view_attendance")
def sheet(request, event_id: int):
    event = visible_event(request, event_id)
    rows = attendance.sheet_rows(event)
    blank = range(len(rows) + 1, len(rows) + attendance.blank_lines(event, rows) + 1)
    return render(
        request, "events/staff/sheet.html", {"event": event, "rows": rows, "blank": blank}
    )


@require_GET
@staff_page("events.view_registration", "events.view_attendance")
def sheet_pdf(request, event_id: int):
    event = visible_event(request, event_id)
    privacy.log_export(event, by=request.user, what="sheet.pdf")
    response = HttpResponse(attendance.sheet_pdf(event), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="emargement-{_filename(event, "pdf")}"'
    return response


@require_GET
@staff_page("events.view_registration", "events.export_attendance")
def export_csv(request, event_id: int):
    event = visible_event(request, event_id)
    privacy.log_export(event, by=request.user, what="export.csv")
    response = HttpResponse(attendance.export_csv(event), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename(event, "csv")}"'
    return response


@require_GET
@staff_page("events.view_registration", "events.export_attendance")
def export_xlsx(request, event_id: int):
    event = visible_event(request, event_id)
    privacy.log_export(event, by=request.user, what="export.xlsx")
    response = HttpResponse(
        attendance.export_xlsx(event),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename(event, "xlsx")}"'
    return response
