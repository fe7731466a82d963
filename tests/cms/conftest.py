from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.test import override_settings

import pytest


def _seed_demo_site():
    from cms.demo import site as demo
    from community.demo import records as community_demo

    community_demo.seed("mot-de-passe-demo-1")
    return demo.seed()


@dataclass
class SharedDemo:
    home_pk: int
    media_root: Path
    private_root: Path


@pytest.fixture(scope="module")
def _module_demo_site(request, django_db_setup, django_db_blocker, tmp_path_factory):
    """In a module that sets SHARED_DEMO_SITE = True (none of its tests transactional), the demo
    seed (seconds of work) is built once: in a transaction of its own, which each test's
    transaction nests in (what a test changes is rolled back after it), rolled back after the
    module. Elsewhere, nothing: each test seeds its own (`demo_site`). Module-scoped, so pytest
    sets it up before the test's own transaction."""
    if not getattr(request.module, "SHARED_DEMO_SITE", False):
        yield None
        return
    media, private = tmp_path_factory.mktemp("media"), tmp_path_factory.mktemp("private")
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=media, PRIVATE_MEDIA_ROOT=private),
    ):
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield SharedDemo(_seed_demo_site().pk, media, private)
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def pytest_collection_modifyitems(config, items):
    """In a module that shares one demo seed, the tests that do not ask for it run first, before
    the seed exists: they find the empty database they always found. They only swap places
    among the module's own slots: the suite's order (pytest-django puts the transactional tests,
    which flush the database, after all the others) is the same hook's work and must hold."""
    slots: dict = {}
    for position, item in enumerate(items):
        module = getattr(item, "module", None)
        if getattr(module, "SHARED_DEMO_SITE", False):
            slots.setdefault(module, []).append(position)
    for positions in slots.values():
        module_items = [items[position] for position in positions]
        module_items.sort(key=lambda item: "demo_site" in item.fixturenames)
        for position, item in zip(positions, module_items, strict=True):
            items[position] = item


@pytest.fixture
def demo_site(_module_demo_site, db, settings):
    """The whole demo site, built by seed_demo's builders: for each test, or once for the
    module (SHARED_DEMO_SITE, above)."""
    if _module_demo_site is None:
        return _seed_demo_site()
    from cms.models import HomePage

    shared = _module_demo_site
    # The seed's image files, in the module's folders (each test otherwise gets empty ones).
    settings.MEDIA_ROOT, settings.PRIVATE_MEDIA_ROOT = shared.media_root, shared.private_root
    return HomePage.objects.get(pk=shared.home_pk)  # a fresh instance: no state from a test before
