"""Small builders for the sign-up tests."""

import itertools

from events.models.bookings import Booking
from events.signup import rules as signup

_counter = itertools.count(1)


def contact(first_name="Amina", email=None, phone="", age_band="25-59", last_name="Diallo"):
    n = next(_counter)
    if email is None and not phone:
        email = f"habitant{n}@exemple.fr"
    return signup.Contact(first_name, last_name, email or "", phone, age_band)


def party(*bands):
    return [
        signup.ParticipantData(f"Participant{i}", band)
        for i, band in enumerate(bands or ("25-59",))
    ]


def register(event, *, bands=("25-59",), **kwargs):
    kwargs.setdefault("contact", contact())
    kwargs.setdefault("consent_text", "J'accepte.")
    kwargs.setdefault("source", Booking.Source.ONLINE)
    return signup.register(event_id=event.pk, participants=party(*bands), **kwargs).registration


def emailed_link(to: str, marker: str = "/inscriptions/") -> str:
    """The path of the first link containing `marker` (a booking's by default, or a follow's
    with "/cafes/suivi/") in the latest message delivered to `to` that holds one."""
    from urllib.parse import urlsplit

    from django.core import mail

    from events.outbox import delivery

    delivery.send_due()
    words = [w for m in mail.outbox[::-1] if m.to == [to] for w in m.body.split()]
    return urlsplit(next(w for w in words if marker in w)).path
