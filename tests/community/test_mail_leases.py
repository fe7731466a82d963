"""Leases: a sender keeps the rows of its batch for as long as it works through them, so a slow
SMTP server never lets recovery hand a live sender's rows to another one. Real PostgreSQL, a
real (slow) SMTP server, and a recovery running beside the sender in another thread, for the
sign-up outbox and for the newsletter."""

import collections
import datetime as dt
import threading
import time

from django.db import connections
from django.utils import timezone

import pytest

from cms.models import Campaign, Delivery, Subscription
from cms.newsletter import rules as newsletter
from community import mail_engine
from community.models import Person
from events.models.outbox import OutboxMessage
from events.outbox import delivery
from tests.cms.newsletter_helpers import bulk_subscribers, issue_page
from tests.support.smtp import SmtpSink

pytestmark = [pytest.mark.serial, pytest.mark.django_db(transaction=True)]

LEASE = 2  # seconds
DELAY = 0.3  # seconds the SMTP server takes per message
MESSAGES = 12  # one batch of 12 takes about 3.6 s: it outlives the lease


@pytest.fixture
def slow_sink(settings):
    sink = SmtpSink(delay=DELAY).start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", sink.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.OUTBOX_CLAIM_TIMEOUT = settings.NEWSLETTER_CLAIM_TIMEOUT = LEASE
    settings.OUTBOX_BATCH_SIZE = settings.NEWSLETTER_BATCH_SIZE = 50
    settings.NEWSLETTER_RATE_PER_SECOND = 0
    yield sink
    sink.stop()


def with_recovery_beside(send, recover_and_send) -> None:
    """Run `send` while another thread recovers lapsed rows and sends them, every 0.1 s, as
    beat and a second worker would, until `send` returns and a last pass is made."""
    done, errors = threading.Event(), []

    def recovery():
        try:
            while not done.is_set():
                recover_and_send()
                time.sleep(0.1)
            recover_and_send()
        except Exception as exc:  # asserted below
            errors.append(exc)
        finally:
            connections.close_all()

    thread = threading.Thread(target=recovery)
    thread.start()
    try:
        send()
    finally:
        done.set()
        thread.join()
    assert errors == []


def received_per_recipient(sink) -> collections.Counter:
    return collections.Counter(rcpt for m in sink.messages for rcpt in m.rcpt_tos)


def outbox_rows(count: int) -> set[str]:
    now = timezone.now()
    OutboxMessage.objects.bulk_create(
        OutboxMessage(
            dedup_key=f"lease:{n}",
            kind=OutboxMessage.Kind.CONFIRMATION,
            channel=OutboxMessage.Channel.EMAIL,
            to_email=f"habitant{n}@exemple.fr",
            subject=f"Votre inscription {n}",
            body_text="Bonjour",
            message_id=f"<lease-{n}@exemple.fr>",
            due_at=now - dt.timedelta(seconds=count - n),
        )
        for n in range(count)
    )
    return {f"habitant{n}@exemple.fr" for n in range(count)}


def sending_campaign(home_page, count: int) -> tuple[Campaign, set[str]]:
    bulk_subscribers(count, prefix="bail")
    subscribers = Person.objects.filter(email__startswith="bail")
    campaign = Campaign.objects.create(
        page=issue_page(home_page),
        state=Campaign.State.SENDING,
        subject="La lettre",
        body_html="<p>Bonjour</p>",
        body_text="Bonjour",
    )
    Delivery.objects.bulk_create(
        Delivery(
            campaign=campaign,
            person_id=person_id,
            subscription=Subscription.objects.get(person_id=person_id),
            message_id=f"<bail-{person_id}@exemple.fr>",
        )
        for person_id in subscribers.values_list("pk", flat=True)
    )
    return campaign, set(subscribers.values_list("email", flat=True))


def test_a_slow_outbox_batch_past_its_lease_is_sent_once(slow_sink):
    expected = outbox_rows(MESSAGES)

    def recover_and_send():
        delivery.recover_stale()
        delivery.send_due()

    with_recovery_beside(delivery.send_due, recover_and_send)

    counts = received_per_recipient(slow_sink)
    assert set(counts) == expected
    assert {address: n for address, n in counts.items() if n > 1} == {}
    assert set(OutboxMessage.objects.values_list("state", flat=True)) == {"sent"}


def test_a_slow_newsletter_batch_past_its_lease_is_sent_once(slow_sink, home_page):
    campaign, expected = sending_campaign(home_page, MESSAGES)

    def recover_and_send():
        newsletter.recover_stale()
        newsletter.send_pending(campaign.pk)

    with_recovery_beside(lambda: newsletter.send_pending(campaign.pk), recover_and_send)

    counts = received_per_recipient(slow_sink)
    assert set(counts) == expected
    assert {address: n for address, n in counts.items() if n > 1} == {}
    figures = newsletter.progress(Campaign.objects.get(pk=campaign.pk))
    assert (figures["sent"], figures["waiting"], figures["state"]) == (MESSAGES, 0, "done")


def test_a_sender_frozen_past_its_lease_sends_none_of_the_rows_given_to_another(slow_sink):
    """A sender that stops renewing (a frozen process) loses its rows: when it wakes up it
    sends none of those another sender took. Only the message it was about to send when it
    froze can go out twice (with the same Message-ID)."""
    expected = outbox_rows(MESSAGES)
    froze = []

    def frozen_on_the_third(message, connection):
        if not froze and message.dedup_key == "lease:2":
            froze.append(message.message_id)
            time.sleep(LEASE + 2)  # the lease lapses; recovery gives the batch to the other thread
        return delivery.as_email(message, connection)

    def send():
        batch = delivery.claim_batch(50)
        mail_engine.send_batch(delivery.QUEUE, batch, frozen_on_the_third)

    def recover_and_send():
        delivery.recover_stale()
        delivery.send_due()

    with_recovery_beside(send, recover_and_send)

    counts = received_per_recipient(slow_sink)
    assert set(counts) == expected
    assert {address: n for address, n in counts.items() if n > 1} in (
        {},
        {"habitant2@exemple.fr": 2},
    )
    assert set(OutboxMessage.objects.values_list("state", flat=True)) == {"sent"}
