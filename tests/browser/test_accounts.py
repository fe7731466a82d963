"""A resident signs up, verifies their address from the email and signs in, in Chromium, with 0
axe violations on each allauth page; sign-in by emailed code end to end."""

from urllib.parse import urlparse

import pytest
from playwright.sync_api import expect

from tests.accounts.helpers import code_from, link_from, resident
from tests.support.browser import assert_no_axe_violations, open_menu
from tests.support.worker import wait_for

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "un-long-mot-de-passe-2026"


def only_h1(page) -> str:
    expect(page.locator("h1"), page.url).to_have_count(1)
    return page.locator("h1").inner_text()


def test_resident_signs_up_verifies_and_signs_in(page, home_page, smtp_sink):
    from community.models import Person

    page.goto("/")
    open_menu(page)
    page.get_by_role("link", name="Se connecter").click()
    page.wait_for_url("**/accounts/login/")
    assert_no_axe_violations(page)
    page.get_by_role("link", name="enregistrer").click()
    page.wait_for_url("**/accounts/signup/")
    only_h1(page)
    assert_no_axe_violations(page)

    # Bad input first: passwords that differ, a French message on the form.
    page.get_by_label("E-mail").fill("nadia@exemple.fr")
    page.get_by_label("Mot de passe", exact=False).first.fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD + "x")
    page.get_by_role("button", name="Création de compte").click()
    expect(page.locator("body")).to_contain_text(
        "Vous devez saisir deux fois le même mot de passe."
    )
    expect(page.locator("#id_password2[aria-invalid='true']")).to_have_count(1)
    assert_no_axe_violations(page)

    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD)
    page.get_by_role("button", name="Création de compte").click()
    page.wait_for_url("**/accounts/confirm-email/")
    only_h1(page)
    assert_no_axe_violations(page)

    messages = wait_for(lambda: smtp_sink.to("nadia@exemple.fr"), message="no verification mail")
    assert len(messages) == 1
    assert messages[0].subject.strip() == "[Vivre Ensemble] Confirmez votre adresse électronique"
    assert "Confirmer mon adresse électronique" in messages[0].html()
    page.goto(link_from(messages[0].text()))
    only_h1(page)
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Confirmer").click()
    page.wait_for_url("**/accounts/login/")
    assert_no_axe_violations(page)

    page.get_by_label("E-mail").fill("nadia@exemple.fr")
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Connexion").click()
    page.wait_for_url(lambda url: urlparse(url).path == "/")
    open_menu(page)
    expect(page.get_by_role("link", name="Mon compte")).to_be_visible()
    expect(page.get_by_role("button", name="Se déconnecter")).to_be_visible()
    assert_no_axe_violations(page)
    assert Person.objects.get(email="nadia@exemple.fr").user.email == "nadia@exemple.fr"

    open_menu(page)
    page.get_by_role("link", name="Mon compte").click()
    only_h1(page)
    assert_no_axe_violations(page)
    open_menu(page)
    page.get_by_role("button", name="Se déconnecter").click()
    open_menu(page)
    expect(page.get_by_role("link", name="Se connecter")).to_be_visible()


def test_resident_signs_in_with_an_emailed_code(page, home_page, smtp_sink):
    user = resident(email="code@exemple.fr")
    page.goto("/accounts/login/")
    page.get_by_role("link", name="Envoyez-moi un code de connexion").click()
    only_h1(page)
    assert_no_axe_violations(page)
    page.get_by_label("E-mail").fill(user.email)
    page.get_by_role("button", name="Demander un code").click()
    page.wait_for_url("**/accounts/login/code/confirm/")
    only_h1(page)
    assert_no_axe_violations(page)
    messages = wait_for(lambda: smtp_sink.to(user.email), message="no code mail")
    code = code_from(messages[0].text())

    page.get_by_label("Code").fill("ZZZZ-ZZZZ")
    page.get_by_role("button", name="Confirmer").click()
    expect(page.locator("body")).to_contain_text("Code incorrect.")
    assert_no_axe_violations(page)

    page.get_by_label("Code").fill(code)
    page.get_by_role("button", name="Confirmer").click()
    page.wait_for_load_state()
    open_menu(page)
    expect(page.get_by_role("link", name="Mon compte")).to_be_visible()


def test_wrong_password_page_is_accessible_and_french(page, home_page):
    page.goto("/accounts/login/")
    page.get_by_label("E-mail").fill("personne@exemple.fr")
    page.locator("#id_password").fill("faux")
    page.get_by_role("button", name="Connexion").click()
    expect(page.locator("body")).to_contain_text(
        "L’adresse e-mail ou le mot de passe sont incorrects."
    )
    assert_no_axe_violations(page)


def test_password_reset_and_change_pages_are_accessible(page, home_page, smtp_sink):
    user = resident(email="reset@exemple.fr")
    page.goto("/accounts/password/reset/")
    only_h1(page)
    assert_no_axe_violations(page)
    page.get_by_label("E-mail").fill(user.email)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/accounts/password/reset/done/")
    only_h1(page)
    assert_no_axe_violations(page)

    [message] = wait_for(lambda: smtp_sink.to(user.email), message="no reset mail")
    page.goto(link_from(message.text()))
    page.wait_for_url("**/accounts/password/reset/key/**")
    only_h1(page)
    assert_no_axe_violations(page)
    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD)
    page.get_by_role("button", name="Modifier le mot de passe").click()
    page.wait_for_url("**/accounts/password/reset/key/done/")
    only_h1(page)
    assert_no_axe_violations(page)

    page.goto("/accounts/login/")
    page.get_by_label("E-mail").fill(user.email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.goto("/accounts/password/change/")
    only_h1(page)
    assert_no_axe_violations(page)
