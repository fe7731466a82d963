"""The site and the site settings (agency details, menus) that every public page's layout reads,
and the layout's rendered pieces (menus, footer, language links), kept in each process for
LAYOUT_CACHE_SECONDS so a page spends no query and little time on them.

Saving a site, a setting or a page clears this process's copy at once; other processes see the
change within LAYOUT_CACHE_SECONDS. Only page rendering reads the copy (`for_request`): the
settings' edit view in the admin reads the database (`for_site`), so an editor never saves over
a stale copy. With LAYOUT_CACHE_SECONDS = 0 nothing is kept.
"""

import copy
import time

from django.conf import settings
from django.db.models.signals import post_delete, post_save

from wagtail.models import Page, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

_entries: dict[tuple, tuple[float, object]] = {}
MAX_ENTRIES = 256  # any Host header makes a key: a flood of them only empties the cache
# Rendered layout fragments (menus, footer, language links), keyed by address among others: kept
# apart so that a flood of addresses empties only them.
_fragments: dict[tuple, tuple[float, object]] = {}
MAX_FRAGMENTS = 1024


def _ttl() -> float:
    return getattr(settings, "LAYOUT_CACHE_SECONDS", 0)


def _cached(key: tuple, load, store: dict = _entries, limit: int = MAX_ENTRIES):
    ttl = _ttl()
    if ttl <= 0:
        return load()
    now = time.monotonic()
    entry = store.get(key)
    if entry is None or entry[0] <= now:
        if len(store) >= limit:
            store.clear()
        entry = (now + ttl, load())
        store[key] = entry
    return entry[1]


def fragment(key: tuple, render) -> str:
    """A rendered piece of the layout, kept like the settings it shows (cleared with them): the
    caller's key must hold everything the piece depends on (cms.templatetags.layout)."""
    return _cached(key, render, _fragments, MAX_FRAGMENTS)


def clear(**kwargs) -> None:
    _entries.clear()
    _fragments.clear()


_followed: list = [None]


def follow(generation) -> bool:
    """Drop this process's copies when the page cache's generation (cms.page_cache, shared by
    every process) moved on: a change saved in another process then reaches this one's layout
    on its next request, instead of being rendered stale into a freshly kept page. True when
    the copies were dropped."""
    if generation == _followed[0]:
        return False
    clear()
    _followed[0] = generation
    return True


def site_for_request(request):
    """Wagtail's `Site.find_for_request`, answered from this process's copy."""
    host, port = request._get_raw_host(), request.get_port()
    return _cached(("site", host, port), lambda: Site._find_for_request(request))


def setting_for_request(setting_class, request):
    """A site setting for the page being rendered: a copy per request, since Wagtail keeps the
    request and page URLs on the instance."""
    site = Site.find_for_request(request)
    if site is None:
        raise setting_class.DoesNotExist(f"{setting_class.__name__}: no site for this request.")
    shared = _cached(
        ("setting", setting_class._meta.label, site.pk), lambda: setting_class.for_site(site)
    )
    instance = copy.copy(shared)
    instance._page_url_cache = {}
    return instance


class CachedSiteMiddleware:
    """Give the request its Wagtail site from this process's copy, before anything asks."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _ttl() > 0:
            request._wagtail_site = site_for_request(request)
        return self.get_response(request)


LAYOUT_SETTINGS = {"cms.AgencySettings", "cms.NavigationSettings"}


def _clear_if_layout(sender, **kwargs) -> None:
    # By label: cms.models.settings imports this module, so it cannot import the models.
    if issubclass(sender, (Site, Page)) or sender._meta.label in LAYOUT_SETTINGS:
        clear()


def connect() -> None:
    """Clear the copies whenever what they hold may have changed (called from CmsConfig.ready):
    a site, a setting, or a page (the menus show page titles and URLs)."""
    post_save.connect(_clear_if_layout, dispatch_uid="layout-cache-save")
    post_delete.connect(_clear_if_layout, dispatch_uid="layout-cache-delete")
    page_published.connect(clear, dispatch_uid="layout-cache-published")
    page_unpublished.connect(clear, dispatch_uid="layout-cache-unpublished")
    post_page_move.connect(clear, dispatch_uid="layout-cache-moved")
