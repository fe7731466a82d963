"""Signed tokens of the links in emails: nothing personal is reachable by guessing an id."""

import datetime as dt

from django.core import signing
from django.urls import reverse

SALT = "events.booking"
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
