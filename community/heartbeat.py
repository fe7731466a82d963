"""Liveness of the background processes: each Celery worker (on its event heartbeat) and beat
(on each tick of its scheduler) records when it was last alive, at most every HEARTBEAT_SECONDS;
/health/ compares the latest of each kind with HEALTH_HEARTBEAT_MAX_AGE_SECONDS."""

import datetime as dt
import logging
import socket
import time

from django.apps import apps
from django.conf import settings
from django.db import close_old_connections, connection
from django.db.models import Max
from django.utils import timezone

from celery.beat import PersistentScheduler

logger = logging.getLogger(__name__)

WORKER = "worker"
BEAT = "beat"


def _heartbeats():
    # Looked up when used: config.celery_app imports this module before Django is set up.
    return apps.get_model("community", "Heartbeat").objects


def record(kind: str, now: dt.datetime | None = None) -> None:
    """This host's process of `kind` is alive now."""
    _heartbeats().update_or_create(
        name=f"{kind}:{socket.gethostname()}", defaults={"beat_at": now or timezone.now()}
    )


def seconds_since(kind: str, now: dt.datetime | None = None) -> float | None:
    """Seconds since any process of `kind` was last alive; None if none ever was."""
    last = _heartbeats().filter(name__startswith=f"{kind}:").aggregate(last=Max("beat_at"))
    if last["last"] is None:
        return None
    return ((now or timezone.now()) - last["last"]).total_seconds()


class Pulse:
    """Calls `record(kind)` at most every HEARTBEAT_SECONDS, and never raises: a heartbeat that
    cannot be written (the database away) must not stop the process it reports on."""

    def __init__(self, kind: str):
        self.kind = kind
        self.next_at = 0.0

    def __call__(self, *args, **kwargs) -> None:
        if time.monotonic() < self.next_at:
            return
        self.next_at = time.monotonic() + settings.HEARTBEAT_SECONDS
        try:
            if not connection.in_atomic_block:
                # A long-lived process: its connection may have gone stale.
                close_old_connections()
            record(self.kind)
        except Exception:  # whatever the database raises, the process goes on
            logger.warning("could not record the %s heartbeat", self.kind, exc_info=True)


worker_pulse = Pulse(WORKER)


class HeartbeatScheduler(PersistentScheduler):
    """Beat's scheduler (CELERY_BEAT_SCHEDULER), recording beat's heartbeat at each tick."""

    pulse = Pulse(BEAT)

    def tick(self, *args, **kwargs):
        self.pulse()
        return super().tick(*args, **kwargs)
