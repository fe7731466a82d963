"""Signed tokens of the links in emails: nothing personal is reachable by guessing an id."""

import datetime as dt

from django.core import signing
from django.urls import reverse

from events.models import SeriesFollow

SALT = "events.booking"
# Salts are part of every link already sent: changing one breaks them.
FOLLOW_SALT = "events.series.follow"
MAX_AGE = dt.timedelta(days=400)


class BadToken(Exception):
    """A link's token was tampered with, has expired, or names nothing."""


def sign(booking) -> str:
    return signing.dumps(booking.token, salt=SALT, compress=True)


def unsign(value: str) -> str:
    try:
        return signing.loads(value, salt=SALT, max_age=MAX_AGE)
    except signing.BadSignature as exc:  # SignatureExpired is a BadSignature
        raise BadToken(str(exc)) from exc


def manage_url(booking) -> str:
    return reverse("events:booking", kwargs={"token": sign(booking)})


def cant_come_url(registration) -> str:
    """The reminder's one-click "I can't come" link: the booking's signed token and the
    registration it frees."""
    return reverse(
        "events:cant_come",
        kwargs={"token": sign(registration.booking), "registration_id": registration.pk},
    )


def follow_token(follow) -> str:
    """The signed token of a follow's page, sent to the follower."""
    return signing.dumps(follow.token, salt=FOLLOW_SALT, compress=True)


def follow_from_token(value: str):
    """The follow a signed token names (BadToken when tampered with or naming nothing)."""
    try:
        raw = signing.loads(value, salt=FOLLOW_SALT)
    except signing.BadSignature as exc:
        raise BadToken(str(exc)) from exc
    follow = (
        SeriesFollow.objects.select_related("series", "person", "series__territory")
        .filter(token=raw)
        .first()
    )
    if follow is None:
        raise BadToken("no follow holds this token")
    return follow


def follow_url(follow) -> str:
    return reverse("events:follow", kwargs={"token": follow_token(follow)})
