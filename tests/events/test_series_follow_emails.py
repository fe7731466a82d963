"""What a follower receives: one email with the follow link and the coming sessions' dates
(not one confirmation per session), and the follow link again in every reminder."""

import datetime as dt
import re

from django.core import mail
from django.utils import formats, timezone

import pytest

from events import tokens
from events.models import Event
from events.outbox import delivery
from events.series import rules as series
from events.signup import rules as signup
from tests.events.series_helpers import follower_contact, make_series

pytestmark = pytest.mark.django_db

FOLLOW_LINK = re.compile(r"https?://\S+/cafes/suivi/([^/\s]+)/")


def _follow_of(body: str) -> int:
    [token] = set(FOLLOW_LINK.findall(body))
    return tokens.follow_from_token(token).pk


def test_following_sends_one_email_with_the_follow_link_and_the_session_dates(territories):
    cafe = make_series(territories["Lyon 8"])
    series.sync_series(cafe.pk)
    sessions = list(Event.objects.filter(series_session__series=cafe).order_by("start"))
    assert len(sessions) > 1
    followed = series.follow(
        series_id=cafe.pk, contact=follower_contact(1), age_band="60+", consent_text="ok"
    )
    delivery.send_due()

    assert [(m.to, m.subject) for m in mail.outbox] == [
        (["voisin1@exemple.fr"], "Votre lien pour suivre les Cafés Médiation")
    ]
    [email] = mail.outbox
    assert _follow_of(email.body) == followed.pk
    html = email.alternatives[0][0]
    assert _follow_of(html) == followed.pk
    for event in sessions:
        day = formats.date_format(timezone.localtime(event.start), "l j F")
        assert day in email.body
        assert day in html


def test_every_reminder_of_a_followed_session_carries_the_follow_link(territories):
    cafe = make_series(territories["Lyon 8"], start_date=timezone.localdate())
    series.sync_series(cafe.pk)
    followed = series.follow(
        series_id=cafe.pk, contact=follower_contact(1), age_band="60+", consent_text="ok"
    )
    delivery.send_due()
    mail.outbox.clear()
    first_event = Event.objects.filter(series_session__series=cafe).order_by("start").first()
    signup.send_reminders(now=first_event.start - dt.timedelta(hours=24))
    delivery.send_due()

    [reminder] = mail.outbox
    assert reminder.to == ["voisin1@exemple.fr"]
    assert reminder.subject.startswith("Rappel")
    assert _follow_of(reminder.body) == followed.pk
    assert _follow_of(reminder.alternatives[0][0]) == followed.pk
