"""The blank sign-up page, rendered once per process for what it shows and filled in for each
visitor: the form page is a third of a sign-up's work, and every anonymous visitor of an event
gets the same page but for two values, their CSRF token and their double-submission key.

A kept page is found by everything that can change it: the address (which carries the
language) and host, every column of the event the page read, its seats left and why it is
closed (counted on each request, as before), and the content generation of the page cache
(`request.content_generation`, set by cms.page_cache: menus, footer and settings, which the
layout shows). Without that generation (the page cache off, or its Redis unreachable) nothing
is kept. Only anonymous visitors with no message waiting get a kept page: a signed-in one's
form is prefilled, and their layout names them.

The two holes are random per process, so no text an editor types can be taken for them."""

import secrets

from django.contrib.messages.storage.cookie import CookieStorage
from django.middleware.csrf import get_token
from django.template.loader import render_to_string

from events.models import Event

CSRF_HOLE = f"csrf{secrets.token_hex(16)}"
KEY_HOLE = f"key{secrets.token_hex(16)}"
MAX_PAGES = 256

_pages: dict[tuple, str] = {}


def may_keep(request) -> bool:
    generation = getattr(request, "content_generation", None)
    return (
        generation is not None
        and request.method in ("GET", "HEAD")
        and not request.user.is_authenticated
        and CookieStorage.cookie_name not in request.COOKIES
    )


def _key(request, event: Event, shown: dict) -> tuple:
    loaded = tuple(
        (field.attname, event.__dict__[field.attname])
        for field in Event._meta.concrete_fields
        if field.attname in event.__dict__
    )
    return (
        request.content_generation,
        request.get_host(),
        request.get_full_path(),
        loaded,
        repr(sorted((name, str(value)) for name, value in shown.items())),
    )


def render(request, template: str, context: dict, shown: dict, submission_key: str) -> str:
    """The page for this visitor: the kept one with their token and key, or rendered and kept.
    `shown`: what the page shows besides the event (seats left, why it is closed)."""
    key = _key(request, context["event"], shown)
    page = _pages.get(key)
    if page is None:
        page = render_to_string(
            template,
            {**context, "csrf_token": CSRF_HOLE, "submission_key": KEY_HOLE},
            request,
        )
        if len(_pages) >= MAX_PAGES:
            _pages.clear()  # a flood of addresses or events: start again rather than grow
        _pages[key] = page
    return page.replace(CSRF_HOLE, get_token(request)).replace(KEY_HOLE, submission_key)
