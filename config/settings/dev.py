"""The embedded default (`make run`): SQLite, a real Celery worker and beat on kombu's file
broker under var/, emails and texts written to var/mail/ and var/sms/ as files a person can open.

The folders are created by whoever uses them (config/folders.py, called by scripts/run.sh), not
on import."""

from config.settings.base import *  # noqa: F403
from config.settings.base import VAR_DIR, env

DEBUG = env.bool("DJANGO_DEBUG", default=True)
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="dev-only-not-secret-7a1f0c2e9b")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]", "testserver"])

STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}

EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.filebased.EmailBackend")
EMAIL_FILE_PATH = VAR_DIR / "mail"
SMS_BACKEND = env.str("SMS_BACKEND", default="community.sms.backends.FileBackend")

BROKER_DIR = VAR_DIR / "broker"
if not env.str("CELERY_BROKER_URL", default="") and not env.str("REDIS_URL", default=""):
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(BROKER_DIR / "queue"),
        "data_folder_out": str(BROKER_DIR / "queue"),
        "processed_folder": str(BROKER_DIR / "processed"),
        "control_folder": str(BROKER_DIR / "control"),
        "store_processed": False,
    }

# The demo stays one step: no two-factor set-up required of the demo staff, links over HTTP.
STAFF_MFA_REQUIRED = env.bool("STAFF_MFA_REQUIRED", default=False)
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http"
