"""The demo: the États-Unis Café Médiation series with its history, and the workshop's seats."""

from django.core.management import call_command
from django.utils import timezone

import pytest

from events.models import CafeSeries, Event, SeatGroup, SessionSummary, SurveyAnswer, Topic
from events.models.attendance import Attendance

pytestmark = pytest.mark.django_db


def test_seed_demo_shows_the_series_and_is_idempotent(client):
    call_command("seed_demo", "--password", "un-mot-de-passe-solide-42", verbosity=0)
    call_command("seed_demo", "--password", "un-mot-de-passe-solide-42", verbosity=0)
    [cafe] = CafeSeries.objects.all()
    assert cafe.territory.name == "Lyon 8" and "États-Unis" in cafe.title
    sessions = Event.objects.filter(series_session__series=cafe)
    assert sessions.filter(start__lte=timezone.now()).count() == 4
    assert sessions.filter(start__gt=timezone.now()).count() >= 5
    assert Attendance.objects.filter(registration__event__in=sessions).exists()
    assert SessionSummary.objects.filter(event__in=sessions).count() == 3
    assert Topic.objects.filter(series=cafe, status="approved").count() == 3
    assert SurveyAnswer.objects.filter(event__in=sessions).count() >= 4
    assert cafe.follows.count() == 5
    assert (
        SeatGroup.objects.filter(event__title__startswith="Atelier intergénérationnel").count() == 2
    )
    page = client.get(cafe.get_absolute_url())
    assert page.status_code == 200
    assert "Créer un jardin partagé" in page.content.decode()
