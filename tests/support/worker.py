"""A real Celery worker in a child process, against the Redis broker and the test database."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


def database_url_for_tests() -> str:
    """The URL of the database the test runs on, for a child process to share it."""
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    user = db.get("USER") or ""
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{user}{password}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


class CeleryWorker:
    """Start, kill (SIGKILL, whole process group) and restart a worker."""

    def __init__(
        self,
        broker_url: str,
        *,
        concurrency: int = 1,
        extra_env: dict | None = None,
        beat: bool = False,
        heartbeat: bool = False,
    ):
        self.broker_url = broker_url
        self.beat = beat  # run beat inside the worker (-B), as the one beat of the deployment
        self.heartbeat = heartbeat
        self.concurrency = concurrency
        self.extra_env = extra_env or {}
        self.process: subprocess.Popen | None = None
        self.generation = 0
        self.log_dir = ROOT / "var" / "test-workers"
        self.log_dir.mkdir(parents=True, exist_ok=True)

    def env(self) -> dict:
        env = os.environ.copy()
        env.update(
            {
                "DJANGO_SETTINGS_MODULE": "config.settings.test",
                "DATABASE_URL": database_url_for_tests(),
                "CELERY_BROKER_URL": self.broker_url,
                "CELERY_TASK_ALWAYS_EAGER": "false",
                "CELERY_VISIBILITY_TIMEOUT": "3",
            }
        )
        env.update(self.extra_env)
        return env

    def start(self, timeout: float = 90) -> "CeleryWorker":
        self.generation += 1
        self.log_path = self.log_dir / f"worker-{os.getpid()}-{self.generation}.log"
        log = self.log_path.open("w")
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "config",
                "worker",
                "--loglevel=INFO",
                f"--concurrency={self.concurrency}",
                "--pool=prefork",
                "--include=tests.support.tasks",
                "--without-gossip",
                "--without-mingle",
                *([] if self.heartbeat else ["--without-heartbeat"]),
                f"--hostname=test{self.generation}@%h",
                *self.beat_options(),
            ],
            cwd=ROOT,
            env=self.env(),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if "ready." in self.log_path.read_text():
                return self
            if self.process.poll() is not None:
                raise RuntimeError(f"Celery worker exited at start:\n{self.log_path.read_text()}")
            time.sleep(0.1)
        raise TimeoutError(
            f"Celery worker not ready after {timeout}s:\n{self.log_path.read_text()}"
        )

    def beat_options(self) -> list[str]:
        if not self.beat:
            return []
        schedule = self.log_dir / f"beat-{os.getpid()}-{self.generation}"
        return ["--beat", f"--schedule={schedule}"]

    def kill(self) -> None:
        """SIGKILL the worker and its pool processes, as a crash or an OOM kill would."""
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    def discard(self) -> None:
        """End the worker once the test is done with it. Nothing looks at how it ends, and a
        warm shutdown (SIGTERM) takes 3 to 4 s of waiting each time, beat included: SIGKILL.
        The next test that starts a worker empties Redis first."""
        self.kill()

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()

    def log(self) -> str:
        return self.log_path.read_text()


def wait_for(predicate, timeout: float = 30, interval: float = 0.1, message: str = ""):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise TimeoutError(message or f"condition not met within {timeout}s")
