"""Signing in through the real allauth forms, as a person would."""

import re

from allauth.account.models import EmailAddress

from tests.factories import PASSWORD, StaffFactory, UserFactory

LOGIN_URL = "/accounts/login/"
WRONG_CREDENTIALS = "L’adresse e-mail ou le mot de passe sont incorrects."
TOO_MANY_ATTEMPTS = "Trop de tentatives de connexion échouées."


def verified(user):
    EmailAddress.objects.update_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )
    return user


def resident(**kwargs):
    return verified(UserFactory(**kwargs))


def staff(**kwargs):
    return verified(StaffFactory(**kwargs))


def login(client, email, password=PASSWORD, **extra):
    return client.post(LOGIN_URL, {"login": email, "password": password}, **extra)


def reauthenticate(client, password=PASSWORD):
    """Type the password again (allauth's re-authentication), as the data download and the
    account deletion ask."""
    response = client.post("/accounts/reauthenticate/", {"password": password})
    assert response.status_code == 302, response.content.decode()[:300]
    return response


def is_logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def code_from(body: str) -> str:
    """The sign-in or verification code of an allauth email (a line holding only the code)."""
    match = re.search(r"^\s*([A-Z0-9][A-Z0-9-]{4,10}[A-Z0-9])\s*$", body, re.MULTILINE)
    assert match, f"no code in:\n{body}"
    return match.group(1)


def link_from(body: str) -> str:
    match = re.search(r"https?://\S+", body)
    assert match, f"no link in:\n{body}"
    return match.group(0)
