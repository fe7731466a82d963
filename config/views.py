"""Project-level views that belong to no app."""

import logging
import threading
import time

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import RequestDataTooBig
from django.db import connection, transaction
from django.http import HttpResponse, HttpResponseBadRequest, HttpResponseRedirect, JsonResponse
from django.template import loader
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET

from cms.models import Campaign, Delivery
from community import heartbeat
from config.celery_app import app as celery_app
from events.models.outbox import OutboxMessage

logger = logging.getLogger(__name__)


class _Check(threading.Thread):
    """One check in its own thread, so that a client with no timeout (or a server that answers
    nothing) cannot hold the health answer past HEALTH_TIMEOUT_SECONDS."""

    def __init__(self, check):
        super().__init__(daemon=True)
        self.check = check
        self.error: Exception | None = None

    def run(self):
        try:
            self.check()
        except Exception as exc:  # a health check reports every failure, whatever its kind
            self.error = exc


def _check_cache() -> None:
    cache.set("health-check", "ok", 10)
    if cache.get("health-check") != "ok":
        raise RuntimeError("the cache did not return the value just written")


def _check_broker() -> None:
    # The connection carries the broker's transport options (connect and socket timeouts).
    with celery_app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, timeout=settings.REDIS_CONNECT_TIMEOUT)


def _oldest_due(queryset, now) -> float | None:
    due_at = queryset.filter(due_at__lte=now).order_by("due_at").values_list("due_at", flat=True)
    first = due_at.first()
    return None if first is None else (now - first).total_seconds()


PROCESSES = (heartbeat.WORKER, heartbeat.BEAT)


def _database_status() -> dict:
    """The database answers; how long the oldest email due has waited (the sign-up outbox and
    the newsletters being sent) and when a worker and beat were last alive: a stopped worker
    shows here even when the broker is up."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            timeout_ms = int(settings.HEALTH_TIMEOUT_SECONDS * 1000)
            with connection.cursor() as cursor:
                cursor.execute(f"SET LOCAL statement_timeout = {timeout_ms}")
        now = timezone.now()
        waits = [
            _oldest_due(
                OutboxMessage.objects.filter(
                    channel__in=[OutboxMessage.Channel.EMAIL, OutboxMessage.Channel.SMS],
                    state__in=[OutboxMessage.State.PENDING, OutboxMessage.State.SENDING],
                ),
                now,
            ),
            _oldest_due(
                Delivery.objects.filter(
                    campaign__state=Campaign.State.SENDING,
                    state__in=[Delivery.State.PENDING, Delivery.State.SENDING],
                ),
                now,
            ),
        ]
        alive = {kind: heartbeat.seconds_since(kind, now) for kind in PROCESSES}
    waits = [wait for wait in waits if wait is not None]
    oldest = round(max(waits)) if waits else None
    late = oldest is not None and oldest > settings.HEALTH_OUTBOX_MAX_AGE_SECONDS
    status = {
        "database": "ok",
        "outbox": "late" if late else "ok",
        "outbox_oldest_pending_seconds": oldest,
    }
    limit = settings.HEALTH_HEARTBEAT_MAX_AGE_SECONDS
    for kind, seconds in alive.items():
        status[f"{kind}_last_seen_seconds"] = None if seconds is None else round(seconds)
        if not limit:
            status[kind] = "unchecked"
        else:
            status[kind] = "ok" if seconds is not None and seconds <= limit else "late"
    return status


@never_cache
@require_GET
def health(request):
    """For a load balancer or a supervisor: the database, the cache and the broker answer, no
    email due waits longer than HEALTH_OUTBOX_MAX_AGE_SECONDS, and a worker and beat were alive
    within HEALTH_HEARTBEAT_MAX_AGE_SECONDS; 200 when all hold, else 503.
    Answers within HEALTH_TIMEOUT_SECONDS whatever hangs (a check still running is an error)."""
    deadline = time.monotonic() + settings.HEALTH_TIMEOUT_SECONDS
    redis_checks = {"cache": _Check(_check_cache), "broker": _Check(_check_broker)}
    for check in redis_checks.values():
        check.start()
    try:
        status = _database_status()
    except Exception as exc:  # a health check reports every failure, whatever its kind
        logger.warning("health check database failed: %s", exc)
        status = {"database": "error", "outbox": "error", "outbox_oldest_pending_seconds": None}
        status.update({kind: "error" for kind in PROCESSES})
    for name, check in redis_checks.items():
        check.join(max(deadline - time.monotonic(), 0))
        if check.is_alive() or check.error is not None:
            reason = check.error or f"no answer within {settings.HEALTH_TIMEOUT_SECONDS}s"
            logger.warning("health check %s failed: %s", name, reason)
            status[name] = "error"
        else:
            status[name] = "ok"
    checked = ("database", "outbox", *redis_checks, *PROCESSES)
    healthy = all(status[name] in ("ok", "unchecked") for name in checked)
    return JsonResponse(
        {"status": "ok" if healthy else "error", **status}, status=200 if healthy else 503
    )


def bad_request(request, exception):
    """Django's 400 handler (a malformed or hostile request: bad Host header, too many fields, a
    body over DATA_UPLOAD_MAX_MEMORY_SIZE). Plain French pages that read neither the database
    nor the request, which may be what is broken; a body too large is told as such (413)."""
    if isinstance(exception, RequestDataTooBig):
        return HttpResponse(loader.render_to_string("413.html"), status=413)
    return HttpResponseBadRequest(loader.render_to_string("400.html"))


@csrf_exempt
def admin_login_redirect(request):
    """Wagtail's own login URL: one door only. GET and POST are sent, without being read, to
    allauth's login (with its rate limits); nobody is ever authenticated here."""
    target = reverse("account_login")
    next_url = request.GET.get("next", "")
    if next_url and url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target += "?" + urlencode({"next": next_url})
    return HttpResponseRedirect(target)
