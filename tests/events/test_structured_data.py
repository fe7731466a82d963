"""An event page tells search engines what the event is: schema.org `Event` data (JSON-LD) in
its head, and Open Graph tags with the event's picture."""

import datetime as dt
import html
import json
import re
from pathlib import Path

from django.urls import reverse
from django.utils import timezone

from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import Site

import pytest

from cms.models import AgencySettings
from events import services
from tests.events.signup_helpers import register
from tests.factories import EventFactory, StaffFactory

pytestmark = pytest.mark.django_db

SCHEMA = "https://schema.org/"
OFFSET = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$")
# The schema.org types, properties and enumerations an event page uses, from a schema.org
# release (scripts/schemaorg_subset.py writes it).
VOCABULARY = json.loads(
    (Path(__file__).parents[1] / "support" / "schemaorg_event_vocabulary.json").read_text()
)


def vocabulary_errors(node, where: str = "") -> list[str]:
    """What in `node` is not schema.org: an unknown type, a property its type does not have,
    an enumeration value that is not a member of the property's enumeration."""
    if isinstance(node, list):
        return [error for item in node for error in vocabulary_errors(item, where)]
    if not isinstance(node, dict):
        return []
    kind = node.get("@type")
    allowed = VOCABULARY["types"].get(kind)
    if allowed is None:
        return [f"{where or 'root'}: type {kind!r} is not one schema.org type checked here"]
    errors = []
    for key, value in node.items():
        if key.startswith("@"):
            continue
        if key not in allowed:
            errors.append(f"{kind}.{key} is not a schema.org property of {kind}")
        for enumeration in VOCABULARY["ranges"].get(key, []):
            members = VOCABULARY["enumerations"].get(enumeration)
            if members and str(value).removeprefix(SCHEMA) not in members:
                errors.append(f"{kind}.{key} = {value!r} is not a member of {enumeration}")
        errors += vocabulary_errors(value, f"{kind}.{key}")
    return errors


def json_ld(response) -> dict:
    """The one JSON-LD block of the page's head, parsed."""
    head = response.content.decode().split("</head>")[0]
    [block] = re.findall(r'<script type="application/ld\+json">(.*?)</script>', head, re.S)
    return json.loads(block)


def meta(response, prop: str) -> str | None:
    found = re.search(rf'<meta property="{prop}" content="([^"]*)">', response.content.decode())
    return html.unescape(found.group(1)) if found else None


def test_an_event_page_carries_its_schema_org_event(client):
    mediator = StaffFactory(first_name="Karen", last_name="Martin")
    event = EventFactory(
        title="Café médiation des États-Unis",
        summary="Un moment pour parler du bruit entre voisins.",
        venue_name="Salle associative des États-Unis",
        venue_address="12 boulevard des États-Unis, 69008 Lyon",
        start=timezone.make_aware(dt.datetime(2030, 1, 15, 14, 0)),
        end=timezone.make_aware(dt.datetime(2030, 1, 15, 16, 0)),
        capacity=12,
    )
    event.organisers.add(mediator)
    register(event, bands=("25-59", "60+"))

    data = json_ld(client.get(event.get_absolute_url()))

    assert vocabulary_errors(data) == []
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "Event"
    assert data["name"] == "Café médiation des États-Unis"
    assert data["description"] == "Un moment pour parler du bruit entre voisins."
    assert data["startDate"] == "2030-01-15T14:00:00+01:00"
    assert data["endDate"] == "2030-01-15T16:00:00+01:00"
    assert data["url"] == f"http://testserver{event.get_absolute_url()}"
    assert data["eventStatus"] == SCHEMA + "EventScheduled"
    assert data["eventAttendanceMode"] == SCHEMA + "OfflineEventAttendanceMode"
    assert data["location"] == {
        "@type": "Place",
        "name": "Salle associative des États-Unis",
        "address": {
            "@type": "PostalAddress",
            "streetAddress": "12 boulevard des États-Unis",
            "postalCode": "69008",
            "addressLocality": "Lyon",
            "addressCountry": "FR",
        },
    }
    assert data["organizer"]["@type"] == "Organization"
    assert data["organizer"]["name"] == "Vivre Ensemble"
    assert data["organizer"]["url"] == "http://testserver/"
    assert data["maximumAttendeeCapacity"] == 12
    assert data["remainingAttendeeCapacity"] == 10
    offer = data["offers"]
    assert offer["@type"] == "Offer"
    assert offer["availability"] == SCHEMA + "InStock"
    assert (offer["price"], offer["priceCurrency"]) == ("0", "EUR")
    assert offer["url"] == "http://testserver" + reverse("events:signup", args=[event.pk])


