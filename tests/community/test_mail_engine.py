"""The batch mail engine on its own: claims, one connection a batch, retries, failures,
recovery and pacing, on real PostgreSQL rows and a real SMTP server.

The rows are outbox messages written here directly, sent with a build callback of the test's
own: nothing of the outbox's rendering is involved."""

import datetime as dt
import importlib
import smtplib
import threading

from django.core.mail import EmailMessage
from django.core.mail.backends.smtp import EmailBackend
from django.db import connection as db_connection
from django.db import connections, transaction
from django.utils import timezone

import pytest
import time_machine

from community import mail_engine
from events.models.outbox import OutboxMessage
from tests.support.net import free_port
from tests.support.smtp import SmtpSink

pytestmark = pytest.mark.django_db

QUEUE = mail_engine.MailQueue(
    model=OutboxMessage,
    label="test",
    batch_size_setting="OUTBOX_BATCH_SIZE",
    claim_timeout_setting="OUTBOX_CLAIM_TIMEOUT",
    retry_base_setting="NEWSLETTER_RETRY_BASE_SECONDS",
    where={"channel": OutboxMessage.Channel.EMAIL},
    order_by=("due_at", "pk"),
)


def row(n: int, *, channel=OutboxMessage.Channel.EMAIL, due_in: int = 0, **fields):
    return OutboxMessage.objects.create(
        dedup_key=f"engine:{n}",
        kind=OutboxMessage.Kind.CONFIRMATION,
        channel=channel,
        to_email=f"habitant{n}@exemple.fr",
        subject=f"Message {n}",
        body_text=f"Bonjour {n}",
        message_id=f"<engine-{n}@exemple.fr>",
        due_at=timezone.now() + dt.timedelta(seconds=due_in),
        **fields,
    )


def build(message, connection):
    return EmailMessage(
        subject=message.subject,
        body=message.body_text,
        to=[message.to_email],
        headers={"Message-ID": message.message_id},
        connection=connection,
    )


def states() -> dict:
    return dict(OutboxMessage.objects.values_list("dedup_key", "state"))


@pytest.fixture
def smtp_opened(monkeypatch):
    """How many SMTP connections were opened."""
    opened = []
    real_open = EmailBackend.open

    def counting_open(self):
        new = real_open(self)
        if new:
            opened.append(self)
        return new

    monkeypatch.setattr(EmailBackend, "open", counting_open)
    return opened


def smtp_settings(settings, port):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""


def test_a_claim_takes_due_rows_of_the_queue_in_order_and_marks_them():
    later = row(1, due_in=-10)
    first = row(2, due_in=-60)
    row(3, due_in=3600)  # not due yet
    row(4, channel=OutboxMessage.Channel.CALL)  # not this queue's
    sent = row(5, state=OutboxMessage.State.SENT)

    claimed = mail_engine.claim(QUEUE, 10)

    assert [m.pk for m in claimed] == [first.pk, later.pk]
    assert all(m.state == "sending" and m.attempts == 1 and m.claimed_at for m in claimed)
    assert states() == {
        "engine:1": "sending",
        "engine:2": "sending",
        "engine:3": "pending",
        "engine:4": "pending",
        "engine:5": "sent",
    }
    assert mail_engine.claim(QUEUE, 10) == []  # claimed rows are nobody else's
    sent.refresh_from_db()
    assert sent.attempts == 0


def test_a_claim_takes_no_more_than_the_batch_and_narrows_by_the_callers_filter():
    for n in range(5):
        row(n, due_in=-n)
    assert len(mail_engine.claim(QUEUE, 3)) == 3
    assert len(mail_engine.claim(QUEUE, 3)) == 2
    row(10)
    assert mail_engine.claim(QUEUE, 3, to_email="personne@exemple.fr") == []
    assert [m.dedup_key for m in mail_engine.claim(QUEUE, 3, to_email="habitant10@exemple.fr")] == [
        "engine:10"
    ]


@pytest.mark.django_db(transaction=True)
def test_a_claim_skips_rows_another_worker_has_locked():
    locked, free = row(1, due_in=-10), row(2)
    holding, release = threading.Event(), threading.Event()

    def other_worker():
        try:
            with transaction.atomic():
                OutboxMessage.objects.select_for_update().get(pk=locked.pk)
                holding.set()
                release.wait(10)
        finally:
            connections.close_all()

    thread = threading.Thread(target=other_worker)
    thread.start()
    try:
        assert holding.wait(10)
        assert [m.pk for m in mail_engine.claim(QUEUE, 10)] == [free.pk]
    finally:
        release.set()
        thread.join()
    assert [m.pk for m in mail_engine.claim(QUEUE, 10)] == [locked.pk]


