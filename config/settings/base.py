"""Settings shared by every environment. Everything that varies comes from the environment.

Each variable read here is listed in README.md and .env.example. The sections follow
cookiecutter-django's order: general, databases and caches, URLs, apps, authentication,
middleware, static and media files, templates, security, email, admin, logging, Celery, allauth,
then the project's own settings. Importing this module reads `.env` and nothing else: no folder
is created here (scripts/run.sh and the test fixtures create the ones they need).
"""

from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

import environ
from csp.constants import NONCE, NONE, SELF, UNSAFE_INLINE

# GENERAL
# ------------------------------------------------------------------------------
BASE_DIR = Path(__file__).resolve().parent.parent.parent
env = environ.Env()
# First, before any value is read: every setting below, VAR_DIR included, may come from `.env`
# (real environment variables win).
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)
# Where the embedded database, broker, mail, static and media files live unless set one by one.
VAR_DIR = Path(env.str("VAR_DIR", default=str(BASE_DIR / "var"))).resolve()

# No secret and no DEBUG here: dev and test set their own, production requires them.
DEBUG = False
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# Internationalisation: one language per page. French is the site's language, at unprefixed
# addresses, whatever the browser asks for; English and Arabic pages live under /en/ and /ar/
# (community/languages.py, config/urls.py). Pages are translated in the admin (wagtail-localize).
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français"), ("en", "English"), ("ar", "العربية")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

# DATABASES
# ------------------------------------------------------------------------------
# DATABASE_URL, e.g. postgres://user:pass@host:5432/name or sqlite:////abs/path.db
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}")}


def tune_database(db: dict) -> dict:
    """SQLite: WAL, immediate transactions and a busy timeout, so web, worker and beat can all
    write. PostgreSQL: persistent connections with health checks."""
    if db["ENGINE"] == "django.db.backends.sqlite3":
        db.setdefault("OPTIONS", {}).update(
            {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=20000;"
                ),
            }
        )
    else:
        db.setdefault("CONN_MAX_AGE", env.int("DATABASE_CONN_MAX_AGE", default=60))
        db.setdefault("CONN_HEALTH_CHECKS", True)
    return db


tune_database(DATABASES["default"])
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# CACHES
# ------------------------------------------------------------------------------
# Redis in production (REDIS_URL), local memory otherwise.
REDIS_URL = env.str("REDIS_URL", default="")
# Every Redis client (the cache, the Celery broker, the health check) gives up after these many
# seconds instead of waiting forever on a server that is down, unreachable or frozen: a request
# then answers (the broker's failures after a commit are left to recovery, community.queue).
REDIS_CONNECT_TIMEOUT = env.float("REDIS_CONNECT_TIMEOUT", default=2.0)
REDIS_SOCKET_TIMEOUT = env.float("REDIS_SOCKET_TIMEOUT", default=2.0)


def redis_cache(url: str) -> dict:
    """A Django cache on the Redis at `url`, with the timeouts above, that reads as a miss while
    Redis is unreachable (config/cache.py)."""
    return {
        "BACKEND": "config.cache.FailOpenRedisCache",
        "LOCATION": url,
        "OPTIONS": {
            "socket_connect_timeout": REDIS_CONNECT_TIMEOUT,
            "socket_timeout": REDIS_SOCKET_TIMEOUT,
        },
    }


if REDIS_URL:
    CACHES = {"default": redis_cache(REDIS_URL)}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Template fragments that change only with a deploy (the blank sign-up form): each process keeps
# its own copy, so a restart is the only invalidation they need and no request waits on Redis.
CACHES["fragments"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "fragments",
}

# URLS
# ------------------------------------------------------------------------------
ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

# APPS
# ------------------------------------------------------------------------------
INSTALLED_APPS = [
    # Ours first, so our templates override third-party ones.
    "community",
    "events",
    "cms",
    "wagtail_localize",
    "wagtail_localize.locales",  # replaces wagtail.locales
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    "django.contrib.postgres",
    # Accounts: allauth for residents and staff, with staff two-factor; CSP headers.
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "csp",
]

