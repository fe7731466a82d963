"""The series admin: bad input gets a message on the form and writes nothing; saving
generates the sessions; editing moves the future ones. Seat groups are scoped too."""

import datetime as dt

from django.utils import timezone

import pytest

from events.models import CafeSeries, Event, EventKind, SeatGroup
from tests.factories import EventFactory, StaffFactory

pytestmark = pytest.mark.django_db

URL = "/admin/snippets/events/cafeseries/"


def form_data(territory, **overrides):
    start = timezone.localdate() + dt.timedelta(days=1)
    data = {
        "title": "Café Médiation des États-Unis",
        "kind": EventKind.CAFE_MEDIATION,
        "summary": "",
        "active": "on",
        "territory": str(territory.pk),
        "venue_name": "Salle associative des États-Unis",
        "venue_address": "",
        "capacity": "12",
        "frequency": "weekly",
        "interval": "2",
        "weekday": str(start.weekday()),
        "month_week": "",
        "start_date": start.isoformat(),
        "end_date": "",
        "start_time": "14:00",
        "end_time": "16:00",
        "excluded_dates": "",
        "extra_dates": "",
    }
    data.update(overrides)
    return data


@pytest.fixture
def mediator(client, territories):
    user = StaffFactory(territories=[territories["Lyon 8"]])
    client.force_login(user)
    return user


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"frequency": ""}, "le cycle n&#x27;a aucune séance"),
        ({"end_date": "2020-01-01"}, "La dernière date ne peut pas précéder la première."),
        ({"excluded_dates": "25/12/2030"}, "ne sont pas des dates du cycle"),
        ({"excluded_dates": "pas une date"}, "Dates illisibles"),
        ({"end_time": "13:00"}, "L&#x27;heure de fin doit suivre"),
    ],
)
def test_bad_input_gets_a_message_on_the_form(client, mediator, territories, overrides, message):
    response = client.post(URL + "add/", form_data(territories["Lyon 8"], **overrides))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not CafeSeries.objects.exists()
    assert not Event.objects.exists()


def test_saving_generates_sessions_and_editing_moves_them(client, mediator, territories):
    response = client.post(URL + "add/", form_data(territories["Lyon 8"]))
    assert response.status_code == 302
    cafe = CafeSeries.objects.get()
    events = Event.objects.filter(series_session__series=cafe)
    assert 6 <= events.count() <= 8
    assert all(timezone.localtime(e.start).hour == 14 for e in events)
    data = form_data(territories["Lyon 8"], start_time="15:00", end_time="17:00")
    response = client.post(f"{URL}edit/{cafe.pk}/", data)
    assert response.status_code == 302
    assert all(timezone.localtime(e.start).hour == 15 for e in events.all())


def test_a_mediator_may_not_choose_or_open_another_territory(client, mediator, territories):
    response = client.post(URL + "add/", form_data(territories["Lyon 9"]))
    assert response.status_code == 200
    assert not CafeSeries.objects.exists()
    other = CafeSeries.objects.create(
        title="Café de Lyon 9",
        territory=territories["Lyon 9"],
        venue_name="Salle",
        frequency="weekly",
        start_date=timezone.localdate(),
        start_time=dt.time(14),
        end_time=dt.time(16),
    )
    assert client.get(f"{URL}edit/{other.pk}/").status_code == 404


def test_seat_groups_on_a_workshop(client, mediator, territories):
    workshop = EventFactory(kind=EventKind.INTERGENERATIONAL, territory=territories["Lyon 8"])
    url = "/admin/snippets/events/seatgroup/add/"
    data = {"event": str(workshop.pk), "label": "Aînés", "age_bands": ["60+"], "capacity": "8"}
    assert client.post(url, data).status_code == 302
    clash = client.post(url, {**data, "label": "Seniors"})
    assert clash.status_code == 200
    assert "qu&#x27;à un seul groupe" in clash.content.decode()
    assert SeatGroup.objects.count() == 1
    elsewhere = EventFactory(kind=EventKind.INTERGENERATIONAL, territory=territories["Lyon 9"])
    assert client.post(url, {**data, "event": str(elsewhere.pk)}).status_code == 200
    assert SeatGroup.objects.count() == 1
