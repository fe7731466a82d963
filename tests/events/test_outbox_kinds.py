"""The outbox's registry of message kinds: every kind a feature sends is registered by that
feature at start-up, and the outbox renders nothing it does not know."""

import pytest

from events import tasks
from events.models.outbox import OutboxMessage
from events.outbox import delivery, kinds
from tests.events.signup_helpers import contact, register
from tests.factories import EventFactory

pytestmark = pytest.mark.django_db


def test_every_kind_of_message_is_registered_with_its_calendar_rule():
    assert kinds.registered() == sorted(OutboxMessage.Kind.values)
    with_calendar = {name for name in OutboxMessage.Kind.values if kinds.get(name).calendar}
    assert with_calendar == {
        "confirmation",
        "promoted",
        "changed",
        "cancelled",
        "programme",
        "withdrawn",
    }
    cancelling = {n for n in with_calendar if kinds.get(n).calendar_method == "CANCEL"}
    assert cancelling == {"withdrawn"}


def test_a_kind_adds_its_context_to_the_common_one():
    event = EventFactory(capacity=10)
    registration = register(event, contact=contact(email="karim@exemple.fr"))
    message = OutboxMessage.objects.get(registration=registration)
    message.kind = OutboxMessage.Kind.REMINDER
    context = delivery.message_context(message)
    assert context["cant_come_url"].startswith("http://testserver/evenements/inscriptions/")
    assert context["cant_come_url"].endswith(f"/{registration.pk}/je-ne-peux-pas-venir/")
    message.kind = OutboxMessage.Kind.CONFIRMATION
    assert "cant_come_url" not in delivery.message_context(message)


def test_a_message_of_an_unknown_kind_fails_and_is_never_sent(mailoutbox, monkeypatch):
    event = EventFactory(capacity=10)
    registration = register(event, contact=contact(email="karim@exemple.fr"))
    monkeypatch.setattr(kinds, "_kinds", {})
    assert delivery.send_due() == 0
    message = OutboxMessage.objects.get(registration=registration)
    assert message.state == OutboxMessage.State.FAILED
    assert "no outbox message kind 'confirmation'" in message.last_error
    assert mailoutbox == []


def test_writing_an_email_queues_the_delivery_and_a_phone_call_does_not(monkeypatch):
    queued = []
    monkeypatch.setattr(tasks.deliver_outbox, "delay_on_commit", lambda: queued.append(1))
    event = EventFactory(capacity=10)
    register(event, contact=contact(email="karim@exemple.fr"))
    assert queued == [1]
    register(event, contact=contact(email="", phone="0611223344"))
    assert queued == [1]
