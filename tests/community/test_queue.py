"""Rule modules queue tasks by name (community.queue): the task runs only once the writer's
transaction commits, and every name the code queues is a registered task."""

import re
from pathlib import Path

import pytest
from celery import current_app
from celery.exceptions import NotRegistered

from community import queue

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_the_task_runs_once_the_transaction_commits(
    django_capture_on_commit_callbacks, monkeypatch
):
    calls = []
    task = queue.task_named("community.run_retention")
    monkeypatch.setattr(task, "delay", lambda *args: calls.append(args))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        queue.after_commit("community.run_retention")
    assert calls == []
    assert len(callbacks) == 1
    callbacks[0]()
    assert calls == [()]


def test_an_unknown_task_name_fails_in_the_writers_code():
    with pytest.raises(NotRegistered):
        queue.after_commit("community.no_such_task")


def test_every_task_the_code_queues_by_name_is_registered():
    pattern = re.compile(r'after_commit\(\s*"([\w.]+)"')
    names = {
        name
        for app in ("community", "events", "cms")
        for path in (ROOT / app).rglob("*.py")
        for name in pattern.findall(path.read_text())
    }
    assert len(names) >= 10
    queue.task_named("community.run_retention")  # the tasks modules are imported
    assert sorted(name for name in names if name not in current_app.tasks) == []
