"""The mediation day under gunicorn (4 workers) on PostgreSQL: the day's page and the booking
page read (requests per second, p50, p95, SQL queries per request), then a burst of programme
bookings (three sessions each, the same sessions for everyone) through the real form from
concurrent clients: confirmed and waitlisted per session, errors, p50, p95, bookings per second."""

import http.client
import os
import re
import statistics
import threading
import time
import urllib.parse

from benchmarks.harness import (
    ORIGIN,
    PROXY_HEADERS,
    gunicorn,
    load,
    print_table,
    queries_per_request,
    setup_django,
)

REQUESTS = int(os.environ.get("BENCH_REQUESTS", 1000))
CONCURRENCY = 16
BOOKINGS = int(os.environ.get("BENCH_BOOKINGS", 200))
CLIENTS = 20


def book(port, path, session_ids, numbers, latencies, errors, lock):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    for n in numbers:
        try:
            visitor = {**PROXY_HEADERS, "X-Forwarded-For": f"10.2.{n // 250}.{n % 250 + 1}"}
            conn.request("GET", path, headers=visitor)
            page = conn.getresponse()
            html = page.read().decode()
            csrf_cookie = re.search(r"csrftoken=([^;]+)", page.getheader("Set-Cookie", "")).group(1)
            form = [
                ("csrfmiddlewaretoken", re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)),
                ("submission_key", re.search(r'name="submission_key" value="([^"]+)"', html).group(1)),
                ("first_name", f"Habitant{n}"),
                ("last_name", "Essai"),
                ("email", f"journee{n}@exemple.fr"),
                ("participates", "on"),
                ("age_band", "25-59"),
                ("accept_waitlist", "on"),
                ("consent", "on"),
                *[("sessions", str(pk)) for pk in session_ids],
            ]  # fmt: skip
            started = time.perf_counter()
            conn.request(
                "POST",
                path,
                body=urllib.parse.urlencode(form),
                headers={
                    **visitor,
                    "Origin": ORIGIN,
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
    from django.core.management import call_command

    from cms.models import MediationDayPage
    from events.models.bookings import Registration
    from events.programme import rules as programme

    call_command("seed_demo", password="bench-demo-password-0123")  # noqa: S106 -- throwaway bench database
    day = MediationDayPage.objects.order_by("-programme__date").first()
    # One session per time slot: the opening, the 10:30 table ronde, the 14:00 workshop.
    slots = programme.timeline(day.programme)["slots"]
    chosen = [slot.sessions[0] for slot in slots[:3]]
    rows = []
    with gunicorn(workers=4) as port:
        for name, path in [("day page", day.url), ("booking page", day.url + "programme/")]:
            queries = queries_per_request(path)
            load(port, path, requests=100, concurrency=4)  # warm-up (renditions, caches)
            figures = load(port, path, requests=REQUESTS, concurrency=CONCURRENCY)
            rows.append({"page": name, **figures, "queries/request": queries})
        print_table(f"the mediation day's pages, {CONCURRENCY} concurrent clients", rows)

        latencies, errors, lock = [], [], threading.Lock()
        per_client = BOOKINGS // CLIENTS
        threads = [
            threading.Thread(
                target=book,
                args=(
                    port,
                    day.url + "programme/",
                    [s.pk for s in chosen],
                    range(i * per_client, (i + 1) * per_client),
                    latencies,
                    errors,
                    lock,
                ),
            )
            for i in range(CLIENTS)
        ]
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - started
    latencies.sort()
    print_table(
        f"{BOOKINGS} programme bookings of 3 sessions, {CLIENTS} clients, gunicorn 4 workers",
        [
            {
                "session": s.title[:40],
                "capacity": s.capacity,
                "confirmed": Registration.objects.confirmed().filter(event=s).count(),
                "waitlisted": Registration.objects.waitlisted().filter(event=s).count(),
            }
            for s in chosen
        ],
    )
    print_table(
        "booking figures",
        [
            {
                "bookings": len(latencies),
                "errors": len(errors),
                "p50_ms": statistics.median(latencies) * 1000,
                "p95_ms": latencies[int(len(latencies) * 0.95) - 1] * 1000,
                "bookings/s": len(latencies) / elapsed,
            }
        ],
    )
    if errors:
        print("errors:", errors[:5])


if __name__ == "__main__":
    main()