# AUTHENTICATION
# ------------------------------------------------------------------------------
# One login door, allauth's, for residents and staff. The behaviour is in
# community/adapters.py; the resident <-> Person link in community/services.py.
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_USER_MODEL = "community.User"
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Staff: two-factor required on every staff URL when STAFF_MFA_REQUIRED (on in production), and
# signed out after STAFF_SESSION_IDLE_SECONDS without a request.
STAFF_MFA_REQUIRED = env.bool("STAFF_MFA_REQUIRED", default=False)
STAFF_URL_PREFIXES = ["/admin/", "/equipe/"]
STAFF_SESSION_IDLE_SECONDS = env.int("STAFF_SESSION_IDLE_SECONDS", default=30 * 60)

# MIDDLEWARE
# ------------------------------------------------------------------------------
MIDDLEWARE = [
    # First, so that every log line of a request carries its id and path (config/logs.py).
    "config.logs.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "cms.layout_cache.CachedSiteMiddleware",
    "community.middleware.SiteCSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Anonymous pages from the shared cache: a hit skips everything below (cms/page_cache.py).
    "cms.page_cache.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "community.languages.PathLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "community.middleware.StaffSessionMiddleware",
    "community.middleware.StaffMFAMiddleware",
]

# STATIC AND MEDIA FILES
# ------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
# Private files (community/storage.py): imported spreadsheets and Wagtail documents, kept out of
# MEDIA_ROOT so the proxy serving /media/ can never hand them out; documents are served by
# Wagtail's view, which checks the collection's privacy. On S3-compatible storage, point
# PRIVATE_STORAGE_BACKEND at a private bucket (e.g. django-storages' S3Storage with
# PRIVATE_STORAGE_OPTIONS {"bucket_name": ..., "default_acl": "private", "querystring_auth": true}).
PRIVATE_MEDIA_ROOT = Path(env.str("PRIVATE_MEDIA_ROOT", default=str(VAR_DIR / "private")))
# Names the default storage sends to the private storage, whichever model writes them.
PRIVATE_MEDIA_PREFIXES = ["documents/"]
# Where `make backup` writes its dated folders (config/backups.py); keep them on another disk or
# copy them off the machine.
BACKUP_DIR = Path(env.str("BACKUP_DIR", default=str(VAR_DIR / "backups")))
STORAGES = {
    "default": {
        "BACKEND": "community.storage.MediaStorage",
        "OPTIONS": {
            "public": {
                "BACKEND": env.str(
                    "MEDIA_STORAGE_BACKEND", default="django.core.files.storage.FileSystemStorage"
                ),
                "OPTIONS": env.json("MEDIA_STORAGE_OPTIONS", default={}),
            }
        },
    },
    "private": {
        "BACKEND": env.str(
            "PRIVATE_STORAGE_BACKEND", default="community.storage.PrivateFileSystemStorage"
        ),
        "OPTIONS": env.json("PRIVATE_STORAGE_OPTIONS", default={}),
    },
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}


