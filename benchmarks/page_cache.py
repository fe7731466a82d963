"""The page cache (cms/page_cache.py) under gunicorn (4 workers) with the production settings,
behind a proxy's `X-Forwarded-Proto: https`: home, agenda (500 upcoming events), an event page
and a search, with the cache off and on (warm). For each: requests per second, p50, p95, the
gunicorn processes' CPU per request (a figure that holds on a busy machine) and SQL queries per
request. Then the time from publishing an edit until every worker serves it.

The load comes from separate processes (never the gunicorn ones), keep-alive clients."""

import os
import threading
import time

from benchmarks.harness import LOADERS, PROXY_HEADERS, gunicorn, load, print_table, setup_django

REQUESTS = int(os.environ.get("PAGE_CACHE_BENCH_REQUESTS", "3000"))
CONCURRENCY = 16


def measure(port: int, path: str, requests: int = REQUESTS) -> dict:
    return load(port, path, requests=requests, concurrency=CONCURRENCY)


def queries(path: str, cached: bool) -> int:
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import override_settings

    from benchmarks.harness import https_client

    seen = []

    def count(execute, sql, params, many, context):
        seen.append(sql)
        return execute(sql, params, many, context)

    cache.clear()
    with override_settings(PAGE_CACHE_SECONDS=60 if cached else 0):
        client = https_client()
        # warm: renditions, the cache when it is on, and each process's layout copy (dropped
        # once per generation)
        client.get(path)
        client.get(path)
        with connection.execute_wrapper(count):
            response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return len(seen)


def edit_visibility(port: int, home_url: str) -> dict:
    """Clients load the home page without pause while an editor publishes a new title; the
    figures: how long after the publish returned the first response and the last stale one (a
    request sent after the publish that still showed the old title) came back."""
    import http.client

    from wagtail.models import Locale

    from cms.models import HomePage

    home = HomePage.objects.get(locale=Locale.get_default())
    new_title = f"Vivre Ensemble {time.time_ns()}"
    marker = new_title.encode()
    seen: list[tuple[float, float, bool]] = []  # (sent, received, shows the edit)
    stop = threading.Event()

    def client():
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        while not stop.is_set():
            sent = time.monotonic()
            conn.request("GET", home_url, headers=PROXY_HEADERS)
            body = conn.getresponse().read()
            seen.append((sent, time.monotonic(), marker in body))

    threads = [threading.Thread(target=client) for _ in range(8)]
    for thread in threads:
        thread.start()
    time.sleep(1.0)
    home.title = new_title
    home.save_revision().publish()
    published = time.monotonic()
    time.sleep(2.0)
    stop.set()
    for thread in threads:
        thread.join()
    after = [row for row in seen if row[0] >= published]
    fresh = [received - published for _sent, received, shows in after if shows]
    stale = [received - published for _sent, received, shows in after if not shows]
    return {
        "requests after publish": len(after),
        "stale after publish": len(stale),
        "last stale ms": max(stale) * 1000 if stale else 0.0,
        "first fresh ms": min(fresh) * 1000 if fresh else float("nan"),
    }


def main():
    setup_django()
    from benchmarks.agenda import prepare

    agenda_url, event_url = prepare()
    paths = [
        ("home", "/"),
        ("agenda", agenda_url),
        ("event", event_url),
        ("search", "/recherche/?q=atelier"),
    ]
    counts = {(name, cached): queries(path, cached) for name, path in paths for cached in (0, 1)}
    rows = []
    for cached in (False, True):
        os.environ["PAGE_CACHE_SECONDS"] = "60" if cached else "0"
        with gunicorn(workers=4) as port:
            for name, path in paths:
                measure(port, path, requests=200)  # warm-up: renditions, connections, the cache
                rows.append(
                    {
                        "page": name,
                        "cache": "warm" if cached else "off",
                        **measure(port, path),
                        "queries/req": counts[(name, int(cached))],
                    }
                )
            if cached:
                visibility = edit_visibility(port, "/")
    print_table(
        f"page cache, production settings behind X-Forwarded-Proto: https, gunicorn 4 workers, "
        f"{CONCURRENCY} keep-alive clients in {LOADERS} processes",
        rows,
    )
    print_table("an edit published during load (8 clients on the home page)", [visibility])


if __name__ == "__main__":
    main()
