"""What production tells its operator: error reports through sentry-sdk only when SENTRY_DSN is
set, never with personal data; log lines as plain text, or one JSON object per line with
LOG_FORMAT=json carrying the request's id and path. (Without a DSN and LOG_FORMAT:
tests/config/test_settings.py::test_production_starts_with_the_required_variables.)"""

import json
import os
import subprocess
import sys

from config import error_reports
from tests.config.test_settings import PRODUCTION_ENV, ROOT

# Loads the production settings and their logging (no app is needed, so no django.setup()), then
# logs one line while a request goes through the first middleware.
LOG_A_REQUEST = """
from django.conf import settings
from django.utils.log import configure_logging
configure_logging(settings.LOGGING_CONFIG, settings.LOGGING)
import logging
from django.http import HttpResponse
from django.test import RequestFactory
from django.utils.module_loading import import_string
import sentry_sdk
client = sentry_sdk.get_client()
print(client.is_active(), client.options["send_default_pii"],
      client.options["max_request_body_size"], client.options["include_local_variables"],
      client.options["before_send"].__name__, settings.SENDFILE_BACKEND, flush=True)
def view(request):
    logging.getLogger("events.signup").info("inscription %s", "enregistrée")
    return HttpResponse()
request = RequestFactory().get(
    "/evenements/atelier/", HTTP_X_REQUEST_ID="5f2b9c1e0a7d4e3f8b6a1c2d3e4f5a6b",
    HTTP_HOST="mediation.example.org", secure=True,
)
import_string(settings.MIDDLEWARE[0])(view)(request)
"""


def test_production_with_a_dsn_and_json_logs():
    env = {k: v for k, v in os.environ.items() if k != "REDIS_URL"}
    env.update(
        PRODUCTION_ENV,
        DJANGO_SETTINGS_MODULE="config.settings.production",
        SENTRY_DSN="https://public@127.0.0.1:9/1",
        LOG_FORMAT="json",
        PRIVATE_FILES_SENDFILE="x-accel-redirect",
    )
    result = subprocess.run(
        [sys.executable, "-c", LOG_A_REQUEST],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    # Reports on, without personal data: no user, cookies or addresses, no request bodies, no
    # local variables (they hold what residents typed), addresses and phones blanked.
    assert result.stdout.split() == [
        "True",
        "False",
        "never",
        "False",
        "scrub",
        "community.sendfile",
    ]
    line = json.loads(result.stderr.strip().splitlines()[-1])
    assert line["level"] == "INFO"
    assert line["logger"] == "events.signup"
    assert line["message"] == "inscription enregistrée"
    assert line["request_id"] == "5f2b9c1e0a7d4e3f8b6a1c2d3e4f5a6b"
    assert line["path"] == "/evenements/atelier/"
    assert line["time"].endswith("Z") and line["time"][:2] == "20"


def test_error_reports_carry_no_email_address_or_phone_number():
    """Error messages may quote what a resident typed (an SMTP refusal names the address)."""
    event = {
        "logentry": {
            "message": "%s %s: failed for good: %s",
            "params": ["outbox", 12, "550 <habitant@exemple.fr> inconnu"],
            "formatted": "outbox 12: failed for good: 550 <habitant@exemple.fr> inconnu",
        },
        "exception": {
            "values": [
                {"type": "SMTPRecipientsRefused", "value": "{'Habitant.Nom@Exemple.fr': 550}"}
            ]
        },
        "breadcrumbs": {"values": [{"message": "rappel au 06 12 34 56 78 ou +33 6 12 34 56 78"}]},
        "extra": {"ids": [12, 34], "when": "2026-11-30 14:15:00"},
    }
    text = json.dumps(error_reports.scrub(event, {}), ensure_ascii=False)
    assert "@" not in text
    assert "06 12 34 56 78" not in text and "+33 6 12 34 56 78" not in text
    assert text.count("[courriel]") == 3 and text.count("[téléphone]") == 2
    # What helps to find the fault stays.
    assert "outbox 12: failed for good: 550 <[courriel]> inconnu" in text
    assert "2026-11-30 14:15:00" in text and "[12, 34]" in text
