"""The satisfaction survey's message in the outbox. Registered from events.apps ready()."""

from events.attendance.surveys import survey_url
from events.models.outbox import OutboxMessage
from events.outbox import kinds


def survey_context(message: OutboxMessage, site_url: str) -> dict:
    """The link to the registration's survey."""
    if message.registration is None:
        return {}
    return {"survey_url": site_url + survey_url(message.registration)}


def register() -> None:
    kinds.register(OutboxMessage.Kind.SURVEY, context=survey_context)
