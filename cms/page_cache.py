"""Whole public pages for anonymous visitors, kept in Django's default cache (Redis in
production, local memory in the embedded default) and served without a query.

What may be kept: a GET (or HEAD) answered 200 to a request that carries no session and no
messages cookie, whose response sets no cookie (rendering a CSRF token sets one, so a page with a
form is rendered for each visitor: its token must be the visitor's own, and the form must work
without JavaScript, so no token is patched into a kept page), carries no CSRF token and no CSP
nonce in its body (a nonce must differ per response), and did not ask otherwise
(`Cache-Control: private`, `no-cache` or `no-store`, e.g. `never_cache`). Paths under
PAGE_CACHE_EXCLUDED_PREFIXES (the admin, staff tools, accounts, documents, the health check, the
links that carry a personal token) are never kept, whatever they answer.

Keys: scheme, host, path and query, the page's language (from its address), and a generation number kept in the
same cache. Whatever a public page may show being saved bumps the generation once the
transaction commits (`connect`): pages published, unpublished, moved or deleted, events and
series saved (published, edited, cancelled, moved), settings and menus, snippets, images,
territories and organisations, and events's own `shown_event_changed` signal, sent by the series
and topic rules that change events by queryset updates. Every process and machine reads the
generation from the shared cache at the start of each request, so a change is seen everywhere on
the next request. Reading it before rendering and bumping it after the commit means a page
rendered from data older than a change is kept under a generation that is already gone: a stale
copy is never served.

Seats have a generation of their own, bumped by every registration or participant written and by
`shown_event_changed` with `seats=True`, sent by whoever locks an event to count its seats (each
sign-up, cancellation, reduction and waitlist promotion, whichever screen or task made it). A
page whose rendering read the registrations or participants tables (seen in its SQL, so no page
can forget to say so) is kept with the seats generation it was rendered under and served only
while that generation holds; the others (the sign-up's answer page, the CMS pages without event
cards) stay kept through a burst of sign-ups, and so does each process's layout copy
(cms.layout_cache follows the content generation only).

Only what time alone changes (an event starting, a registration window opening or closing) waits
for the entry's lifetime, PAGE_CACHE_SECONDS (0 turns the cache off).

Headers of a kept page: `Cache-Control: public, max-age=PAGE_CACHE_MAX_AGE,
s-maxage=PAGE_CACHE_SHARED_MAX_AGE`, an `ETag` (a matching `If-None-Match` is answered 304) and no
`Vary` (the language is in the address, never the browser's); the cookies that change the page
(session, messages) are what a proxy must not cache past (README, "Page cache"). Responses to a signed-in visitor
get `Cache-Control: private`.
"""

import hashlib
import logging
import time

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse, HttpResponseNotModified
from django.utils.cache import patch_cache_control

from wagtail.models import Page
from wagtail.signals import page_published, page_unpublished, post_page_move, published, unpublished

from cms import layout_cache
from community import counters
from community.languages import language_of_path, strip_language_prefix
from events.signals import shown_event_changed

GENERATION_KEY = "page-cache:generation"
SEATS_GENERATION_KEY = "page-cache:seats-generation"
KEY_PREFIX = "page-cache:entry"

# Models whose rows a public page may show (by label, lower case). Pages count through their
# base class. Rows only staff see (submissions, subscriptions, campaigns, outbox messages,
# attendance) are left out: saving them must not empty the cache.
SHOWN_MODELS = frozenset(
    {
        "wagtailcore.site",
        "wagtailimages.image",
        "wagtaildocs.document",
        "wagtailredirects.redirect",
        "cms.agencysettings",
        "cms.navigationsettings",
        "cms.testimonial",
        "cms.hometestimonial",
        "cms.homepartner",
        "cms.formfield",
        "cms.serviceformfield",
        "cms.mediationdayspeaker",
        "cms.mediationdaypartner",
        "cms.mediationdayphoto",
        "cms.standrequest",
        "cms.newslettertopic",
        "events.event",
        "events.seatgroup",
        "events.cafeseries",
        "events.seriessession",
        "events.topic",
        "events.topicsupport",
        "events.sessionsummary",
        "events.programme",
        "events.track",
        "community.territory",
        "community.organisation",
        "community.residence",
        "community.workinggroup",
        "community.workinggroupoutcome",
    }
)

