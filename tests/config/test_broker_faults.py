"""Redis stopped or frozen while residents sign up: a committed booking is answered as booked
(302 to the page that says so), its rows are committed, and its confirmation, which stays an
outbox row, is sent by recovery once Redis is back. /health/ answers 503 instead of hanging.

A throwaway redis-server (tests.support.redis_server) is the broker; tasks are published to it
(not run in-process), as in production."""

import threading

from django.core import mail
from django.db import connection
from django.urls import reverse

import pytest

from community import queue
from config.settings import base as base_settings
from events import tasks as event_tasks
from events.models.bookings import Booking, Registration
from events.models.outbox import OutboxMessage
from tests.factories import EventFactory

pytestmark = pytest.mark.django_db(transaction=True)

# A hang is what these tests catch: an answer later than this is no answer.
HANG = 20


def form_data(n: int) -> dict:
    return {
        "first_name": "Maimouna",
        "last_name": f"Traoré{n}",
        "email": f"habitante{n}@exemple.fr",
        "participates": "on",
        "age_band": "25-59",
        "accept_waitlist": "on",
        "consent": "on",
        "submission_key": f"cle-panne-{n}",
    }


def answer_within(seconds, call):
    """Run `call` in a thread; its result, or None if it has not answered within `seconds`."""
    result = {}

    def run():
        try:
            result["value"] = call()
        finally:
            connection.close()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(seconds)
    return result.get("value")


def sign_up(client, event, n):
    return client.post(reverse("events:signup", args=[event.pk]), form_data(n))


def assert_booked(response, event, n):
    assert response.status_code == 302
    assert response["Location"] == reverse("events:received", args=["inscription", event.pk])
    booking = Booking.objects.get(person__email=f"habitante{n}@exemple.fr")
    assert booking.registrations.get().status == Registration.Status.CONFIRMED
    assert OutboxMessage.objects.filter(
        person=booking.person, state=OutboxMessage.State.PENDING
    ).exists()


def test_a_booking_made_while_redis_is_down_is_answered_as_booked_and_confirmed_later(
    client, fault_broker
):
    event = EventFactory(capacity=10)
    fault_broker.stop()

    response = sign_up(client, event, 1)

    assert_booked(response, event, 1)
    assert mail.outbox == []
    fault_broker.start()  # Redis is back: beat's recovery task sends what is due
    event_tasks.recover_outbox()
    assert [m.to for m in mail.outbox] == [["habitante1@exemple.fr"]]
    assert not OutboxMessage.objects.exclude(state=OutboxMessage.State.SENT).exists()


def test_a_booking_made_while_redis_is_frozen_is_answered_as_booked(client, fault_broker):
    event = EventFactory(capacity=10)
    assert_booked(sign_up(client, event, 1), event, 1)  # the pool holds a live connection
    fault_broker.freeze()

    response = answer_within(HANG, lambda: sign_up(client, event, 2))

    assert response is not None, "the sign-up hangs while Redis is frozen"
    assert_booked(response, event, 2)
    fault_broker.thaw()
    event_tasks.recover_outbox()
    assert sorted(m.to[0] for m in mail.outbox) == [
        "habitante1@exemple.fr",
        "habitante2@exemple.fr",
    ]


def test_health_answers_503_while_redis_is_frozen(client, fault_broker, settings):
    settings.CACHES = {**settings.CACHES, "default": base_settings.redis_cache(fault_broker.url)}
    assert client.get("/health/").status_code == 200
    fault_broker.freeze()

    response = answer_within(HANG, lambda: client.get("/health/"))

    assert response is not None, "/health/ hangs while Redis is frozen"
    assert response.status_code == 503
    assert response.json()["database"] == "ok"
    assert response.json()["broker"] == "error"
    assert response.json()["cache"] == "error"


def test_a_publish_that_failed_makes_the_next_requests_skip_the_broker_for_a_while(
    fault_broker, settings, monkeypatch, django_capture_on_commit_callbacks
):
    settings.BROKER_PUBLISH_BACKOFF_SECONDS = 60
    fault_broker.stop()
    task = queue.task_named("events.deliver_outbox")
    attempts = []
    publish = task.apply_async
    monkeypatch.setattr(task, "apply_async", lambda *a, **k: attempts.append(1) or publish(*a, **k))
    try:
        with django_capture_on_commit_callbacks(execute=True):
            queue.after_commit("events.deliver_outbox")
        with django_capture_on_commit_callbacks(execute=True):
            queue.after_commit("events.deliver_outbox")
        assert attempts == [1]  # the second one did not wait for a broker known to be down
    finally:
        queue.reset_broker_backoff()


def test_every_redis_client_has_connect_and_socket_timeouts():
    timeouts = {"socket_connect_timeout", "socket_timeout"}
    assert timeouts <= set(base_settings.CELERY_BROKER_TRANSPORT_OPTIONS)
    assert timeouts <= set(base_settings.redis_cache("redis://127.0.0.1:6379/0")["OPTIONS"])
    assert all(0 < base_settings.CELERY_BROKER_TRANSPORT_OPTIONS[name] <= 5 for name in timeouts)


def test_a_sign_up_while_the_redis_cache_is_down_is_answered_as_booked(
    client, fault_broker, settings
):
    # The public forms' rate limits count in the cache: when it is away they let requests pass.
    settings.CACHES = {**settings.CACHES, "default": base_settings.redis_cache(fault_broker.url)}
    event = EventFactory(capacity=10)
    fault_broker.stop()
    assert_booked(sign_up(client, event, 1), event, 1)


def test_public_pages_answer_while_the_redis_cache_is_down(
    client, fault_broker, settings, home_page
):
    # Wagtail keeps the site's root paths in the default cache: an unreachable cache must read
    # as a miss for it too, or every page would be an error page during the outage.
    settings.CACHES = {**settings.CACHES, "default": base_settings.redis_cache(fault_broker.url)}
    settings.PAGE_CACHE_SECONDS = 60
    event = EventFactory(capacity=10)
    fault_broker.stop()
    assert client.get("/").status_code == 200
    assert client.get(event.get_absolute_url()).status_code == 200
    assert client.get(reverse("events:signup", args=[event.pk])).status_code == 200
    assert_booked(sign_up(client, event, 2), event, 2)
    fault_broker.start()
    assert client.get("/").status_code == 200


def test_public_pages_answer_while_the_redis_cache_is_frozen(
    client, fault_broker, settings, home_page
):
    settings.CACHES = {**settings.CACHES, "default": base_settings.redis_cache(fault_broker.url)}
    fault_broker.freeze()
    try:
        response = answer_within(HANG, lambda: client.get("/"))
    finally:
        fault_broker.thaw()
    assert response is not None and response.status_code == 200