def s3_storages(
    *,
    media_bucket: str,
    private_bucket: str = "",
    endpoint_url: str = "",
    access_key: str = "",
    secret_key: str = "",
    region: str = "",
    custom_domain: str = "",
) -> dict:
    """The "default" and "private" storages on S3-compatible storage (django-storages), so that
    every machine sees the same media. Public media (images, renditions) are written
    public-read, under URLs of `media_bucket` (or `custom_domain`, a CDN). Private files are
    written with the private ACL under "private/" in `private_bucket` (the media bucket if
    empty: it must then have no bucket policy opening it to all); nothing links to them: Django's
    views check permission and stream them (community.storage)."""
    common = {
        "endpoint_url": endpoint_url or None,
        "access_key": access_key or None,
        "secret_key": secret_key or None,
        "region_name": region or None,
        "file_overwrite": False,  # two machines saving the same name keep both files
        # Path-style URLs work with every S3-compatible server (MinIO, Garage, moto...).
        "addressing_style": "path",
    }
    public = {
        **common,
        "bucket_name": media_bucket,
        "default_acl": "public-read",
        "querystring_auth": False,
        "custom_domain": custom_domain or None,
    }
    private = {
        **common,
        "bucket_name": private_bucket or media_bucket,
        "location": "private",
        "default_acl": "private",
        "querystring_auth": True,  # a URL, if anything asks for one, is signed and short-lived
        "querystring_expire": 300,
    }
    return {
        "default": {
            "BACKEND": "community.storage.MediaStorage",
            "OPTIONS": {"public": {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": public}},
        },
        "private": {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": private},
    }


# Several machines: with S3_MEDIA_BUCKET set, media and private files go to S3-compatible
# storage (the MEDIA_*/PRIVATE_STORAGE_* settings above are then not used); local disk otherwise.
if env.str("S3_MEDIA_BUCKET", default=""):
    STORAGES.update(
        s3_storages(
            media_bucket=env.str("S3_MEDIA_BUCKET"),
            private_bucket=env.str("S3_PRIVATE_BUCKET", default=""),
            endpoint_url=env.str("S3_ENDPOINT_URL", default=""),
            access_key=env.str("S3_ACCESS_KEY_ID", default=""),
            secret_key=env.str("S3_SECRET_ACCESS_KEY", default=""),
            region=env.str("S3_REGION", default=""),
            custom_domain=env.str("S3_CUSTOM_DOMAIN", default=""),
        )
    )
# Optional: after Wagtail's document view has checked permissions, the proxy sends the file:
# "x-accel-redirect" (nginx, an internal location PRIVATE_FILES_ACCEL_PREFIX aliased to
# PRIVATE_MEDIA_ROOT) or "x-sendfile" (Apache mod_xsendfile). Empty: Django streams the file.
PRIVATE_FILES_SENDFILE = env.str("PRIVATE_FILES_SENDFILE", default="")
PRIVATE_FILES_ACCEL_PREFIX = env.str("PRIVATE_FILES_ACCEL_PREFIX", default="/private-files/")
if PRIVATE_FILES_SENDFILE:
    SENDFILE_BACKEND = "community.sendfile"

# TEMPLATES
# ------------------------------------------------------------------------------
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "wagtail.contrib.settings.context_processors.settings",
                "csp.context_processors.nonce",
            ],
        },
    },
]

# SECURITY
# ------------------------------------------------------------------------------
# What holds everywhere; production adds HTTPS-only rules.
# Sessions in the database (Django's default, said here): every gunicorn process and machine
# sharing the database sees them, and a Redis outage signs nobody out (a cache-backed session
# would be lost with the cache, which fails open).
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "SAMEORIGIN"
# Behind a proxy, how many proxies add themselves to X-Forwarded-For; 0 trusts none (the client
# address is REMOTE_ADDR, and a spoofed header is ignored). Without it every visitor behind the
# proxy shares one per-address rate-limit bucket. Read by allauth and community.ratelimit.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
# Public forms that write or send mail (community.ratelimit): at most `limit` POSTs per
# `seconds`, per client address ("ip") and per email or phone typed ("address"). Over it the
# visitor reads "Trop de demandes…" (status 429) and nothing is written or sent. The per-address
# limits stop anyone from mail-bombing a third party; the per-client ones are generous because a
# social centre's public computer serves many residents.
PUBLIC_RATE_LIMITS = {
    "signup": {"ip": (30, 3600), "address": (10, 3600)},
    "programme": {"ip": (20, 3600), "address": (5, 3600)},
    "series_follow": {"ip": (20, 3600), "address": (5, 3600)},
    "series_topics": {"ip": (30, 3600)},
    "newsletter": {"ip": (10, 3600), "address": (3, 3600)},
    "forms": {"ip": (10, 3600), "address": (5, 3600)},
    "voice": {"ip": (10, 3600), "address": (5, 3600)},
    "join_request": {"ip": (10, 3600), "address": (5, 3600)},
    "stand": {"ip": (10, 3600), "address": (5, 3600)},
}
# Content Security Policy (django-csp 4): strict on public pages (scripts from our origin or
# with the request's nonce, never inline), relaxed on the admin prefixes only as far as
# Wagtail's admin needs (community.middleware.SiteCSPMiddleware swaps the policy there).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [SELF],
    }
}
CSP_ADMIN_PREFIXES = ["/admin/"]
CONTENT_SECURITY_POLICY_ADMIN = {
    "default-src": [SELF],
    "script-src": [SELF, UNSAFE_INLINE],
    "style-src": [SELF, UNSAFE_INLINE],
    "img-src": [SELF, "data:", "blob:"],
    "font-src": [SELF, "data:"],
    "connect-src": [SELF],
    "frame-src": [SELF],
    "object-src": [NONE],
    "base-uri": [SELF],
    "form-action": [SELF],
    "frame-ancestors": [SELF],
}

