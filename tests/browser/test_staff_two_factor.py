"""A staff member is sent to set up two-factor authentication before the admin, does it in
Chromium with a real TOTP code (every page: 0 axe violations, the site's look), then works in
Wagtail's admin without any Content Security Policy violation."""

from urllib.parse import urlparse

import pytest
from playwright.sync_api import expect

from community import roles
from tests.accounts.helpers import staff
from tests.factories import PASSWORD
from tests.support.browser import assert_no_axe_violations
from tests.support.totp import fresh_totp, totp

pytestmark = pytest.mark.django_db(transaction=True)


def test_staff_set_up_totp_then_use_the_admin_under_its_policy(page, home_page, settings):
    settings.STAFF_MFA_REQUIRED = True
    user = staff(role=roles.MANAGER, email="direction@exemple.fr", is_superuser=True)
    csp_errors = []
    page.on(
        "console",
        lambda message: (
            csp_errors.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )

    page.goto("/admin/")
    assert urlparse(page.url).path == "/accounts/login/"
    page.get_by_label("E-mail").fill(user.email)
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Connexion").click()

    # The admin sends them to two-factor set-up, which first asks for the password again.
    page.wait_for_url("**/accounts/reauthenticate/**")
    expect(page.locator("h1")).to_have_count(1)
    assert_no_axe_violations(page)
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Confirmer").click()

    page.wait_for_url("**/accounts/2fa/totp/activate/**")
    expect(page.locator("h1")).to_have_count(1)
    expect(page.get_by_role("navigation", name="Mon compte")).to_be_visible()
    qr = page.locator("img[src^='data:image/svg+xml']")
    assert qr.evaluate("img => img.complete && img.naturalWidth > 0")  # allowed by img-src
    assert_no_axe_violations(page)
    secret = page.locator("#authenticator_secret").input_value()

    page.get_by_label("Code de l'authentificateur").fill(
        "000000" if totp(secret) != "000000" else "111111"
    )
    page.get_by_role("button", name="Activer").click()
    expect(page.locator("[aria-invalid='true']")).to_have_count(1)
    assert_no_axe_violations(page)

    page.get_by_label("Code de l'authentificateur").fill(fresh_totp(secret))
    page.get_by_role("button", name="Activer").click()
    page.wait_for_url("**/accounts/2fa/recovery-codes/**")
    expect(page.locator("h1")).to_have_count(1)
    assert_no_axe_violations(page)

    # The editor and the forms run inline scripts: the admin's policy lets them (and only there).
    for url in ["/admin/", f"/admin/pages/{home_page.pk}/edit/", "/admin/users/"]:
        page.goto(url)
        page.wait_for_load_state("networkidle")
        assert urlparse(page.url).path == url
    assert csp_errors == []
