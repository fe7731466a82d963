"""Who may open the mediators' pages: a table of users × every /equipe/ URL.

Anonymous visitors are sent to the login page; residents and Communication staff get 403 (no
role permission); a Lyon 9 mediator gets 404 on every Lyon 8 event URL, guessed ids included,
and never sees a Lyon 8 name; the Lyon 8 mediator and the manager get the page."""

from django.urls import reverse

import pytest

from community import roles
from events.models.attendance import Attendance, WalkIn
from events.models.outbox import OutboxMessage
from tests.events.signup_helpers import contact, register
from tests.factories import EventFactory, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db

SECRET_NAME = "Zénobie"


@pytest.fixture
def world(territories):
    lyon8 = EventFactory(territory=territories["Lyon 8"], capacity=10, title="Café Lyon 8")
    lyon9 = EventFactory(territory=territories["Lyon 9"], capacity=10, title="Café Lyon 9")
    registration = register(
        lyon8,
        contact=contact(first_name=SECRET_NAME, last_name="Lyon", email="", phone="0611223344"),
    )
    message = OutboxMessage.objects.get(registration=registration)
    users = {
        "anonymous": None,
        "resident": UserFactory(),
        "communication": StaffFactory(role=roles.COMMUNICATION),
        "mediator_lyon8": StaffFactory(role=roles.MEDIATOR, territories=[territories["Lyon 8"]]),
        "mediator_lyon9": StaffFactory(role=roles.MEDIATOR, territories=[territories["Lyon 9"]]),
        "manager": StaffFactory(role=roles.MANAGER),
    }
    return {
        "lyon8": lyon8,
        "lyon9": lyon9,
        "registration": registration,
        "message": message,
        "users": users,
    }


def event_urls(event_id):
    return [
        ("GET", reverse("staff:checkin", args=[event_id]), {}),
        ("GET", reverse("staff:signup", args=[event_id]), {}),
        ("GET", reverse("staff:sheet", args=[event_id]), {}),
        ("GET", reverse("staff:sheet_pdf", args=[event_id]), {}),
        ("GET", reverse("staff:export_csv", args=[event_id]), {}),
        ("GET", reverse("staff:export_xlsx", args=[event_id]), {}),
        (
            "POST",
            reverse("staff:walk_in", args=[event_id]),
            {"count": "2", "age_band": "60+", "client_key": "k"},
        ),
    ]


def lyon8_urls(world):
    event, registration, message = world["lyon8"], world["registration"], world["message"]
    return [
        *event_urls(event.pk),
        (
            "POST",
            reverse("staff:checkin_mark", args=[event.pk, registration.pk]),
            {"status": "attended"},
        ),
        ("POST", reverse("staff:signup", args=[event.pk]), {"first_name": "X", "consent": "on"}),
        ("POST", reverse("staff:call_mark", args=[message.pk]), {"state": "called"}),
    ]


def request(client, method, url, data):
    return client.get(url) if method == "GET" else client.post(url, data)


EXPECTED = {
    # user: status for the Lyon 8 pages (302 = to the login page)
    "anonymous": {302},
    "resident": {403},
    "communication": {403},
    "mediator_lyon9": {403, 404},
}


@pytest.mark.parametrize("who", list(EXPECTED))
def test_outsiders_get_no_lyon8_data(client, world, who):
    user = world["users"][who]
    if user is not None:
        client.force_login(user)
    for method, url, data in lyon8_urls(world):
        response = request(client, method, url, data)
        assert response.status_code in EXPECTED[who], (who, method, url, response.status_code)
        if response.status_code == 302:
            assert (
                response["Location"].startswith("/accounts/login/")
                or "login" in response["Location"]
            )
        assert SECRET_NAME.encode() not in response.content, (who, url)
    for url in (reverse("staff:home"), reverse("staff:calls")):
        response = client.get(url)
        assert SECRET_NAME.encode() not in response.content, (who, url)
    # Nothing was changed by any of these requests.
    assert not Attendance.objects.exists() and not WalkIn.objects.exists()
    world["message"].refresh_from_db()
    assert world["message"].state == OutboxMessage.State.PENDING


def test_lyon9_mediator_gets_404_on_lyon8_and_guessed_ids(client, world):
    client.force_login(world["users"]["mediator_lyon9"])
    lyon8, lyon9 = world["lyon8"], world["lyon9"]
    guessed = [lyon8.pk, lyon9.pk + 1000, 999999]
    for event_id in guessed:
        for method, url, data in event_urls(event_id):
            response = request(client, method, url, data)
            assert response.status_code == 404, (method, url, response.status_code)
    # A Lyon 8 registration through the mediator's own Lyon 9 event: refused, nothing changed.
    response = client.post(
        reverse("staff:checkin_mark", args=[lyon9.pk, world["registration"].pk]),
        {"status": "attended"},
    )
    assert response.status_code == 400 and SECRET_NAME.encode() not in response.content
    # A Lyon 8 call-list row by its id: not found, not marked.
    response = client.post(
        reverse("staff:call_mark", args=[world["message"].pk]), {"state": "called"}
    )
    assert response.status_code == 404
    world["message"].refresh_from_db()
    assert world["message"].state == OutboxMessage.State.PENDING
    assert not client.get(reverse("staff:calls")).content.count(SECRET_NAME.encode())
    assert not Attendance.objects.exists()
    # Their own event opens.
    assert client.get(reverse("staff:checkin", args=[lyon9.pk])).status_code == 200


@pytest.mark.parametrize("who", ["mediator_lyon8", "manager"])
def test_staff_of_the_territory_get_the_pages(client, world, who):
    client.force_login(world["users"][who])
    event = world["lyon8"]
    for method, url, _data in event_urls(event.pk):
        if method == "GET":
            response = client.get(url)
            assert response.status_code == 200, (who, url, response.status_code)
    assert SECRET_NAME in client.get(reverse("staff:checkin", args=[event.pk])).content.decode()
    assert SECRET_NAME in client.get(reverse("staff:calls")).content.decode()
    response = client.post(
        reverse("staff:checkin_mark", args=[event.pk, world["registration"].pk]),
        {"status": "attended"},
    )
    assert response.status_code == 302
    assert Attendance.objects.get().marked_by == world["users"][who]


def test_communication_staff_cannot_export(client, world):
    client.force_login(world["users"]["communication"])
    assert client.get(reverse("staff:export_csv", args=[world["lyon8"].pk])).status_code == 403
    assert client.get(reverse("staff:home")).status_code == 403
    assert client.get(reverse("staff:calls")).status_code == 403