# Rows that change seats left, full and waitlist marks: their writes bump the seats generation,
# and a page that read their tables is kept under it (SEAT_TABLES).
SEAT_MODELS = frozenset({"events.registration", "events.participant"})
SEAT_TABLES = ("events_registration", "events_participant")

# Response headers a kept page does not carry: set per response by the middleware below.
PER_RESPONSE_HEADERS = {"cache-control", "etag", "vary", "x-page-cache", "content-length"}

logger = logging.getLogger(__name__)


def lifetime() -> int:
    return getattr(settings, "PAGE_CACHE_SECONDS", 0)


# -- generation ----------------------------------------------------------------------------------


def generations() -> tuple[int, int]:
    """The current content and seats generations, in one round trip; a missing one (evicted, or
    a fresh cache) starts from the clock, so it never equals a generation an older entry was
    kept under."""
    keys = (GENERATION_KEY, SEATS_GENERATION_KEY)
    values = cache.get_many(keys)
    if len(values) < len(keys):
        for key in keys:
            if key not in values:
                cache.add(key, time.time_ns(), timeout=None)
        values = cache.get_many(keys)
    if len(values) < len(keys):  # a cache that fails open reads every key as missing
        raise CacheUnreachable
    return values[GENERATION_KEY], values[SEATS_GENERATION_KEY]


def _bump(key: str) -> None:
    # Never raises: it runs after commits (a booking among them) that an unreachable cache must
    # not turn into an error; entries it could not invalidate then live at most
    # PAGE_CACHE_SECONDS.
    try:
        counters.count(key, start=time.time_ns())
    except Exception:  # the shared cache is unreachable
        logger.warning("page cache: the generation could not be bumped", exc_info=True)


def bump(**kwargs) -> None:
    """Forget every kept page, in every process, from the next request on."""
    _bump(GENERATION_KEY)


def bump_seats(**kwargs) -> None:
    """Forget every kept page that read seats, in every process, from the next request on."""
    _bump(SEATS_GENERATION_KEY)


class CacheUnreachable(Exception):
    """The shared cache did not answer: the page is served fresh, as with the cache off."""


def _cache_call(function, *args):
    try:
        return function(*args)
    except Exception as exc:  # redis' errors, socket timeouts: whatever the backend raises
        logger.warning("page cache: the shared cache is unreachable", exc_info=True)
        raise CacheUnreachable from exc


def bump_on_commit(**kwargs) -> None:
    """Bump once the change is visible to other connections (at once outside a transaction)."""
    transaction.on_commit(bump)


def _bump_if_shown(sender, **kwargs) -> None:
    label = sender._meta.label_lower
    if label in SHOWN_MODELS or issubclass(sender, Page):
        bump_on_commit()
    elif label in SEAT_MODELS:
        transaction.on_commit(bump_seats)


def _bump_for_event(sender, seats: bool = False, **kwargs) -> None:
    if seats:
        bump_seats()
    else:
        bump()


def _bump_if_shown_relation(sender, instance, action, model, **kwargs) -> None:
    # An event's organisers and partners, a series' facilitators: many-to-many rows, from
    # either side.
    labels = {type(instance)._meta.label_lower, model._meta.label_lower}
    if action.startswith("post_") and labels & (SHOWN_MODELS | SEAT_MODELS):
        bump_on_commit()


def connect() -> None:
    """Bump the generation whenever what a public page shows may have changed (CmsConfig.ready)."""
    post_save.connect(_bump_if_shown, dispatch_uid="page-cache-save")
    post_delete.connect(_bump_if_shown, dispatch_uid="page-cache-delete")
    m2m_changed.connect(_bump_if_shown_relation, dispatch_uid="page-cache-relations")
    # Sent by events once committed: seats, sessions and topics changed by queryset updates.
    shown_event_changed.connect(_bump_for_event, dispatch_uid="page-cache-event")
    for signal, name in (
        (page_published, "page-published"),
        (page_unpublished, "page-unpublished"),
        (post_page_move, "page-moved"),
        (published, "published"),
        (unpublished, "unpublished"),
    ):
        signal.connect(bump_on_commit, dispatch_uid=f"page-cache-{name}")


# -- what may be kept ----------------------------------------------------------------------------


