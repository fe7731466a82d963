import datetime as dt

from django.utils import timezone

import pytest
import time_machine

from events.models.outbox import OutboxMessage
from tests.events.signup_helpers import register
from tests.factories import EventFactory


@pytest.mark.django_db
def test_health_reports_database_cache_and_broker(client):
    # Under `make test` the broker is the real Redis it started (REDIS_URL).
    response = client.get("/health/")
    assert response.status_code == 200
    body = response.json()
    assert {key: body[key] for key in ("status", "database", "cache", "broker", "outbox")} == {
        "status": "ok",
        "database": "ok",
        "cache": "ok",
        "broker": "ok",
        "outbox": "ok",
    }
    assert body["outbox_oldest_pending_seconds"] is None


@pytest.mark.django_db
def test_health_is_503_when_the_broker_is_down(client):
    from config.celery_app import app
    from tests.support.net import free_port

    previous = app.conf.broker_url
    app.conf.broker_url = f"redis://127.0.0.1:{free_port()}/0"  # nothing listens there
    try:
        response = client.get("/health/")
    finally:
        app.conf.broker_url = previous
    assert response.status_code == 503
    assert response.json()["broker"] == "error"
    assert response.json()["database"] == "ok"


@pytest.mark.django_db
def test_health_reports_the_oldest_pending_email_and_is_503_past_the_threshold(client, settings):
    settings.HEALTH_OUTBOX_MAX_AGE_SECONDS = 3600
    event = EventFactory(capacity=10)
    register(event)  # the test's transaction never commits: its confirmation stays pending
    register(event)
    OutboxMessage.objects.filter(pk=OutboxMessage.objects.earliest("pk").pk).update(
        due_at=timezone.now() - dt.timedelta(minutes=20)
    )
    response = client.get("/health/")
    assert response.status_code == 200
    assert 20 * 60 <= response.json()["outbox_oldest_pending_seconds"] < 21 * 60

    OutboxMessage.objects.update(due_at=timezone.now() - dt.timedelta(hours=2))
    response = client.get("/health/")
    assert response.status_code == 503
    assert response.json()["outbox"] == "late"
    assert response.json()["outbox_oldest_pending_seconds"] >= 2 * 3600

    # A message due later (a reminder) is not late.
    OutboxMessage.objects.update(due_at=timezone.now() + dt.timedelta(days=2))
    assert client.get("/health/").json()["outbox_oldest_pending_seconds"] is None


@pytest.mark.django_db
def test_health_is_503_until_a_worker_and_beat_were_alive_lately(client, settings):
    from celery import beat
    from celery.signals import heartbeat_sent

    from community import heartbeat

    settings.HEALTH_HEARTBEAT_MAX_AGE_SECONDS = 120
    body = client.get("/health/").json()
    assert (body["status"], body["worker"], body["beat"]) == ("error", "late", "late")
    assert body["worker_last_seen_seconds"] is None

    heartbeat.worker_pulse.next_at = 0  # as a worker just started
    heartbeat_sent.send(sender=None)  # the worker's event heartbeat
    scheduler = heartbeat.HeartbeatScheduler.__new__(heartbeat.HeartbeatScheduler)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(beat.PersistentScheduler, "tick", lambda self, *a, **k: 1.0)
        heartbeat.HeartbeatScheduler.pulse.next_at = 0
        assert scheduler.tick() == 1.0  # beat's tick
    response = client.get("/health/")
    assert response.status_code == 200
    assert (response.json()["worker"], response.json()["beat"]) == ("ok", "ok")

    with time_machine.travel(timezone.now() + dt.timedelta(minutes=5)):
        response = client.get("/health/")
    assert response.status_code == 503
    assert response.json()["worker"] == "late"
    assert response.json()["worker_last_seen_seconds"] >= 300


@pytest.mark.serial
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_records_its_heartbeat(client, settings, redis_url):
    from community.models import Heartbeat
    from tests.support.worker import CeleryWorker, wait_for

    settings.HEALTH_HEARTBEAT_MAX_AGE_SECONDS = 120
    worker = CeleryWorker(redis_url, heartbeat=True, extra_env={"HEARTBEAT_SECONDS": "1"})
    worker.start()
    try:
        wait_for(
            lambda: Heartbeat.objects.filter(name__startswith="worker:").exists(),
            timeout=60,
            message=worker.log(),
        )
    finally:
        worker.stop()
    body = client.get("/health/").json()
    assert (body["worker"], body["beat"]) == ("ok", "late")
