"""What the events app tells the community app about working groups' meetings (through the
registry `community.registries.working_group_meetings`, so community imports nothing here)."""

from collections import defaultdict

from django.utils import timezone

from community.registries import Meeting
from events.models import Event, EventKind


def upcoming_meetings(group_ids: list[int], limit: int) -> dict[int, list[Meeting]]:
    """The next published meetings of these working groups, `limit` per group, in one query."""
    events = (
        Event.objects.published()
        .filter(working_group_id__in=group_ids, end__gte=timezone.now(), cancelled_at__isnull=True)
        .filter(kind=EventKind.WORKING_GROUP)
        .order_by("start", "pk")
    )
    meetings: dict[int, list[Meeting]] = defaultdict(list)
    for event in events:
        if len(meetings[event.working_group_id]) < limit:
            meetings[event.working_group_id].append(
                Meeting(
                    title=event.title,
                    start=event.start,
                    url=event.get_absolute_url(),
                    venue=event.venue_name,
                )
            )
    return dict(meetings)