def may_serve_from_cache(request) -> bool:
    """A request that may be answered from, and may fill, the cache."""
    if request.method not in ("GET", "HEAD") or lifetime() <= 0:
        return False
    if settings.SESSION_COOKIE_NAME in request.COOKIES:
        return False  # maybe signed in: the page shows who, and a logout form with a token
    if CookieStorage.cookie_name in request.COOKIES:
        return False  # a flash message waits to be shown on the next page
    # /en/evenements/inscriptions/… is the same personal page as /evenements/inscriptions/….
    path = strip_language_prefix(request.path)
    return not path.startswith(tuple(settings.PAGE_CACHE_EXCLUDED_PREFIXES))


def may_keep(request, response) -> bool:
    """A response that is the same for every anonymous visitor of this URL and language."""
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if isinstance(getattr(request, "_csp_nonce", None), str):
        return False
    asked = response.get("Cache-Control", "").lower()
    if any(word in asked for word in ("private", "no-cache", "no-store")):
        return False
    return b"csrfmiddlewaretoken" not in response.content


def page_key(request, current_generation: int) -> str:
    # The page's language is its address's (community.languages), never the browser's.
    language = language_of_path(request.path_info)
    url = f"{request.scheme}://{request.get_host()}{request.get_full_path()}|{language}"
    return f"{KEY_PREFIX}:{current_generation}:{hashlib.md5(url.encode()).hexdigest()}"  # noqa: S324 -- a key, not a secret


# -- the middleware ------------------------------------------------------------------------------


def _public_headers(response, etag: str) -> None:
    response["ETag"] = etag
    patch_cache_control(
        response,
        public=True,
        max_age=settings.PAGE_CACHE_MAX_AGE,
        s_maxage=settings.PAGE_CACHE_SHARED_MAX_AGE,
    )
    # The language is in the address (community.languages): nothing in the request's headers
    # changes the page, so no Vary at all.
    if response.has_header("Vary"):
        del response["Vary"]


def _not_modified(request, etag: str) -> bool:
    sent = request.META.get("HTTP_IF_NONE_MATCH", "")
    return bool(sent) and (sent.strip() == "*" or etag in [t.strip() for t in sent.split(",")])


def _answer(request, entry: tuple, state: str) -> HttpResponse:
    content, headers, etag, _seats = entry
    if _not_modified(request, etag):
        response = HttpResponseNotModified()
    else:
        response = HttpResponse(b"" if request.method == "HEAD" else content)
        for name, value in headers:
            response[name] = value
        response["Content-Length"] = str(len(content))
    _public_headers(response, etag)
    response["X-Page-Cache"] = state
    return response


class PageCacheMiddleware:
    """Answer anonymous visitors from the cache, and keep what may be kept. Placed after the
    security, CSP and static-file middleware (their headers are added to each answer, and static
    files never reach it) and before the session, locale, CSRF and authentication ones, which a
    hit skips."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            return self._serve(request)
        except CacheUnreachable:
            return self.get_response(request)

    def _serve(self, request):
        if lifetime() > 0:
            current, seats = _cache_call(generations)
            if layout_cache.follow(current) and hasattr(request, "_wagtail_site"):
                del request._wagtail_site  # given from the dropped copy: found again
            # For the pages kept per process with holes (events.signup.form_page): what the
            # layout shows is the same while this generation holds.
            request.content_generation = current
        if not may_serve_from_cache(request):
            response = self.get_response(request)
            if settings.SESSION_COOKIE_NAME in request.COOKIES and lifetime() > 0:
                patch_cache_control(response, private=True)
            return response
        key = page_key(request, current)
        entry = _cache_call(cache.get, key)
        if entry is not None and entry[3] in (None, seats):
            return _answer(request, entry, "hit")
        read_seats = SeatReads()
        with connection.execute_wrapper(read_seats):
            response = self.get_response(request)
        if request.method != "GET" or not may_keep(request, response):
            return response
        etag = f'"{hashlib.md5(response.content).hexdigest()}"'  # noqa: S324 -- a validator
        headers = [(k, v) for k, v in response.items() if k.lower() not in PER_RESPONSE_HEADERS]
        entry = (response.content, headers, etag, seats if read_seats.seen else None)
        try:
            cache.set(key, entry, lifetime())
        except Exception:  # the page is answered; only keeping it failed
            logger.warning("page cache: a page could not be kept", exc_info=True)
        return _answer(request, entry, "miss")


class SeatReads:
    """An execute wrapper noting whether a rendering read the seats tables."""

    def __init__(self):
        self.seen = False

    def __call__(self, execute, sql, params, many, context):
        if not self.seen and any(table in sql for table in SEAT_TABLES):
            self.seen = True
        return execute(sql, params, many, context)
