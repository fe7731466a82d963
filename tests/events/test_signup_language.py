"""A sign-up keeps the language of the page it was made on: its emails are in that language."""

from django.core import mail
from django.urls import reverse
from django.utils import translation

import pytest

from events.models.bookings import Booking
from events.outbox import delivery
from tests.events.test_signup_views import form_data
from tests.factories import EventFactory

pytestmark = pytest.mark.django_db


def test_a_sign_up_on_the_english_page_is_confirmed_in_english_and_a_french_one_in_french(
    client,
):
    event = EventFactory(capacity=12, title="Café médiation des Étroits")
    with translation.override("en"):
        english_url = reverse("events:signup", args=[event.pk])
    assert english_url.startswith("/en/")

    response = client.post(english_url, form_data())
    assert response.status_code == 302
    assert response["Location"].startswith("/en/")
    booking = Booking.objects.get()
    assert booking.language == "en"
    delivery.send_due()  # by the worker, in French unless the booking says otherwise
    [email] = mail.outbox
    assert email.subject == "Registration confirmed: Café médiation des Étroits"
    assert email.body.startswith("Hello Maimouna,")
    assert "Your registration is confirmed." in email.body
    # The link to manage the booking opens the English pages.
    assert "/en/evenements/inscriptions/" in email.body

    # The same form unprefixed is French, whatever the browser asks for.
    mail.outbox.clear()
    response = client.post(
        f"/evenements/{event.pk}/inscription/",
        form_data(email="issa@exemple.fr", submission_key="cle-unique-2"),
        HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9",
    )
    assert response.status_code == 302
    assert Booking.objects.get(person__email="issa@exemple.fr").language == "fr"
    with translation.override("en"):  # whichever language the worker runs in
        delivery.send_due()
    [email] = mail.outbox
    assert email.subject == "Inscription confirmée : Café médiation des Étroits"
    assert email.body.startswith("Bonjour Maimouna,")


def test_texts_follow_the_booking_language_within_one_sms_and_arabic_stays_french(settings):
    """English texts fit one GSM-7 SMS (160 characters) like the French ones; Arabic needs UCS-2
    (70 characters a message), too few for the date and the link: an Arabic booking is texted in
    French."""
    from community import sms
    from events.models.outbox import OutboxMessage
    from tests.events.signup_helpers import contact, register

    settings.WAGTAILADMIN_BASE_URL = "https://vivre-ensemble.example.fr"
    event = EventFactory(capacity=1, title="Café médiation des Étroits", title_en="Mediation café")
    texts = {}
    for language, phone in [("en", "06 12 34 56 78"), ("ar", "06 22 33 44 55"), ("fr", "")]:
        registration = register(
            event,
            contact=contact(phone=phone or "06 33 44 55 66"),
            sms_consent=True,
            language=language,
        )
        for kind in ("confirmation", "promoted", "reminder", "changed", "cancelled"):
            delivery.queue_message(
                kind=kind,
                person=registration.person,
                registration=registration,
                dedup_key=f"t:{kind}:{language}",
            )
        for message in OutboxMessage.objects.filter(registration=registration, channel="sms"):
            with translation.override("fr"):  # whichever language the worker runs in
                text = delivery.render_sms(message).body_text
            assert len(text) <= sms.SEGMENT and sms.is_gsm(text), text
            texts[language, message.kind] = text
    assert texts["en", "confirmation"].startswith("Vivre Ensemble: you are registered for")
    assert '"Mediation café"' in texts["en", "confirmation"]
    assert " at " in texts["en", "reminder"]
    assert texts["ar", "confirmation"].startswith("Vivre Ensemble : vous etes inscrit(e)")
    assert texts["fr", "waitlisted"].startswith("Vivre Ensemble : vous etes sur liste")