# EMAIL
# ------------------------------------------------------------------------------
EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=20)
DEFAULT_FROM_EMAIL = env.str(
    "DEFAULT_FROM_EMAIL", default="Vivre Ensemble <contact@vivre-ensemble.localhost>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The domain of the Message-ID of every email the platform sends.
EMAIL_MESSAGE_ID_DOMAIN = env.str("EMAIL_MESSAGE_ID_DOMAIN", default="vivre-ensemble.localhost")

# ADMIN (Wagtail)
# ------------------------------------------------------------------------------
WAGTAIL_SITE_NAME = env.str("WAGTAIL_SITE_NAME", default="Vivre Ensemble")
WAGTAILADMIN_BASE_URL = env.str("WAGTAILADMIN_BASE_URL", default="http://127.0.0.1:8000")
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
# The admin's own interface: French or English (each user's choice).
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES[:2]
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # French stemming that ignores accents; created by the cms migration 0003.
    WAGTAILSEARCH_BACKENDS["default"]["SEARCH_CONFIG"] = "french_unaccent"
WAGTAILIMAGES_FORMAT_CONVERSIONS = {"bmp": "webp"}
WAGTAILDOCS_EXTENSIONS = ["pdf", "odt", "docx", "xlsx", "ods", "csv", "txt"]
# Documents always go through Wagtail's view (never a redirect to the file's storage URL).
WAGTAILDOCS_SERVE_METHOD = "serve_view"
# Uploads: images larger than this, or whose header announces more pixels than this (a
# decompression bomb), are refused with a message by Wagtail's image form.
WAGTAILIMAGES_MAX_UPLOAD_SIZE = env.int("WAGTAILIMAGES_MAX_UPLOAD_SIZE", default=10 * 1024 * 1024)
WAGTAILIMAGES_MAX_IMAGE_PIXELS = env.int("WAGTAILIMAGES_MAX_IMAGE_PIXELS", default=40_000_000)
WAGTAILADMIN_COMMENTS_ENABLED = False
# Wagtail's admin signs in and out through allauth; its own password screens are off.
WAGTAILADMIN_LOGIN_URL = "/accounts/login/"
# Private pages and documents send visitors to the same door (not Wagtail's own login form).
WAGTAIL_FRONTEND_LOGIN_URL = "/accounts/login/"
WAGTAIL_PASSWORD_MANAGEMENT_ENABLED = False
WAGTAIL_PASSWORD_RESET_ENABLED = False
# No request from the admin to a third-party origin.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_ENABLE_UPDATE_CHECK = False

# LOGGING
# ------------------------------------------------------------------------------
# Everything to stderr (journald under systemd). LOG_FORMAT=json: one JSON object per line with
# the request's id and path (config/logs.py), for a log collector.
LOG_FORMAT = env.str("LOG_FORMAT", default="plain")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {"()": "config.logs.JsonFormatter"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        "django_tasks": {"level": "WARNING"},
    },
}
if LOG_FORMAT not in LOGGING["formatters"]:
    raise ImproperlyConfigured(f"LOG_FORMAT must be 'plain' or 'json', not {LOG_FORMAT!r}.")

