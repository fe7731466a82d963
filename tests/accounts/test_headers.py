"""Security headers on every public page and the login page; the admin's relaxed policy."""

import pytest

from tests.config.test_settings import PRODUCTION_ENV, run_django

pytestmark = pytest.mark.django_db

PUBLIC_URLS = [
    "/",
    "/accounts/login/",
    "/accounts/signup/",
    "/accounts/login/code/",
    "/accounts/password/reset/",
]


def directives(header: str) -> dict[str, list[str]]:
    parsed = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            parsed[words[0]] = words[1:]
    return parsed


@pytest.mark.parametrize("url", PUBLIC_URLS)
def test_public_pages_carry_a_strict_policy_and_the_security_headers(client, home_page, url):
    response = client.get(url, secure=True)
    assert response.status_code == 200
    policy = directives(response.headers["Content-Security-Policy"])
    assert "'unsafe-inline'" not in policy["script-src"]
    assert "'unsafe-eval'" not in policy["script-src"]
    assert policy["script-src"][0] == "'self'"
    assert policy["default-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'self'"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response.headers["X-Frame-Options"] == "SAMEORIGIN"


def test_public_pages_have_no_inline_script_without_the_nonce(client, home_page):
    import re

    for url in PUBLIC_URLS:
        response = client.get(url)
        nonce = re.search(r"'nonce-([^']+)'", response.headers["Content-Security-Policy"])
        for tag in re.findall(r"<script\b[^>]*>", response.content.decode()):
            executable = "src=" not in tag and "application/json" not in tag
            assert not executable or (nonce and f'nonce="{nonce.group(1)}"' in tag), (url, tag)


def test_the_admin_policy_is_relaxed_for_wagtail_only_under_admin(client, settings):
    from community import roles
    from tests.factories import StaffFactory

    client.force_login(StaffFactory(role=roles.MANAGER))
    response = client.get("/admin/")
    assert response.status_code == 200
    policy = directives(response.headers["Content-Security-Policy"])
    assert "'unsafe-inline'" in policy["script-src"]
    assert not any(source.startswith("'nonce-") for source in policy["script-src"])
    assert policy["frame-ancestors"] == ["'self'"]
    assert policy["frame-src"] == ["'self'"]


def test_hsts_of_a_year_over_https_with_production_values(client, settings, home_page):
    settings.SECURE_HSTS_SECONDS = 31536000
    response = client.get("/accounts/login/", secure=True)
    assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")


def test_production_cookies_are_secure_http_only_and_staff_need_two_factor():
    code = (
        "from django.conf import settings as s; "
        "print(s.SECURE_HSTS_SECONDS >= 31536000, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, "
        "s.SESSION_COOKIE_HTTPONLY, s.CSRF_COOKIE_HTTPONLY, s.SECURE_CONTENT_TYPE_NOSNIFF, "
        "s.SECURE_REFERRER_POLICY, s.STAFF_MFA_REQUIRED, s.STAFF_SESSION_IDLE_SECONDS, "
        "s.ALLAUTH_TRUSTED_PROXY_COUNT)"
    )
    result = run_django(code, PRODUCTION_ENV, "config.settings.production")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "True",
        "True",
        "True",
        "True",
        "True",
        "True",
        "strict-origin-when-cross-origin",
        "True",
        "1800",
        "0",
    ]
    behind_proxy = run_django(
        "from django.conf import settings as s; print(s.ALLAUTH_TRUSTED_PROXY_COUNT)",
        {**PRODUCTION_ENV, "TRUSTED_PROXY_COUNT": "1"},
        "config.settings.production",
    )
    assert behind_proxy.stdout.strip() == "1"


def test_the_embedded_demo_does_not_require_two_factor(tmp_path):
    result = run_django(
        "from django.conf import settings as s; print(s.STAFF_MFA_REQUIRED)",
        {"DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}", "VAR_DIR": str(tmp_path)},
        "config.settings.dev",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"
