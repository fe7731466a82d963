"""The series' message in the outbox: a follower's links to their follow pages. Registered from
events.apps ready()."""

from events.models import SeriesFollow
from events.models.outbox import OutboxMessage
from events.outbox import kinds
from events.tokens import follow_url


def follow_context(message: OutboxMessage, site_url: str) -> dict:
    """Every series the person still follows, by title, with the link to its follow page."""
    if message.person is None:
        return {}
    return {
        "follows": [
            {"title": f.series.title, "url": site_url + follow_url(f)}
            for f in SeriesFollow.objects.filter(person=message.person, stopped_at__isnull=True)
            .select_related("series")
            .order_by("series__title")
        ]
    }


def register() -> None:
    kinds.register(OutboxMessage.Kind.FOLLOW, context=follow_context)