# CELERY
# ------------------------------------------------------------------------------
# JSON only, time limits, late acknowledgement so a killed worker's task is redelivered.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL or "memory://")
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600),
    # Redis: a publish or an acknowledgement waits at most this long on a frozen server (the
    # worker's BRPOP, 1 s, and kombu's health checks are below or beside it).
    "socket_connect_timeout": REDIS_CONNECT_TIMEOUT,
    "socket_timeout": REDIS_SOCKET_TIMEOUT,
    "socket_keepalive": True,
}
CELERY_BROKER_CONNECTION_TIMEOUT = REDIS_CONNECT_TIMEOUT
# kombu's Redis transport with a repair (config/broker.py): a worker that loses Redis reconnects
# instead of exiting on AttributeError while restoring unacknowledged messages.
if CELERY_BROKER_URL.startswith(("redis://", "rediss://")):
    CELERY_BROKER_TRANSPORT = env.str("CELERY_BROKER_TRANSPORT", default="config.broker:Transport")
# A publish is tried twice (a pooled connection Redis dropped on a restart is replaced once),
# then gives up: the web's publishes after a commit are left to recovery (community.queue).
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.2,
}
# After a failed publish, a process skips the broker for this many seconds (each request would
# otherwise wait for the timeouts again); the rows committed meanwhile are sent by recovery.
BROKER_PUBLISH_BACKOFF_SECONDS = env.int("BROKER_PUBLISH_BACKOFF_SECONDS", default=5)
# The outbox's senders drain their queue, so one message of theirs waiting in the broker is
# enough (community.queue.after_commit_drain): on where the web processes and the workers share a
# cache (Redis), off with local memory, which a worker could never clear. The mark that a message
# waits lapses after this many seconds (a message lost with its broker).
COALESCE_DRAIN_TASKS = env.bool("COALESCE_DRAIN_TASKS", default=bool(REDIS_URL))
DRAIN_TASK_WAITING_SECONDS = env.int("DRAIN_TASK_WAITING_SECONDS", default=30)
CELERY_TASK_IGNORE_RESULT = True
CELERY_RESULT_BACKEND = None
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=600)
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=540)
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_ALWAYS_EAGER = False
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
# Seconds between two recoveries of the mail queues (sign-up outbox, newsletter): the rows of a
# dead worker come back at most this long after their lease lapsed (OUTBOX_CLAIM_TIMEOUT,
# NEWSLETTER_CLAIM_TIMEOUT), so within a minute of its death with the defaults.
MAIL_RECOVERY_SECONDS = env.float("MAIL_RECOVERY_SECONDS", default=20.0)
# Beat records its heartbeat (community.heartbeat) at each tick, at least every 30 s.
CELERY_BEAT_SCHEDULER = "community.heartbeat:HeartbeatScheduler"
CELERY_BEAT_MAX_LOOP_INTERVAL = 30
# Every periodic task, in one table (seconds between runs).
CELERY_BEAT_SCHEDULE = {
    # Retention rules of every app (community.registries.retention), once a day; unconfirmed
    # newsletter subscriptions expire with it.
    "community-run-retention": {"task": "community.run_retention", "schedule": 24 * 3600},
    # Scheduled publishing and expiry of events (and pages).
    "events-publish-scheduled": {"task": "events.publish_scheduled", "schedule": 60.0},
    # Sign-up outbox: messages a dead worker left are given back and sent.
    "events-deliver-outbox": {"task": "events.recover_outbox", "schedule": MAIL_RECOVERY_SECONDS},
    "events-send-reminders": {"task": "events.send_reminders", "schedule": 900.0},
    # Café Médiation series: sessions generated EVENTS_SERIES_HORIZON_MONTHS ahead.
    "events-sync-series": {"task": "events.sync_series_all", "schedule": 3600.0},
    "events-send-surveys": {"task": "events.send_surveys", "schedule": 900.0},
    # Newsletter deliveries a dead worker left are given back, its senders restarted.
    "cms-newsletter-recover": {"task": "cms.newsletter_recover", "schedule": MAIL_RECOVERY_SECONDS},
    # Emails whose task message was lost (the broker was down after the commit): newsletter
    # confirmations, stand decisions, form submissions; voices and join requests to mediators.
    "cms-recover-unsent-emails": {"task": "cms.recover_unsent_emails", "schedule": 300.0},
    "community-recover-unsent-emails": {
        "task": "community.recover_unsent_emails",
        "schedule": 300.0,
    },
}
# Task names each worker queues when it starts (recovery of work a killed worker left).
CELERY_WORKER_STARTUP_TASKS = [
    "events.recover_outbox",
    "cms.newsletter_recover",
    "cms.recover_unsent_emails",
    "community.recover_unsent_emails",
]

