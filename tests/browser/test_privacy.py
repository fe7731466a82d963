"""A resident, on a phone (360 px), fills their profile, downloads their data and deletes their
account, with 0 axe violations on each page."""

import json
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.accounts.helpers import resident
from tests.factories import PASSWORD
from tests.support.browser import assert_no_axe_violations

pytestmark = pytest.mark.django_db(transaction=True)


def test_resident_profile_download_and_delete(page, home_page, territories):
    from community.models import Person, User

    resident(email="nadia@exemple.fr", first_name="Nadia")
    page.goto("/accounts/login/")
    page.get_by_label("E-mail").fill("nadia@exemple.fr")
    page.get_by_label("Mot de passe").first.fill(PASSWORD)
    page.locator("main form").get_by_role("button").last.click()
    page.goto("/compte/")
    expect(page.locator("h1")).to_have_text("Mon compte")
    assert_no_axe_violations(page)

    # Bad input: a phone that is not one gets a message on the form.
    page.get_by_label("Téléphone").fill("pas un numéro <script>")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.locator(".field__error").first).to_be_visible()
    assert_no_axe_violations(page)
    page.get_by_label("Prénom").fill("Nadia")
    page.locator("#id_last_name").fill("Benali")
    page.get_by_label("Téléphone").fill("06 11 22 33 44")
    page.get_by_label("Votre quartier").select_option(label="Lyon 8")
    page.get_by_label("Votre âge").select_option("25-59")
    page.get_by_role("button", name="Enregistrer").click()
    page.wait_for_url("**/compte/")
    person = Person.objects.get(user__email="nadia@exemple.fr")
    assert (person.last_name, person.phone, person.age_band) == ("Benali", "+33611223344", "25-59")
    page.screenshot(path="/tmp/i13-compte-telephone.png", full_page=True)  # noqa: S108

    # The download asks for the password again (re-authentication), then starts by itself.
    page.get_by_role("button", name="Télécharger mes données").click()
    page.wait_for_url("**/accounts/reauthenticate/**")
    assert_no_axe_violations(page)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    with page.expect_download() as download:
        page.locator("main form").get_by_role("button").last.click()
    data = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
    assert data["data"]["community.person"]["last_name"] == "Benali"
    page.goto("/compte/")  # the download answered the password form; the account page again

    page.get_by_role("link", name="Supprimer mon compte").click()
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Supprimer définitivement mon compte").click()
    expect(page.locator(".field__error")).to_have_count(1)  # not confirmed: nothing deleted
    assert User.objects.filter(email="nadia@exemple.fr").exists()
    page.get_by_label("Je veux supprimer mon compte").check()
    page.get_by_role("button", name="Supprimer définitivement mon compte").click()
    page.wait_for_url("**/")
    assert not User.objects.filter(email="nadia@exemple.fr").exists()
    assert Person.objects.get(pk=person.pk).anonymised_at is not None
    page.screenshot(path="/tmp/i13-apres-suppression.png", full_page=True)  # noqa: S108
