"""A burst of sign-ups on one event, as residents' browsers make them: each visitor (a new
browser: no cookie, its own address forwarded by the proxy) loads the form, posts it with its
CSRF cookie, token and Origin, and follows the redirect to the answer page. SIGNUPS visitors,
CLIENTS at once, spread over separate load processes, against gunicorn (4 workers) with the
production settings behind `X-Forwarded-Proto: https`, the page cache on as in production (the
answer page is the same for every visitor and a sign-up only empties the pages that show seats).

Printed: sign-ups per second (whole journeys), p50 and p95 of the journey and of the POST alone,
the gunicorn processes' CPU per sign-up (the three requests), errors, the machine's load
average, and the outcome: confirmed seats must equal the capacity exactly, every other visitor
waitlisted, nobody twice."""

import http.client
import multiprocessing
import os
import re
import statistics
import time
import urllib.parse

from benchmarks.harness import (
    LOADERS,
    ORIGIN,
    PROXY_HEADERS,
    gunicorn,
    gunicorn_cpu_seconds,
    load_average,
    print_table,
    setup_django,
)

SIGNUPS = int(os.environ.get("BENCH_SIGNUPS", 500))
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


def journey(port: int, path: str, n: int) -> tuple[float, float, str | None]:
    """One visitor's sign-up: (journey seconds, POST seconds, error or None)."""
    visitor = {**PROXY_HEADERS, "X-Forwarded-For": f"10.1.{n // 250}.{n % 250 + 1}"}
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)  # a new browser
    started = time.perf_counter()
    try:
        conn.request("GET", path, headers=visitor)
        page = conn.getresponse()
        html = page.read().decode()
        if page.status != 200:
            return 0.0, 0.0, f"GET {page.status}"
        cookie = re.search(r"csrftoken=([^;]+)", page.getheader("Set-Cookie", "")).group(1)
        form = {
            "csrfmiddlewaretoken": re.search(
                r'name="csrfmiddlewaretoken" value="([^"]+)"', html
            ).group(1),
            "submission_key": re.search(r'name="submission_key" value="([^"]+)"', html).group(1),
            "companion_rows": "1",
            "first_name": f"Habitant{n}",
            "last_name": "Essai",
            "email": f"essai{n}@exemple.fr",
            "participates": "on",
            "age_band": "25-59",
            "accept_waitlist": "on",
            "consent": "on",
        }
        posted = time.perf_counter()
        conn.request(
            "POST",
            path,
            body=urllib.parse.urlencode(form),
            headers={
                **visitor,
                "Origin": ORIGIN,
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": f"csrftoken={cookie}",
            },
        )
        response = conn.getresponse()
        response.read()
        post_seconds = time.perf_counter() - posted
        if response.status != 302:
            return 0.0, 0.0, f"POST {response.status}"
        location = urllib.parse.urlsplit(response.getheader("Location")).path
        conn.request("GET", location, headers={**visitor, "Cookie": f"csrftoken={cookie}"})
        answer = conn.getresponse()
        answer.read()
        if answer.status != 200:
            return 0.0, 0.0, f"answer {answer.status}"
        return time.perf_counter() - started, post_seconds, None
    except Exception as exc:  # counted as an error and reported
        return 0.0, 0.0, repr(exc)
    finally:
        conn.close()


def _loader(args) -> list:
    """One load process: `threads` visitors at a time over its share of the numbers."""
    from concurrent.futures import ThreadPoolExecutor

    port, path, numbers, threads = args
    with ThreadPoolExecutor(threads) as pool:
        return list(pool.map(lambda n: journey(port, path, n), numbers))


def main():
    setup_django()
    from events.models.bookings import Registration

    event = make_event()
    path = f"/evenements/{event.pk}/inscription/"
    os.environ["PAGE_CACHE_SECONDS"] = "60"  # production's default (config/settings/base.py)
    with gunicorn(workers=4) as port:
        # Warm each worker (imports, templates, connections) on another event's pages.
        warm = make_event()
        _loader((port, f"/evenements/{warm.pk}/inscription/", range(10_000, 10_040), 8))
        shares = [
            (port, path, range(i, SIGNUPS, LOADERS), CLIENTS // LOADERS) for i in range(LOADERS)
        ]
        cpu_before = gunicorn_cpu_seconds()
        started = time.perf_counter()
        with multiprocessing.get_context("fork").Pool(LOADERS) as pool:
            results = [r for part in pool.map(_loader, shares) for r in part]
        elapsed = time.perf_counter() - started
        server_cpu = gunicorn_cpu_seconds() - cpu_before
        load = load_average()
    done = sorted(r[0] for r in results if r[2] is None)
    posts = sorted(r[1] for r in results if r[2] is None)
    errors = [r[2] for r in results if r[2] is not None]
    registrations = Registration.objects.filter(event=event)
    confirmed = sum(r.seats for r in registrations.filter(status="confirmed"))
    waitlisted = registrations.filter(status="waitlisted").count()
    people = registrations.values("person").distinct().count()
    print_table(
        f"{SIGNUPS} visitors signing up (GET form, POST, follow the redirect) for one event of "
        f"{SEATS} seats, {CLIENTS} at once from {LOADERS} load processes, gunicorn 4 workers, "
        f"production settings behind X-Forwarded-Proto: https, page cache on",
        [
            {
                "sign-ups/s": len(done) / elapsed,
                "p50 ms": statistics.median(done) * 1000 if done else float("nan"),
                "p95 ms": done[int(len(done) * 0.95) - 1] * 1000 if done else float("nan"),
                "POST p95 ms": posts[int(len(posts) * 0.95) - 1] * 1000 if posts else float("nan"),
                "cpu ms/sign-up": server_cpu * 1000 / max(len(done), 1),
                "errors": len(errors),
                "load avg": load,
            }
        ],
    )
    print_table(
        "outcome",
        [
            {
                "capacity": SEATS,
                "confirmed seats": confirmed,
                "waitlisted": waitlisted,
                "registrations": registrations.count(),
                "distinct people": people,
                "exact": "yes"
                if confirmed == SEATS and confirmed + waitlisted == len(done) == people
                else "NO",
            }
        ],
    )
    if errors:
        print("errors:", errors[:5])


if __name__ == "__main__":
    main()
