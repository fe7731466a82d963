"""What an event page tells search engines: a schema.org `Event` (JSON-LD in the page head), so
"café médiation Lyon 8" finds the event with its date, place, status and seats.

Built from the event and what the page already knows (the seats left, the absolute addresses);
the agency's name comes from the caller, since the agency's settings belong to the CMS."""

import datetime as dt
import json
import re

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.html import strip_tags
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from wagtail.models import ModelLogEntry

from events.models import Event

SCHEMA = "https://schema.org/"
# "12 boulevard des États-Unis, 69008 Lyon": a street, then a French postcode and the town.
POSTAL_ADDRESS = re.compile(r"^(?P<street>.*?)[,\s]+(?P<postcode>\d{5})\s+(?P<locality>[^,\d]+?)$")
# Characters that would let a value close the <script> element or open a comment in it.
SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def event_json_ld(
    event: Event,
    *,
    page_url: str,
    signup_url: str,
    seats_left: int | None,
    organizer_name: str,
    organizer_url: str,
    image_url: str | None = None,
) -> dict:
    """The schema.org `Event` of `event`, as a dict ready for `as_script`."""
    data = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": event.title,
        "url": page_url,
        "startDate": _iso(event.start),
        "endDate": _iso(event.end),
        "eventStatus": SCHEMA + "EventScheduled",
        # Every event of the agency happens somewhere residents come to.
        "eventAttendanceMode": SCHEMA + "OfflineEventAttendanceMode",
        "location": {"@type": "Place", "name": event.venue_name, "address": _address(event)},
        "organizer": {
            "@type": "Organization",
            "name": organizer_name or settings.WAGTAIL_SITE_NAME,
            "url": organizer_url,
        },
        "isAccessibleForFree": True,
        "inLanguage": "fr",
    }
    description = event.summary or strip_tags(event.description or "").strip()
    if description:
        data["description"] = description[:500]
    if image_url:
        data["image"] = [image_url]
    if event.capacity:
        data["maximumAttendeeCapacity"] = event.capacity
        if seats_left is not None:
            data["remainingAttendeeCapacity"] = seats_left
    if event.is_cancelled:
        data["eventStatus"] = SCHEMA + "EventCancelled"
        return data  # nothing to sign up for
    previous = previous_start(event)
    if previous is not None:
        data["eventStatus"] = SCHEMA + "EventRescheduled"
        data["previousStartDate"] = _iso(previous)
    data["offers"] = _offer(event, signup_url, seats_left)
    return data


def previous_start(event: Event) -> dt.datetime | None:
    """The start the event was first published with, when it has moved since; None otherwise.

    The first publication is the revision named by the first "published" entry of the event's
    history: dates corrected in drafts before anyone could see them do not count."""
    if event.first_published_at is None:
        return None
    first = (
        ModelLogEntry.objects.for_instance(event)
        .filter(action="wagtail.publish", revision__isnull=False)
        .order_by("pk")
        .values_list("revision__content", flat=True)
        .first()
    )
    if not first or not first.get("start"):
        return None
    announced = parse_datetime(first["start"])
    # Revisions keep milliseconds only; a date that moved moved by minutes at least.
    if announced is None or abs(announced - event.start) < dt.timedelta(minutes=1):
        return None
    return announced


def as_script(data: dict) -> SafeString:
    """The JSON for a `<script type="application/ld+json">` element: whatever an editor typed,
    it cannot close the element."""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False)
    return mark_safe(text.translate(SCRIPT_ESCAPES))  # noqa: S308 -- the escapes above


def _iso(value: dt.datetime) -> str:
    """Paris time with its offset (+01:00 in winter, +02:00 in summer), to the second."""
    return timezone.localtime(value).replace(microsecond=0).isoformat()


def _address(event: Event) -> dict:
    address = {"@type": "PostalAddress", "addressCountry": "FR"}
    text = " ".join((event.venue_address or "").split())
    if not text and event.residence_id:
        text = " ".join((event.residence.address or "").split())
    found = POSTAL_ADDRESS.match(text)
    if found:
        address.update(
            streetAddress=found["street"].strip(" ,"),
            postalCode=found["postcode"],
            addressLocality=found["locality"].strip(),
        )
    elif text:
        address["streetAddress"] = text
    else:
        # No address typed: the territory is the nearest thing to a place residents know.
        address["addressLocality"] = event.territory.name
    return address


def _offer(event: Event, signup_url: str, seats_left: int | None) -> dict:
    """Free seats (or free entry) are in stock; a full event is sold out, and its sign-up page
    puts people on the waitlist."""
    offer = {
        "@type": "Offer",
        "url": signup_url,
        "price": "0",
        "priceCurrency": "EUR",
        "availability": SCHEMA + ("SoldOut" if seats_left == 0 else "InStock"),
    }
    if seats_left == 0:
        offer["description"] = _(
            "Complet : inscription sur la liste d'attente, nous écrivons si une place se libère."
        )
    opens = event.registration_opens_at or event.first_published_at
    if opens is not None:
        offer["validFrom"] = _iso(opens)
    if event.registration_closes_at is not None:
        offer["availabilityEnds"] = _iso(event.registration_closes_at)
    return offer
