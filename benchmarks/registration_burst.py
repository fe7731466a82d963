"""500 sign-ups to a 30-seat event from 50 concurrent clients, through the real form (page
loaded first, CSRF included), under gunicorn (4 workers) on PostgreSQL: confirmed, waitlisted,
errors, p50, p95 and sign-ups per second."""

import http.client
import re
import statistics
import threading
import time
import urllib.parse

from benchmarks.harness import gunicorn, gunicorn_cpu_seconds, print_table, setup_django

SIGNUPS = 500
CLIENTS = 50
SEATS = 30


def make_event():
    import datetime as dt

    from django.utils import timezone

    from community.models import Territory
    from events.models import Event

    territory, _ = Territory.objects.get_or_create(slug="lyon-8", defaults={"name": "Lyon 8"})
    start = timezone.now() + dt.timedelta(days=10)
    return Event.objects.create(
        title="Atelier tri sélectif (banc d'essai)",
        kind="awareness",
        territory=territory,
        venue_name="Maison de quartier",
        start=start,
        end=start + dt.timedelta(hours=2),
        capacity=SEATS,
        live=True,
    )


def client(port, event_id, numbers, latencies, errors, lock):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    path = f"/evenements/{event_id}/inscription/"
    for n in numbers:
        try:
            conn.request("GET", path, headers={"Host": "127.0.0.1"})
            page = conn.getresponse()
            html = page.read().decode()
            cookie = page.getheader("Set-Cookie", "")
            csrf_cookie = re.search(r"csrftoken=([^;]+)", cookie).group(1)
            form = {
                "csrfmiddlewaretoken": re.search(
                    r'name="csrfmiddlewaretoken" value="([^"]+)"', html
                ).group(1),
                "submission_key": re.search(r'name="submission_key" value="([^"]+)"', html).group(
                    1
                ),
                "first_name": f"Habitant{n}",
                "last_name": "Essai",
                "email": f"essai{n}@exemple.fr",
                "participates": "on",
                "age_band": "25-59",
                "accept_waitlist": "on",
                "consent": "on",
            }
            body = urllib.parse.urlencode(form)
            started = time.perf_counter()
            conn.request(
                "POST",
                path,
                body=body,
                headers={
                    "Host": "127.0.0.1",
                    "Content-Type": "application/x-www-form-urlencoded",
                    "Cookie": f"csrftoken={csrf_cookie}",
                },
            )
            response = conn.getresponse()
            response.read()
            elapsed = time.perf_counter() - started
            with lock:
                latencies.append(elapsed)
                if response.status != 302:
                    errors.append(response.status)
        except Exception as exc:  # counted as an error and reported
            with lock:
                errors.append(repr(exc))
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)


def main():
    setup_django()
    from events.models.bookings import Registration

    event = make_event()
    latencies, errors, lock = [], [], threading.Lock()
    per_client = SIGNUPS // CLIENTS
    with gunicorn(workers=4) as port:
        threads = [
            threading.Thread(
                target=client,
                args=(
                    port,
                    event.pk,
                    range(i * per_client, (i + 1) * per_client),
                    latencies,
                    errors,
                    lock,
                ),
            )
            for i in range(CLIENTS)
        ]
        cpu_before = gunicorn_cpu_seconds()
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - started
        server_cpu = gunicorn_cpu_seconds() - cpu_before
    latencies.sort()
    registrations = Registration.objects.filter(event=event)
    confirmed = sum(r.seats for r in registrations.filter(status="confirmed"))
    print_table(
        f"{SIGNUPS} sign-ups, {CLIENTS} clients, {SEATS} seats, gunicorn 4 workers",
        [
            {
                "confirmed seats": confirmed,
                "waitlisted": registrations.filter(status="waitlisted").count(),
                "errors": len(errors),
                "p50_ms": statistics.median(latencies) * 1000,
                "p95_ms": latencies[int(len(latencies) * 0.95) - 1] * 1000,
                "sign-ups/s": len(latencies) / elapsed,
                "server CPU ms/sign-up": server_cpu * 1000 / len(latencies),
            }
        ],
    )
    if errors:
        print("errors:", errors[:5])


if __name__ == "__main__":
    main()
