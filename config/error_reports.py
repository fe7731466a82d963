"""Optional error reports through sentry-sdk (production settings, when SENTRY_DSN is set).

What is sent is the error and where it happened, never what residents typed or who they are:
no user, cookies or client address (send_default_pii), no request bodies, no local variables of
the stack frames (they hold form data), and email addresses and French phone numbers quoted in
messages (an SMTP refusal names the address) are blanked before an event leaves."""

import re

import sentry_sdk
from sentry_sdk.integrations.celery import CeleryIntegration
from sentry_sdk.integrations.django import DjangoIntegration

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# 06 12 34 56 78, 0612345678, 06.12.34.56.78, +33 6 12 34 56 78, 0033612345678
PHONE = re.compile(r"(?<!\d)(?:(?:\+|00)33[\s.-]?|0)[1-9](?:[\s.-]?\d{2}){4}(?!\d)")


def _blank(value):
    if isinstance(value, str):
        return PHONE.sub("[téléphone]", EMAIL.sub("[courriel]", value))
    if isinstance(value, dict):
        return {key: _blank(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_blank(item) for item in value]
    return value


def scrub(event: dict, hint: dict) -> dict:
    """Sentry's before_send: the event with every email address and phone number blanked."""
    return _blank(event)


def start(dsn: str, *, environment: str, release: str, traces_sample_rate: float) -> None:
    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        release=release or None,
        integrations=[DjangoIntegration(), CeleryIntegration()],
        send_default_pii=False,
        max_request_body_size="never",
        include_local_variables=False,
        traces_sample_rate=traces_sample_rate,
        before_send=scrub,
        before_send_transaction=scrub,
    )
