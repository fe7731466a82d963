"""At 360 px, at the door: a mother and her child checked in one by one, the walk-in form
reached without scrolling the list and a walk-in taken back, a warning before checking in
tomorrow's session; one staff menu with its log-out. 0 axe violations on each page."""

import datetime as dt

from django.conf import settings
from django.test import Client
from django.utils import timezone

import pytest
from playwright.sync_api import expect

from community import roles
from events.models.attendance import Attendance, WalkIn
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


def test_the_door_per_person_presence_walk_in_undo_and_another_days_warning(
    page, live_server, home_page, territories
):
    lyon8 = territories["Lyon 8"]
    mediator = StaffFactory(role=roles.MEDIATOR, territories=[lyon8], first_name="Nadia")
    now = timezone.localtime()
    start = now + dt.timedelta(minutes=5)
    if start.date() != now.date():
        start = now - dt.timedelta(minutes=30)
    event = EventFactory(territory=lyon8, capacity=10, title="Café médiation", start=start)
    tomorrow = EventFactory(territory=lyon8, capacity=10, title="Café de demain")
    family = register(
        event,
        contact=contact(first_name="Amina", last_name="Diallo"),
        bands=("25-59", "0-14"),
        guardian_consent=True,
    )
    register(tomorrow, contact=contact(first_name="Lina", last_name="Haddad"))
    mother, child = family.participants.order_by("pk")
    sign_in(page, live_server, mediator)

    page.goto("/equipe/")
    expect(page.get_by_role("button", name="Se déconnecter")).to_be_visible()
    expect(page.get_by_role("link", name="Avis sur papier : Café de demain")).to_have_count(0)
    assert_no_axe_violations(page)
    page.get_by_role("link", name="Pointage : Café médiation").click()
    expect(page.get_by_role("heading", name="Pointage : Café médiation", level=1)).to_be_visible()
    present = page.get_by_role("button", name=f"Présent : {child.first_name}, Amina Diallo")
    absent = page.get_by_role("button", name=f"Absent : {child.first_name}, Amina Diallo")
    # Untouched, "Présent" looks like "Absent": neither is selected.
    colour = "b => getComputedStyle(b).backgroundColor"
    assert present.evaluate(colour) == absent.evaluate(colour)
    assert_no_axe_violations(page)

    page.get_by_role("button", name=f"Présent : {mother.first_name}, Amina Diallo").click()
    expect(page.get_by_text("Présents : 1 (1 inscrits sur 2, 0 sans inscription)")).to_be_visible()
    absent.click()
    expect(absent).to_have_attribute("aria-pressed", "true")
    assert present.evaluate(colour) != page.get_by_role(
        "button", name=f"Présent : {mother.first_name}, Amina Diallo"
    ).evaluate(colour)

    # The walk-in form without scrolling past the list, and a mistake taken back.
    page.get_by_role("link", name="+ Sans inscription").click()
    page.get_by_label("Nombre de personnes").fill("3")
    page.get_by_role("combobox", name="Tranche d'âge", exact=True).select_option("15-24")
    page.get_by_role("button", name="Ajouter").click()
    expect(page.get_by_text("Entrée sans inscription ajoutée : 3 × 15 à 24 ans.")).to_be_visible()
    expect(page.get_by_text("Présents : 4 (1 inscrits sur 2, 3 sans inscription)")).to_be_visible()
    page.get_by_role("button", name="Retirer : 3 × 15 à 24 ans").click()
    expect(page.get_by_text("Entrée sans inscription retirée : 3 × 15 à 24 ans.")).to_be_visible()
    expect(page.get_by_text("Présents : 1 (1 inscrits sur 2, 0 sans inscription)")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert_no_axe_violations(page)
    assert not WalkIn.objects.exists()
    assert Attendance.objects.get(registration=family).status == "attended"

    # Tomorrow's session, opened by mistake: a warning, and no button until asked for.
    page.goto(f"/equipe/evenements/{tomorrow.pk}/accueil/")
    expect(page.get_by_text("Cette séance n'a pas lieu aujourd'hui")).to_be_visible()
    expect(page.get_by_role("button", name="Présent : Participant0, Lina Haddad")).to_have_count(0)
    assert_no_axe_violations(page)
    page.get_by_role("link", name="Pointer quand même cette séance").click()
    expect(page.get_by_role("button", name="Présent : Participant0, Lina Haddad")).to_be_visible()
