"""The event form as a mediator meets it: an admin home that leads to their events, their only
territory already chosen in a plain list (no chooser), the fields of a kind shown for that kind,
"Publier" as the main button, the list soonest first, "Voir sur le site" once published, and
French wording instead of Wagtail's generic one."""

import datetime as dt
import re

from django.urls import reverse
from django.utils import timezone

import pytest

from community import roles
from events.models import Event
from tests.factories import EventFactory, StaffFactory

pytestmark = pytest.mark.django_db

URL = "wagtailsnippets_events_event"


@pytest.fixture
def mediator(client, territories):
    user = StaffFactory(role=roles.MEDIATOR, territories=[territories["Lyon 8"]])
    client.force_login(user)
    return user


def test_a_mediator_creates_and_publishes_an_event_without_friction(client, mediator, territories):
    lyon8 = territories["Lyon 8"]
    now = timezone.now()
    EventFactory(territory=lyon8, title="Dans un mois", start=now + dt.timedelta(days=30))
    EventFactory(territory=lyon8, title="Dans trois jours", start=now + dt.timedelta(days=3))
    EventFactory(territory=lyon8, title="Le mois dernier", start=now - dt.timedelta(days=30))

    # The admin home leads to the mediator's coming events and to a new one.
    home = client.get("/admin/").content.decode()
    assert "Mes prochains événements" in home
    assert home.index("Dans trois jours") < home.index("Dans un mois")
    assert "Le mois dernier" not in home
    assert f'href="{reverse(f"{URL}:add")}"' in home

    # The list: soonest first, past events after; French wording.
    listing = client.get(reverse(f"{URL}:list")).content.decode()
    order = [listing.index(t) for t in ("Dans trois jours", "Dans un mois", "Le mois dernier")]
    assert order == sorted(order)
    assert "Nouvel événement" in listing and "Ajouter un(e)" not in listing

    # The form: the only territory preset in a plain list; each kind's own fields marked.
    form = client.get(reverse(f"{URL}:add")).content.decode()
    assert "Ajouter un(e)" not in form
    select = re.search(r'<select name="territory"[^>]*>(.*?)</select>', form, re.S)
    assert select, "territory is not a plain select"
    assert re.search(rf'<option value="{lyon8.pk}" selected>', select.group(1))
    assert re.search(r'data-event-kinds="working_group"[^>]*>', form)
    assert re.search(r'data-event-kinds="mediation_day_session"', form)
    assert not re.search(r'<select name="answered_voices"', form)  # checkboxes, not a raw list
    # "Publier" is the main button; saving a draft waits under the arrow.
    assert form.index('name="action-publish"') < form.index("Enregistrer le brouillon")

    # Publishing says so in French and offers "Voir sur le site".
    response = client.post(
        reverse(f"{URL}:add"),
        {
            "title": "Café des voisins",
            "kind": "cafe_mediation",
            "audience": "everyone",
            "territory": lyon8.pk,
            "venue_name": "Salle",
            "reminder_hours": 48,
            "start": "2027-01-10 18:00",
            "end": "2027-01-10 20:00",
            "action-publish": "action-publish",
        },
        follow=True,
    )
    event = Event.objects.get(title="Café des voisins")
    assert event.live
    html = response.content.decode()
    assert "modifié(e)" not in html and "créé(e)" not in html
    assert "L&#x27;événement « Café des voisins » est publié." in html
    assert f'href="{event.get_absolute_url()}"' in html and "Voir sur le site" in html


def test_autosave_then_publier_from_the_new_event_form_makes_one_event(
    client, mediator, territories
):
    """Wagtail autosaves a new form by posting it to the add address (which creates a draft);
    "Publier" clicked while that answer is on its way posts to the add address again. The form
    carries a key of its own: the second post publishes the draft instead of a second event."""
    form = client.get(reverse(f"{URL}:add")).content.decode()
    key = re.search(r'name="creation_key" value="([0-9a-f]{32})"', form)
    data = {
        "title": "Café des voisins",
        "kind": "cafe_mediation",
        "audience": "everyone",
        "territory": territories["Lyon 8"].pk,
        "venue_name": "Salle",
        "reminder_hours": 48,
        "start": "2027-01-10 18:00",
        "end": "2027-01-10 20:00",
        "creation_key": key.group(1) if key else "",
    }
    autosave = client.post(reverse(f"{URL}:add"), data, HTTP_ACCEPT="application/json")
    assert autosave.status_code == 200 and autosave.json()["success"]
    [draft] = Event.objects.filter(title="Café des voisins")
    assert not draft.live

    published = client.post(
        reverse(f"{URL}:add"), {**data, "action-publish": "action-publish"}, follow=True
    )
    assert published.status_code == 200
    [event] = Event.objects.filter(title="Café des voisins")
    assert event.pk == draft.pk and event.live
    assert "L&#x27;événement « Café des voisins » est publié." in published.content.decode()
