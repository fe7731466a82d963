"""The booking page reached from the emailed link: a confirmation before cancelling, one
"Retirer" per person naming who was removed, an email with the updated calendar file after a
change, and calendar buttons for the common services."""

import html

from django.core import mail
from django.urls import reverse

import pytest

from events.models.bookings import Registration
from events.outbox import delivery
from events.signup import rules as signup
from tests.events.signup_helpers import contact, register
from tests.factories import EventFactory

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return html.unescape(response.content.decode())


def test_cancelling_asks_for_confirmation_first(client):
    event = EventFactory(capacity=5)
    registration = register(event)
    token = signup.signed_token(registration.booking)
    page = text(client.get(reverse("events:booking", args=[token])))
    cancel_url = reverse("events:cancel", args=[token, registration.pk])
    assert f'href="{cancel_url}"' in page  # a link to the confirmation step, not a one-tap POST

    confirm = client.get(cancel_url)
    assert confirm.status_code == 200
    assert "Voulez-vous vraiment annuler" in text(confirm)
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CONFIRMED  # nothing changed yet

    assert client.post(cancel_url).status_code == 302
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CANCELLED


def test_removing_one_person_names_them_and_emails_the_updated_booking(client):
    event = EventFactory(capacity=5)
    registration = register(
        event,
        bands=("25-59", "0-14"),
        contact=contact(email="famille@exemple.fr"),
        guardian_consent=True,
    )
    delivery.send_due()
    mail.outbox.clear()
    token = signup.signed_token(registration.booking)
    child = registration.participants.get(age_band="0-14")
    page = text(client.get(reverse("events:booking", args=[token])))
    remove_url = reverse("events:remove", args=[token, registration.pk, child.pk])
    assert f'action="{remove_url}"' in page and "Retirer" in page

    response = client.post(remove_url, follow=True)
    assert f"{child.first_name} ne fait plus partie de l'inscription" in text(response)
    registration.refresh_from_db()
    assert registration.seats == 1
    delivery.send_due()
    [email] = mail.outbox
    assert email.to == ["famille@exemple.fr"]
    assert child.first_name not in email.body
    assert [a[0] for a in email.attachments] == [f"{event.slug}.ics"]


def test_the_booking_page_offers_google_apple_and_outlook_calendars(client):
    event = EventFactory(capacity=5)
    registration = register(event)
    page = text(
        client.get(reverse("events:booking", args=[signup.signed_token(registration.booking)]))
    )
    assert "https://calendar.google.com/calendar/render?action=TEMPLATE" in page
    assert "https://outlook.live.com/calendar/0/deeplink/compose?" in page
    assert f'href="{event.get_ics_url()}"' in page and "Apple" in page


def test_cancelling_emails_a_calendar_cancellation_for_the_confirmed_entry():
    """The withdrawal's calendar file cancels the entry the confirmation's file added: same UID,
    a higher SEQUENCE, METHOD:CANCEL and STATUS:CANCELLED."""
    import icalendar

    event = EventFactory(capacity=5)
    registration = register(event, contact=contact(email="parent@exemple.fr"))
    delivery.send_due()
    [confirmation] = mail.outbox
    mail.outbox.clear()
    signup.cancel_registration(registration.pk, tell_person=True)
    delivery.send_due()
    [withdrawn] = mail.outbox
    assert withdrawn.to == ["parent@exemple.fr"]

    def calendar_of(email):
        [(filename, content, mimetype)] = email.attachments
        assert (filename, mimetype) == (f"{event.slug}.ics", "text/calendar")
        return icalendar.Calendar.from_ical(content)

    added, cancelled = calendar_of(confirmation), calendar_of(withdrawn)
    [added_event] = added.walk("VEVENT")
    [cancelled_event] = cancelled.walk("VEVENT")
    assert str(cancelled["METHOD"]) == "CANCEL"
    assert str(cancelled_event["UID"]) == str(added_event["UID"])
    assert int(cancelled_event["SEQUENCE"]) > int(added_event["SEQUENCE"])
    assert str(cancelled_event["STATUS"]) == "CANCELLED"
    assert "ORGANIZER" in cancelled_event  # RFC 5546: a CANCEL names its organiser
