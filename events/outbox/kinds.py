"""The outbox's message kinds: what each kind adds to the context its templates read.

The feature that sends a kind registers it (from events.apps ready()), so the outbox renders
every kind without importing any feature."""

from collections.abc import Callable
from dataclasses import dataclass

# Given the message and the site's base URL, what the kind adds to the common context.
ContextBuilder = Callable[[object, str], dict]
# Given the message and the short link to its booking, the text message (community.sms.fit keeps
# it within one SMS). A kind without one never goes as a text.
SmsBuilder = Callable[[object, str], str]


@dataclass(frozen=True)
class MessageKind:
    name: str
    context: ContextBuilder | None = None
    calendar: bool = False  # the message carries the event's calendar file
    sms: SmsBuilder | None = None
    # PUBLISH adds or updates the entry; CANCEL removes it (the registration was withdrawn).
    calendar_method: str = "PUBLISH"


_kinds: dict[str, MessageKind] = {}


def register(
    name: str,
    *,
    context: ContextBuilder | None = None,
    calendar: bool = False,
    sms: SmsBuilder | None = None,
    calendar_method: str = "PUBLISH",
) -> None:
    """Declare a kind of message (registering it again replaces it)."""
    name = str(name)  # a model's choice or its plain value: one key
    _kinds[name] = MessageKind(name, context, calendar, sms, calendar_method)


def get(name: str) -> MessageKind:
    try:
        return _kinds[name]
    except KeyError:
        raise LookupError(f"no outbox message kind {name!r} is registered") from None


def registered() -> list[str]:
    return sorted(_kinds)
