"""At 360 px, a resident fills the sign-up form badly once and reads every error together,
adds a companion with "+ Ajouter une personne", signs up, then from the booking page removes
the companion and cancels after confirming. 0 axe violations on each page."""

import pytest
from playwright.sync_api import expect

from events.models.bookings import Registration
from tests.factories import EventFactory
from tests.support.browser import assert_no_axe_violations

pytestmark = pytest.mark.django_db(transaction=True)


def link_in(text: str, prefix: str) -> str:
    return next(word for word in text.split() if word.startswith(prefix))


def test_signup_errors_in_one_pass_companion_on_demand_and_booking_changes(
    page, live_server, home_page, smtp_sink, settings
):
    settings.WAGTAILADMIN_BASE_URL = live_server.url
    event = EventFactory(title="Atelier cuisine", capacity=10)
    page.goto(f"/evenements/{event.pk}/inscription/")
    expect(page.get_by_label("Prénom de la personne 2")).to_have_count(0)
    assert_no_axe_violations(page)

    # First try: no name, no contact, a child without the guardian's consent.
    page.get_by_label("Ma tranche d'âge").select_option("25-59")
    page.get_by_label("Prénom de la personne 1").fill("Moussa")
    page.get_by_label("Tranche d'âge de la personne 1").select_option("0-14")
    page.get_by_label("J'accepte que Vivre Ensemble enregistre").check()
    # Enter in a field sends the form (it does not add a person).
    with page.expect_navigation():
        page.get_by_label("Prénom de la personne 1").press("Enter")
    expect(
        page.get_by_text("Indiquez une adresse électronique ou un numéro de téléphone.")
    ).to_be_visible()
    expect(page.get_by_text("confirmez que vous êtes son responsable légal")).to_be_visible()
    expect(page.locator("#id_first_name_error")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert_no_axe_violations(page)

    page.get_by_role("textbox", name="Prénom", exact=True).fill("Hawa")
    page.get_by_role("textbox", name="Nom", exact=True).fill("Camara")
    page.get_by_label("Adresse électronique", exact=True).fill("hawa@exemple.fr")
    page.get_by_role("button", name="+ Ajouter une personne").click()
    page.get_by_label("Prénom de la personne 2").fill("Awa")
    page.get_by_label("Tranche d'âge de la personne 2").select_option("15-24")
    expect(page.get_by_label("Prénom de la personne 1")).to_have_value("Moussa")
    assert_no_axe_violations(page)
    page.get_by_label("Je suis le responsable légal").check()
    page.get_by_label("J'accepte que Vivre Ensemble enregistre").check()
    page.get_by_role("button", name="Envoyer mon inscription").click()
    expect(page.get_by_role("heading", name="Merci, votre demande est bien reçue")).to_be_visible()
    registration = Registration.objects.get()
    assert registration.seats == 3

    [confirmation] = smtp_sink.to("hawa@exemple.fr")
    page.goto(link_in(confirmation.text(), live_server.url + "/evenements/inscriptions/"))
    expect(page.get_by_role("link", name="Google Agenda")).to_be_visible()
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Retirer Awa").click()
    expect(page.get_by_text("Awa ne fait plus partie de l'inscription.")).to_be_visible()
    assert_no_axe_violations(page)
    registration.refresh_from_db()
    assert registration.seats == 2
    assert len(smtp_sink.to("hawa@exemple.fr")) == 2  # the updated confirmation

    page.get_by_role("link", name="Annuler mon inscription").click()
    page.wait_for_url("**/annuler/")
    expect(page.get_by_text("Voulez-vous vraiment annuler")).to_be_visible()
    assert_no_axe_violations(page)
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CONFIRMED
    page.get_by_role("button", name="Oui, annuler mon inscription").click()
    expect(page.get_by_text("Votre inscription est annulée.")).to_be_visible()
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CANCELLED
