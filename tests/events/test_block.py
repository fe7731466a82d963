import datetime as dt

from django.utils import timezone

import pytest

from cms.event_blocks import UpcomingEventsBlock
from events.models import EventKind
from tests.factories import EventFactory

pytestmark = pytest.mark.django_db


def _render(**value):
    block = UpcomingEventsBlock()
    data = {
        "heading": "Prochains rendez-vous",
        "territory": None,
        "kinds": [],
        "audience": "",
        "count": 3,
    }
    data.update(value)
    return block.render(block.to_python(data))


def test_block_shows_the_next_events_filtered(territories, agenda_page):
    for days in (1, 2, 3, 4):
        EventFactory(
            territory=territories["Lyon 8"],
            title=f"Jour {days}",
            kind=EventKind.AWARENESS,
            start=timezone.now() + dt.timedelta(days=days),
            end=timezone.now() + dt.timedelta(days=days, hours=1),
        )
    EventFactory(territory=territories["Lyon 9"], title="Lyon 9", kind=EventKind.CAFE_MEDIATION)
    html = _render(territory=territories["Lyon 8"].pk, count=2)
    assert "Prochains rendez-vous" in html
    assert "Jour 1" in html and "Jour 2" in html
    assert "Jour 3" not in html and "Lyon 9" not in html
    assert 'href="/agenda/"' in html
    html = _render(kinds=[EventKind.CAFE_MEDIATION])
    assert "Lyon 9" in html and "Jour 1" not in html


def test_block_says_when_nothing_is_coming(db):
    assert "Aucun événement à venir" in _render()


def test_block_has_what_editors_need():
    meta = UpcomingEventsBlock._meta_class
    assert meta.icon and meta.template and meta.description and meta.preview_value


@pytest.mark.parametrize("count", [1, 12])
def test_block_query_count_is_constant(territories, count, django_assert_num_queries):
    EventFactory.create_batch(12, territory=territories["Lyon 8"])
    with django_assert_num_queries(3):  # the events; the agenda page and its site for its URL
        html = _render(count=count)
    assert html.count('<article class="event-card') == count
