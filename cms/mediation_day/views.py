"""The mediation day's public forms, routes of MediationDayPage: one booking for several
sessions, the page that confirms it, and a partner's stand request."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from cms.mediation_day import stands
from cms.mediation_day.forms import STAND_CONSENT_TEXT, ProgrammeBookingForm, StandRequestForm
from community.ratelimit import limit_public_posts
from community.rule_errors import show_on_form
from events.programme import rules as programme_rules
from events.signup import answers, idempotency
from events.signup import rules as signup
from events.signup.forms import CONSENT_TEXT
from events.signup.views import initial_for


@limit_public_posts("programme")
def mediation_day_booking(request, page):
    """One form for several sessions of the day: contact, party, and the sessions ticked on the
    timeline. Every rule is in events.programme.rules; a refusal keeps the other choices."""
    context = {
        "page": page,
        "self": page,
        **programme_rules.timeline(page.programme),
        "booking_url": page.url + page.reverse_subpage("book"),
    }
    sessions = context["sessions"]
    status = 200
    if request.method == "POST":
        form = ProgrammeBookingForm(request.POST, sessions=sessions)
        if form.is_valid():
            data = form.cleaned_data
            try:
                programme_rules.book_sessions(
                    programme_id=page.programme_id,
                    event_ids=form.chosen_ids(),
                    contact=form.contact(),
                    participants=form.participants_data(),
                    consent_text=str(CONSENT_TEXT),
                    guardian_consent=data["guardian_consent"],
                    access_needs=data["access_needs"],
                    access_needs_consent=data["access_needs_consent"],
                    submission_key=idempotency.bind(request, data["submission_key"]),
                    accept_waitlist=data["accept_waitlist"],
                )
            except signup.AlreadyRegistered as exc:
                # Answered exactly as a new booking: the link goes to the address on record.
                signup.send_existing_link(exc.registration_id)
                return redirect(_booked_url(page))
            except (ValidationError, signup.SignupError) as exc:
                show_on_form(form, exc)
            else:
                # The same answer whoever booked and whatever happened (events.signup.answers).
                return redirect(_booked_url(page))
        status = 400
    else:
        form = ProgrammeBookingForm(
            initial={**initial_for(request.user), "submission_key": idempotency.issue(request)},
            sessions=sessions,
        )
    context.update(form=form, chosen=form.chosen_values())
    return _render(request, "cms/mediation_day_booking.html", context, status)


def _booked_url(page) -> str:
    return page.url + page.reverse_subpage("booked")


@require_GET
def mediation_day_booked(request, page):
    """The answer to the day's booking form: the same for every anonymous visitor, with the
    day's public page; a signed-in resident also sees their own booking."""
    context = answers.context(
        request,
        "programme",
        page.programme_id,
        page.title,
        [(_("Revoir le programme de la journée"), page.url)],
    )
    return _render(request, "events/received.html", {**context, "page": page}, 200)


def _render(request, template, context, status):
    return render(request, template, context, status=status)


@limit_public_posts("stand", fields=("contact_email", "contact_phone"))
def mediation_day_stand(request, page):
    """A partner organisation asks for a stand; staff decide in the admin."""
    status = 200
    if request.method == "POST":
        form = StandRequestForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                stands.request_stand(
                    page,
                    organisation=data["organisation"],
                    organisation_name=data["organisation_name"],
                    contact_name=data["contact_name"],
                    contact_email=data["contact_email"],
                    contact_phone=data["contact_phone"],
                    needs_table=data["needs_table"],
                    needs_power=data["needs_power"],
                    description=data["description"],
                    consent_text=str(STAND_CONSENT_TEXT) if data["consent"] else "",
                )
            except ValidationError as exc:
                show_on_form(form, exc)
            else:
                messages.success(
                    request,
                    _("Merci : votre demande de stand est enregistrée. Nous vous répondrons."),
                )
                return redirect(page.url)
        status = 400
    else:
        form = StandRequestForm()
    return _render(
        request, "cms/mediation_day_stand.html", {"page": page, "self": page, "form": form}, status
    )
