"""The Celery application: settings under the CELERY_ prefix, JSON only, tasks autodiscovered."""

import os

from django.conf import settings

from celery import Celery
from celery.signals import heartbeat_sent, worker_ready

from community import heartbeat

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

# Every task's delay_on_commit goes through community.queue.publish: a broker failure after a
# commit is logged and left to recovery, never raised into a response.
app = Celery("vivre_ensemble", task_cls="community.queue:BrokerSafeTask")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_ready.connect
def _run_startup_tasks(sender, **kwargs):
    """Re-queue work a killed worker left behind, as soon as a worker starts.

    Apps list their recovery tasks in the CELERY_WORKER_STARTUP_TASKS setting (task names).
    """
    for name in getattr(settings, "CELERY_WORKER_STARTUP_TASKS", ()):
        app.send_task(name)


@heartbeat_sent.connect
def _record_worker_heartbeat(sender, **kwargs):
    """Every event heartbeat of the worker's main process (2 s); written at most every
    HEARTBEAT_SECONDS, read by /health/."""
    heartbeat.worker_pulse()
