"""Sign-ups while the broker's Redis is up, stopped, then frozen (SIGSTOP), and /health/ while it
is frozen: how long each answer takes and with which status. Production settings, the Django
test client in this process, the broker on a throwaway redis-server this scenario owns (the
cache stays on the Redis of `make bench`)."""

import os
import signal
import statistics
import subprocess
import tempfile
import time

from benchmarks.harness import ROOT, free_port, print_table

PORT = free_port()
os.environ["CELERY_BROKER_URL"] = f"redis://127.0.0.1:{PORT}/0"
PER_PHASE = 8


def start_redis() -> subprocess.Popen:
    folder = tempfile.mkdtemp(prefix="bench-broker-")
    process = subprocess.Popen(
        ["redis-server", "--port", str(PORT), "--bind", "127.0.0.1", "--save", ""]
        + ["--appendonly", "no", "--dir", folder],
        stdout=subprocess.DEVNULL,
        cwd=ROOT,
    )
    time.sleep(0.5)
    return process


def main():
    from benchmarks.harness import https_client, setup_django

    redis = start_redis()
    setup_django()
    from django.conf import settings

    from community import queue
    from events.models.bookings import Booking
    from tests.factories import EventFactory

    settings.PUBLIC_RATE_LIMITS = {}  # every sign-up comes from this one address
    event = EventFactory(capacity=10_000)
    url = f"/evenements/{event.pk}/inscription/"
    counter = iter(range(1_000_000))

    def sign_up() -> tuple[float, int]:
        n = next(counter)
        data = {
            "first_name": "Bench",
            "last_name": f"Panne{n}",
            "email": f"panne{n}-{time.time_ns()}@exemple.fr",
            "participates": "on",
            "age_band": "25-59",
            "accept_waitlist": "on",
            "consent": "on",
            "submission_key": f"bench-{n}",
        }
        started = time.perf_counter()
        status = https_client().post(url, data).status_code
        return time.perf_counter() - started, status

    def phase(name: str, call, count: int = PER_PHASE) -> dict:
        results = [call() for _ in range(count)]
        times = sorted(seconds for seconds, _status in results)
        return {
            "phase": name,
            "requests": count,
            "statuses": ",".join(sorted({str(status) for _s, status in results})),
            "first_ms": results[0][0] * 1000,
            "p50_ms": statistics.median(times) * 1000,
            "max_ms": times[-1] * 1000,
        }

    def health() -> tuple[float, int]:
        started = time.perf_counter()
        status = https_client().get("/health/").status_code
        return time.perf_counter() - started, status

    bookings_before = Booking.objects.count()
    rows = [phase("redis up", sign_up)]
    redis.send_signal(signal.SIGTERM)
    redis.wait()
    rows.append(phase("redis stopped", sign_up))
    queue.reset_broker_backoff()
    redis = start_redis()
    rows.append(phase("redis back", sign_up))
    redis.send_signal(signal.SIGSTOP)
    rows.append(phase("redis frozen (back-off on)", sign_up))
    settings.BROKER_PUBLISH_BACKOFF_SECONDS = 0
    rows.append(phase("redis frozen (back-off 0)", sign_up, 3))
    rows.append(phase("/health/ redis frozen", health, 3))
    redis.send_signal(signal.SIGCONT)
    redis.terminate()
    redis.wait()
    print_table("Sign-ups and /health/ while the broker's Redis fails", rows)
    print(f"bookings committed: {Booking.objects.count() - bookings_before}")


if __name__ == "__main__":
    main()
