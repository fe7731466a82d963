"""The series' message in the outbox: a follower's links to their follow pages, with the coming
sessions each follow signed them up to. Registered from events.apps ready()."""

from django.utils import timezone

from events.models import SeriesFollow
from events.models.bookings import Registration
from events.models.outbox import OutboxMessage
from events.outbox import kinds
from events.tokens import follow_url


def follow_context(message: OutboxMessage, site_url: str) -> dict:
    """Every series the person still follows, by title, with the link to its follow page and
    the coming sessions (date, waitlisted or not) the follow signed them up to."""
    if message.person is None:
        return {}
    follows = list(
        SeriesFollow.objects.filter(person=message.person, stopped_at__isnull=True)
        .select_related("series")
        .order_by("series__title")
    )
    sessions: dict[int, list] = {f.pk: [] for f in follows}
    for registration in (
        Registration.objects.live()
        .filter(booking__follow__in=follows, event__start__gt=timezone.now())
        .select_related("event", "booking")
        .order_by("event__start")
    ):
        sessions[registration.booking.follow_id].append(
            {
                "start": timezone.localtime(registration.event.start),
                "waitlisted": registration.status == Registration.Status.WAITLISTED,
            }
        )
    return {
        "follows": [
            {"title": f.series.title, "url": site_url + follow_url(f), "sessions": sessions[f.pk]}
            for f in follows
        ]
    }


def register() -> None:
    kinds.register(OutboxMessage.Kind.FOLLOW, context=follow_context)