# ALLAUTH
# ------------------------------------------------------------------------------
ACCOUNT_ADAPTER = "community.adapters.AccountAdapter"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = False
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
ACCOUNT_LOGIN_BY_CODE_TIMEOUT = 300
ACCOUNT_LOGIN_BY_CODE_MAX_ATTEMPTS = 3
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_EMAIL_NOTIFICATIONS = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Vivre Ensemble] "
ACCOUNT_LOGOUT_REDIRECT_URL = "/"
ACCOUNT_SESSION_REMEMBER = None
# Seconds a password typed again (allauth's re-authentication) stays valid for the sensitive
# steps that ask for it: adding two-factor, downloading one's data, deleting one's account.
ACCOUNT_REAUTHENTICATION_TIMEOUT = env.int("ACCOUNT_REAUTHENTICATION_TIMEOUT", default=300)
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https"
# 5 failed logins per account in 5 minutes and 10 per minute per address, for residents and
# staff alike (the admin's login redirects here); the other limits are allauth's defaults.
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip,5/5m/key",
    "login": "30/m/ip",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "request_login_code": "20/m/ip,3/m/key",
    "confirm_email": "1/3m/key",
    "change_password": "5/m/user",
    "manage_email": "10/m/user",
    "reauthenticate": "10/m/user",
}
# allauth reads the proxy count under its own name.
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT
MFA_ADAPTER = "allauth.mfa.adapter.DefaultMFAAdapter"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Vivre Ensemble"
# One 30-second step either side, as RFC 6238 advises for a phone's clock drift and slow networks.
MFA_TOTP_TOLERANCE = 1
MFA_PASSKEY_LOGIN_ENABLED = False

# PROJECT SETTINGS
# ------------------------------------------------------------------------------
# /health/: answers within HEALTH_TIMEOUT_SECONDS whatever hangs, and 503 when an email due
# (sign-up outbox, newsletter) has waited longer than HEALTH_OUTBOX_MAX_AGE_SECONDS: no worker
# is sending.
HEALTH_TIMEOUT_SECONDS = env.float("HEALTH_TIMEOUT_SECONDS", default=4.0)
HEALTH_OUTBOX_MAX_AGE_SECONDS = env.int("HEALTH_OUTBOX_MAX_AGE_SECONDS", default=900)
# Workers and beat record a heartbeat every HEARTBEAT_SECONDS; /health/ is 503 when the latest
# of either is older than HEALTH_HEARTBEAT_MAX_AGE_SECONDS (0: reported, not checked).
HEARTBEAT_SECONDS = env.int("HEARTBEAT_SECONDS", default=30)
HEALTH_HEARTBEAT_MAX_AGE_SECONDS = env.int("HEALTH_HEARTBEAT_MAX_AGE_SECONDS", default=180)

# Layout: seconds each process keeps the site and its settings (agency details, menus) that every
# page's layout reads; an edit shows at once in the process that saved it, in the others within
# this.
LAYOUT_CACHE_SECONDS = env.int("LAYOUT_CACHE_SECONDS", default=30)

# Page cache (cms/page_cache.py): whole pages for visitors with no session, in the default cache.
# Any change to what a page shows (a page, an event, a series, settings, menus; a sign-up or a
# cancellation for the pages that show seats) empties it at once for every process; this lifetime only bounds what time alone
# changes (an event starting, a registration window opening or closing). 0 turns it off.
PAGE_CACHE_SECONDS = env.int("PAGE_CACHE_SECONDS", default=60)
# What a kept page tells browsers (max-age; 0: ask again each time, answered 304 when unchanged)
# and shared proxies (s-maxage), which no change can empty: keep it to a few seconds.
PAGE_CACHE_MAX_AGE = env.int("PAGE_CACHE_MAX_AGE", default=0)
PAGE_CACHE_SHARED_MAX_AGE = env.int("PAGE_CACHE_SHARED_MAX_AGE", default=5)
# Never kept, whatever they answer: admin and staff tools, accounts, private documents, the
# health check, and the pages reached by a personal link (their token is in the path).
PAGE_CACHE_EXCLUDED_PREFIXES = [
    "/admin/",
    "/equipe/",
    "/accounts/",
    "/compte/",
    "/documents/",
    "/health/",
    "/i18n/",
    "/lettre/",
    "/evenements/inscriptions/",
    "/evenements/mes-inscriptions/",
    "/evenements/cafes/suivi/",
    "/evenements/questionnaire/",
]

