"""What a sign-up asks of Redis, counted as queries are: every round trip is made while the
visitor waits, and a burst of sign-ups is paid in them. Redis is a throwaway server
(tests.support.redis_server), the cache and the broker at once as in production, with the
page cache on."""

import re

from django.urls import reverse

import pytest
import redis

from community import queue
from config.settings import base as base_settings
from events.models.bookings import Registration
from tests.events.test_signup_views import form_data
from tests.factories import EventFactory

pytestmark = pytest.mark.django_db

# The rate limits (2: the visitor's address and the email, each counted with a pipelined SET NX
# + INCR), the page cache's generations (1: the layout's copy follows them), the seats
# generation bumped for the event's lock and for the rows written (2: each pipelined likewise),
# and the outbox's sender, whose message already waits (1: the mark that says so). 10 before:
# a rate limit's second hit and each bump were SET NX or EXISTS, then INCRBY.
SIGNUP_POST_REDIS_ROUND_TRIPS = 6


class RoundTrips:
    """Counts what redis-py sends: one call per command, one for a whole pipeline."""

    def __init__(self, monkeypatch):
        self.count = 0
        send = redis.connection.AbstractConnection.send_packed_command

        def counted(connection, command, *args, **kwargs):
            self.count += 1
            return send(connection, command, *args, **kwargs)

        monkeypatch.setattr(redis.connection.AbstractConnection, "send_packed_command", counted)


@pytest.fixture
def shared(fault_broker, settings):
    settings.CACHES = {**settings.CACHES, "default": base_settings.redis_cache(fault_broker.url)}
    settings.COALESCE_DRAIN_TASKS = True
    settings.PAGE_CACHE_SECONDS = 60
    queue.reset_broker_backoff()
    yield redis.Redis.from_url(fault_broker.url)
    queue.reset_broker_backoff()


def test_a_sign_up_post_makes_few_redis_round_trips(
    client, shared, django_capture_on_commit_callbacks, monkeypatch
):
    event = EventFactory(capacity=30)
    url = reverse("events:signup", args=[event.pk])
    page = client.get(url).content.decode()
    key = re.search(r'name="submission_key" value="(\w+)"', page).group(1)
    first = form_data(other_first_name_1="", other_age_band_1="", guardian_consent=None)
    with django_capture_on_commit_callbacks(execute=True):  # a first sign-up: the task waits
        client.post(url, {**first, "submission_key": key})
    page = client.get(url).content.decode()
    key = re.search(r'name="submission_key" value="(\w+)"', page).group(1)
    data = {**first, "email": "deuxieme@exemple.fr", "submission_key": key}
    round_trips = RoundTrips(monkeypatch)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, data)

    assert response.status_code == 302
    assert Registration.objects.filter(person__email="deuxieme@exemple.fr").exists()
    assert round_trips.count == SIGNUP_POST_REDIS_ROUND_TRIPS
