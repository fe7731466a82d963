"""Two machines behind one PostgreSQL and one Redis: two gunicorn instances ("nodes" A and B,
each its own processes and per-process caches) and two Celery workers (A runs beat), an aiosmtpd
sink as the SMTP server. Residents sign up through both nodes, as a load balancer would spread
them; mid-run node B's gunicorn and node B's worker are SIGKILLed (the worker while it holds
claimed rows); a sign-up whose node died is posted again, same form and submission key, to the
other node, as a resident pressing the button again would. Figures: how many seats were
confirmed against the capacity, and whether every confirmation reached the SMTP server once."""

import collections
import http.client
import os
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.parse

from benchmarks.harness import ROOT, free_port, print_table, setup_django

SIGNUPS = 240
SEATS = 90
CLIENTS = 8
KILL_GUNICORN_AFTER = 100  # sign-ups answered before node B's gunicorn is killed
SMTP_DELAY = 0.3  # seconds the sink spends on each message, so that sending takes a while
LEASE = 6  # OUTBOX_CLAIM_TIMEOUT of the workers, seconds
RECOVERY = 5  # MAIL_RECOVERY_SECONDS of beat, seconds


class Node:
    """One gunicorn instance in its own process group (SIGKILL takes master and workers)."""

    def __init__(self, name: str, workers: int = 2):
        self.name, self.port = name, free_port()
        env = {**os.environ, "TRUSTED_PROXY_COUNT": "1"}  # as behind the proxy
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "config.wsgi:application"]
            + [f"--workers={workers}", f"--bind=127.0.0.1:{self.port}", "--log-level=warning"],
            cwd=ROOT,
            env=env,
            start_new_session=True,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
                conn.request("GET", "/health/", headers={"Host": "127.0.0.1"})
                conn.getresponse().read()
                return
            except OSError:
                time.sleep(0.2)
        raise TimeoutError(f"node {name} did not answer")

    def kill(self):
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()

    def stop(self):
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=30)


def sign_up(nodes, event_id: int, n: int, stats, lock) -> None:
    """Load the form from the node the balancer picks, post it; if that node is gone, post the
    same form to the other one."""
    path = f"/evenements/{event_id}/inscription/"
    order = [nodes[n % 2], nodes[(n + 1) % 2]]
    headers = {"Host": "127.0.0.1", "X-Forwarded-For": f"10.{n // 250}.{n % 250}.1"}
    form = cookie = None
    for attempt, node in enumerate(order):
        try:
            conn = http.client.HTTPConnection("127.0.0.1", node.port, timeout=60)
            if form is None:
                conn.request("GET", path, headers=headers)
                page = conn.getresponse()
                html = page.read().decode()
                cookie = re.search(r"csrftoken=([^;]+)", page.getheader("Set-Cookie", "")).group(1)
                form = {
                    "csrfmiddlewaretoken": re.search(
                        r'name="csrfmiddlewaretoken" value="([^"]+)"', html
                    ).group(1),
                    "submission_key": re.search(
                        r'name="submission_key" value="([^"]+)"', html
                    ).group(1),
                    "first_name": f"Habitant{n}",
                    "last_name": "Deuxnoeuds",
                    "email": f"deux-noeuds-{n}@exemple.fr",
                    "participates": "on",
                    "age_band": "25-59",
                    "accept_waitlist": "on",
                    "consent": "on",
                }
            conn.request(
                "POST",
                path,
                body=urllib.parse.urlencode(form),
                headers={
                    **headers,
                    "Content-Type": "application/x-www-form-urlencoded",
                    "Cookie": f"csrftoken={cookie}",
                },
            )
            response = conn.getresponse()
            response.read()
            with lock:
                stats[f"answer {response.status} from {node.name}"] += 1
                stats["retried on the other node"] += attempt
                stats["answered"] += 1
            return
        except (OSError, http.client.HTTPException, AttributeError):
            continue  # this node is gone (or died mid-answer): the other one
    with lock:
        stats["no answer from either node"] += 1


def claimed_rows() -> int:
    from events.models.outbox import OutboxMessage

    return OutboxMessage.objects.filter(state=OutboxMessage.State.SENDING).count()


