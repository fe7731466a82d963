"""The page cache (cms/page_cache.py) under gunicorn (4 workers) with the production settings,
behind a proxy's `X-Forwarded-Proto: https`: home, agenda (500 upcoming events), an event page
and a search, with the cache off and on (warm). For each: requests per second, p50, p95, the
gunicorn processes' CPU per request (a figure that holds on a busy machine) and SQL queries per
request. Then the time from publishing an edit until every worker serves it.

The load comes from separate processes (never the gunicorn ones), keep-alive clients."""

import multiprocessing
import os
import statistics
import threading
import time

from benchmarks.harness import gunicorn, gunicorn_cpu_seconds, print_table, setup_django

REQUESTS = int(os.environ.get("PAGE_CACHE_BENCH_REQUESTS", "3000"))
CONCURRENCY = 16
LOADERS = 2  # client processes
HEADERS = {"Host": "127.0.0.1", "X-Forwarded-Proto": "https"}


def _client_process(args) -> dict:
    import http.client

    port, path, requests, threads = args
    latencies: list[float] = []
    errors, hits = 0, 0
    lock = threading.Lock()

    def client():
        nonlocal errors, hits
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine, failed, cached = [], 0, 0
        for _ in range(requests // threads):
            start = time.perf_counter()
            try:
                conn.request("GET", path, headers=HEADERS)
                response = conn.getresponse()
                response.read()
                failed += response.status != 200
                cached += response.getheader("X-Page-Cache") == "hit"
            except OSError:
                failed += 1
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            mine.append(time.perf_counter() - start)
        with lock:
            latencies.extend(mine)
            errors += failed
            hits += cached

    workers = [threading.Thread(target=client) for _ in range(threads)]
    started = time.monotonic()
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return {
        "latencies": latencies,
        "errors": errors,
        "hits": hits,
        "started": started,
        "ended": time.monotonic(),
    }


def load(port: int, path: str, requests: int = REQUESTS) -> dict:
    per_process = requests // LOADERS
    threads = CONCURRENCY // LOADERS
    cpu_before = gunicorn_cpu_seconds()
    with multiprocessing.get_context("fork").Pool(LOADERS) as pool:
        parts = pool.map(_client_process, [(port, path, per_process, threads)] * LOADERS)
    cpu = gunicorn_cpu_seconds() - cpu_before
    latencies = sorted(t for part in parts for t in part["latencies"])
    elapsed = max(p["ended"] for p in parts) - min(p["started"] for p in parts)
    count = len(latencies)
    return {
        "req/s": count / elapsed,
        "p50 ms": statistics.median(latencies) * 1000,
        "p95 ms": latencies[int(count * 0.95) - 1] * 1000,
        "cpu ms/req": cpu * 1000 / count,
        "hits": f"{sum(p['hits'] for p in parts)}/{count}",
        "errors": sum(p["errors"] for p in parts),
    }


def queries(path: str, cached: bool) -> int:
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    cache.clear()
    with override_settings(PAGE_CACHE_SECONDS=60 if cached else 0):
        client = Client(HTTP_HOST="127.0.0.1", HTTP_X_FORWARDED_PROTO="https")
        # warm: renditions, the cache when it is on, and each process's layout copy (dropped
        # once per generation)
        client.get(path)
        client.get(path)
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return len(ctx.captured_queries)


def edit_visibility(port: int, home_url: str) -> dict:
    """Clients load the home page without pause while an editor publishes a new title; the
    figures: how long after the publish returned the first response and the last stale one (a
    request sent after the publish that still showed the old title) came back."""
    import http.client

    from cms.models import HomePage

    home = HomePage.objects.get()
    new_title = f"Vivre Ensemble {time.time_ns()}"
    marker = new_title.encode()
    seen: list[tuple[float, float, bool]] = []  # (sent, received, shows the edit)
    stop = threading.Event()

    def client():
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        while not stop.is_set():
            sent = time.monotonic()
            conn.request("GET", home_url, headers=HEADERS)
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
    # The served processes run the production settings themselves (Secure cookies, HSTS, SSL
    # redirect), trusting the proxy header the load sends.
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.production"
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    rows = []
    for cached in (False, True):
        os.environ["PAGE_CACHE_SECONDS"] = "60" if cached else "0"
        with gunicorn(workers=4) as port:
            for name, path in paths:
                load(port, path, requests=200)  # warm-up: renditions, connections, the cache
                rows.append(
                    {
                        "page": name,
                        "cache": "warm" if cached else "off",
                        **load(port, path),
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
