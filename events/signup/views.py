"""Sign-up pages: the form on an event, the booking reached from the emails' signed link, and
a signed-in resident's registrations. Every rule is in events.signup.rules."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from community.ratelimit import limit_public_posts
from community.rule_errors import show_on_form
from events import ical
from events.models import CafeSeries, Event, SeriesFollow
from events.models.bookings import Registration
from events.queries import published_or_404
from events.signup import answers, form_page, idempotency
from events.signup import rules as signup
from events.signup.forms import CONSENT_TEXT, SignupForm
from events.tokens import follow_url


def initial_for(user) -> dict:
    """What a sign-up form is pre-filled with for `user`: their own Person's details, if any."""
    person = getattr(user, "person", None) if user.is_authenticated else None
    if person is None:
        return {"email": user.email} if user.is_authenticated else {}
    return {
        "first_name": person.first_name,
        "last_name": person.last_name,
        "email": person.email or "",
        "phone": person.phone or "",
        "age_band": person.age_band,
    }


def _received(pk: int, form) -> str:
    """The answer page; for a visitor who typed only a phone number (and no text messages) it
    says a mediator will call (it depends on what they typed, never on what was already known)."""
    url = answers.received_url("inscription", pk)
    data = form.cleaned_data
    return url if data.get("email") or data.get("sms_consent") else url + "?tel=1"


@require_http_methods(["GET", "POST"])
@limit_public_posts("signup")
def signup_view(request, pk: int):
    form = None
    if request.method == "POST" and "add_companion" in request.POST:
        # "+ Ajouter une personne" without JavaScript: the same answers, one more block.
        form = SignupForm(request.POST, on_demand=True).as_reopened()
    elif request.method == "POST":
        form = SignupForm(request.POST, on_demand=True)
        if form.is_valid():
            # The rules read the event under its lock and refuse a closed or unpublished one:
            # a sign-up that goes through reads it once.
            answer = _register(request, pk, form)
            if answer is not None:
                return answer
    event = published_or_404(pk, with_people=False, with_seats=True, only=FORM_PAGE_FIELDS)
    shown = signup.registration_context(event)  # seats left, per age group for workshops
    context = {"event": event, **shown}
    status = 200
    if form is None:
        initial = initial_for(request.user)
        key = idempotency.issue(request)
        # Blank for every anonymous visitor: the template serves its fields from a cache and
        # fills in the key, so the form itself is made only when that cache has no copy.
        context["blank_form"] = not initial
        context["submission_key"] = key
        context["form"] = SimpleLazyObject(
            lambda: SignupForm(initial={**initial, "submission_key": key}, on_demand=True)
        )
        if not initial and form_page.may_keep(request):
            return HttpResponse(
                form_page.render(request, "events/signup.html", context, shown, key)
            )
    else:
        context["blank_form"] = False
        context["form"] = form
        status = 400 if form.is_bound and (form.errors or context["closed_reason"]) else 200
    return render(request, "events/signup.html", context, status=status)


# What the sign-up form page shows of its event (events/signup.html) and what says whether
# it is open (events.signup.rules): a few columns, no related row.
FORM_PAGE_FIELDS = (*signup.LOCKED_FIELDS, "title", "title_en", "title_ar", "end")
# What the answer page shows of an event: its title, its links, the team to call.
ANSWER_PAGE_FIELDS = ("id", "title", "territory__name", "territory__phone")


def _register(request, pk: int, form: SignupForm):
    """Sign up from a valid form: the redirect to the answer page, or None with the refusal
    shown on the form (the page is then rendered again)."""
    data = form.cleaned_data
    try:
        signup.register(
            event_id=pk,
            contact=form.contact(),
            participants=form.participants_data(),
            consent_text=str(CONSENT_TEXT),
            guardian_consent=data["guardian_consent"],
            access_needs=data["access_needs"],
            access_needs_consent=data["access_needs_consent"],
            submission_key=idempotency.bind(request, data["submission_key"]),
            accept_waitlist=data["accept_waitlist"],
            sms_consent=data.get("sms_consent", False),
            language=translation.get_language(),
        )
    except Event.DoesNotExist:
        return None  # an unknown event: the page's look-up answers 404
    except signup.AlreadyRegistered as exc:
        # Answered exactly as a new sign-up: the link goes to the address on record.
        signup.send_existing_link(exc.registration_id)
    except (ValidationError, signup.SignupError) as exc:
        show_on_form(form, exc)
        return None
    # The same answer whoever signed up and whatever happened (events.signup.answers); the link
    # and status reach the address given, or the resident's own account.
    return redirect(_received(pk, form))


