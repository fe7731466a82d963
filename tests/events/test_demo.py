from django.utils import timezone

import pytest

from community.demo import records as community_demo
from events.demo import events as demo
from events.models import Event, EventKind
from events.queries import past_events, upcoming_events

pytestmark = pytest.mark.django_db


def test_seed_adds_a_season_across_territories_with_an_archive_and_is_idempotent():
    community_demo.seed("un-mot-de-passe-solide-42")
    created = demo.seed()
    assert len(created) == len(demo.EVENTS)
    assert demo.seed() == []
    assert Event.objects.count() == len(demo.EVENTS)
    assert all(event.live for event in Event.objects.all())
    titles = set(Event.objects.values_list("title", flat=True))
    for school in ("Longchambon", "Mermoz", "Rosset", "Aristide Briand"):
        assert any(school in title for title in titles), school
    assert "Stand au forum des associations" in titles
    assert "Café Médiation États-Unis" in titles
    kinds = set(Event.objects.values_list("kind", flat=True))
    assert {EventKind.AWARENESS, EventKind.CITIZENSHIP, EventKind.STAND} <= kinds
    assert Event.objects.values("territory").distinct().count() == 4
    assert past_events().count() >= 3
    assert upcoming_events().count() >= 10
    assert all(event.end > event.start for event in Event.objects.all())
    assert Event.objects.filter(start__lt=timezone.now()).exists()
