"""Queueing a Celery task once the transaction commits, by the task's name.

Rule modules name the task they want run instead of importing their app's `tasks.py`, which
imports them: the tasks stay thin wrappers over the rules and no import circle runs through
them. It is also the one place that decides what happens between a commit and the broker:
publishing never raises into the response of a request whose transaction committed. What the
task would have done is recorded in the rows just committed (an outbox row, a subscription whose
confirmation is not marked sent...), and the recovery tasks of beat and of each worker's start
pick those rows up; a broker that is down or frozen costs a log line, not an error page.
"""

import datetime as dt
import functools
import logging
import threading
import time

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

from celery import current_app
from celery.contrib.django.task import DjangoTask
from celery.exceptions import NotRegistered

logger = logging.getLogger(__name__)


class BrokerState:
    """When this process last failed to publish: during an outage each request would otherwise
    wait for the broker's timeouts again, so publishing is skipped for
    BROKER_PUBLISH_BACKOFF_SECONDS after a failure (recovery sends what was skipped)."""

    def __init__(self):
        self._lock = threading.Lock()
        self.skip_until = 0.0

    def available(self) -> bool:
        return time.monotonic() >= self.skip_until

    def failed(self) -> None:
        with self._lock:
            self.skip_until = time.monotonic() + settings.BROKER_PUBLISH_BACKOFF_SECONDS

    def reset(self) -> None:
        with self._lock:
            self.skip_until = 0.0


broker_state = BrokerState()


def reset_broker_backoff() -> None:
    """Try the broker again at the next publish (tests; an operator's shell)."""
    broker_state.reset()


def publish(task, args=(), kwargs=None, options=None) -> bool:
    """Send the message of `task` now; False when the broker could not take it (logged, never
    raised). With CELERY_TASK_ALWAYS_EAGER the task runs here and its errors propagate, as a
    test expects. `options` are apply_async's (countdown...)."""
    kwargs = kwargs or {}

    def send():
        if options:
            task.apply_async(args, kwargs, **options)
        else:
            task.delay(*args, **kwargs)

    if task.app.conf.task_always_eager:
        send()
        return True
    if not broker_state.available():
        logger.warning("broker failed lately: %s%r not queued, left to recovery", task.name, args)
        return False
    try:
        send()
    except Exception:  # whatever the transport raises: the commit stands, recovery follows
        broker_state.failed()
        logger.exception("could not queue %s%r: left to recovery", task.name, args)
        return False
    return True


class BrokerSafeTask(DjangoTask):
    """The project's task class (config.celery_app): `delay_on_commit` publishes through
    `publish`, so a broker failure after the commit never reaches the response."""

    def delay_on_commit(self, *args, **kwargs) -> None:
        transaction.on_commit(functools.partial(publish, self, args, kwargs))

    def apply_async_on_commit(self, args=None, kwargs=None, **options) -> None:
        transaction.on_commit(functools.partial(publish, self, args or (), kwargs, options))


def task_named(name: str):
    """The registered task called `name` (the `name=` of its `@shared_task`)."""
    try:
        return current_app.tasks[name]
    except NotRegistered:
        # A web process imports the apps' tasks modules only when asked: Celery's Django
        # autodiscovery runs on the loader's import of its default modules.
        current_app.loader.import_default_modules()
        return current_app.tasks[name]


def after_commit(task_name: str, *args) -> None:
    """Run the task `task_name` with `args` once the current transaction commits (at once
    outside a transaction). An unknown name fails here, in the writer's code; a broker that
    cannot take the message is logged and left to recovery (see the module's docstring)."""
    task_named(task_name).delay_on_commit(*args)


# -- tasks that drain a queue --------------------------------------------------------------------
#
# A task such as the outbox's sender claims every row due when it starts, so one message waiting
# in the broker serves every row committed before that: a burst of sign-ups needs one message,
# not one per sign-up (a publish is a good part of a sign-up's time). A key in the shared cache
# says a message waits: added with the publish, deleted by the task as it starts and before it
# claims. A row committed while the key exists is claimed by the task that deletes it later; a
# row committed after the deletion publishes again. The key lapses after
# DRAIN_TASK_WAITING_SECONDS (a message lost with its broker), and the recovery tasks of beat
# send what is left meanwhile.


def _waiting_key(task_name: str) -> str:
    return f"queue:waiting:{task_name}"


def _mark_waiting(task_name: str) -> bool:
    """Mark a message of `task_name` as waiting; False when one already is."""
    if cache.add(_waiting_key(task_name), 1, timeout=settings.DRAIN_TASK_WAITING_SECONDS):
        return True
    # A cache that fails open answers False when unreachable: then nobody knows, publish.
    return not getattr(cache, "reachable", lambda: True)()


def _publish_drain(task_name: str) -> None:
    if not _mark_waiting(task_name):
        return
    if not publish(task_named(task_name)):
        started(task_name)  # nothing waits: the next commit publishes again


def after_commit_drain(task_name: str) -> None:
    """Make sure a message of the draining task `task_name` (no arguments) waits in the broker
    once the current transaction commits. Where the web processes and the workers share no
    cache (COALESCE_DRAIN_TASKS off: local memory), every commit publishes."""
    if not settings.COALESCE_DRAIN_TASKS:
        after_commit(task_name)
        return
    task_named(task_name)  # an unknown name fails here, in the writer's code
    transaction.on_commit(functools.partial(_publish_drain, task_name))


def started(task_name: str) -> None:
    """Called by a draining task before it claims its rows: a row committed from now on needs
    a message of its own."""
    if settings.COALESCE_DRAIN_TASKS:
        cache.delete(_waiting_key(task_name))


# -- recovery of emails whose task message was lost ---------------------------------------------


def lost_task_window(now, *, oldest: dt.timedelta | None = None) -> tuple:
    """The (since, until) range of rows whose task may have been lost: written more than
    UNSENT_EMAIL_GRACE_SECONDS ago (the regular task had its chance) and no longer ago than
    `oldest` (UNSENT_EMAIL_WINDOW_DAYS by default)."""
    oldest = oldest or dt.timedelta(days=settings.UNSENT_EMAIL_WINDOW_DAYS)
    return now - oldest, now - dt.timedelta(seconds=settings.UNSENT_EMAIL_GRACE_SECONDS)


def send_each(pks, send, what: str) -> int:
    """Call `send(pk)` for each id (each locks its row, so a second run sends nothing twice);
    an SMTP refusal or outage is logged and left to the next run. Returns how many were sent."""
    sent = 0
    for pk in pks:
        try:
            sent += bool(send(pk))
        except OSError:  # the SMTP server refused or is away: the next run tries again
            logger.exception("%s %s not emailed", what, pk)
    return sent
