"""What one request costs the server's CPU, measured in the process itself (no HTTP, no load
generator): the agenda with 500 upcoming events, the home page, an event page, the sign-up form,
the sign-up POST with its answer page, and the resident's booking page, each with its SQL
queries. CPU time (time.process_time) holds on a busy machine, where wall-clock figures do not;
PostgreSQL's own time is not in it (it runs in its own processes).

`BENCH_PROFILE=<page>` (agenda, home, event, form, post, answer, booking) also prints that page's
cProfile (the functions taking the most time, own time and cumulative)."""

import cProfile
import os
import pstats
import time
import urllib.parse

from benchmarks.agenda import prepare as prepare_agenda
from benchmarks.harness import ORIGIN, https_client, print_table, setup_django

ROUNDS = int(os.environ.get("BENCH_ROUNDS", 200))
PROFILE = os.environ.get("BENCH_PROFILE", "")


def _signup_form(n: int) -> dict:
    return {
        "companion_rows": "1",
        "first_name": f"Habitant{n}",
        "last_name": "Essai",
        "email": f"mesure{n}@exemple.fr",
        "participates": "on",
        "age_band": "25-59",
        "accept_waitlist": "on",
        "consent": "on",
    }


def _queries(make_request) -> int:
    from django.db import connection

    seen = []

    def count(execute, sql, params, many, context):
        seen.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        make_request()
    return len(seen)


def _measure(name: str, make_request, rounds: int = ROUNDS) -> dict:
    for _ in range(10):  # warm: imports, compiled templates, per-process caches
        make_request()
    queries = _queries(make_request)
    profiler = cProfile.Profile(time.process_time) if name == PROFILE else None
    wall, cpu = time.perf_counter(), time.process_time()
    if profiler:
        profiler.enable()
    for _ in range(rounds):
        make_request()
    if profiler:
        profiler.disable()
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    if profiler:
        stats = pstats.Stats(profiler)
        stats.sort_stats("tottime").print_stats(45)
        stats.sort_stats("cumulative").print_stats(70)
    return {
        "page": name,
        "cpu ms/request": cpu * 1000 / rounds,
        "wall ms/request": wall * 1000 / rounds,
        "queries": queries,
    }


def main():
    setup_django()
    from django.core.management import call_command

    call_command("seed_demo", password="bench-demo-password-0123")  # noqa: S106 -- throwaway bench database
    agenda_url, event_url = prepare_agenda()

    from django.core.cache import caches

    from events.models import Event
    from events.signup import rules as signup
    from events.signup.forms import CONSENT_TEXT

    event = Event.objects.filter(title__startswith="Bench ").order_by("start").first()
    event.capacity = 10_000
    event.save(update_fields=["capacity"])
    form_url = f"/evenements/{event.pk}/inscription/"
    outcome_booking = None
    # A resident's booking of three events, as the booking page lists it.
    for other in Event.objects.filter(title__startswith="Bench ").order_by("start")[:3]:
        other.capacity = 10_000
        other.save(update_fields=["capacity"])
        outcome = signup.register(
            event_id=other.pk,
            contact=signup.Contact(
                first_name="Awa", last_name="Diallo", email="awa.mesure@exemple.fr"
            ),
            participants=[signup.ParticipantData(first_name="Awa", age_band="25-59")],
            consent_text=str(CONSENT_TEXT),
            booking=outcome_booking,
            notify=False,
        )
        outcome_booking = outcome.registration.booking
    booking_url = signup.manage_url(outcome_booking)

    anonymous = https_client()
    rows = []
    for name, path in [
        ("agenda", agenda_url),
        ("home", "/"),
        ("event", event_url),
        ("form", form_url),
        ("booking", booking_url),
    ]:

        def get(path=path):
            response = anonymous.get(path)
            assert response.status_code == 200, (path, response.status_code)

        rows.append({**_measure(name, get), "path": path})

    numbers = iter(range(1_000_000))
    posted = {"cpu": 0.0, "url": None}
    post_profiler = cProfile.Profile(time.process_time) if PROFILE == "post" else None

    def post(count_queries: bool = False) -> int:
        """A new visitor loads a blank form (its CSRF cookie and submission key), then posts it
        as a browser does; only the POST is timed. Returns the POST's queries when asked."""
        visitor = https_client(enforce_csrf_checks=True)
        n = next(numbers)
        html = visitor.get(form_url).content.decode()
        data = {
            **_signup_form(n),
            "csrfmiddlewaretoken": _field(html, "csrfmiddlewaretoken"),
            "submission_key": _field(html, "submission_key"),
        }

        def send():
            # Encoded as a browser sends a form without a file (the test client's default,
            # multipart, costs the parser about 4 ms more than this).
            return visitor.post(
                form_url,
                urllib.parse.urlencode(data),
                content_type="application/x-www-form-urlencoded",
                HTTP_ORIGIN=ORIGIN,
                HTTP_X_FORWARDED_FOR=f"10.2.{n // 250}.{n % 250 + 1}",
            )

        queries = 0
        started = time.process_time()
        if post_profiler:
            post_profiler.enable()
        if count_queries:
            queries = _queries(send)
        else:
            response = send()
            assert response.status_code == 302, response.status_code
            posted["url"] = response["Location"]
        if post_profiler:
            post_profiler.disable()
        posted["cpu"] += time.process_time() - started
        return queries

    caches["default"].clear()  # the rate limits' counters
    for _ in range(10):
        post()
    post_queries = post(count_queries=True)
    post_rounds = min(ROUNDS, 100)
    posted["cpu"] = 0.0
    for _ in range(post_rounds):
        post()
    if post_profiler:
        stats = pstats.Stats(post_profiler)
        stats.sort_stats("tottime").print_stats(45)
        stats.sort_stats("cumulative").print_stats(70)
    rows.append(
        {
            "page": "post",
            "cpu ms/request": posted["cpu"] * 1000 / post_rounds,
            "wall ms/request": float("nan"),
            "queries": post_queries,
            "path": form_url,
        }
    )

    def get_answer(path=posted["url"]):
        assert anonymous.get(path).status_code == 200

    rows.append({**_measure("answer", get_answer), "path": posted["url"]})
    print_table(
        f"CPU per request in the process (production settings, page cache off, "
        f"{ROUNDS} rounds, load average {' '.join(f'{x:.1f}' for x in os.getloadavg())})",
        rows,
    )


def _field(html: str, name: str) -> str:
    return html.split(f'name="{name}" value="', 1)[1].split('"', 1)[0]


if __name__ == "__main__":
    main()
