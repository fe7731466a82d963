"""Access needs can reveal a disability: only the event's organisers and managers read them (one
rule, events.permissions.can_read_access_needs, on every screen that shows them); exports never
carry them; and adding or removing an organiser is written to the event's history."""

from django.urls import reverse

from wagtail.log_actions import LogContext
from wagtail.models import ModelLogEntry

import pytest

from community import roles
from events.permissions import can_read_access_needs
from tests.events.signup_helpers import contact, register
from tests.factories import EventFactory, StaffFactory

pytestmark = pytest.mark.django_db
NEEDS = "Fauteuil roulant, besoin d'une place près de la porte"


@pytest.fixture
def people(territories):
    lyon8 = territories["Lyon 8"]
    return {
        "organiser": StaffFactory(
            email="organisatrice@exemple.fr", role=roles.MEDIATOR, territories=[lyon8]
        ),
        "colleague": StaffFactory(
            email="collegue@exemple.fr", role=roles.MEDIATOR, territories=[lyon8]
        ),
        "manager": StaffFactory(email="direction@exemple.fr", role=roles.MANAGER),
    }


@pytest.fixture
def event(territories, people):
    event = EventFactory(territory=territories["Lyon 8"], capacity=10, title="Atelier tri")
    event.organisers.add(people["organiser"])
    register(
        event,
        contact=contact(first_name="Josiane", email="josiane@exemple.fr"),
        access_needs=NEEDS,
        access_needs_consent=True,
    )
    return event


def screens(client, user, event) -> dict[str, str]:
    client.force_login(user)
    urls = {
        "registrations": reverse("events_registrations", args=[event.pk]),
        "checkin": reverse("staff:checkin", args=[event.pk]),
        "export_csv": reverse("staff:export_csv", args=[event.pk]),
        "export_xlsx": reverse("staff:export_xlsx", args=[event.pk]),
        "sheet": reverse("staff:sheet", args=[event.pk]),
    }
    pages = {}
    for name, url in urls.items():
        response = client.get(url)
        assert response.status_code == 200, name
        pages[name] = response.content.decode(errors="replace")
    return pages


def test_a_mediator_of_the_territory_who_does_not_organise_reads_no_access_needs(
    client, people, event
):
    assert not can_read_access_needs(people["colleague"], event)
    pages = screens(client, people["colleague"], event)
    assert "Josiane" in pages["checkin"]  # the page itself is theirs
    for name, html in pages.items():
        assert "Fauteuil roulant" not in html, name


@pytest.mark.parametrize("who", ["organiser", "manager"])
def test_the_events_organisers_and_managers_read_them_on_screen_and_no_export_carries_them(
    client, people, event, who
):
    assert can_read_access_needs(people[who], event)
    pages = screens(client, people[who], event)
    assert "Fauteuil roulant" in pages["registrations"]
    assert "Fauteuil roulant" in pages["checkin"]
    for name in ("export_csv", "export_xlsx", "sheet"):
        assert "Fauteuil roulant" not in pages[name], name


def test_an_organiser_of_another_territory_event_is_not_enough_outside_their_territories(
    territories, people
):
    lyon9_event = EventFactory(territory=territories["Lyon 9"])
    lyon9_event.organisers.add(people["colleague"])  # named, but not a Lyon 9 mediator
    assert not can_read_access_needs(people["colleague"], lyon9_event)
    assert not can_read_access_needs(None, lyon9_event)


def test_adding_or_removing_an_organiser_is_written_to_the_events_history(people, event):
    colleague, manager = people["colleague"], people["manager"]
    with LogContext(user=colleague):
        event.organisers.add(colleague)
    added = ModelLogEntry.objects.get(action="events.organiser_added", user=colleague)
    assert added.object_id == str(event.pk)
    assert added.user == colleague
    assert added.data["user_id"] == colleague.pk
    assert "collegue@exemple.fr" in added.message

    with LogContext(user=manager):
        colleague.organised_events.remove(event)  # the reverse side is logged too
    removed = ModelLogEntry.objects.get(action="events.organiser_removed")
    assert removed.object_id == str(event.pk) and removed.user == manager
    assert removed.data["user_id"] == colleague.pk

    event.organisers.clear()
    cleared = ModelLogEntry.objects.filter(action="events.organiser_removed").order_by("pk")
    assert [e.data["user_id"] for e in cleared] == [colleague.pk, people["organiser"].pk]
