"""At the door: presence per person, a walk-in that can be undone, a warning before checking
in a session that is not today; the session cards and the staff menu."""

import datetime as dt
import re

from django.urls import reverse
from django.utils import timezone

import pytest

from community import roles
from events.models.attendance import Attendance, WalkIn
from events.models.bookings import Participant
from tests.events.signup_helpers import register
from tests.factories import EventFactory, StaffFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def mediator(territories):
    return StaffFactory(role=roles.MEDIATOR, territories=[territories["Lyon 8"]])


def _today_event(territories, **kwargs):
    now = timezone.localtime()
    start = now + dt.timedelta(minutes=5)
    if start.date() != now.date():
        start = now - dt.timedelta(minutes=30)
    return EventFactory(territory=territories["Lyon 8"], start=start, **kwargs)


def test_presence_is_per_person_and_a_walk_in_can_be_undone(client, mediator, territories):
    event = _today_event(territories, capacity=10, title="Café médiation")
    family = register(event, bands=("25-59", "0-14"), guardian_consent=True)
    mother, child = Participant.objects.filter(registration=family).order_by("pk")
    client.force_login(mediator)
    url = reverse("staff:checkin_mark", args=[event.pk, family.pk])

    client.post(url, {"status": "attended", "participant": mother.pk})
    client.post(url, {"status": "no_show", "participant": child.pk})
    mother.refresh_from_db()
    child.refresh_from_db()
    assert (mother.presence, child.presence) == ("attended", "no_show")
    assert Attendance.objects.get(registration=family).status == "attended"
    page = client.get(reverse("staff:checkin", args=[event.pk])).content.decode()
    assert "Présents : 1 (1 inscrits sur 2, 0 sans inscription)" in page
    assert page.count(f'name="participant" value="{child.pk}"') == 2

    # The walk-in form comes before the list; a walk-in added by mistake is taken back.
    assert page.index('id="sans-inscription"') < page.index('class="checkin-list"')
    client.post(
        reverse("staff:walk_in", args=[event.pk]),
        {"count": "2", "age_band": "15-24", "client_key": "k1"},
    )
    walk_in = WalkIn.objects.get()
    response = client.post(reverse("staff:walk_in_undo", args=[event.pk]), {"walk_in": walk_in.pk})
    assert response.status_code == 302
    assert not WalkIn.objects.exists()


def test_a_session_that_is_not_today_asks_before_check_in(client, mediator, territories):
    event = EventFactory(territory=territories["Lyon 8"], title="Café de demain")
    registration = register(event)
    client.force_login(mediator)
    page = client.get(reverse("staff:checkin", args=[event.pk])).content.decode()
    assert "Cette séance n'a pas lieu aujourd'hui" in page
    assert reverse("staff:checkin_mark", args=[event.pk, registration.pk]) not in page
    page = client.get(reverse("staff:checkin", args=[event.pk]) + "?pointer=1").content.decode()
    assert reverse("staff:checkin_mark", args=[event.pk, registration.pk]) in page


def test_session_cards_and_the_staff_menu(client, mediator, territories):
    today = _today_event(territories, capacity=10, title="Café du jour")
    later = EventFactory(territory=territories["Lyon 8"], capacity=20, title="Atelier futur")
    register(later, bands=("25-59", "60+"))
    client.force_login(mediator)
    page = client.get(reverse("staff:home")).content.decode()
    card = page.split(f'id="seance-{later.pk}"', 1)[1].split("</section>", 1)[0]
    assert "2 inscrits / 20 places" in card
    assert "export.csv" not in card and "satisfaction" not in card  # not before the session
    today_card = page.split(f'id="seance-{today.pk}"', 1)[1].split("</section>", 1)[0]
    assert "export.csv" in today_card and "Pointage" in today_card
    assert "Accueil" not in page

    signup_page = client.get(reverse("staff:signup", args=[later.pk])).content.decode()
    back = re.search(r'<a href="([^"]+)">← ', signup_page)
    assert back and back.group(1) == reverse("staff:home")

    menus = {}
    for name in (
        "staff:home",
        "staff:calls",
        "staff:series_list",
        "staff_interventions:log",
        "staff_survey:survey",
    ):
        page = client.get(reverse(name)).content.decode()
        menu = page.split('aria-label="Menu de l’équipe"', 1)[1].split("</nav>", 1)[0]
        assert "Se déconnecter" in menu and "Cafés" in menu and "Satisfaction" in menu, name
        assert f'href="{reverse("staff_survey:survey")}"' in menu, name
        menus[name] = re.sub(r'\s*aria-current="page"|<input[^>]*>', "", menu)
    # One menu everywhere: only the current page's mark differs.
    assert len(set(menus.values())) == 1, menus
