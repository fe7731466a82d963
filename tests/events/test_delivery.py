"""Outbox delivery through a real SMTP server: what arrives, retries, failures."""

import datetime as dt

from django.utils import timezone

import icalendar
import pytest
import time_machine

from events.models.outbox import OutboxMessage
from events.outbox import delivery
from tests.events.signup_helpers import contact, register
from tests.factories import EventFactory
from tests.support.smtp import SmtpSink

pytestmark = pytest.mark.django_db


def test_confirmation_reaches_the_resident_with_a_calendar_and_a_signed_link(smtp_sink):
    event = EventFactory(title="Café médiation États-Unis", capacity=10)
    registration = register(event, contact=contact(first_name="Karim", email="karim@exemple.fr"))
    assert delivery.send_due() == 1

    [received] = smtp_sink.messages
    row = OutboxMessage.objects.get(registration=registration)
    assert received.rcpt_tos == ["karim@exemple.fr"]
    assert received.message_id == row.message_id
    assert row.state == OutboxMessage.State.SENT and row.attempts == 1
    assert received.subject == "Inscription confirmée : Café médiation États-Unis"
    assert "Bonjour Karim," in received.text()
    assert "http://testserver/evenements/inscriptions/" in received.text()
    assert 'href="http://testserver/evenements/inscriptions/' in received.html()
    [attachment] = [part for part in received.message.iter_attachments()]
    assert attachment.get_content_type() == "text/calendar"
    calendar = icalendar.Calendar.from_ical(attachment.get_content())
    [vevent] = calendar.walk("VEVENT")
    assert vevent.decoded("dtstart") == timezone.localtime(event.start).replace(microsecond=0)
    assert delivery.send_due() == 0  # nothing twice


def test_transient_refusals_are_retried_until_delivered():
    # One message in ten is refused once with a 4xx reply, as a greylisting server does.
    sink = SmtpSink(
        refuse=lambda message, attempt: (
            "451 4.7.1 Try again later"
            if attempt == 1 and hash(str(message["Message-ID"])) % 10 == 0
            else None
        )
    )
    sink.start()
    try:
        from django.test import override_settings

        with override_settings(
            EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=sink.port,
        ):
            event = EventFactory(capacity=100)
            for _ in range(40):
                register(event)
            first = delivery.send_due()
            refused = 40 - first
            waiting = OutboxMessage.objects.filter(state=OutboxMessage.State.PENDING)
            assert waiting.count() == refused
            assert all("451" in m.last_error for m in waiting)
            with time_machine.travel(timezone.now() + dt.timedelta(hours=1)):
                assert delivery.send_due() == refused
        assert OutboxMessage.objects.filter(state=OutboxMessage.State.SENT).count() == 40
        assert len({m.message_id for m in sink.messages}) == 40 == len(sink.messages)
    finally:
        sink.stop()


def test_a_permanent_refusal_fails_the_message_and_the_batch_goes_on():
    sink = SmtpSink(
        refuse=lambda message, attempt: (
            "550 5.1.1 No such user" if "inconnu" in str(message["To"]) else None
        )
    )
    sink.start()
    try:
        from django.test import override_settings

        with override_settings(
            EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=sink.port,
        ):
            event = EventFactory(capacity=10)
            register(event, contact=contact(email="inconnu@exemple.fr"))
            register(event, contact=contact(email="connu@exemple.fr"))
            assert delivery.send_due() == 1
        failed = OutboxMessage.objects.get(state=OutboxMessage.State.FAILED)
        assert failed.to_email == "inconnu@exemple.fr" and "550" in failed.last_error
        assert [m.rcpt_tos for m in sink.messages] == [["connu@exemple.fr"]]
    finally:
        sink.stop()


def test_an_unreachable_server_loses_nothing(settings):
    from tests.support.net import free_port

    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()  # nothing listens there
    event = EventFactory(capacity=10)
    register(event)
    assert delivery.send_due() == 0
    row = OutboxMessage.objects.get()
    assert row.state == OutboxMessage.State.PENDING and row.attempts == 1 and row.last_error


def test_rows_claimed_by_a_dead_worker_are_given_back():
    event = EventFactory(capacity=10)
    register(event)
    [claimed] = delivery.claim_batch(10)
    assert delivery.recover_stale(timeout_seconds=300) == 0  # its worker may still be sending
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=10)):
        assert delivery.recover_stale(timeout_seconds=300) == 1
    claimed.refresh_from_db()
    assert claimed.state == OutboxMessage.State.PENDING


def test_phone_only_messages_are_never_emailed(smtp_sink):
    event = EventFactory(capacity=10)
    register(event, contact=contact(email="", phone="0611223344"))
    assert delivery.send_due() == 0
    assert smtp_sink.messages == []
    assert OutboxMessage.objects.get().channel == OutboxMessage.Channel.CALL
