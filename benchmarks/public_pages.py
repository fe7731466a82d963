"""The public site under gunicorn (4 workers) on PostgreSQL: the home page, a territory page and
a search, each with requests per second, p50, p95 and SQL queries per request."""

from benchmarks.harness import gunicorn, load, print_table, queries_per_request, setup_django

REQUESTS = 2000
CONCURRENCY = 16
PATHS = [
    ("home", "/"),
    ("territory", "/territoires/lyon-8/"),
    ("search", "/recherche/?q=evenement"),
]


def main():
    setup_django()
    from django.core.management import call_command

    call_command("seed_demo", password="bench-demo-password-0123")  # noqa: S106 -- throwaway bench database
    rows = []
    with gunicorn(workers=4) as port:
        for name, path in PATHS:
            queries = queries_per_request(path)
            load(port, path, requests=200, concurrency=4)  # warm-up (renditions, caches)
            figures = load(port, path, requests=REQUESTS, concurrency=CONCURRENCY)
            rows.append({"page": name, "path": path, **figures, "queries/request": queries})
    print_table(f"public pages, gunicorn 4 workers, {CONCURRENCY} concurrent clients", rows)


if __name__ == "__main__":
    main()
