"""Signals the upper apps listen to (events imports none of them; cms's page cache listens).

`shown_event_changed` says that what an event's public pages show changed in a way model
signals do not see: seats counted under the event's lock (a sign-up, a cancellation, a party
reduced, the waitlist promoted), a session brought in line with its series or a topic picked by
a queryset update. It is sent once the transaction commits, so a listener reading the database
then sees the change. `seats=True` says only seats may have changed (whoever counted them under
the event's lock): a page that read no registration cannot show the change."""

from django.db import transaction
from django.dispatch import Signal

# kwargs: event_id (None when the change is not about one event), seats
shown_event_changed = Signal()


def send_on_commit(event_id: int | None = None, *, seats: bool = False) -> None:
    """Send `shown_event_changed` when the current transaction commits (at once outside one)."""
    transaction.on_commit(
        lambda: shown_event_changed.send(sender=None, event_id=event_id, seats=seats)
    )
