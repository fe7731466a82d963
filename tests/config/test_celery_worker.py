"""The task infrastructure on a real worker and a real Redis broker."""

import pytest

from community.models import Person
from community.tasks import anonymise_person
from config.celery_app import app
from tests.factories import PersonFactory
from tests.support.worker import wait_for

pytestmark = [pytest.mark.serial, pytest.mark.django_db(transaction=True)]


def test_a_task_queued_on_commit_runs_on_the_real_worker(celery_worker):
    person = PersonFactory(first_name="Hibaaq", email="hibaaq@exemple.fr")
    anonymise_person.delay_on_commit(person.pk)  # autocommit: queued at once
    wait_for(
        lambda: Person.objects.filter(pk=person.pk, anonymised_at__isnull=False).exists(),
        timeout=30,
        message=f"the worker did not run the task:\n{celery_worker.log()}",
    )
    person.refresh_from_db()
    assert person.email is None and person.first_name == ""
    assert "community.anonymise_person" in celery_worker.log()


def test_a_task_cut_short_by_a_killed_worker_runs_again_on_the_next_one(celery_worker, tmp_path):
    attempts = tmp_path / "attempts.log"
    app.send_task("tests.record_attempt", args=[str(attempts), 3.0])
    wait_for(lambda: attempts.exists() and "start" in attempts.read_text(), timeout=30)
    celery_worker.kill()  # SIGKILL mid-task: the message was never acknowledged
    assert attempts.read_text().splitlines() == ["start"]

    celery_worker.start()
    wait_for(
        lambda: "done" in attempts.read_text(),
        timeout=60,
        message=f"the task was not redelivered:\n{celery_worker.log()}",
    )
    assert attempts.read_text().splitlines() == ["start", "start", "done"]