def test_dates_carry_the_paris_offset_in_summer_too(client):
    event = EventFactory(
        start=timezone.make_aware(dt.datetime(2030, 7, 2, 18, 30)),
        end=timezone.make_aware(dt.datetime(2030, 7, 2, 20, 0)),
    )
    data = json_ld(client.get(event.get_absolute_url()))
    assert data["startDate"] == "2030-07-02T18:30:00+02:00"
    assert OFFSET.match(data["endDate"])


def test_a_full_event_is_sold_out_and_offers_the_waitlist(client):
    event = EventFactory(capacity=1)
    register(event)
    data = json_ld(client.get(event.get_absolute_url()))
    assert vocabulary_errors(data) == []
    assert data["offers"]["availability"] == SCHEMA + "SoldOut"
    assert data["remainingAttendeeCapacity"] == 0
    # The waitlist is still open: the offer leads to it and says so.
    assert data["offers"]["url"].endswith(reverse("events:signup", args=[event.pk]))
    assert "liste d'attente" in data["offers"]["description"]


def test_a_free_entry_event_is_in_stock_without_capacity(client):
    event = EventFactory(capacity=None)
    data = json_ld(client.get(event.get_absolute_url()))
    assert data["offers"]["availability"] == SCHEMA + "InStock"
    assert "maximumAttendeeCapacity" not in data
    assert data["isAccessibleForFree"] is True


def test_a_cancelled_event_is_event_cancelled_without_an_offer(client):
    event = EventFactory(capacity=10)
    services.cancel(event, "La salle est indisponible.")
    data = json_ld(client.get(event.get_absolute_url()))
    assert vocabulary_errors(data) == []
    assert data["eventStatus"] == SCHEMA + "EventCancelled"
    assert "offers" not in data


def test_an_event_moved_after_publication_is_rescheduled_with_its_previous_date(client):
    first = timezone.make_aware(dt.datetime(2030, 3, 5, 14, 0))
    event = EventFactory(live=False, start=first, end=first + dt.timedelta(hours=2))
    event.save_revision().publish()
    event.start += dt.timedelta(days=7)
    event.end += dt.timedelta(days=7)
    event.save_revision().publish()

    data = json_ld(client.get(event.get_absolute_url()))
    assert vocabulary_errors(data) == []
    assert data["eventStatus"] == SCHEMA + "EventRescheduled"
    assert data["previousStartDate"] == "2030-03-05T14:00:00+01:00"
    assert data["startDate"] == "2030-03-12T14:00:00+01:00"


def test_an_event_corrected_before_publication_is_not_rescheduled(client):
    event = EventFactory(live=False)
    event.save_revision()
    event.start += dt.timedelta(days=1)
    event.end += dt.timedelta(days=1)
    event.save_revision().publish()
    data = json_ld(client.get(event.get_absolute_url()))
    assert data["eventStatus"] == SCHEMA + "EventScheduled"
    assert "previousStartDate" not in data


def test_the_vocabulary_check_catches_what_is_not_schema_org():
    assert vocabulary_errors({"@type": "Event", "name": "x", "seatsLeft": 3}) == [
        "Event.seatsLeft is not a schema.org property of Event"
    ]
    assert vocabulary_errors({"@type": "Event", "eventStatus": SCHEMA + "EventFull"}) == [
        "Event.eventStatus = 'https://schema.org/EventFull' is not a member of EventStatusType"
    ]
    offer = {"@type": "Offer", "availability": SCHEMA + "Waitlist"}
    assert vocabulary_errors({"@type": "Event", "offers": offer}) == [
        "Offer.availability = 'https://schema.org/Waitlist' is not a member of ItemAvailability"
    ]


def test_the_json_ld_cannot_be_broken_out_of_by_a_title(client):
    event = EventFactory(title="</script><script>alert(1)</script>")
    response = client.get(event.get_absolute_url())
    assert "<script>alert(1)" not in response.content.decode()
    assert json_ld(response)["name"] == "</script><script>alert(1)</script>"


def test_open_graph_shows_the_events_own_image(client):
    image = Image.objects.create(title="Café", file=get_test_image_file(size=(1600, 900)))
    event = EventFactory(image=image, summary="Parlons du bruit.")
    response = client.get(event.get_absolute_url())
    og_image = meta(response, "og:image")
    assert og_image.startswith("http://testserver/") and "/images/" in og_image
    assert meta(response, "og:title") == event.title
    assert meta(response, "og:url") == f"http://testserver{event.get_absolute_url()}"
    assert meta(response, "og:description") == "Parlons du bruit."
    assert json_ld(response)["image"] == [og_image]


def test_open_graph_falls_back_on_the_sites_logo(client, home_page):
    logo = Image.objects.create(title="Logo", file=get_test_image_file(size=(600, 600)))
    agency = AgencySettings.for_site(Site.objects.get(is_default_site=True))
    agency.logo = logo
    agency.save()
    event = EventFactory(image=None)
    og_image = meta(client.get(event.get_absolute_url()), "og:image")
    assert og_image is not None and "/images/" in og_image
