"""The mediation day managed from one place: one admin screen per year with its programme, its
sessions (drafts too) and its page; the page editor showing the timeline; and Communication's
menu without an "Événements" entry that would list nothing."""

import json
import re

from django.test import Client
from django.urls import reverse

import pytest

from community import roles
from tests.cms.mediation_day_helpers import make_day_page
from tests.events.programme_helpers import add_session, make_programme
from tests.factories import StaffFactory

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_mediation_day_is_managed_from_one_screen(home_page, territories):
    programme = make_programme(territory=territories["Lyon 8"])
    add_session(programme, "Table ronde des bailleurs", "10:00", "11:00")
    add_session(programme, "Atelier jeunesse", "10:00", "11:30", track=1, live=False)
    page = make_day_page(home_page, programme)
    communication = client_for(StaffFactory(role=roles.COMMUNICATION))

    # The menu leads to the day, not to an "Événements" list that shows nothing.
    home = communication.get("/admin/").content.decode()
    props = re.search(r'id="wagtail-sidebar-props"[^>]*>(.*?)</script>', home, re.S).group(1)
    menu = json.dumps(json.loads(props), ensure_ascii=False)
    assert "Journée de la médiation" in menu
    assert '"Événements"' not in menu and "/admin/snippets/events/event/" not in menu

    hub = communication.get(reverse("cms_mediation_day:index"))
    assert hub.status_code == 302
    day = communication.get(hub["Location"]).content.decode()
    assert "Table ronde des bailleurs" in day and "Atelier jeunesse" in day
    assert "Habiter ensemble" in day and "Jeunesse" in day
    assert reverse("wagtailsnippets_events_programme:edit", args=[programme.pk]) in day
    assert reverse("wagtailadmin_pages:edit", args=[page.pk]) in day
    assert page.url in day

    # The page editor shows the timeline of its programme.
    editor = communication.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
    html = editor.content.decode()
    assert editor.status_code == 200
    assert 'id="mediation-day-timeline"' in html
    assert "Table ronde des bailleurs" in html


def test_mediators_keep_their_events_menu(territories):
    mediator = client_for(StaffFactory(role=roles.MEDIATOR, territories=[territories["Lyon 8"]]))
    home = mediator.get("/admin/").content.decode()
    assert "/admin/snippets/events/event/" in home


def test_adding_a_session_from_a_track_starts_with_its_kind_and_track(territories):
    programme = make_programme(territory=territories["Lyon 8"])
    youth = programme.tracks.get(name="Jeunesse")
    manager = client_for(StaffFactory(role=roles.MANAGER, territories=[territories["Lyon 8"]]))
    day = manager.get(reverse("cms_mediation_day:day", args=[programme.pk])).content.decode()
    add_url = reverse("wagtailsnippets_events_event:add")
    link = f"{add_url}?kind=mediation_day_session&amp;track={youth.pk}"
    assert f'href="{link}"' in day  # one "Ajouter une séance" per track

    form = manager.get(f"{add_url}?kind=mediation_day_session&track={youth.pk}").content.decode()
    assert re.search(r'<option value="mediation_day_session"\s+selected>', form)
    assert re.search(rf'<option value="{youth.pk}"\s+selected>', form)
    # A value that is not a kind (or a track that does not exist) is ignored, not an error.
    other = manager.get(f"{add_url}?kind=nope&track=999999")
    assert other.status_code == 200
    assert "selected>Séance de la journée" not in other.content.decode()
