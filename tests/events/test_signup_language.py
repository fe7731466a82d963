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
