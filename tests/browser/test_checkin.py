"""At 360 px, a mediator signs a resident up by phone, then at the door checks in two
registrants and one walk-in; the resident's confirmation waits on the call list."""

from django.conf import settings
from django.test import Client

import pytest
from playwright.sync_api import expect

from community import roles
from events.models.attendance import Attendance, WalkIn
from events.models.bookings import Booking, Registration
from events.models.outbox import OutboxMessage
from tests.events.signup_helpers import contact, register
from tests.factories import EventFactory, StaffFactory
from tests.support.browser import assert_no_axe_violations

pytestmark = pytest.mark.django_db(transaction=True)


def sign_in(page, live_server, user):
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server.url}]
    )


def test_phone_signup_then_check_in_at_the_door(page, live_server, home_page, territories):
    mediator = StaffFactory(
        role=roles.MEDIATOR, territories=[territories["Lyon 8"]], first_name="Nadia"
    )
    event = EventFactory(territory=territories["Lyon 8"], capacity=10, title="Café médiation")
    register(event, contact=contact(first_name="Amina", last_name="Diallo"))
    sign_in(page, live_server, mediator)

    page.goto("/equipe/")
    expect(page.get_by_role("heading", name="Mes séances", level=1)).to_be_visible()
    assert_no_axe_violations(page)
    page.get_by_role("link", name="Inscrire : Café médiation").click()
    assert_no_axe_violations(page)

    page.get_by_label("Chercher une personne").fill("Benali")
    page.get_by_role("button", name="Chercher").click()
    expect(page.get_by_text("Personne de connu sous ce nom")).to_be_visible()
    page.get_by_label("Son prénom").fill("Rachid")
    page.get_by_label("Son nom").fill("Benali")
    page.get_by_label("Téléphone", exact=True).fill("06 11 22 33 44")
    page.get_by_label("Sa tranche d'âge").select_option("60+")
    expect(page.get_by_label("Par téléphone")).to_be_checked()
    page.get_by_role("button", name="Inscrire cette personne").click()
    # Without the consent box, nothing is written.
    expect(
        page.get_by_text("Sans l'accord de la personne, elle ne peut pas être inscrite.")
    ).to_be_visible()
    assert_no_axe_violations(page)
    assert not Booking.objects.filter(person__last_name="Benali").exists()
    page.get_by_label("Je lui ai lu le texte ci-dessus").check()
    page.get_by_role("button", name="Inscrire cette personne").click()

    expect(
        page.get_by_text("Rachid Benali est inscrit(e) : inscription confirmée.")
    ).to_be_visible()
    expect(page.get_by_role("heading", name="Accueil : Café médiation", level=1)).to_be_visible()
    assert_no_axe_violations(page)

    for name in ("Amina Diallo", "Rachid Benali"):
        page.get_by_role("button", name=f"Présent : {name}").click()
        row = page.locator(".checkin-row", has_text=name)
        row.locator("[data-state]", has_text="Présent").wait_for()
    page.get_by_label("Nombre de personnes").fill("1")
    page.get_by_role("combobox", name="Tranche d'âge", exact=True).select_option("15-24")
    page.get_by_role("button", name="Ajouter").click()
    expect(page.get_by_text("Entrée sans inscription ajoutée : 1 × 15 à 24 ans.")).to_be_visible()
    expect(page.get_by_text("Présents : 3 (2 inscrits sur 2, 1 sans inscription)")).to_be_visible()
    assert_no_axe_violations(page)

    assert Attendance.objects.filter(status="attended").count() == 2
    assert WalkIn.objects.get().count == 1
    booking = Booking.objects.get(person__last_name="Benali")
    assert booking.source == Booking.Source.PHONE and booking.created_by == mediator
    assert Registration.objects.get(booking=booking).status == Registration.Status.CONFIRMED

    page.get_by_role("link", name="À appeler").click()
    expect(
        page.get_by_role("heading", name="Rachid Benali · Confirmation d'inscription")
    ).to_be_visible()
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Appelé : Rachid Benali").click()
    expect(page.get_by_text("Personne à appeler.")).to_be_visible()
    assert OutboxMessage.objects.get(person__last_name="Benali").state == "called"

    page.goto(f"/equipe/evenements/{event.pk}/emargement/")
    expect(page.get_by_role("cell", name="Rachid Benali")).to_be_visible()
    assert_no_axe_violations(page)
