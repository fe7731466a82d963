"""The Celery application: settings under the CELERY_ prefix, JSON only, tasks autodiscovered."""

import os

from django.conf import settings

from celery import Celery
from celery.signals import worker_ready

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

app = Celery("vivre_ensemble")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_ready.connect
def _run_startup_tasks(sender, **kwargs):
    """Re-queue work a killed worker left behind, as soon as a worker starts.

    Apps list their recovery tasks in the CELERY_WORKER_STARTUP_TASKS setting (task names).
    """
    for name in getattr(settings, "CELERY_WORKER_STARTUP_TASKS", ()):
        app.send_task(name)