# Events. The domain in the UIDs of calendar files (event-<id>@<domain>); never change it once
# in use.
EVENTS_ICAL_DOMAIN = env.str("EVENTS_ICAL_DOMAIN", default="vivre-ensemble.localhost")
# The longest reminder delay an event may set (hours before its start).
EVENTS_MAX_REMINDER_HOURS = 168

# Sign-up outbox. The lease (seconds) a worker holds on the messages it claimed: it renews it as
# it sends them (every sixth of it), so one SMTP exchange must take less than five sixths of it
# (EMAIL_TIMEOUT bounds each step); the messages of a worker that stopped renewing (it died) are
# given back at the next recovery (MAIL_RECOVERY_SECONDS).
OUTBOX_CLAIM_TIMEOUT = env.int("OUTBOX_CLAIM_TIMEOUT", default=30)
# Emails sent over one SMTP connection before the next batch is claimed.
OUTBOX_BATCH_SIZE = env.int("OUTBOX_BATCH_SIZE", default=50)

# Text messages (SMS) to residents who agreed to them, through the sign-up outbox. SMS_BACKEND
# names the class that delivers them, like EMAIL_BACKEND: community.sms.backends.FileBackend
# (one file per message under SMS_FILE_PATH: the embedded default's), ConsoleBackend,
# LocmemBackend (tests) or BrevoBackend (Brevo's transactional SMS API, key in
# SMS_BREVO_API_KEY); empty (the default here): no texts, and the sign-up form does not offer
# them. SMS_SENDER is the name
# shown to residents (at most 11 letters and digits, registered with the provider). A text the
# provider refuses, or that still fails after SMS_MAX_ATTEMPTS tries (each bounded by
# SMS_TIMEOUT seconds), goes to the mediators' call list. SMS_WEBHOOK_SECRET authenticates the
# provider's reports (STOP answers) at /evenements/sms/rapports/; empty: the webhook is closed.
SMS_BACKEND = env.str("SMS_BACKEND", default="")
SMS_FILE_PATH = VAR_DIR / "sms"
SMS_SENDER = env.str("SMS_SENDER", default="VivreEns")
SMS_BREVO_API_KEY = env.str("SMS_BREVO_API_KEY", default="")
SMS_BREVO_URL = env.str("SMS_BREVO_URL", default="https://api.brevo.com/v3/transactionalSMS/send")
SMS_TIMEOUT = env.float("SMS_TIMEOUT", default=10.0)
SMS_MAX_ATTEMPTS = env.int("SMS_MAX_ATTEMPTS", default=3)
SMS_BATCH_SIZE = env.int("SMS_BATCH_SIZE", default=50)
SMS_WEBHOOK_SECRET = env.str("SMS_WEBHOOK_SECRET", default="")

# Café Médiation series and satisfaction surveys.
# Sessions of a series are generated this many months ahead (beat, hourly, and on each save).
EVENTS_SERIES_HORIZON_MONTHS = env.int("EVENTS_SERIES_HORIZON_MONTHS", default=3)
# The survey goes out this many hours after a session ends; 0 = the next morning at
# EVENTS_SURVEY_HOUR (Paris time).
EVENTS_SURVEY_DELAY_HOURS = env.int("EVENTS_SURVEY_DELAY_HOURS", default=0)
EVENTS_SURVEY_HOUR = env.int("EVENTS_SURVEY_HOUR", default=9)
# Sessions that ended longer ago than this (days) get no survey any more.
EVENTS_SURVEY_WINDOW_DAYS = 14

