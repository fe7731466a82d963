"""A resident signs up with a child on a phone, gets the confirmation with a calendar file,
cancels from the email's link, and the first person waiting is promoted and told."""

import icalendar
import pytest
from playwright.sync_api import expect

from events.models.bookings import Registration
from tests.events.signup_helpers import contact, register
from tests.factories import EventFactory
from tests.support.browser import assert_no_axe_violations

pytestmark = pytest.mark.django_db(transaction=True)


def link_in(text: str, prefix: str) -> str:
    return next(word for word in text.split() if word.startswith(prefix))


def test_family_signup_confirmation_cancel_and_promotion(
    page, live_server, home_page, smtp_sink, settings
):
    settings.WAGTAILADMIN_BASE_URL = live_server.url
    event = EventFactory(title="Atelier intergénérationnel", capacity=2)

    page.goto(event.get_absolute_url())
    expect(page.get_by_text("Il reste 2 places.")).to_be_visible()
    assert_no_axe_violations(page)
    page.get_by_role("link", name="M'inscrire").click()
    assert_no_axe_violations(page)

    page.get_by_role("textbox", name="Prénom", exact=True).fill("Hawa")
    page.get_by_role("textbox", name="Nom", exact=True).fill("Camara")
    page.get_by_label("Adresse électronique", exact=True).fill("hawa@exemple.fr")
    page.get_by_label("Ma tranche d'âge").select_option("25-59")
    page.get_by_label("Prénom de la personne 1").fill("Moussa")
    page.get_by_label("Tranche d'âge de la personne 1").select_option("0-14")
    page.get_by_label("Je suis le responsable légal").check()
    page.get_by_label("J'accepte que Vivre Ensemble enregistre").check()
    page.get_by_role("button", name="Envoyer mon inscription").click()

    # The answer is the same for every visitor and names no booking: the link comes by email.
    expect(page.get_by_role("heading", name="Merci, votre demande est bien reçue")).to_be_visible()
    expect(page.get_by_role("link", name="Ajouter l'événement à mon agenda")).to_be_visible()
    assert_no_axe_violations(page)

    [confirmation] = smtp_sink.to("hawa@exemple.fr")
    booking_link = link_in(confirmation.text(), live_server.url + "/evenements/inscriptions/")
    page.goto(booking_link)
    expect(page.locator(".booking-people bdi", has_text="Moussa")).to_be_visible()
    assert_no_axe_violations(page)
    assert confirmation.subject == "Inscription confirmée : Atelier intergénérationnel"
    [ics] = [
        part
        for part in confirmation.message.iter_attachments()
        if part.get_content_type() == "text/calendar"
    ]
    [vevent] = icalendar.Calendar.from_ical(ics.get_content()).walk("VEVENT")
    assert str(vevent["summary"]) == "Atelier intergénérationnel"

    waiting = register(event, contact=contact(first_name="Yacine", email="yacine@exemple.fr"))
    assert waiting.status == Registration.Status.WAITLISTED

    page.goto(booking_link)
    page.get_by_role("link", name="Annuler mon inscription").click()
    page.get_by_role("button", name="Oui, annuler mon inscription").click()
    expect(page.get_by_text("Votre inscription est annulée.")).to_be_visible()
    assert_no_axe_violations(page)

    waiting.refresh_from_db()
    assert waiting.status == Registration.Status.CONFIRMED
    [promoted] = smtp_sink.to("yacine@exemple.fr")[1:]  # after the waitlist message
    assert promoted.subject == "Une place s'est libérée : Atelier intergénérationnel"
