"""Queueing a Celery task once the transaction commits, by the task's name.

Rule modules name the task they want run instead of importing their app's `tasks.py`, which
imports them: the tasks stay thin wrappers over the rules and no import circle runs through
them. It is also the one place that decides what happens between a commit and the broker.
"""

from celery import current_app
from celery.exceptions import NotRegistered


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
    outside a transaction). An unknown name fails here, in the writer's code."""
    task_named(task_name).delay_on_commit(*args)