def test_a_batch_goes_over_one_connection_and_each_row_is_marked_sent(
    smtp_sink, smtp_opened, django_assert_max_num_queries
):
    for n in range(5):
        row(n, due_in=-n)
    batch = mail_engine.claim(QUEUE, 10)
    with django_assert_max_num_queries(5):  # one update a row, nothing else
        assert mail_engine.send_batch(QUEUE, batch, build) == 5
    assert len(smtp_opened) == 1
    assert [m.rcpt_tos for m in smtp_sink.messages] == [
        [f"habitant{n}@exemple.fr"] for n in (4, 3, 2, 1, 0)
    ]
    assert {m.message_id for m in smtp_sink.messages} == {
        f"<engine-{n}@exemple.fr>" for n in range(5)
    }
    for message in OutboxMessage.objects.all():
        assert message.state == "sent" and message.sent_at and message.last_error == ""
    assert mail_engine.send_due(QUEUE, build) == 0  # nothing twice


def test_a_transient_refusal_waits_with_backoff_and_a_permanent_one_fails(settings):
    settings.NEWSLETTER_RETRY_BASE_SECONDS = 40
    sink = SmtpSink(
        refuse=lambda message, attempt: {
            "<engine-1@exemple.fr>": "451 4.7.1 Try again later",
            "<engine-2@exemple.fr>": "550 5.1.1 No such user",
        }.get(str(message["Message-ID"]))
    ).start()
    try:
        smtp_settings(settings, sink.port)
        row(1, due_in=-3), row(2, due_in=-2), row(3, due_in=-1)
        now = timezone.now()
        with time_machine.travel(now, tick=False):
            assert mail_engine.send_due(QUEUE, build) == 1
        greylisted = OutboxMessage.objects.get(dedup_key="engine:1")
        assert greylisted.state == "pending" and "451" in greylisted.last_error
        assert greylisted.claimed_at is None and greylisted.attempts == 1
        assert greylisted.due_at == now + dt.timedelta(seconds=40)  # retry_delay(1, base=40)
        unknown = OutboxMessage.objects.get(dedup_key="engine:2")
        assert unknown.state == "failed" and "550" in unknown.last_error
        assert [m.rcpt_tos for m in sink.messages] == [["habitant3@exemple.fr"]]
    finally:
        sink.stop()


def test_a_row_still_refused_after_the_last_attempt_fails_for_good(settings):
    sink = SmtpSink(refuse=lambda message, attempt: "421 4.3.2 Busy").start()
    try:
        smtp_settings(settings, sink.port)
        message = row(1, attempts=mail_engine.MAX_ATTEMPTS - 1)
        assert mail_engine.send_due(QUEUE, build) == 0
        message.refresh_from_db()
        assert message.attempts == mail_engine.MAX_ATTEMPTS
        assert message.state == "failed" and "421" in message.last_error
    finally:
        sink.stop()


def test_a_message_that_cannot_be_built_fails_and_the_batch_goes_on(smtp_sink, smtp_opened):
    row(1, due_in=-2), row(2, due_in=-1)

    def broken_first(message, connection):
        if message.dedup_key == "engine:1":
            raise ValueError("no template")
        return build(message, connection)

    assert mail_engine.send_due(QUEUE, broken_first) == 1
    assert states() == {"engine:1": "failed", "engine:2": "sent"}
    assert OutboxMessage.objects.get(dedup_key="engine:1").last_error == "ValueError: no template"
    assert len(smtp_opened) == 2  # the connection is opened again after a failure
    assert [m.rcpt_tos for m in smtp_sink.messages] == [["habitant2@exemple.fr"]]


def test_an_unreachable_server_loses_nothing(settings):
    smtp_settings(settings, free_port())  # nothing listens there
    row(1), row(2)
    assert mail_engine.send_due(QUEUE, build) == 0
    for message in OutboxMessage.objects.all():
        assert message.state == "pending" and message.attempts == 1 and message.last_error
        assert message.due_at > timezone.now()


def test_a_server_lost_mid_batch_puts_the_rest_back(smtp_sink, monkeypatch):
    row(1, due_in=-3), row(2, due_in=-2), row(3, due_in=-1)
    real_open, opens = EmailBackend.open, []

    def open_once(self):
        opens.append(self)
        if len(opens) > 1:
            raise ConnectionRefusedError("the server went away")
        return real_open(self)

    monkeypatch.setattr(EmailBackend, "open", open_once)

    def dropped_on_first(message, connection):
        if message.dedup_key == "engine:1":
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        return build(message, connection)

    assert mail_engine.send_due(QUEUE, dropped_on_first, max_batches=1) == 0
    assert states() == {"engine:1": "pending", "engine:2": "pending", "engine:3": "pending"}
    assert "ConnectionRefusedError" in OutboxMessage.objects.get(dedup_key="engine:3").last_error
    assert smtp_sink.messages == []


def test_send_due_stops_after_max_batches_and_prepare_sets_rows_aside(smtp_sink):
    for n in range(5):
        row(n, due_in=-n)

    def skip_even(batch):
        for message in batch:
            if int(message.dedup_key.split(":")[1]) % 2 == 0:
                mail_engine.mark(QUEUE, message, state=OutboxMessage.State.CALLED)
        return [m for m in batch if int(m.dedup_key.split(":")[1]) % 2]

    assert mail_engine.send_due(QUEUE, build, batch_size=2, max_batches=2, prepare=skip_even) == 2
    assert states() == {
        "engine:4": "called",
        "engine:3": "sent",
        "engine:2": "called",
        "engine:1": "sent",
        "engine:0": "pending",
    }


