"""Tests: PostgreSQL from DATABASE_URL (set by `make test`); SQLite only for a quick local run.
Fast hasher, in-memory email and cache, tasks run eagerly unless a test starts a real worker."""

from config.settings.base import *  # noqa: F403
from config.settings.base import CACHES as BASE_CACHES
from config.settings.base import env

DEBUG = False
SECRET_KEY = "test-only-not-secret"  # noqa: S105
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.locmem.EmailBackend")
SMS_BACKEND = "community.sms.backends.LocmemBackend"
# Local memory, which a Celery worker of a test does not share: every commit publishes
# (tests/community/test_drain_tasks.py turns coalescing on, on Redis).
COALESCE_DRAIN_TASKS = False
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "fragments": BASE_CACHES["fragments"],
}
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
# Off so that query counts name every query a page makes; tests/cms/test_layout_cache.py turns it on.
LAYOUT_CACHE_SECONDS = 0
# Off for the same reason; tests/cms/test_page_cache.py turns it on.
PAGE_CACHE_SECONDS = 0
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=True)
CELERY_TASK_EAGER_PROPAGATES = True
# A broker failure in one test must not make the next ones skip the broker
# (tests/config/test_broker_faults.py turns the back-off on).
BROKER_PUBLISH_BACKOFF_SECONDS = 0
# No worker or beat runs in most tests: /health/ reports their heartbeats without checking them
# (tests/config/test_health.py turns the check on).
HEALTH_HEARTBEAT_MAX_AGE_SECONDS = 0
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=env.str("REDIS_URL", default="memory://"))
WAGTAILADMIN_BASE_URL = "http://testserver"

# The suite signs many people up from 127.0.0.1: limits out of reach, except where a test lowers
# one (tests/community/test_ratelimit.py).
PUBLIC_RATE_LIMITS = {
    scope: {kind: (100_000, seconds) for kind, (_limit, seconds) in limits.items()}
    for scope, limits in PUBLIC_RATE_LIMITS.items()  # noqa: F405
}

# Off unless a test turns it on (the tests that prove staff two-factor do).
STAFF_MFA_REQUIRED = False
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http"
