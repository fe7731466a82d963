"""What every scenario shares: prepare the database, serve with gunicorn, load it over HTTP,
and print figures. Scenarios run against the PostgreSQL and Redis that `make bench` starts."""

import http.client
import os
import statistics
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.bench")


def setup_django():
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    call_command("collectstatic", verbosity=0, interactive=False)


# What the proxy in front of gunicorn sends (deploy/): the request came over HTTPS. The served
# processes run the production settings (Secure cookies, HSTS, redirect of plain HTTP) and trust
# this header, as they do in production; a browser's form also sends its Origin.
PROXY_HEADERS = {"Host": "127.0.0.1", "X-Forwarded-Proto": "https"}
ORIGIN = "https://127.0.0.1"
LOADERS = 2  # load-generator processes, never the measured ones

_servers: list[int] = []  # the gunicorn masters this process started


def https_client(**extra):
    """A Django test client whose requests come through the proxy (HTTPS)."""
    from django.test import Client

    return Client(HTTP_HOST="127.0.0.1", HTTP_X_FORWARDED_PROTO="https", **extra)


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def gunicorn(workers: int = 4):
    port = free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi:application",
            f"--workers={workers}",
            f"--bind=127.0.0.1:{port}",
            "--log-level=warning",
        ],
        cwd=ROOT,
        env=os.environ.copy(),
    )
    _servers.append(process.pid)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                # Any answer means the workers are up (/health/ would wait on Redis and the
                # broker, slow on a busy machine).
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
                conn.request("GET", "/robots.txt", headers=PROXY_HEADERS)
                conn.getresponse().read()
                break
            except OSError:
                time.sleep(0.2)
        yield port
    finally:
        _servers.remove(process.pid)
        process.terminate()
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:  # a busy machine: the figures are taken already
            process.kill()
            process.wait()


def gunicorn_cpu_seconds() -> float:
    """CPU time (user + system) used so far by the gunicorn masters this process started and
    their workers: a figure that holds on a busy machine, where requests per second do not
    (other programs' gunicorns, on a shared machine, are not counted)."""
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            pid = int(stat.parent.name)
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, ValueError):  # the process ended meanwhile
            continue
        if pid in _servers or int(fields[1]) in _servers:  # a master, or one of its workers
            total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of stat)
    return total / os.sysconf("SC_CLK_TCK")


def load_average() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def _load_process(args) -> dict:
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
                conn.request("GET", path, headers=PROXY_HEADERS)
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


def load(port: int, path: str, *, requests: int, concurrency: int) -> dict:
    """GET `path` `requests` times from `concurrency` keep-alive clients spread over LOADERS
    separate processes (forked: they share no interpreter with the scenario nor the server);
    return requests per second, p50, p95, the server's CPU per request, the page-cache hits and
    the errors."""
    import multiprocessing

    loaders = min(LOADERS, concurrency)
    per_process = requests // loaders
    threads = max(concurrency // loaders, 1)
    cpu_before = gunicorn_cpu_seconds()
    with multiprocessing.get_context("fork").Pool(loaders) as pool:
        parts = pool.map(_load_process, [(port, path, per_process, threads)] * loaders)
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
        "load avg": load_average(),
    }


def queries_per_request(path: str) -> int:
    """The SQL queries of one request to `path`, once warm (as a running server would be)."""
    from django.db import connection

    seen = []

    def count(execute, sql, params, many, context):
        seen.append(sql)
        return execute(sql, params, many, context)

    client = https_client()
    client.get(path)
    with connection.execute_wrapper(count):
        response = client.get(path)
    assert response.status_code == 200, response.status_code
    return len(seen)


def print_table(title: str, rows: list[dict]) -> None:
    print(f"\n{title}")
    columns = list(rows[0])
    widths = [max(len(c), *(len(_fmt(r[c])) for r in rows)) for c in columns]
    print("  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True)))
    for row in rows:
        print("  ".join(_fmt(row[c]).ljust(w) for c, w in zip(columns, widths, strict=True)))


def _fmt(value) -> str:
    return f"{value:.1f}" if isinstance(value, float) else str(value)
