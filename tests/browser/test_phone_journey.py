"""At 360 px, the phone-only path: a resident with only a phone signs up and is told a mediator
will call, with the team's number; a mediator signs another resident up on the phone (no call
left for them); on the call list the first resident has one card for both of her sign-ups, a
script to read aloud that fits the screen, "Pas de réponse" keeps the call, "Appelé" files it
under the events it was about. 0 axe violations on each page."""

import pytest
from playwright.sync_api import expect

from community import roles
from events.models.outbox import OutboxMessage
from tests.browser.test_checkin import sign_in
from tests.events.signup_helpers import contact, register
from tests.factories import EventFactory, StaffFactory
from tests.support.browser import assert_no_axe_violations

pytestmark = pytest.mark.django_db(transaction=True)


def fits_the_screen(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def test_phone_only_signup_then_the_call_list(page, live_server, home_page, territories):
    lyon8 = territories["Lyon 8"]
    lyon8.phone = "+33472522380"
    lyon8.save()
    cafe = EventFactory(territory=lyon8, capacity=10, title="Café médiation")
    atelier = EventFactory(territory=lyon8, capacity=10, title="Atelier mémoire")
    mediator = StaffFactory(role=roles.MEDIATOR, territories=[lyon8], first_name="Nadia")

    # The resident, with only a phone.
    page.goto(f"/evenements/{cafe.pk}/inscription/")
    page.get_by_role("textbox", name="Prénom", exact=True).fill("Amina")
    page.get_by_role("textbox", name="Nom", exact=True).fill("Diallo")
    page.get_by_label("Téléphone", exact=True).fill("06 12 34 56 78")
    page.get_by_label("Ma tranche d'âge").select_option("25-59")
    page.get_by_label("J'accepte que Vivre Ensemble enregistre").check()
    page.get_by_role("button", name="Envoyer mon inscription").click()
    expect(page.get_by_text("Un médiateur de l'équipe Lyon 8 va vous appeler")).to_be_visible()
    expect(page.get_by_role("link", name="04 72 52 23 80")).to_have_attribute(
        "href", "tel:+33472522380"
    )
    fits_the_screen(page)
    assert_no_axe_violations(page)
    register(atelier, contact=contact(first_name="Amina", email="", phone="0612345678"))

    # A mediator signs Rachid up on the phone: she tells him there and then.
    sign_in(page, live_server, mediator)
    page.goto("/equipe/")
    expect(page.get_by_text("1 personne à appeler")).to_be_visible()
    expect(page.get_by_text("1 inscrit / 10 places").first).to_be_visible()
    page.get_by_role("link", name="Inscrire : Café médiation").click()
    expect(page.get_by_role("link", name="← Mes séances")).to_be_visible()
    page.get_by_label("Son prénom").fill("Rachid")
    page.get_by_label("Son nom").fill("Benali")
    page.get_by_label("Téléphone", exact=True).fill("06 11 22 33 44")
    page.get_by_label("Sa tranche d'âge").select_option("60+")
    page.get_by_label("Je lui ai lu le texte ci-dessus").check()
    page.get_by_role("button", name="Inscrire cette personne").click()
    expect(
        page.get_by_text("Rachid Benali est inscrit(e) : inscription confirmée.")
    ).to_be_visible()
    expect(page.get_by_role("heading", name="Mes séances", level=1)).to_be_visible()
    assert_no_axe_violations(page)

    page.get_by_role("link", name="À appeler", exact=True).click()
    cards = page.locator("li.call:not(.call--done)")
    expect(cards).to_have_count(1)  # Amina once, with both sign-ups; nothing for Rachid
    card = cards.first
    expect(card.get_by_role("heading", name="Amina Diallo")).to_be_visible()
    expect(card.locator(".call__messages > li")).to_have_count(2)
    expect(card.locator(".call__messages")).to_contain_text("Café médiation")
    expect(card.locator(".call__messages")).to_contain_text("Atelier mémoire")
    card.get_by_text("Ce qu'il faut dire").first.click()
    script = card.locator(".call__script").first
    expect(script).to_contain_text("Votre numéro d'inscription est le")
    expect(script).to_contain_text("appelez l'équipe Lyon 8 au 04 72 52 23 80")
    expect(script).not_to_contain_text("pièce jointe")
    expect(script).not_to_contain_text("http")
    fits_the_screen(page)
    assert_no_axe_violations(page)

    page.get_by_role("button", name="Pas de réponse : Amina Diallo").click()
    expect(page.get_by_text("L'appel reste sur la liste, à refaire.")).to_be_visible()
    expect(cards.first.get_by_text("1 appel sans réponse")).to_be_visible()
    page.get_by_role("button", name="Appelé : Amina Diallo").click()
    expect(page.get_by_text("Personne à appeler.")).to_be_visible()
    done = page.locator("li.call--done", has_text="Amina Diallo")
    expect(done).to_contain_text("Café médiation")
    expect(done).to_contain_text("Atelier mémoire")
    assert_no_axe_violations(page)
    amina = OutboxMessage.objects.filter(person__first_name="Amina")
    assert {(m.state, m.attempts) for m in amina} == {("called", 1)}
    rachid = OutboxMessage.objects.get(person__first_name="Rachid")
    assert (rachid.state, rachid.handled_by) == ("called", mediator)
