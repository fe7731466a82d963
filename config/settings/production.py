"""Production: PostgreSQL, Redis, SMTP, behind an HTTPS proxy. Refuses to start without the
variables it cannot guess."""

import os

from django.core.exceptions import ImproperlyConfigured

from config.settings.base import *  # noqa: F403
from config.settings.base import DATABASES, env, tune_database


def required(name: str) -> str:
    value = os.environ.get(name, "").strip()
    if not value:
        raise ImproperlyConfigured(
            f"The environment variable {name} is required in production and is not set "
            f"(see README.md, section Settings)."
        )
    return value


SECRET_KEY = required("DJANGO_SECRET_KEY")
required("DATABASE_URL")
DATABASES["default"] = tune_database(env.db("DATABASE_URL"))
ALLOWED_HOSTS = [host.strip() for host in required("ALLOWED_HOSTS").split(",") if host.strip()]

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
USE_X_FORWARDED_HOST = env.bool("USE_X_FORWARDED_HOST", default=False)

# Wagtail's page previews are framed by the admin on the same origin, so frames stay SAMEORIGIN
# (W019); HSTS preloading is a per-domain commitment the operator opts into (W021).
SILENCED_SYSTEM_CHECKS = ["security.W019", "security.W021"]

# Accounts and security: staff two-factor on by default; cookies HTTPS-only and out of
# JavaScript's reach; the session cookie ends with the browser.
STAFF_MFA_REQUIRED = env.bool("STAFF_MFA_REQUIRED", default=True)
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"

# Optional error reports (config/error_reports.py): only with a DSN, never with personal data.
SENTRY_DSN = env.str("SENTRY_DSN", default="")
if SENTRY_DSN:
    from config import error_reports

    error_reports.start(
        SENTRY_DSN,
        environment=env.str("SENTRY_ENVIRONMENT", default="production"),
        release=env.str("SENTRY_RELEASE", default=""),
        traces_sample_rate=env.float("SENTRY_TRACES_SAMPLE_RATE", default=0.0),
    )
