"""Public views of events: the stable event page, its calendar file and the calendar feeds."""

from django.http import HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from community.models import Territory
from events import ical, queries
from events.series.rules import session_context
from events.signup import rules as signup


def _base_url(request) -> str:
    return request.build_absolute_uri("/").rstrip("/")


def webcal_url(request, path: str) -> str:
    """The `webcal:` address of a feed, which calendar apps open as a subscription."""
    absolute = request.build_absolute_uri(path)
    return "webcal://" + absolute.split("://", 1)[1]


@require_GET
def event_detail(request, pk: int, slug: str = ""):
    event = queries.published_or_404(pk, with_seats=True)
    if slug != event.slug:
        # The id is the address; the words after it follow the title, whatever it becomes.
        return HttpResponsePermanentRedirect(event.get_absolute_url())
    return render(
        request,
        "events/event.html",
        {
            "event": event,
            "organisers": list(event.organisers.all()),
            "partners": list(event.partners.all()),
            **signup.registration_context(event),
            **session_context(event),
        },
    )


def _ics_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_GET
def event_ics(request, pk: int):
    event = queries.published_or_404(pk, with_people=False)
    content = ical.calendar([event], name=event.title, base_url=_base_url(request))
    return _ics_response(content, f"{event.slug}.ics")


@require_GET
def feed(request, territory_slug: str | None = None):
    territory = None
    if territory_slug is not None:
        territory = get_object_or_404(Territory, slug=territory_slug)
    events = queries.feed_events(territory=territory)
    name = _("Vivre Ensemble — agenda")
    if territory is not None:
        name = _("Vivre Ensemble — agenda %(territory)s") % {"territory": territory.name}
    content = ical.calendar(events, name=name, base_url=_base_url(request))
    slug = territory.slug if territory else "agenda"
    return _ics_response(content, f"vivre-ensemble-{slug}.ics")
