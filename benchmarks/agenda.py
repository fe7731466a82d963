"""The agenda page with 500 upcoming events under gunicorn (4 workers) on PostgreSQL: requests
per second, p50, p95, and SQL queries per request; also a filtered agenda and an event page."""

import datetime as dt

from benchmarks.harness import gunicorn, load, print_table, queries_per_request, setup_django

EVENTS = 500
REQUESTS = 2000
CONCURRENCY = 16


def prepare() -> tuple[str, str]:
    from django.utils import timezone

    from cms.demo import site as demo
    from cms.models.agenda import seed_agenda
    from community.models import Territory
    from events.models import Audience, Event, EventKind

    home = demo.seed()
    agenda = seed_agenda(home)
    names = [("Lyon 7", "lyon-7"), ("Lyon 8", "lyon-8"), ("Lyon 9", "lyon-9"), ("EMH", "emh")]
    territories = [
        Territory.objects.get_or_create(slug=slug, defaults={"name": name})[0]
        for name, slug in names
    ]
    Event.objects.filter(title__startswith="Bench ").delete()
    kinds, audiences = list(EventKind.values), list(Audience.values)
    now = timezone.now()
    Event.objects.bulk_create(
        Event(
            title=f"Bench atelier {i}",
            kind=kinds[i % len(kinds)],
            audience=audiences[i % len(audiences)],
            territory=territories[i % len(territories)],
            venue_name="Salle de quartier",
            venue_address="1 rue de la Paix, 69008 Lyon",
            summary="Un moment d'échange entre voisins.",
            start=now + dt.timedelta(hours=6 * (i + 1)),
            end=now + dt.timedelta(hours=6 * (i + 1) + 2),
            live=True,
        )
        for i in range(EVENTS)
    )
    event = Event.objects.filter(title__startswith="Bench ").order_by("start").first()
    return agenda.url, event.get_absolute_url()


def main():
    setup_django()
    agenda_url, event_url = prepare()
    paths = [agenda_url, f"{agenda_url}?territoire=lyon-8&type=awareness", event_url]
    queries = {path: queries_per_request(path) for path in paths}
    rows = []
    with gunicorn(workers=4) as port:
        for path in paths:
            load(port, path, requests=200, concurrency=4)  # warm-up
            figures = load(port, path, requests=REQUESTS, concurrency=CONCURRENCY)
            rows.append({"page": path, **figures, "queries/request": queries[path]})
    print_table(
        f"agenda with {EVENTS} upcoming events, gunicorn 4 workers, "
        f"{CONCURRENCY} concurrent clients",
        rows,
    )


if __name__ == "__main__":
    main()
