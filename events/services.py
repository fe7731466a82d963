"""The rules of events, one function per action. Admin views, tasks and commands call these."""

from django.core.management import call_command
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from community.rule_errors import RuleError
from events.models import Event
from events.signup.rules import notify_event_cancelled


class EventError(RuleError):
    """A rule refused the action; the message is for the person who asked."""


def publish(event: Event, user=None):
    """Publish the event's current state (as a new revision). When `go_live_at` is in the
    future, Wagtail schedules the revision instead and the beat task publishes it in time."""
    event.full_clean()
    revision = event.save_revision(user=user, log_action=True)
    revision.publish(user=user)
    event.refresh_from_db()
    return revision


def unpublish(event: Event, user=None) -> None:
    """Withdraw the event from the public site (its URL then answers 404)."""
    event.unpublish(user=user)


@transaction.atomic
def cancel(event: Event, reason: str, user=None) -> Event:
    """Mark the event cancelled, with the reason residents will read. It stays published,
    visible and marked cancelled; calendar feeds send it as STATUS:CANCELLED."""
    reason = (reason or "").strip()
    if not reason:
        raise EventError(_("Indiquez le motif de l'annulation : il sera affiché aux habitants."))
    locked = Event.objects.select_for_update().get(pk=event.pk)
    if locked.cancelled_at is not None:
        raise EventError(_("Cet événement est déjà annulé."))
    locked.cancelled_at = timezone.now()
    locked.cancellation_reason = reason
    locked.save(update_fields=["cancelled_at", "cancellation_reason"])
    event.cancelled_at, event.cancellation_reason = locked.cancelled_at, locked.cancellation_reason
    # Every registrant is told, by messages written in this same transaction.

    notify_event_cancelled(locked.pk)
    return event


@transaction.atomic
def reinstate(event: Event, user=None) -> Event:
    """Undo a cancellation (the event takes place after all)."""
    locked = Event.objects.select_for_update().get(pk=event.pk)
    if locked.cancelled_at is None:
        raise EventError(_("Cet événement n'est pas annulé."))
    locked.cancelled_at = None
    locked.cancellation_reason = ""
    locked.save(update_fields=["cancelled_at", "cancellation_reason"])
    event.cancelled_at, event.cancellation_reason = None, ""
    return event


def publish_scheduled() -> None:
    """Publish what editors scheduled and expire what reached its expiry date (Wagtail's own
    logic, for pages and snippets alike). Safe to run twice: done revisions are not redone."""
    call_command("publish_scheduled", verbosity=0)