def test_stale_claims_are_given_back_and_a_recovered_row_is_not_marked_by_its_old_worker():
    message = row(1)
    [claimed] = mail_engine.claim(QUEUE, 10)
    assert mail_engine.recover_stale(QUEUE, timeout_seconds=300) == 0  # its worker may be busy
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=10)):
        assert mail_engine.recover_stale(QUEUE) == 1  # OUTBOX_CLAIM_TIMEOUT: 30 s
    message.refresh_from_db()
    assert message.state == "pending" and message.claimed_at is None
    # The first worker wakes up: its row is not in its hands any more.
    assert mail_engine.mark(QUEUE, claimed, state=OutboxMessage.State.SENT) == 0
    message.refresh_from_db()
    assert message.state == "pending"


def test_pace_spaces_messages_to_the_rate(monkeypatch):
    clock, slept = [100.0], []
    monkeypatch.setattr(mail_engine.time, "monotonic", lambda: clock[0])
    monkeypatch.setattr(
        mail_engine.time, "sleep", lambda s: (slept.append(s), clock.__setitem__(0, clock[0] + s))
    )
    pace = mail_engine.Pace(4)
    for _ in range(3):
        pace.wait()
    assert slept == [0.25, 0.25]
    unlimited = mail_engine.Pace(0)
    unlimited.wait(), unlimited.wait()
    assert slept == [0.25, 0.25]


def test_transient_means_a_4xx_reply_or_a_lost_connection():
    assert mail_engine.is_transient(smtplib.SMTPResponseException(451, b"later"))
    assert not mail_engine.is_transient(smtplib.SMTPResponseException(550, b"no such user"))
    assert mail_engine.is_transient(smtplib.SMTPRecipientsRefused({"a@exemple.fr": (450, b"busy")}))
    assert not mail_engine.is_transient(
        smtplib.SMTPRecipientsRefused({"a@exemple.fr": (450, b"busy"), "b@x.fr": (550, b"no")})
    )
    assert mail_engine.is_transient(smtplib.SMTPServerDisconnected())
    assert mail_engine.is_transient(TimeoutError())
    assert not mail_engine.is_transient(ValueError("bad template"))
    assert [mail_engine.retry_delay(n) for n in (1, 2, 3, 10)] == [30, 60, 120, 3600]
    assert db_connection.vendor == "postgresql"  # SKIP LOCKED is PostgreSQL's


@pytest.mark.parametrize(
    ("lease_setting", "task"),
    [
        ("OUTBOX_CLAIM_TIMEOUT", "events.recover_outbox"),
        ("NEWSLETTER_CLAIM_TIMEOUT", "cms.newsletter_recover"),
    ],
)
def test_by_default_a_dead_workers_rows_are_given_back_within_a_minute(lease_setting, task):
    """The rows of a dead worker come back when its lease lapses, at the next recovery (beat,
    or a worker starting): with the default settings, within a minute of its death."""
    base = importlib.import_module("config.settings.base")  # the defaults, not the test's
    [interval] = [e["schedule"] for e in base.CELERY_BEAT_SCHEDULE.values() if e["task"] == task]
    assert getattr(base, lease_setting) + interval <= 60
    assert task in base.CELERY_WORKER_STARTUP_TASKS


def test_a_sender_renews_its_lease_as_it_works_and_keeps_only_the_rows_still_its_own(settings):
    settings.OUTBOX_CLAIM_TIMEOUT = 60
    for n in range(3):
        row(n, due_in=-n)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        batch = mail_engine.claim(QUEUE, 10)
        assert mail_engine.hold(QUEUE, batch) == batch  # a fresh lease is not renewed
    with time_machine.travel(start + dt.timedelta(seconds=20), tick=False):
        lost = batch[0]
        OutboxMessage.objects.filter(pk=lost.pk).update(state="pending", claimed_at=None)
        held = mail_engine.hold(QUEUE, batch)  # a third of the lease has passed: renewed
        assert [m.pk for m in held] == [m.pk for m in batch[1:]]
        assert set(
            OutboxMessage.objects.filter(state="sending").values_list("claimed_at", flat=True)
        ) == {timezone.now()}
    with time_machine.travel(start + dt.timedelta(seconds=70), tick=False):
        assert mail_engine.recover_stale(QUEUE) == 0  # renewed 50 s ago: the sender is alive
        assert mail_engine.live_senders(QUEUE) == 1
    with time_machine.travel(start + dt.timedelta(seconds=81), tick=False):
        assert mail_engine.live_senders(QUEUE) == 0
        assert mail_engine.recover_stale(QUEUE) == 2
        assert mail_engine.hold(QUEUE, held) == []  # its rows are gone: it sends none of them
