"""Working groups' meetings are events pointing to their group; events point to the residents'
voices they answer. The community pages hear of them through the registry."""

from django.urls import reverse

import pytest

from community import roles
from events.models import EventKind
from tests.factories import EventFactory, StaffFactory, VoiceFactory, WorkingGroupFactory

pytestmark = pytest.mark.django_db


def test_a_working_groups_page_lists_its_next_published_meetings(client, territories):
    group = WorkingGroupFactory(theme="Tri et encombrants", territory=territories["Lyon 8"])
    EventFactory(title="Réunion de mars", kind=EventKind.WORKING_GROUP, working_group=group)
    EventFactory(
        title="Réunion brouillon", kind=EventKind.WORKING_GROUP, working_group=group, live=False
    )
    EventFactory(
        title="Autre groupe", kind=EventKind.WORKING_GROUP, working_group=WorkingGroupFactory()
    )
    slug = group.slug if hasattr(group, "slug") else "x"
    response = client.get(reverse("community:working_group", args=[group.pk, slug]), follow=True)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Réunion de mars" in html
    assert "Réunion brouillon" not in html and "Autre groupe" not in html


def test_an_event_points_to_the_voices_it_answers(territories):
    voice = VoiceFactory(territory=territories["Lyon 8"])
    event = EventFactory(territory=territories["Lyon 8"])
    event.answered_voices.add(voice)
    assert list(voice.answering_events.all()) == [event]


def test_the_event_form_offers_only_groups_and_voices_of_visible_territories(territories):
    from events.models import Event

    mediator = StaffFactory(role=roles.MEDIATOR, territories=[territories["Lyon 9"]])
    mine = WorkingGroupFactory(territory=territories["Lyon 9"])
    WorkingGroupFactory(territory=territories["Lyon 8"])
    VoiceFactory(territory=territories["Lyon 8"])
    own_voice = VoiceFactory(territory=territories["Lyon 9"])
    form_class = Event.get_edit_handler().get_form_class()
    form = form_class(instance=Event(), for_user=mediator)
    assert list(form.fields["working_group"].queryset) == [mine]
    assert list(form.fields["answered_voices"].queryset) == [own_voice]