def main():
    setup_django()
    from django.db import connection

    from benchmarks.registration_burst import make_event
    from events.models.bookings import Registration
    from events.models.outbox import OutboxMessage
    from tests.support.smtp import SmtpSink
    from tests.support.worker import CeleryWorker

    event = make_event()
    event.__class__.objects.filter(pk=event.pk).update(capacity=SEATS)
    sink = SmtpSink(delay=SMTP_DELAY).start()
    worker_env = {
        "DJANGO_SETTINGS_MODULE": os.environ["DJANGO_SETTINGS_MODULE"],
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(sink.port),
        "EMAIL_USE_TLS": "false",
        "OUTBOX_CLAIM_TIMEOUT": str(LEASE),
        "OUTBOX_BATCH_SIZE": "10",
        "MAIL_RECOVERY_SECONDS": str(RECOVERY),
        "CELERY_VISIBILITY_TIMEOUT": "30",
        "LOG_LEVEL": "WARNING",
    }
    redis = os.environ["REDIS_URL"]
    workers = {
        "A": CeleryWorker(redis, extra_env=worker_env, beat=True).start(timeout=90),
        "B": CeleryWorker(redis, extra_env=worker_env).start(timeout=90),
    }
    nodes = [Node("A"), Node("B")]
    stats, lock = collections.Counter(), threading.Lock()
    numbers = iter(range(SIGNUPS))
    killed = {}

    def client():
        while True:
            with lock:
                n = next(numbers, None)
            if n is None:
                return
            sign_up(nodes, event.pk, n, stats, lock)

    def killer():
        while stats["answered"] < KILL_GUNICORN_AFTER:
            time.sleep(0.05)
        nodes[1].kill()
        killed["gunicorn_at"] = stats["answered"]
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and claimed_rows() < 3:
            time.sleep(0.02)
        killed["claimed"] = claimed_rows()
        workers["B"].kill()
        killed["worker_at"] = time.monotonic()
        connection.close()

    started = time.monotonic()
    threads = [threading.Thread(target=client) for _ in range(CLIENTS)]
    threads.append(threading.Thread(target=killer))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    signups_s = time.monotonic() - started

    email_rows = OutboxMessage.objects.filter(
        registration__event=event, channel=OutboxMessage.Channel.EMAIL
    )
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        if not email_rows.exclude(state__in=["sent", "failed"]).exists():
            break
        time.sleep(0.5)
    delivered_s = time.monotonic() - killed["worker_at"]
    for worker in workers.values():
        worker.stop()
    nodes[0].stop()
    sink.stop()

    registrations = Registration.objects.filter(event=event)
    expected = set(email_rows.values_list("message_id", flat=True))
    received = collections.Counter(m.message_id for m in sink.messages if m.message_id in expected)
    per_person = collections.Counter(registrations.values_list("person__email", flat=True))
    print_table(
        f"Two nodes: {SIGNUPS} sign-ups, {SEATS} seats, {CLIENTS} clients; node B's gunicorn "
        f"killed after {killed['gunicorn_at']} answers, node B's worker killed holding "
        f"{killed['claimed']} claimed rows",
        [
            {
                "capacity": SEATS,
                "confirmed seats": sum(
                    r.seats for r in registrations.filter(status=Registration.Status.CONFIRMED)
                ),
                "waitlisted": registrations.filter(status=Registration.Status.WAITLISTED).count(),
                "persons registered twice": sum(1 for c in per_person.values() if c > 1),
                "sign-ups s": signups_s,
            }
        ],
    )
    print_table(
        "Confirmation emails (outbox rows of the event) at the SMTP sink",
        [
            {
                "rows": len(expected),
                "sent": email_rows.filter(state="sent").count(),
                "received once": sum(1 for c in received.values() if c == 1),
                "duplicates": sum(c - 1 for c in received.values() if c > 1),
                "missing": len(expected - set(received)),
                "last delivered s after worker kill": delivered_s,
            }
        ],
    )
    print("answers:", dict(sorted(stats.items())))


if __name__ == "__main__":
    main()
