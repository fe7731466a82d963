"""The home page under gunicorn (4 workers) on PostgreSQL: requests per second, p50, p95, and
SQL queries per request."""

from benchmarks.harness import gunicorn, load, print_table, queries_per_request, setup_django

REQUESTS = 3000
CONCURRENCY = 16


def main():
    setup_django()
    from cms.demo import site as demo

    demo.seed()
    queries = queries_per_request("/")
    with gunicorn(workers=4) as port:
        load(port, "/", requests=200, concurrency=4)  # warm-up
        figures = load(port, "/", requests=REQUESTS, concurrency=CONCURRENCY)
    print_table(
        f"home page, gunicorn 4 workers, {CONCURRENCY} concurrent clients",
        [{"page": "/", **figures, "queries/request": queries}],
    )


if __name__ == "__main__":
    main()
