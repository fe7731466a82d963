"""A campaign survives a worker killed (SIGKILL) twice mid-send, and an SMTP server that
refuses one message in ten: real Celery worker on Redis, real PostgreSQL, real SMTP server."""

import pytest

from cms.models import Campaign, Delivery
from cms.newsletter import rules as newsletter
from config.celery_app import app as celery_app
from tests.cms.newsletter_helpers import bulk_subscribers, issue_page
from tests.factories import StaffFactory
from tests.support.smtp import SmtpSink
from tests.support.worker import CeleryWorker, wait_for

pytestmark = [pytest.mark.serial, pytest.mark.django_db(transaction=True)]

CLAIM_TIMEOUT = 2
BATCH = 20


def _worker(redis_url, sink, **extra) -> CeleryWorker:
    import redis

    redis.Redis.from_url(redis_url).flushdb()
    return CeleryWorker(
        redis_url,
        extra_env={
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(sink.port),
            "NEWSLETTER_CLAIM_TIMEOUT": str(CLAIM_TIMEOUT),
            "NEWSLETTER_BATCH_SIZE": str(BATCH),
            "NEWSLETTER_RATE_PER_SECOND": "0",
            "NEWSLETTER_SENDERS": "1",
            "MAIL_RECOVERY_SECONDS": "1",
            **extra,
        },
        beat=True,
    )


@pytest.fixture
def queue_on_redis(redis_url):
    previous = celery_app.conf.task_always_eager, celery_app.conf.broker_url
    celery_app.conf.task_always_eager = False
    celery_app.conf.broker_url = redis_url
    yield
    celery_app.conf.task_always_eager, celery_app.conf.broker_url = previous


@pytest.fixture
def sink():
    sink = SmtpSink(delay=0.004).start()  # a few ms a message: the send takes seconds
    yield sink
    sink.stop()


def _campaign(home_page, count) -> Campaign:
    bulk_subscribers(count)
    page = issue_page(home_page)
    editor = StaffFactory(email="redaction@vivre-ensemble.localhost", is_superuser=True)
    return newsletter.request_send(page, editor)  # queued on Redis once this commits


def test_campaign_to_2000_survives_two_sigkills(home_page, queue_on_redis, redis_url, sink):
    worker = _worker(redis_url, sink)
    campaign = _campaign(home_page, 2000)
    try:
        worker.start()
        in_flight = []
        for threshold in (400, 1200):
            wait_for(lambda t=threshold: len(sink.messages) >= t, timeout=120, message=worker.log())
            worker.kill()
            in_flight.append(Delivery.objects.filter(state=Delivery.State.SENDING).count())
            received = len(sink.messages)
            assert received < 2000, "the kill must land mid-send"
            # The dead worker held rows: the rest of the test proves their recovery.
            assert in_flight[-1] > 0
            # Restarted at once, as the supervisor does; its beat gives the rows back once their
            # lease lapses (CLAIM_TIMEOUT) and resumes the campaign.
            worker.start()
        expected = set(
            Delivery.objects.filter(campaign=campaign).values_list("message_id", flat=True)
        )
        assert len(expected) == 2000
        wait_for(
            lambda: {m.message_id for m in sink.messages} >= expected,
            timeout=180,
            message=f"not every subscriber received the issue:\n{worker.log()}",
        )
        wait_for(
            lambda: Campaign.objects.get(pk=campaign.pk).state == Campaign.State.DONE,
            timeout=30,
        )
    finally:
        worker.stop()
    received = [m.message_id for m in sink.messages]
    duplicates = len(received) - len(set(received))
    print(
        f"\n2000 subscribers, 2 SIGKILLs: rows claimed at each kill {in_flight} (batch {BATCH}); "
        f"{len(received)} messages received, {duplicates} duplicate(s)"
    )
    assert set(received) == expected
    # A row is marked sent right after the server accepts it: per kill, at most the one message
    # accepted and not yet marked by the (single-process) worker can go out twice.
    assert duplicates <= 2
    figures = newsletter.progress(Campaign.objects.get(pk=campaign.pk))
    assert (figures["sent"], figures["failed"], figures["waiting"]) == (2000, 0, 0)


def test_one_message_in_ten_refused_transiently_all_delivered(
    home_page, queue_on_redis, redis_url, sink
):
    def refuse(message, attempt):
        return (
            "451 4.3.0 Try again later"
            if attempt == 1 and hash(message["Message-ID"]) % 10 == 0
            else None
        )

    sink.handler.refuse = refuse
    worker = _worker(redis_url, sink, NEWSLETTER_RETRY_BASE_SECONDS="1")
    campaign = _campaign(home_page, 300)
    try:
        worker.start()
        wait_for(
            lambda: Campaign.objects.get(pk=campaign.pk).state == Campaign.State.DONE,
            timeout=120,
            message=worker.log(),
        )
    finally:
        worker.stop()
    expected = set(Delivery.objects.filter(campaign=campaign).values_list("message_id", flat=True))
    received = [m.message_id for m in sink.messages]
    refused = sum(1 for attempts in sink.handler.offered.values() if attempts > 1)
    print(f"\n300 subscribers, {refused} refused once (451) then delivered on retry")
    assert refused > 0
    assert set(received) == expected and len(received) == 300
    assert Delivery.objects.filter(attempts=2, state=Delivery.State.SENT).count() == refused
