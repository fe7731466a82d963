"""Staff two-factor (allauth.mfa, TOTP) required on every staff URL, and staff sessions that
end after inactivity."""

import datetime as dt

from django.urls import reverse

import pytest
import time_machine
from allauth.mfa.models import Authenticator

from community import roles
from tests.accounts.helpers import is_logged_in, login, resident, staff
from tests.factories import PASSWORD
from tests.support.totp import fresh_totp, totp

pytestmark = pytest.mark.django_db

STAFF_URLS = ["/admin/", "/admin/pages/", "/admin/snippets/community/residence/", "/equipe/"]
ACTIVATE_URL = "/accounts/2fa/totp/activate/"
REACHABLE = ["/admin/", "/admin/snippets/community/residence/"]  # for mediators and managers


@pytest.fixture
def mfa_required(settings):
    settings.STAFF_MFA_REQUIRED = True


@pytest.mark.parametrize("role", [roles.MEDIATOR, roles.MANAGER, roles.COMMUNICATION])
def test_staff_without_an_authenticator_reach_no_staff_url(client, mfa_required, role):
    user = staff(role=role)
    client.force_login(user)
    for url in STAFF_URLS:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.headers["Location"].startswith(ACTIVATE_URL), url
    assert client.post("/admin/pages/", {}).headers["Location"] == ACTIVATE_URL
    # The public site stays open to them.
    assert client.get("/accounts/email/").status_code == 200


def test_a_superuser_without_an_authenticator_is_sent_to_set_it_up(client, mfa_required):
    user = staff(role=roles.MANAGER, is_superuser=True)
    client.force_login(user)
    assert client.get("/admin/").headers["Location"].startswith(ACTIVATE_URL)


def test_without_the_requirement_staff_reach_the_admin(client, settings):
    settings.STAFF_MFA_REQUIRED = False
    client.force_login(staff(role=roles.MEDIATOR))
    assert client.get("/admin/").status_code == 200


def test_residents_are_not_asked_for_two_factor(client, mfa_required):
    client.force_login(resident())
    response = client.get("/admin/")
    assert response.status_code == 302
    assert not response.headers["Location"].startswith(ACTIVATE_URL)


def test_staff_set_up_totp_with_a_real_code_then_reach_every_staff_url(client, mfa_required):
    user = staff(role=roles.MEDIATOR)
    assert login(client, user.email).status_code == 302
    response = client.get("/admin/")
    assert response.headers["Location"] == f"{ACTIVATE_URL}?next=%2Fadmin%2F"
    # Adding an authenticator asks for the password again (allauth's guard against a hijacked
    # session), then comes back to the set-up page.
    response = client.get(response.headers["Location"])
    assert response.headers["Location"].startswith("/accounts/reauthenticate/")
    response = client.post(response.headers["Location"], {"password": PASSWORD})
    assert response.status_code == 302
    page = client.get(response.headers["Location"])
    assert page.status_code == 200
    secret = client.session["mfa.totp.secret"]
    assert secret in page.content.decode()  # shown for people who cannot scan the QR code

    wrong = client.post(ACTIVATE_URL, {"code": "000000" if totp(secret) != "000000" else "111111"})
    assert wrong.status_code == 200
    assert not Authenticator.objects.filter(user=user).exists()

    response = client.post(ACTIVATE_URL, {"code": fresh_totp(secret)})
    assert response.status_code == 302
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.RECOVERY_CODES).exists()
    for url in REACHABLE:
        assert client.get(url).status_code == 200, url


def test_staff_with_totp_sign_in_with_password_and_a_real_code(client, mfa_required):
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    user = staff(role=roles.MANAGER)
    secret = generate_totp_secret()
    TOTP.activate(user, secret)

    response = login(client, user.email)
    assert response.headers["Location"] == reverse("mfa_authenticate")
    assert not is_logged_in(client)  # the password alone does not open the session
    wrong = client.post(reverse("mfa_authenticate"), {"code": "12345"})
    assert wrong.status_code == 200
    assert not is_logged_in(client)

    response = client.post(reverse("mfa_authenticate"), {"code": fresh_totp(secret)})
    assert response.status_code == 302
    assert is_logged_in(client)
    for url in REACHABLE:
        assert client.get(url).status_code == 200, url


def test_a_recovery_code_replaces_a_lost_phone_once(client, mfa_required):
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    user = staff(role=roles.MANAGER)
    TOTP.activate(user, generate_totp_secret())
    recovery = RecoveryCodes.activate(user).get_unused_codes()[0]
    login(client, user.email)
    client.post(reverse("mfa_authenticate"), {"code": recovery})
    assert is_logged_in(client)
    client.post("/accounts/logout/")
    login(client, user.email)
    client.post(reverse("mfa_authenticate"), {"code": recovery})
    assert not is_logged_in(client)


def test_staff_sessions_end_after_the_idle_time(client, settings):
    settings.STAFF_SESSION_IDLE_SECONDS = 600
    user = staff(role=roles.MEDIATOR)
    start = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False) as clock:
        login(client, user.email)
        assert client.get("/admin/").status_code == 200
        assert client.session.get_expiry_age() == 600
        clock.shift(dt.timedelta(seconds=500))
        assert client.get("/admin/").status_code == 200  # activity slides the expiry
        clock.shift(dt.timedelta(seconds=500))
        assert client.get("/admin/").status_code == 200
        clock.shift(dt.timedelta(seconds=601))
        response = client.get("/admin/")
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/accounts/login/")


def test_resident_sessions_keep_the_default_length(client, settings):
    settings.STAFF_SESSION_IDLE_SECONDS = 600
    user = resident()
    login(client, user.email)
    client.get("/")
    assert client.session.get_expiry_age() == settings.SESSION_COOKIE_AGE
