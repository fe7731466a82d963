"""Calendar files (RFC 5545) for one event and for the subscribable feeds.

Times are written in Europe/Paris with its VTIMEZONE, so a calendar shows 18:00 on both sides
of a clock change; every event keeps the same UID for life, so a changed or cancelled event
updates the copy already in a resident's calendar instead of adding a second one.
"""

import datetime as dt
from collections.abc import Iterable
from email.utils import parseaddr
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from django.utils.html import strip_tags

import icalendar

from events.models import Event

PRODID = "-//Vivre Ensemble//Agenda//FR"
PARIS = ZoneInfo("Europe/Paris")
SEQUENCE_EPOCH = 1_767_225_600  # 2026-01-01 UTC: SEQUENCE counts seconds since, so it only grows


def uid(event: Event) -> str:
    return f"event-{event.pk}@{settings.EVENTS_ICAL_DOMAIN}"


def _location(event: Event) -> str:
    return ", ".join(part for part in (event.venue_name, event.venue_address) if part)


def _description(event: Event, base_url: str) -> str:
    parts = []
    if event.is_cancelled:
        parts.append(f"ANNULÉ : {event.cancellation_reason}")
    if event.summary:
        parts.append(event.summary)
    text = strip_tags(event.description or "").strip()
    if text:
        parts.append(text)
    access = event.access_feature_labels()
    if access:
        parts.append("Accessibilité : " + ", ".join(str(label) for label in access))
    if event.access_notes:
        parts.append(event.access_notes)
    parts.append(base_url + event.get_absolute_url())
    return "\n\n".join(parts)


def vevent(event: Event, base_url: str, withdrawn: bool = False) -> icalendar.Event:
    """The event's entry; `withdrawn`: the resident's own copy is cancelled (their registration
    was), though the event goes on, so the entry reads cancelled and replaces theirs."""
    cancelled = event.is_cancelled or withdrawn
    item = icalendar.Event()
    item.add("uid", uid(event))
    item.add("dtstamp", timezone.now())
    item.add("dtstart", timezone.localtime(event.start, PARIS))
    item.add("dtend", timezone.localtime(event.end, PARIS))
    title = event.title
    if cancelled:
        title = f"ANNULÉ — {title}"
    item.add("summary", title)
    item.add("description", _description(event, base_url))
    location = _location(event)
    if location:
        item.add("location", location)
    item.add("url", base_url + event.get_absolute_url())
    item.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    if withdrawn:
        # RFC 5546: a cancellation names its organiser (calendars match it with the UID).
        item.add("organizer", f"mailto:{parseaddr(settings.DEFAULT_FROM_EMAIL)[1]}")
    item.add("categories", [str(event.get_kind_display()), event.territory.name])
    # SEQUENCE grows with each change, so calendars replace their copy.
    changed = event.last_published_at or event.created_at
    sequence = max(0, int(changed.timestamp()) - SEQUENCE_EPOCH) + (1 if cancelled else 0)
    item.add("sequence", sequence)
    if event.last_published_at:
        item.add("last-modified", event.last_published_at)
    return item


def calendar(
    events: Iterable[Event], *, name: str, base_url: str, method: str = "PUBLISH"
) -> bytes:
    """The calendar file; METHOD:CANCEL (a withdrawn registration) cancels the resident's copy
    of each event, with the UID and a higher SEQUENCE than the file that added it."""
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", method)
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", "Europe/Paris")
    cal.add("refresh-interval", dt.timedelta(hours=6), parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", dt.timedelta(hours=6))
    for event in events:
        cal.add_component(vevent(event, base_url, withdrawn=method == "CANCEL"))
    cal.add_missing_timezones()
    return cal.to_ical()


def service_links(event: Event) -> dict[str, str]:
    """Links that add the event to Google Calendar and Outlook (web), which phones without a
    calendar-file handler open; Apple Calendar takes the .ics file."""
    start, end = event.start.astimezone(dt.UTC), (event.end or event.start).astimezone(dt.UTC)
    google = urlencode(
        {
            "action": "TEMPLATE",
            "text": event.title,
            "dates": f"{start:%Y%m%dT%H%M%SZ}/{end:%Y%m%dT%H%M%SZ}",
            "location": _location(event),
        }
    )
    outlook = urlencode(
        {
            "path": "/calendar/action/compose",
            "rru": "addevent",
            "subject": event.title,
            "startdt": start.isoformat(),
            "enddt": end.isoformat(),
            "location": _location(event),
        }
    )
    return {
        "google": f"https://calendar.google.com/calendar/render?{google}",
        "outlook": f"https://outlook.live.com/calendar/0/deeplink/compose?{outlook}",
    }
