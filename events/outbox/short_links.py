"""Short signed links for text messages: a booking's page in a few characters.

A code is the booking's id (base 36) and ten characters of an HMAC over the id and the booking's
random token, under the site's secret: it cannot be guessed from an id, and a booking whose
token changes invalidates its old codes. The short address only redirects to the booking's usual
signed link (events.tokens), so the page behind it is the one the emails lead to."""

import base64

from django.urls import reverse
from django.utils.crypto import constant_time_compare, salted_hmac

from events.models.bookings import Booking

# Part of every link already texted: changing it breaks them.
SALT = "events.sms.short-link"
MAC_LENGTH = 10
_DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"


def _base36(number: int) -> str:
    out = ""
    while True:
        number, digit = divmod(number, 36)
        out = _DIGITS[digit] + out
        if not number:
            return out


def _mac(pk: int, token: str) -> str:
    digest = salted_hmac(SALT, f"{pk}:{token}", algorithm="sha256").digest()
    return base64.urlsafe_b64encode(digest).decode()[:MAC_LENGTH]


def code(booking: Booking) -> str:
    return f"{_base36(booking.pk)}-{_mac(booking.pk, booking.token)}"


def booking_for(value: str) -> Booking | None:
    """The booking a code names, or None (malformed, tampered with, unknown)."""
    pk_part, _, mac = value.partition("-")
    if not pk_part or len(mac) != MAC_LENGTH or len(pk_part) > 12:
        return None
    try:
        pk = int(pk_part, 36)
    except ValueError:
        return None
    booking = Booking.objects.filter(pk=pk).first()
    if booking is None or not constant_time_compare(mac, _mac(pk, booking.token)):
        return None
    return booking


def short_url(booking: Booking) -> str:
    return reverse("events:short_link", kwargs={"code": code(booking)})
