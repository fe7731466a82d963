import datetime as dt
from zoneinfo import ZoneInfo

import icalendar
import pytest
import time_machine

from tests.factories import EventFactory

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")


def _at(*args):
    return dt.datetime(*args, tzinfo=PARIS)


@pytest.fixture
def around_clock_changes(territories):
    """Events at 18:00 Paris time on both sides of the 25 Oct 2026 and 28 Mar 2027 changes."""
    return {
        "before_october": EventFactory(
            territory=territories["Lyon 8"], start=_at(2026, 10, 24, 18), end=_at(2026, 10, 24, 20)
        ),
        "after_october": EventFactory(
            territory=territories["Lyon 8"], start=_at(2026, 10, 26, 18), end=_at(2026, 10, 26, 20)
        ),
        "before_march": EventFactory(
            territory=territories["Lyon 9"], start=_at(2027, 3, 27, 18), end=_at(2027, 3, 27, 20)
        ),
        "after_march": EventFactory(
            territory=territories["Lyon 9"], start=_at(2027, 3, 29, 18), end=_at(2027, 3, 29, 20)
        ),
    }


EXPECTED_OFFSETS = {
    "before_october": dt.timedelta(hours=2),
    "after_october": dt.timedelta(hours=1),
    "before_march": dt.timedelta(hours=1),
    "after_march": dt.timedelta(hours=2),
}


def _by_uid(calendar) -> dict:
    return {str(vevent["UID"]): vevent for vevent in calendar.walk("VEVENT")}


def test_the_feed_carries_the_paris_timezone_and_the_right_offsets(
    client, around_clock_changes, settings
):
    with time_machine.travel(dt.datetime(2026, 10, 1, 12, tzinfo=PARIS)):
        response = client.get("/evenements/calendrier.ics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(response.content)
    assert calendar["VERSION"] == "2.0"
    assert calendar["PRODID"]
    (timezone,) = calendar.walk("VTIMEZONE")
    assert timezone["TZID"] == "Europe/Paris"
    events = _by_uid(calendar)
    assert len(events) == 4
    for name, event in around_clock_changes.items():
        vevent = events[f"event-{event.pk}@{settings.EVENTS_ICAL_DOMAIN}"]
        start = vevent.decoded("DTSTART")
        assert vevent["DTSTART"].params["TZID"] == "Europe/Paris"
        assert (start.hour, start.minute) == (18, 0)
        assert start.utcoffset() == EXPECTED_OFFSETS[name], name
        assert vevent.decoded("DTEND").utcoffset() == EXPECTED_OFFSETS[name], name
        assert vevent["STATUS"] == "CONFIRMED"


def test_each_event_file_has_its_stable_uid_and_offset(client, around_clock_changes):
    for name, event in around_clock_changes.items():
        first = client.get(f"/evenements/{event.pk}.ics")
        assert first.status_code == 200
        assert "attachment" in first["Content-Disposition"]
        calendar = icalendar.Calendar.from_ical(first.content)
        assert calendar.walk("VTIMEZONE")
        (vevent,) = calendar.walk("VEVENT")
        assert vevent.decoded("DTSTART").utcoffset() == EXPECTED_OFFSETS[name]
        event.title = "Titre changé"
        event.save()
        again = icalendar.Calendar.from_ical(client.get(f"/evenements/{event.pk}.ics").content)
        assert again.walk("VEVENT")[0]["UID"] == vevent["UID"]


def test_territory_feed_only_carries_its_territory(client, around_clock_changes):
    with time_machine.travel(dt.datetime(2026, 10, 1, 12, tzinfo=PARIS)):
        calendar = icalendar.Calendar.from_ical(
            client.get("/evenements/calendrier/lyon-9.ics").content
        )
    uids = set(_by_uid(calendar))
    assert uids == {
        f"event-{around_clock_changes[name].pk}@vivre-ensemble.localhost"
        for name in ("before_march", "after_march")
    }
    assert client.get("/evenements/calendrier/inconnu.ics").status_code == 404
