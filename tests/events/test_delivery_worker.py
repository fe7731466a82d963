"""A worker killed while it sends confirmations loses none of them, and the rows it held are
sent within a minute of its death with the default lease (real Redis, real worker running the
beat schedule, real SMTP server)."""

import time

import pytest

from config.celery_app import app as celery_app
from events.models.outbox import OutboxMessage
from tests.events.signup_helpers import register
from tests.factories import EventFactory
from tests.support.smtp import SmtpSink
from tests.support.worker import CeleryWorker, wait_for

pytestmark = [pytest.mark.serial, pytest.mark.django_db(transaction=True)]

CONFIRMATIONS = 200


@pytest.fixture
def slow_sink():
    sink = SmtpSink(
        delay=0.02
    ).start()  # 20 ms a message: the send takes seconds, a kill lands mid-way
    yield sink
    sink.stop()


@pytest.fixture
def worker(redis_url, slow_sink):
    import redis

    redis.Redis.from_url(redis_url).flushdb()
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = False
    worker = CeleryWorker(
        redis_url,
        extra_env={
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(slow_sink.port),
            "OUTBOX_BATCH_SIZE": "20",
        },
        beat=True,  # the lease and the recovery interval are the defaults
    )
    yield worker
    worker.discard()
    celery_app.conf.task_always_eager = previous


def test_confirmations_survive_a_worker_killed_mid_send(worker, slow_sink):
    t0 = time.monotonic()
    event = EventFactory(capacity=CONFIRMATIONS)
    for _ in range(CONFIRMATIONS):
        register(event)  # each commit queues the delivery task on Redis
    expected = set(OutboxMessage.objects.values_list("message_id", flat=True))
    assert len(expected) == CONFIRMATIONS

    t1 = time.monotonic()
    worker.start()
    t2 = time.monotonic()
    wait_for(lambda: len(slow_sink.messages) >= 40, timeout=60, message=worker.log())
    worker.kill()
    killed_at = time.monotonic()
    received_at_kill = len(slow_sink.messages)
    held_at_kill = set(
        OutboxMessage.objects.filter(state=OutboxMessage.State.SENDING).values_list(
            "message_id", flat=True
        )
    )
    in_flight = len(held_at_kill)
    assert 0 < received_at_kill < CONFIRMATIONS, "the kill must land mid-send"
    # The dead worker held rows: what follows proves their recovery, not just the sending of
    # rows nobody had claimed.
    assert in_flight > 0

    worker.start()  # restarted at once, as the supervisor does; its rows' lease is still live
    wait_for(
        lambda: {m.message_id for m in slow_sink.messages} >= expected,
        timeout=60 - (time.monotonic() - killed_at),  # the promise: within a minute of the death
        message=f"not every confirmation arrived within a minute of the kill:\n{worker.log()}",
    )
    wait_for(
        lambda: not OutboxMessage.objects.exclude(state=OutboxMessage.State.SENT).exists(),
        timeout=30,
    )

    t3 = time.monotonic()
    print(f"\nregister {t1 - t0:.1f}s, worker start {t2 - t1:.1f}s, rest {t3 - t2:.1f}s")
    received = [m.message_id for m in slow_sink.messages]
    duplicates = len(received) - len(set(received))
    print(
        f"\nkilled after {received_at_kill} received; {in_flight} rows claimed at the kill; {duplicates} duplicate(s)"
    )
    assert set(received) == expected
    assert all(len(m.rcpt_tos) == 1 for m in slow_sink.messages)
    # A message is marked sent right after the server accepts it: only one can be accepted and
    # not yet marked when the (single-process) worker dies.
    assert duplicates <= 1
