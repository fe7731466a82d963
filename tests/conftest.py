"""Fixtures shared by every test: factories, the SMTP sink, a real Celery worker on Redis,
Chromium through Playwright, and the demo site."""

import os
from pathlib import Path

from django.conf import settings

import pytest
from _pytest.nodeid import NodeId

from config.cache import FailOpenRedisCache
from config.celery_app import app as celery_app
from tests import factories
from tests.support.browser import CHROMIUM, CHROMIUM_ARGS
from tests.support.smtp import SmtpSink
from tests.support.worker import CeleryWorker


def pytest_collection_modifyitems(config, items):
    """Browser tests share one Chromium per process; tests marked serial run in the second,
    serial pass of `make test`."""
    for item in items:
        if "tests/browser/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)
    _name_xdist_groups(config, items)


def _name_xdist_groups(config, items):
    """`--dist loadgroup` keeps the tests of one xdist_group on one worker by reading the group
    from a suffix of their node id (`...::test@group`). pytest-xdist 3.8 writes that suffix into
    `item._nodeid`, which pytest 9 no longer reads (the id lives in `item._id`): every group was
    silently scattered over the workers, so a module-scoped fixture (the demo seed) was built
    once per worker. Same suffix, written where pytest 9 reads it."""
    if not getattr(config.option, "loadgroup", False) or not items or not hasattr(items[0], "_id"):
        return
    for item in items:
        groups = sorted(
            {
                str(m.args[0] if m.args else m.kwargs.get("name", "default"))
                for m in item.iter_markers("xdist_group")
            }
        )
        nodeid = item.nodeid
        if groups and nodeid.rfind("@") <= nodeid.rfind("]"):
            item._id = NodeId.parse(f"{nodeid}@{'_'.join(groups)}")


def _flushes_the_database(item) -> bool:
    marker = item.get_closest_marker("django_db")
    transactional = bool(
        marker and (marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences"))
    )
    return transactional or bool({"transactional_db", "live_server"} & set(item.fixturenames))


def pytest_collection_finish(session):
    """A transactional test empties the database after it (the rows migrations wrote included:
    roles' page permissions, intervention kinds), so it must run after every test that reads
    them; pytest-django orders the suite so, and a hook that sorts the tests afterwards can undo
    it. The order is checked once it is final, in each process."""
    flushed_by = None
    for item in session.items:
        if _flushes_the_database(item):
            flushed_by = flushed_by or item
        elif flushed_by and (item.get_closest_marker("django_db") or "db" in item.fixturenames):
            raise pytest.UsageError(
                f"{item.nodeid} reads the database after {flushed_by.nodeid} flushed it: "
                "a collection hook reordered the tests"
            )


@pytest.fixture(scope="session", autouse=True)
def static_root():
    """WhiteNoise warns at start-up when STATIC_ROOT is missing; the settings create no folder
    on import, so the suite makes it once here."""
    root = Path(settings.STATIC_ROOT)
    root.mkdir(parents=True, exist_ok=True)
    return root


@pytest.fixture
def territories(db):
    """The four territories of the service plan, by name."""
    names = [("Lyon 7", "lyon-7"), ("Lyon 8", "lyon-8"), ("Lyon 9", "lyon-9"), ("EMH", "emh")]
    return {name: factories.TerritoryFactory(name=name, slug=slug) for name, slug in names}


@pytest.fixture
def home_page(db):
    from cms.demo import site as demo

    return demo.seed()


@pytest.fixture
def smtp_sink(settings):
    """A real SMTP server on loopback; Django sends to it for the duration of the test."""
    sink = SmtpSink().start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = sink.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    yield sink
    sink.stop()


@pytest.fixture
def redis_url():
    url = os.environ.get("REDIS_URL")
    if not url:
        pytest.fail("REDIS_URL is not set: run the tests with `make test`, which starts Redis.")
    return url


@pytest.fixture
def celery_worker(redis_url, transactional_db):
    """A real Celery worker process on Redis, sharing the test database. Tasks queued by the
    test go to Redis instead of running eagerly."""
    previous = celery_app.conf.task_always_eager, celery_app.conf.broker_url
    celery_app.conf.task_always_eager = False
    celery_app.conf.broker_url = redis_url
    import redis

    redis.Redis.from_url(redis_url).flushdb()
    worker = CeleryWorker(redis_url)
    try:
        worker.start()
        yield worker
    finally:
        # Also when the worker never started: the next test must find eager tasks again.
        worker.discard()
        celery_app.conf.task_always_eager, celery_app.conf.broker_url = previous


@pytest.fixture
def fault_broker(monkeypatch):
    """Tasks are published (not run in-process) to a throwaway Redis the test can stop, freeze
    and thaw (tests.support.redis_server)."""
    from tests.support.redis_server import RedisServer

    server = RedisServer().start()
    # What a process learnt about an earlier test's Redis must not outlive that test.
    monkeypatch.setattr(FailOpenRedisCache, "_unreachable_until", 0.0)
    previous = celery_app.conf.task_always_eager, celery_app.conf.broker_url
    celery_app.conf.task_always_eager = False
    celery_app.conf.broker_url = server.url
    # Celery caches its connection and producer pools (on the URL they were made for): new ones
    # for the test's server, the suite's own restored afterwards.
    monkeypatch.setattr(celery_app, "_pool", None)
    monkeypatch.setattr(celery_app.amqp, "_producer_pool", None)
    yield server
    if celery_app._pool is not None:
        celery_app._pool.force_close_all()
    server.close()
    celery_app.conf.task_always_eager, celery_app.conf.broker_url = previous


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium package.")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture(params=[360, 1280], ids=["phone", "desktop"])
def viewport_width(request):
    return request.param


@pytest.fixture
def page(browser, live_server):
    """A fresh browser tab on a phone-sized screen (360 × 740), in French."""
    context = browser.new_context(
        viewport={"width": 360, "height": 740}, locale="fr-FR", base_url=live_server.url
    )
    tab = context.new_page()
    tab.set_default_timeout(15_000)
    yield tab
    context.close()


@pytest.fixture
def sized_page(browser, live_server, viewport_width):
    """A browser tab at each width the site must serve (360 px phone, 1280 px desktop)."""
    context = browser.new_context(
        viewport={"width": viewport_width, "height": 900}, locale="fr-FR", base_url=live_server.url
    )
    tab = context.new_page()
    tab.set_default_timeout(15_000)
    yield tab
    context.close()


@pytest.fixture(autouse=True)
def _isolation(settings, tmp_path):
    """Each test starts in French with its own media folder."""
    from django.core.cache import cache
    from django.utils import translation

    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    cache.clear()  # allauth's rate-limit buckets and used-code marks live in the cache
    translation.activate("fr")
    yield
    translation.activate("fr")


def pytest_configure(config):
    assert settings.LANGUAGE_CODE == "fr"
