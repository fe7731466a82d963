"""What residents read on the event, series and "I can't come" pages and in their emails: one
French time format ("14 h 00"), wording for a party of several, no waitlist promised when there is
none, no "Abonnés" on a series, and one visual style for every email."""

import datetime as dt
import html
import re

from django.core import mail
from django.template.loader import render_to_string
from django.utils import timezone

import pytest

from events import tokens
from events.outbox import delivery
from tests.events.series_helpers import make_series
from tests.events.signup_helpers import contact, register
from tests.factories import EventFactory, TerritoryFactory

pytestmark = pytest.mark.django_db

NBSP = "\u00a0"
HOUR_ELSEWISE = re.compile(r"(?<![\dT:+\-])\d{1,2}(?::|h)\d{2}(?![\d:])")


def text(response) -> str:
    return html.unescape(response.content.decode())


def at_two_pm(days=7):
    day = timezone.localdate() + dt.timedelta(days=days)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(14)))


def test_dates_and_times_read_14_h_00_on_pages_and_in_emails(client):
    start = at_two_pm()
    event = EventFactory(start=start, end=start + dt.timedelta(hours=2), capacity=10)
    register(event, contact=contact(email="heure@exemple.fr"))
    delivery.send_due()
    email = next(m for m in mail.outbox if m.to == ["heure@exemple.fr"])
    html_body = email.alternatives[0][0]
    series = make_series(TerritoryFactory())
    pages = {
        "event": text(client.get(event.get_absolute_url())),
        "series": text(client.get(series.get_absolute_url())),
        "email": email.body,
        "email html": html.unescape(html_body),
    }
    for name, page in pages.items():
        assert f"14{NBSP}h{NBSP}00" in page, name
        # "14:00" or "14h00" in the text; ISO times in machine-readable attributes are fine.
        assert not HOUR_ELSEWISE.search(page), (name, HOUR_ELSEWISE.findall(page))


def test_party_wording_no_waitlist_promise_and_series_wording(client):
    start = at_two_pm()
    event = EventFactory(start=start, end=start + dt.timedelta(hours=2), capacity=10)
    family = register(event, bands=("25-59", "0-14"), guardian_consent=True)
    reminder = render_to_string(
        "events/emails/reminder.txt",
        {
            "person": family.booking.person,
            "event": event,
            "registration": family,
            "participants": list(family.participants.all()),
            "cant_come_url": "https://x/y",
        },
    )
    assert "nos places" in reminder and "ma place" not in reminder

    url = tokens.cant_come_url(family)
    page = text(client.get(url))
    assert "nos places" in page and "ma place" not in page
    done = text(client.post(url))
    assert "libérée" in done
    assert "liste d'attente" not in done  # nobody was waiting

    series = make_series(TerritoryFactory())
    assert "Abonnés" not in text(client.get(series.get_absolute_url()))
