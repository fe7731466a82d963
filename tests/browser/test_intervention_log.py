"""At 360 px, a mediator logs an intervention in two taps after opening the page (the kind,
then "Enregistrer"): the territory and the date are filled in. 0 axe violations."""

import os

from django.conf import settings
from django.test import Client

import pytest
from playwright.sync_api import expect

from community import roles
from community.interventions.kinds import create_default_kinds
from community.models import Intervention, InterventionKind
from tests.factories import StaffFactory
from tests.support.browser import assert_no_axe_violations

pytestmark = pytest.mark.django_db(transaction=True)


def sign_in(page, live_server, user):
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server.url}]
    )


def test_a_mediator_logs_an_intervention_in_under_five_taps(
    page, live_server, home_page, territories
):
    create_default_kinds(InterventionKind)
    mediator = StaffFactory(role=roles.MEDIATOR, territories=[territories["Lyon 8"]])
    sign_in(page, live_server, mediator)

    page.goto("/equipe/interventions/")
    expect(page.get_by_role("heading", name="Noter une intervention", level=1)).to_be_visible()
    assert_no_axe_violations(page)
    taps = 0
    page.get_by_label("Mise en relation", exact=True).check()  # tap 1
    taps += 1
    page.get_by_role("button", name="Enregistrer", exact=True).click()  # tap 2
    taps += 1
    assert taps < 5
    assert page.get_by_text(
        "Intervention enregistrée : Mise en relation, 1 personne(s)."
    ).is_visible()
    row = Intervention.objects.get()
    assert (row.kind.code, row.territory, row.people, row.author) == (
        "mise-en-relation",
        territories["Lyon 8"],
        1,
        mediator,
    )
    expect(page.get_by_role("heading", name="Mise en relation", level=3)).to_be_visible()
    assert_no_axe_violations(page)
    if os.environ.get("SCREENSHOTS_DIR"):
        page.screenshot(
            path=f"{os.environ['SCREENSHOTS_DIR']}/intervention-telephone.png", full_page=True
        )

    # A mistake is corrected from the day's list; a negative count gets a message.
    page.get_by_role("link", name="Modifier : Mise en relation").click()
    page.get_by_label("Nombre de personnes").fill("-3")
    page.get_by_role("button", name="Enregistrer les modifications").click()
    expect(
        page.locator(".error-summary").get_by_text(
            "Le nombre de personnes doit être un nombre positif ou nul."
        )
    ).to_be_visible()
    assert_no_axe_violations(page)
    page.get_by_label("Nombre de personnes").fill("3")
    page.get_by_role("button", name="Enregistrer les modifications").click()
    expect(page.get_by_text("Intervention modifiée.")).to_be_visible()
    row.refresh_from_db()
    assert row.people == 3

    # More women and men than people: the error is where the eye is, focused, linking to the field.
    page.get_by_role("radio", name="Mise en relation").check()
    page.get_by_label("Nombre de personnes").fill("1")
    page.get_by_text("Précisions (facultatif)").click()
    page.get_by_label("Femmes").fill("2")
    page.get_by_label("Hommes").fill("1")
    page.get_by_role("button", name="Enregistrer", exact=True).click()
    summary = page.locator(".error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_be_in_viewport()
    link = summary.get_by_role("link", name="Femmes et hommes dépassent", exact=False)
    link.click()
    expect(page.get_by_label("Femmes")).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("Femmes")).to_be_in_viewport()
    assert_no_axe_violations(page)
    # At 360 px no kind's label runs out of its tile; the sub-kinds sit in their parent's group.
    overflowing = page.eval_on_selector_all(
        ".choice span",
        "els => els.filter(e => e.scrollWidth > e.clientWidth + 1).map(e => e.textContent)",
    )
    assert overflowing == []
    expect(
        page.get_by_role("group", name="Gestion de conflits").get_by_label("Table ronde")
    ).to_be_visible()

    # The public header: a "Menu" button keeps it small; the links show once it is opened.
    page.goto("/")
    menu = page.locator("summary", has_text="Menu")
    expect(menu).to_be_visible()
    expect(page.get_by_role("link", name="Rechercher")).to_be_hidden()
    assert page.locator(".site-header").bounding_box()["height"] < 100
    assert_no_axe_violations(page)
    menu.click()
    expect(page.get_by_role("link", name="Rechercher")).to_be_visible()
    assert_no_axe_violations(page)
