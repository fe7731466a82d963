"""Optional error reports through sentry-sdk (production settings, when SENTRY_DSN is set).

What is sent is the error and where it happened, never what residents typed or who they are:
no user, cookies or client address (send_default_pii), no request bodies, no local variables of
the stack frames (they hold form data)."""

import sentry_sdk
from sentry_sdk.integrations.celery import CeleryIntegration
from sentry_sdk.integrations.django import DjangoIntegration


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
    )
