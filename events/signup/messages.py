"""The sign-up's messages in the outbox: confirmation, waitlist, promotion, reminder, change and
cancellation, and the resident's own cancellation. Registered from events.apps ready()."""

from events import tokens
from events.models.outbox import OutboxMessage
from events.outbox import kinds


def reminder_context(message: OutboxMessage, site_url: str) -> dict:
    """The reminder's one-click "I can't come" link, and for a session of a followed series the
    link to the follow page (a follower without an account has no other way back to it)."""
    registration = message.registration
    if registration is None:
        return {}
    context = {"cant_come_url": site_url + tokens.cant_come_url(registration)}
    follow = registration.booking.follow
    if follow is not None and follow.stopped_at is None:
        context["follow_url"] = site_url + tokens.follow_url(follow)
    return context


def register() -> None:
    Kind = OutboxMessage.Kind  # noqa: N806 (the model's choices, read as a namespace)
    for kind in (Kind.CONFIRMATION, Kind.PROMOTED, Kind.CHANGED, Kind.CANCELLED):
        kinds.register(kind, calendar=True)
    kinds.register(Kind.WAITLISTED)
    kinds.register(Kind.WITHDRAWN)  # the resident cancelled: what is cancelled, and a way back
    kinds.register(Kind.REMINDER, context=reminder_context)
