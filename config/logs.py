"""Log lines: plain text by default, or one JSON object per line (LOG_FORMAT=json) for a log
collector, carrying the id and path of the request being served (and the Celery task being run)
so that every line of one request can be found together, with the proxy's access log line."""

import contextvars
import datetime as dt
import json
import logging
import re
import uuid

from celery import current_task

# (request id, path) of the request this thread is serving.
_current_request: contextvars.ContextVar[tuple[str, str] | None] = contextvars.ContextVar(
    "current_request", default=None
)
# nginx's $request_id is 32 hex digits; other proxies use UUIDs. Anything else is replaced, so a
# visitor cannot write what they like into the logs.
REQUEST_ID = re.compile(r"[A-Za-z0-9-]{8,64}")


class RequestIdMiddleware:
    """The request's id is the proxy's X-Request-ID header when it is well formed (the access
    log carries the same), a new one otherwise; log lines written while serving it carry it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        given = request.headers.get("X-Request-ID", "")
        request.request_id = given if REQUEST_ID.fullmatch(given) else uuid.uuid4().hex
        token = _current_request.set((request.request_id, request.path))
        try:
            return self.get_response(request)
        finally:
            _current_request.reset(token)


class JsonFormatter(logging.Formatter):
    """time (UTC, ISO 8601), level, logger, message, and when known request_id, path, task and
    task_id, status; the traceback as `exception`."""

    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": dt.datetime.fromtimestamp(record.created, dt.UTC)
            .isoformat(timespec="milliseconds")
            .replace("+00:00", "Z"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        served = _current_request.get()
        if served:
            line["request_id"], line["path"] = served
        elif getattr(record, "request", None) is not None:
            line["path"] = getattr(record.request, "path", "")
        if getattr(record, "status_code", None):
            line["status"] = record.status_code
        task = current_task
        if task:
            line["task"], line["task_id"] = task.name, task.request.id
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        elif record.stack_info:
            line["stack"] = self.formatStack(record.stack_info)
        return json.dumps(line, ensure_ascii=False, default=str)
