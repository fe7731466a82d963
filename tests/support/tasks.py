"""Tasks that exist only for the tests of the task infrastructure itself (loaded by the test
worker with --include): a slow task whose every attempt is written to a file."""

import time
from pathlib import Path

from celery import shared_task


@shared_task(name="tests.record_attempt")
def record_attempt(path: str, seconds: float) -> None:
    log = Path(path)
    with log.open("a") as handle:
        handle.write("start\n")
    time.sleep(seconds)
    with log.open("a") as handle:
        handle.write("done\n")