# The newsletter (cms/newsletter/rules.py): double opt-in, campaigns sent by Celery.
# Unconfirmed subscriptions are deleted this many days after the request.
NEWSLETTER_CONFIRMATION_DAYS = env.int("NEWSLETTER_CONFIRMATION_DAYS", default=30)
# Emails sent over one SMTP connection before the next batch is claimed.
NEWSLETTER_BATCH_SIZE = env.int("NEWSLETTER_BATCH_SIZE", default=50)
# Messages per second each sending task allows itself (0: no limit).
NEWSLETTER_RATE_PER_SECOND = env.float("NEWSLETTER_RATE_PER_SECOND", default=20.0)
# Sending tasks queued per campaign (one per worker process that should take part).
NEWSLETTER_SENDERS = env.int("NEWSLETTER_SENDERS", default=2)
# The lease (seconds) a worker holds on the deliveries it claimed, renewed as it sends them (see
# OUTBOX_CLAIM_TIMEOUT); a dead worker's deliveries are given back and its senders restarted.
NEWSLETTER_CLAIM_TIMEOUT = env.int("NEWSLETTER_CLAIM_TIMEOUT", default=30)
# First retry delay (seconds) after a transient SMTP failure, doubling each time (max 1 h).
NEWSLETTER_RETRY_BASE_SECONDS = env.int("NEWSLETTER_RETRY_BASE_SECONDS", default=30)

# Emails sent by a task that names a row (newsletter confirmations, stand decisions, form
# submissions, voices and join requests): those not sent UNSENT_EMAIL_GRACE_SECONDS after they
# were asked for (their task message was lost) are sent by a recovery task, up to
# UNSENT_EMAIL_WINDOW_DAYS later.
UNSENT_EMAIL_GRACE_SECONDS = env.int("UNSENT_EMAIL_GRACE_SECONDS", default=120)
UNSENT_EMAIL_WINDOW_DAYS = env.int("UNSENT_EMAIL_WINDOW_DAYS", default=7)

# Community spreadsheet imports: the largest file accepted, in bytes; files with more rows than
# COMMUNITY_IMPORT_ASYNC_ROWS are checked and imported by a Celery task, the page showing a
# progress bar.
COMMUNITY_IMPORT_MAX_BYTES = env.int("COMMUNITY_IMPORT_MAX_BYTES", default=5 * 1024 * 1024)
COMMUNITY_IMPORT_ASYNC_ROWS = env.int("COMMUNITY_IMPORT_ASYNC_ROWS", default=200)

# Retention (privacy): each app registers its rules in community.registries.retention; the daily
# task community.run_retention runs them; the privacy page states these durations.
# Months after the event before registrations, participants and attendance are anonymised.
RETENTION_MONTHS = env.int("RETENTION_MONTHS", default=12)
# Months after the event before access needs are erased.
RETENTION_ACCESS_NEEDS_MONTHS = env.int("RETENTION_ACCESS_NEEDS_MONTHS", default=1)
# Months after a reference tenant stopped before their follow-up notes are erased.
RETENTION_FOLLOW_UP_MONTHS = env.int("RETENTION_FOLLOW_UP_MONTHS", default=24)
# Months after they were sent before form submissions (contact, newcomer, services) are deleted.
RETENTION_SUBMISSIONS_MONTHS = env.int("RETENTION_SUBMISSIONS_MONTHS", default=12)
# Days an uploaded spreadsheet that was never imported is kept (an imported one goes at once).
RETENTION_IMPORT_DAYS = env.int("RETENTION_IMPORT_DAYS", default=7)
# Months without sign-in before a resident's account is warned, then days before it is deleted.
RETENTION_INACTIVE_ACCOUNT_MONTHS = env.int("RETENTION_INACTIVE_ACCOUNT_MONTHS", default=36)
RETENTION_INACTIVE_ACCOUNT_GRACE_DAYS = env.int("RETENTION_INACTIVE_ACCOUNT_GRACE_DAYS", default=30)
# Days after a message was sent (or the person called) before its address, phone and text (with
# its manage link) are blanked; messages still waiting are kept.
RETENTION_OUTBOX_DAYS = env.int("RETENTION_OUTBOX_DAYS", default=90)
