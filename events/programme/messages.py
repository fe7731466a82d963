"""The mediation day's programme message in the outbox. Registered from events.apps ready()."""

from events.models.outbox import OutboxMessage
from events.outbox import kinds
from events.programme.rules import message_context


def programme_context(message: OutboxMessage, site_url: str) -> dict:
    """Every session of the booking, and one calendar file holding them all."""
    if message.registration is None:
        return {}
    return message_context(message.registration.booking)


def register() -> None:
    kinds.register(OutboxMessage.Kind.PROGRAMME, context=programme_context, calendar=True)
