"""Rate limits for the public forms that write or send mail (sign-up, series, programme,
newsletter, contact forms, voices, join and stand requests).

One mechanism for all of them: each form's view is declared with a scope of
`settings.PUBLIC_RATE_LIMITS` ({"scope": {"ip": (limit, seconds), "address": (limit, seconds)}})
and the email or phone fields it reads. A POST counts once per client address and once per
address typed (normalised, so "A@x.fr " and "a@x.fr" share a bucket); over either limit the
visitor gets a French page with status 429 and the view never runs: nothing is written, no mail
is queued. Every POST counts, valid or not, so a robot cannot probe for free.

The counters live in Django's cache (Redis in production, shared by every process), in fixed
windows: at worst twice the limit passes across a window's edge, which is enough to stop a
mail bomb. Keys are HMACs: the cache never holds an email or a phone in clear.
"""

import ipaddress
import logging
import time
from collections.abc import Callable, Iterable
from functools import wraps

from django.conf import settings
from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.utils.crypto import salted_hmac

from community import counters
from community.normalise import normalise_email, normalise_phone

logger = logging.getLogger(__name__)

MESSAGE_TEMPLATE = "community/rate_limited.html"
_declared: set[str] = set()


def declare(scope: str) -> None:
    """Name a scope used through `check` (the decorator declares its own)."""
    _declared.add(scope)


def declared_scopes() -> set[str]:
    """The scopes views declared (with `limit_public_posts`): a test checks each has limits."""
    return set(_declared)


def hit(scope: str, key: str, limit: int, period: int) -> bool:
    """Count one request for `key` in `scope`; False when it goes over `limit` in `period`
    seconds (the request must then be refused)."""
    window = int(time.time() // period)
    digest = salted_hmac("community.ratelimit", f"{scope}:{key}").hexdigest()[:32]
    cache_key = f"rl:{scope}:{digest}:{period}:{window}"
    try:
        count = counters.count(cache_key, timeout=period + 1)
    except Exception:  # the cache (Redis) is away: whatever its client raises
        # A limit that cannot count lets the request through rather than turn a resident's
        # sign-up into an error page; the outage is logged.
        logger.warning("rate limit %s not counted: the cache is unavailable", scope, exc_info=True)
        return True
    return count <= limit


def client_ip(request) -> str:
    """The visitor's address: REMOTE_ADDR, or, behind `TRUSTED_PROXY_COUNT` proxies that each
    append the address they saw to X-Forwarded-For, the entry the outermost trusted proxy wrote
    (what the client wrote before it is ignored). A malformed header falls back to REMOTE_ADDR."""
    remote = request.META.get("REMOTE_ADDR", "") or "unknown"
    trusted = int(getattr(settings, "TRUSTED_PROXY_COUNT", 0) or 0)
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if trusted <= 0 or not forwarded:
        return remote
    hops = [hop.strip() for hop in forwarded.split(",")]
    if len(hops) < trusted:
        return remote
    try:
        return str(ipaddress.ip_address(hops[-trusted]))
    except ValueError:
        return remote


def _normalised(value: str) -> str:
    value = (value or "").strip()
    if not value:
        return ""
    if "@" in value:
        return normalise_email(value)
    try:
        return normalise_phone(value) or value
    except ValidationError:  # a malformed phone is still an address to count, as typed
        return "".join(value.split()).lower()


def allowed(request, scope: str, addresses: Iterable[str] = ()) -> bool:
    """Count this request against the scope's limits (client address, then each address
    typed); False when one of them is exceeded."""
    limits = settings.PUBLIC_RATE_LIMITS.get(scope, {})
    if "ip" in limits:
        limit, period = limits["ip"]
        if not hit(f"{scope}:ip", client_ip(request), limit, period):
            return False
    if "address" in limits:
        limit, period = limits["address"]
        for address in {_normalised(a) for a in addresses} - {""}:
            if not hit(f"{scope}:address", address, limit, period):
                return False
    return True


def refused(request):
    """The page a visitor over a limit sees (status 429, in French)."""
    return render(request, MESSAGE_TEMPLATE, status=429)


def check(request, scope: str, fields: Iterable[str] = ("email", "phone")):
    """For a view's POST: None when it may go on, else the 429 response to return."""
    _declared.add(scope)
    if request.method != "POST":
        return None
    addresses = [request.POST.get(name, "") for name in fields]
    return None if allowed(request, scope, addresses) else refused(request)


def limit_public_posts(scope: str, fields: Iterable[str] = ("email", "phone")) -> Callable:
    """Decorator for a public view taking `request` first: its POSTs are limited by `scope`."""
    fields = tuple(fields)
    _declared.add(scope)

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            refusal = check(request, scope, fields)
            if refusal is not None:
                return refusal
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