def _booking_or_400(request, token: str):
    try:
        return signup.booking_from_token(token), None
    except signup.BadToken:
        response = render(request, "events/bad_link.html", status=400)
        return None, response


@require_http_methods(["GET"])
def booking_view(request, token: str):
    try:
        booking, registrations = signup.booking_page(token)
    except signup.BadToken:
        return render(request, "events/bad_link.html", status=400)
    items = [
        {
            "registration": r,
            "calendars": ical.service_links(r.event),
        }
        for r in registrations
    ]
    return render(
        request,
        "events/booking.html",
        {"booking": booking, "items": items, "token": token, "now": timezone.now()},
    )


def _registration_of(booking, registration_id: int) -> Registration:
    registration = booking.registrations.filter(pk=registration_id).first()
    if registration is None:
        raise Http404(_("Cette inscription ne fait pas partie de votre réservation."))
    return registration


@require_http_methods(["GET", "POST"])
def cancel_view(request, token: str, registration_id: int):
    """GET asks for confirmation (a page, so it works without JavaScript); POST cancels."""
    booking, error = _booking_or_400(request, token)
    if error:
        return error
    registration = _registration_of(booking, registration_id)
    if request.method == "GET":
        return render(
            request,
            "events/booking_cancel.html",
            {"registration": registration, "event": registration.event, "token": token},
        )
    signup.cancel_registration(registration.pk, tell_person=True)
    messages.success(request, _("Votre inscription est annulée. Merci de nous avoir prévenus."))
    return redirect("events:booking", token=token)


@require_POST
def remove_view(request, token: str, registration_id: int, participant_id: int):
    booking, error = _booking_or_400(request, token)
    if error:
        return error
    registration = _registration_of(booking, registration_id)
    try:
        removed = signup.remove_participant(registration.pk, participant_id)
    except signup.SignupError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _(
                "%(name)s ne fait plus partie de l'inscription. Nous vous envoyons la "
                "confirmation à jour."
            )
            % {"name": removed.first_name},
        )
    return redirect("events:booking", token=token)


@login_required
def my_registrations(request):
    person = getattr(request.user, "person", None)
    registrations = []
    if person is not None:
        registrations = list(
            Registration.objects.filter(person=person)
            .select_related("event", "event__territory", "booking")
            .prefetch_related("participants")
            .order_by("event__start")
        )
    now = timezone.now()
    items = [{"registration": r, "manage_url": signup.manage_url(r.booking)} for r in registrations]
    follows = []
    if person is not None:
        follows = [
            {"follow": follow, "url": follow_url(follow)}
            for follow in SeriesFollow.objects.filter(person=person, stopped_at__isnull=True)
            .select_related("series")
            .order_by("series__title")
        ]
    return render(
        request,
        "events/my_registrations.html",
        {
            "upcoming": [item for item in items if item["registration"].event.end >= now],
            "past": [item for item in items if item["registration"].event.end < now][::-1],
            "follows": follows,
        },
    )


@require_http_methods(["GET"])
def received(request, kind: str, pk: int):
    """The answer page of the public sign-up and follow forms (events.signup.answers): the same for
    every anonymous visitor, with the public links of what was asked for."""
    if kind == "inscription":
        event = published_or_404(pk, with_people=False, only=ANSWER_PAGE_FIELDS)
        subject = event.title
        public_links = [
            (_("Ajouter l'événement à mon agenda"), reverse("events:ics", args=[event.pk])),
            (_("Revoir la page de l'événement"), event.get_absolute_url()),
        ]
    elif kind == "cycle":
        series = CafeSeries.objects.filter(pk=pk).first()
        if series is None:
            raise Http404
        subject = series.title
        public_links = [(_("Revoir la page du cycle"), series.get_absolute_url())]
    else:
        raise Http404
    context = answers.context(request, kind, pk, subject, public_links)
    context["team"] = event.territory if kind == "inscription" else series.territory
    context["by_phone"] = request.GET.get("tel") == "1"
    return render(request, "events/received.html", context)
