import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

import pytest

from events.models import Event
from tests.factories import EventFactory, StaffFactory

pytestmark = pytest.mark.django_db


def _errors(event) -> dict:
    with pytest.raises(ValidationError) as caught:
        event.full_clean()
    return caught.value.message_dict


def test_end_before_start_is_refused_in_french(territories):
    event = EventFactory.build(territory=territories["Lyon 8"])
    event.end = event.start - dt.timedelta(minutes=1)
    assert _errors(event)["end"] == ["La fin de l'événement ne peut pas précéder son début."]


@pytest.mark.parametrize("capacity", [0, -3])
def test_capacity_of_zero_or_less_is_refused(territories, capacity):
    event = EventFactory.build(territory=territories["Lyon 8"], capacity=capacity)
    assert "capacity" in _errors(event)


def test_registration_closing_after_the_event_is_refused(territories):
    event = EventFactory.build(territory=territories["Lyon 8"])
    event.registration_closes_at = event.end + dt.timedelta(hours=1)
    assert _errors(event)["registration_closes_at"] == [
        "Les inscriptions ne peuvent pas se clôturer après la fin de l'événement."
    ]


def test_database_refuses_end_before_start_even_without_the_form(territories):
    event = EventFactory(territory=territories["Lyon 8"])
    event.end = event.start - dt.timedelta(hours=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        event.save()


def test_admin_form_shows_the_messages_and_writes_nothing(client, territories):
    user = StaffFactory(role="Manager")
    client.force_login(user)
    start = timezone.localtime() + dt.timedelta(days=3)
    response = client.post(
        reverse("wagtailsnippets_events_event:add"),
        {
            "title": "Atelier",
            "kind": "citizenship",
            "audience": "everyone",
            "territory": territories["Lyon 8"].pk,
            "venue_name": "Collège",
            "start": start.strftime("%Y-%m-%d %H:%M"),
            "end": (start - dt.timedelta(hours=2)).strftime("%Y-%m-%d %H:%M"),
            "capacity": "0",
            "registration_closes_at": (start + dt.timedelta(days=1)).strftime("%Y-%m-%d %H:%M"),
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "La fin de l&#x27;événement ne peut pas précéder son début." in html
    assert "Le nombre de places doit être supérieur à zéro" in html
    assert Event.objects.count() == 0
