"""A Café Médiation series with 200 followers on PostgreSQL: the time to generate three months
of sessions (each follower signed up to each, waitlisted past 30 seats), a second, idle run of
the beat task, an edit that moves every future session (registrants told), and the series page
under gunicorn (requests per second, p50, p95, queries per request)."""

import datetime as dt
import time

from benchmarks.harness import gunicorn, load, print_table, queries_per_request, setup_django

FOLLOWERS = 200
REQUESTS = 1000
CONCURRENCY = 16


def timed(action) -> float:
    began = time.perf_counter()
    action()
    return time.perf_counter() - began


def main():
    setup_django()
    from django.utils import timezone

    from community.models import Territory
    from events import recurrence, tasks
    from events.models import CafeSeries
    from events.models.bookings import Registration
    from events.models.outbox import OutboxMessage
    from events.series import rules as series
    from events.signup.rules import Contact

    tasks.deliver_outbox.delay_on_commit = lambda *args, **kwargs: None  # rows only, not sent
    territory, _ = Territory.objects.get_or_create(slug="lyon-8", defaults={"name": "Lyon 8"})
    CafeSeries.objects.filter(title="Bench café").update(active=False)
    cafe = CafeSeries.objects.create(
        title="Bench café",
        territory=territory,
        venue_name="Salle associative des États-Unis",
        frequency=recurrence.WEEKLY,
        weekday=1,
        start_date=timezone.localdate(),
        start_time=dt.time(14),
        end_time=dt.time(16),
        capacity=30,
    )
    for n in range(FOLLOWERS):
        series.follow(
            series_id=cafe.pk,
            contact=Contact(f"Voisin{n}", "Bench", f"bench{cafe.pk}-{n}@exemple.fr", "", "60+"),
            age_band="60+",
            consent_text="ok",
        )
    rows = []
    result = None

    def generate():
        nonlocal result
        result = series.sync_series(cafe.pk)

    seconds = timed(generate)
    registrations = Registration.objects.filter(event__series_session__series=cafe).count()
    rows.append(
        {
            "step": "generate sessions",
            "seconds": seconds,
            "sessions": result.created,
            "registrations": registrations,
        }
    )
    seconds = timed(lambda: series.sync_series(cafe.pk))
    rows.append({"step": "idle beat run", "seconds": seconds, "sessions": 0, "registrations": 0})
    cafe.start_time, cafe.end_time = dt.time(15), dt.time(17)
    cafe.save()
    seconds = timed(generate)
    changed = OutboxMessage.objects.filter(
        kind="changed", registration__event__series_session__series=cafe
    ).count()
    rows.append(
        {
            "step": "edit: move every session",
            "seconds": seconds,
            "sessions": result.updated,
            "registrations": changed,
        }
    )
    print_table(f"series with {FOLLOWERS} followers, 30 seats per session", rows)

    path = cafe.get_absolute_url()
    queries = queries_per_request(path)
    with gunicorn(workers=4) as port:
        load(port, path, requests=100, concurrency=4)
        figures = load(port, path, requests=REQUESTS, concurrency=CONCURRENCY)
    print_table(
        f"series page, gunicorn 4 workers, {CONCURRENCY} concurrent clients",
        [{"page": path, **figures, "queries/request": queries}],
    )


if __name__ == "__main__":
    main()
