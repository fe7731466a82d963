"""The outbox's senders drain their queue: one task message waiting in the broker sends every
row committed before it starts. A burst of sign-ups then publishes one message, not one per
sign-up, where the web processes and the workers share the cache that says a message waits
(Redis in production); never fewer than the rows need.

A throwaway redis-server (tests.support.redis_server) is the broker and the shared cache;
tasks are published to it, as in production, and run here by calling them."""

from django.core import mail

import pytest
import redis

from community import queue
from config.settings import base as base_settings
from events import tasks as event_tasks
from events.models.outbox import OutboxMessage
from tests.events.signup_helpers import contact, register
from tests.factories import EventFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def shared(fault_broker, settings):
    """The broker's Redis is also the cache, as in production; publishes are coalesced."""
    settings.CACHES = {**settings.CACHES, "default": base_settings.redis_cache(fault_broker.url)}
    settings.COALESCE_DRAIN_TASKS = True
    queue.reset_broker_backoff()
    yield redis.Redis.from_url(fault_broker.url)
    queue.reset_broker_backoff()


def waiting(broker: redis.Redis) -> int:
    """Task messages waiting in the broker's default queue."""
    return broker.llen("celery")


def sign_up(event, n: int, capture) -> None:
    with capture(execute=True):
        register(event, contact=contact(email=f"burst{n}@exemple.fr"))


def test_a_burst_publishes_one_message_and_the_task_sends_every_row(
    shared, django_capture_on_commit_callbacks
):
    event = EventFactory(capacity=10)
    for n in range(3):
        sign_up(event, n, django_capture_on_commit_callbacks)
    assert OutboxMessage.objects.filter(channel="email").count() == 3
    assert waiting(shared) == 1

    event_tasks.deliver_outbox()  # the worker takes the message

    assert sorted(m.to[0] for m in mail.outbox) == [f"burst{n}@exemple.fr" for n in range(3)]
    # The task has started: a row committed after it needs a message of its own.
    sign_up(event, 3, django_capture_on_commit_callbacks)
    assert waiting(shared) == 2


def test_a_publish_that_failed_is_tried_again_by_the_next_commit(
    fault_broker, settings, django_capture_on_commit_callbacks
):
    """The broker fails, the cache answers (two servers here): the mark of a message that never
    reached the broker is removed, so the next commit publishes."""
    from tests.support.redis_server import RedisServer

    cache_server = RedisServer().start()
    try:
        settings.CACHES = {
            **settings.CACHES,
            "default": base_settings.redis_cache(cache_server.url),
        }
        settings.COALESCE_DRAIN_TASKS = True
        settings.BROKER_PUBLISH_BACKOFF_SECONDS = 0
        event = EventFactory(capacity=10)
        fault_broker.stop()
        sign_up(event, 0, django_capture_on_commit_callbacks)  # committed; the publish failed
        fault_broker.start()
        sign_up(event, 1, django_capture_on_commit_callbacks)
        assert waiting(redis.Redis.from_url(fault_broker.url)) == 1
    finally:
        queue.reset_broker_backoff()
        cache_server.close()


def test_without_a_shared_cache_every_commit_publishes(
    fault_broker, settings, django_capture_on_commit_callbacks
):
    """Local memory (tests, the embedded default): a worker could never clear the mark."""
    settings.COALESCE_DRAIN_TASKS = False
    broker = redis.Redis.from_url(fault_broker.url)
    event = EventFactory(capacity=10)
    for n in range(2):
        sign_up(event, n, django_capture_on_commit_callbacks)
    assert waiting(broker) == 2
