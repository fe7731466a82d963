"""A real Celery worker (prefork, 2 processes, late acknowledgement) on a Redis broker that goes
away under load: Redis is stopped (SIGTERM, its append-only file kept, as `systemctl stop`
does) while the worker holds unacknowledged messages, and started again 8 s later. Three runs.
For each: whether the worker's main process exited (kombu's `'NoneType' object has no attribute
'hostname'` while restoring unacknowledged messages was seen in 2 of 3 such runs), and how many
of the queued tasks ran to the end; then, when it exited, the same after restarting it as the
supervisor does (systemd `Restart=always`, deploy/). Each with kombu's Redis transport and with
the repaired one of config/broker.py (the project's default)."""

import os
import signal
import subprocess
import tempfile
import time
from pathlib import Path

from benchmarks.harness import ROOT, free_port, print_table

PORT = free_port()
os.environ["CELERY_BROKER_URL"] = f"redis://127.0.0.1:{PORT}/0"
TASKS = 300
TASK_SECONDS = 0.05
RUNS = 3
DOWN_SECONDS = 8
TRANSPORTS = {"redis": "kombu's", "config.broker:Transport": "repaired"}


def start_redis(folder: str) -> subprocess.Popen:
    process = subprocess.Popen(
        ["redis-server", "--port", str(PORT), "--bind", "127.0.0.1", "--save", ""]
        + ["--appendonly", "yes", "--appendfsync", "always", "--dir", folder],
        stdout=subprocess.DEVNULL,
        cwd=ROOT,
    )
    time.sleep(0.5)
    return process


def done_count(folder: Path) -> tuple[int, int]:
    """(tasks finished, tasks started more than once)."""
    finished = twice = 0
    for path in folder.glob("task-*"):
        lines = path.read_text().split()
        finished += "done" in lines
        twice += lines.count("start") > 1
    return finished, twice


def wait_done(folder: Path, seconds: float) -> int:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if done_count(folder)[0] >= TASKS:
            break
        time.sleep(0.5)
    return done_count(folder)[0]


def run(number: int, transport: str) -> dict:
    from config.celery_app import app
    from tests.support.worker import CeleryWorker

    redis_dir = tempfile.mkdtemp(prefix="bench-redis-loss-")
    tasks_dir = Path(tempfile.mkdtemp(prefix="bench-redis-loss-tasks-"))
    redis = start_redis(redis_dir)
    worker = CeleryWorker(
        os.environ["CELERY_BROKER_URL"],
        concurrency=2,
        extra_env={
            "DJANGO_SETTINGS_MODULE": os.environ["DJANGO_SETTINGS_MODULE"],
            "CELERY_VISIBILITY_TIMEOUT": "10",
            "CELERY_BROKER_TRANSPORT": transport,
            "LOG_LEVEL": "WARNING",
        },
    ).start(timeout=90)
    for n in range(TASKS):
        app.send_task("tests.record_attempt", args=[str(tasks_dir / f"task-{n}"), TASK_SECONDS])
    time.sleep(2)
    before_stop = done_count(tasks_dir)[0]
    redis.send_signal(signal.SIGTERM)
    redis.wait()
    time.sleep(DOWN_SECONDS)
    redis = start_redis(redis_dir)
    done_alive = wait_done(tasks_dir, 40)
    exited = worker.process.poll() is not None
    log = worker.log()
    row = {
        "transport": TRANSPORTS[transport],
        "run": number,
        "done before stop": before_stop,
        "worker exited": exited,
        "hostname error": "'hostname'" in log,
        f"done of {TASKS} (no restart)": done_alive,
    }
    if exited:
        worker.start(timeout=90)  # what Restart=always does
    row["done after restart"] = wait_done(tasks_dir, 60) if exited else "-"
    row["ran twice"] = done_count(tasks_dir)[1]
    worker.stop()
    redis.terminate()
    redis.wait()
    if exited:
        tail = [line for line in log.splitlines() if "rror" in line][-3:]
        print(f"{TRANSPORTS[transport]} run {number}: worker log: " + " | ".join(tail))
    return row


def main():
    from benchmarks.harness import setup_django

    setup_django()
    import celery
    import kombu
    import redis

    print(f"celery {celery.__version__}, kombu {kombu.__version__}, redis-py {redis.__version__}")
    rows = [run(n + 1, transport) for transport in TRANSPORTS for n in range(RUNS)]
    print_table(f"Worker on a Redis broker stopped {DOWN_SECONDS} s under load", rows)


if __name__ == "__main__":
    main()
