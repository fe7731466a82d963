"""Public views that are not pages: search, robots.txt, and the mediation day's booking and
stand forms (routes of MediationDayPage)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from wagtail.models import Page, Site

from cms import stands
from cms.mediation_day_forms import STAND_CONSENT_TEXT, ProgrammeBookingForm, StandRequestForm
from community.ratelimit import limit_public_posts
from events import answers, idempotency, signup
from events import programme as programme_rules
from events.signup_forms import CONSENT_TEXT
from events.signup_views import initial_for

RESULTS_PER_PAGE = 10
MAX_QUERY_LENGTH = 200


@require_GET
def search(request):
    """Search the live, public pages of the current site."""
    query = (request.GET.get("q") or "").strip()[:MAX_QUERY_LENGTH]
    results = None
    if query:
        site = Site.find_for_request(request)
        pages = Page.objects.live().public().specific()
        if site is not None:
            pages = pages.descendant_of(site.root_page, inclusive=True)
        paginator = Paginator(pages.search(query), RESULTS_PER_PAGE)
        try:
            results = paginator.page(request.GET.get("page", 1))
        except PageNotAnInteger:
            results = paginator.page(1)
        except EmptyPage:
            results = paginator.page(paginator.num_pages)
    return render(request, "cms/search.html", {"query": query, "results": results})


@require_GET
def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /recherche/",
        f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


# -- the mediation day (cms.models.mediation_day): its booking and stand forms -----------------


@limit_public_posts("programme")
def mediation_day_booking(request, page):
    """One form for several sessions of the day: contact, party, and the sessions ticked on the
    timeline. Every rule is in events.programme; a refusal keeps the other choices."""
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
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    for error in errors:
                        form.add_error(field if field in form.fields else None, error)
            except signup.SignupError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                # The same answer whoever booked and whatever happened (events.answers).
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
                for field, errors in exc.message_dict.items():
                    for error in errors:
                        form.add_error(field if field in form.fields else None, error)
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
