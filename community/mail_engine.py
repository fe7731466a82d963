"""The batch mail engine: every email that matters is a row with a state before it is sent.

The sign-up outbox (events.outbox.delivery) and the newsletter (cms.newsletter.rules) send their
rows through these functions, each describing its row model with a `MailQueue` and building each
row's email with its own callback; the engine knows no feature. The outbox's text messages use it
too: their queue opens an SMS backend's connection instead of SMTP, and turns a row that failed
for good into a call-list row instead of a failed one (`MailQueue.connect`, `gave_up`). Workers claim due rows in
batches with SELECT ... FOR UPDATE SKIP LOCKED, send a batch over one SMTP connection and mark
each row right after the server accepted it, so a worker killed mid-batch can double at most the
message in flight (which keeps its Message-ID). A transient refusal (4xx, a dropped connection)
puts the row back with a doubling delay; a permanent one (5xx) fails it.

A claim is a lease: `claimed_at` is when the sender last renewed it, and the sender renews the
lease of the rows still in its batch as it works through them (`hold`, before each message once
a sixth of the lease has passed), so however slow the SMTP server, a live sender keeps its rows.
The stamp also says whose rows they are: a sender only writes, renews and sends rows that still
carry the stamp it wrote, so once its lease lapsed and `recover_stale` gave its rows to another
sender (it froze, or died), it sends none of them. The lease (the queue's claim timeout setting)
must outlast one SMTP exchange plus a sixth of itself; recovery (beat, each worker at start)
gives back the rows whose lease lapsed. Clocks of the machines must agree (NTP) to well under
the lease."""

import datetime as dt
import logging
import smtplib
import socket
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import models, transaction
from django.db.models import F
from django.utils import timezone

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 8


def message_domain() -> str:
    """The domain of the Message-IDs the platform writes."""
    return getattr(settings, "EMAIL_MESSAGE_ID_DOMAIN", "") or "vivre-ensemble.localhost"


def is_transient(exc: Exception) -> bool:
    """A failure worth retrying later: a 4xx reply, a timeout, a dropped connection (or what
    an exception says of itself with a `transient` attribute: the SMS backends' errors)."""
    transient = getattr(exc, "transient", None)
    if transient is not None:
        return bool(transient)
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return all(400 <= code < 500 for code, _ in exc.recipients.values())
    if isinstance(exc, smtplib.SMTPResponseException):
        return 400 <= exc.smtp_code < 500
    return isinstance(exc, smtplib.SMTPServerDisconnected | socket.timeout | OSError)


def retry_delay(attempts: int, base: int = 30) -> int:
    """Seconds before the next try after `attempts` tries: doubling from `base`, at most an hour."""
    return min(base * 2 ** max(attempts - 1, 0), 3600)


@dataclass(frozen=True)
class MailQueue:
    """Which rows a sender works on and where they keep their state.

    The field names and state values default to what both row models use; the settings are
    read when the engine runs (tests and deployments change them)."""

    model: type[models.Model]
    label: str  # names the rows in log lines
    batch_size_setting: str
    claim_timeout_setting: str  # the lease, in seconds
    retry_base_setting: str | None = None  # None: 30 seconds
    rate_setting: str | None = None  # messages a second from one process; None: no pacing
    where: dict = field(default_factory=dict)  # what makes a row this sender's (a channel)
    # Opens the connection a batch is sent over; None: Django's email connection.
    connect: Callable[[], object] | None = None
    max_attempts_setting: str | None = None  # None: MAX_ATTEMPTS
    # What a row that failed for good becomes; None: failed. (A text message that could not be
    # sent goes to the mediators' call list instead.)
    gave_up: dict | None = None
    order_by: Sequence[str] = ("pk",)
    select_related: Sequence[str] = ()
    state_field: str = "state"
    claimed_at_field: str = "claimed_at"
    attempts_field: str = "attempts"
    due_at_field: str = "due_at"
    last_error_field: str = "last_error"
    sent_at_field: str = "sent_at"
    pending: str = "pending"
    sending: str = "sending"
    sent: str = "sent"
    failed: str = "failed"

    @property
    def rows(self) -> models.QuerySet:
        return self.model._default_manager.all()

    def batch_size(self) -> int:
        return getattr(settings, self.batch_size_setting)

    def lease_seconds(self) -> float:
        return getattr(settings, self.claim_timeout_setting)

    def retry_base(self) -> int:
        return getattr(settings, self.retry_base_setting) if self.retry_base_setting else 30

    def max_attempts(self) -> int:
        return (
            getattr(settings, self.max_attempts_setting)
            if self.max_attempts_setting
            else MAX_ATTEMPTS
        )

    def connection(self):
        return self.connect() if self.connect is not None else get_connection()

    def pace(self) -> "Pace":
        return Pace(getattr(settings, self.rate_setting) if self.rate_setting else 0)


class Pace:
    """At most `rate` messages a second from this process (0: no limit)."""

    def __init__(self, rate: float):
        self.interval = 1.0 / rate if rate and rate > 0 else 0.0
        self.next_at = time.monotonic()

    def wait(self) -> None:
        if not self.interval:
            return
        now = time.monotonic()
        if self.next_at > now:
            time.sleep(self.next_at - now)
        self.next_at = max(self.next_at, now) + self.interval


# Builds a claimed row's email on the batch's connection; an exception fails that row only.
Build = Callable[[models.Model, object], EmailMessage]


def claim(queue: MailQueue, batch_size: int, **where) -> list:
    """Take up to `batch_size` due rows (of the queue, narrowed by `where`) that no other worker
    holds, and mark them claimed: one more attempt, claimed now."""
    now = timezone.now()
    due = {
        **queue.where,
        **where,
        queue.state_field: queue.pending,
        f"{queue.due_at_field}__lte": now,
    }
    with transaction.atomic():
        ids = list(
            queue.rows.select_for_update(skip_locked=True)
            .filter(**due)
            .order_by(*queue.order_by)
            .values_list("pk", flat=True)[:batch_size]
        )
        if ids:
            queue.rows.filter(pk__in=ids).update(
                **{
                    queue.state_field: queue.sending,
                    queue.claimed_at_field: now,
                    queue.attempts_field: F(queue.attempts_field) + 1,
                }
            )
    if not ids:
        return []
    return list(
        queue.rows.filter(pk__in=ids)
        .select_related(*queue.select_related)
        .order_by(*queue.order_by)
    )


def mark(queue: MailQueue, row, **fields) -> int:
    """Write `fields` on a row still in our hands (still sending, under the lease stamp we
    wrote): a recovered and re-claimed row belongs to another worker, and a row its owner took
    back (an unsubscription) is left alone."""
    return queue.rows.filter(
        pk=row.pk,
        **{
            queue.state_field: queue.sending,
            queue.claimed_at_field: getattr(row, queue.claimed_at_field),
        },
    ).update(**fields)


def hold(queue: MailQueue, rows: list, now: dt.datetime | None = None) -> list:
    """The rows of `rows` still ours, their lease renewed when a sixth of it has passed.

    Renewing writes a new stamp on the rows that still carry ours, in one UPDATE; a row that
    does not any more was given back by recovery (our lease lapsed) or taken back by its owner,
    and is left out: the sender must not send it."""
    if not rows:
        return rows
    now = now or timezone.now()
    stamp_field = queue.claimed_at_field
    renew_after = dt.timedelta(seconds=queue.lease_seconds() / 6)
    due = {}
    for row in rows:
        stamp = getattr(row, stamp_field)
        if stamp is None or now - stamp >= renew_after:
            due.setdefault(stamp, []).append(row)
    lost = set()
    for stamp, group in due.items():
        ids = [row.pk for row in group]
        ours = {queue.state_field: queue.sending, stamp_field: stamp}
        renewed = queue.rows.filter(pk__in=ids, **ours).update(**{stamp_field: now})
        if renewed < len(ids):
            kept = queue.rows.filter(
                pk__in=ids, **{queue.state_field: queue.sending, stamp_field: now}
            ).values_list("pk", flat=True)
            lost.update(set(ids) - set(kept))
        for row in group:
            setattr(row, stamp_field, now)
    if lost:
        logger.warning(
            "%s: lease lost on %s row(s) (recovered or taken back): not sent by this worker",
            queue.label,
            len(lost),
        )
    return [row for row in rows if row.pk not in lost]


def live_senders(queue: MailQueue, **where) -> int:
    """How many senders hold a live lease on rows of the queue (narrowed by `where`): the rows
    of one sender's batch share its stamp. A sender between two batches holds none."""
    limit = timezone.now() - dt.timedelta(seconds=queue.lease_seconds())
    return (
        queue.rows.filter(
            **queue.where,
            **where,
            **{queue.state_field: queue.sending, f"{queue.claimed_at_field}__gte": limit},
        )
        .order_by()
        .values(queue.claimed_at_field)
        .distinct()
        .count()
    )


def fail(queue: MailQueue, row, exc: Exception) -> None:
    """Record a failed send: back to pending after a delay when it is worth another try,
    failed for good otherwise."""
    error = f"{type(exc).__name__}: {exc}"[:2000]
    attempts = getattr(row, queue.attempts_field)
    if is_transient(exc) and attempts < queue.max_attempts():
        delay = retry_delay(attempts, base=queue.retry_base())
        mark(
            queue,
            row,
            **{
                queue.state_field: queue.pending,
                queue.claimed_at_field: None,
                queue.last_error_field: error,
                queue.due_at_field: timezone.now() + dt.timedelta(seconds=delay),
            },
        )
        logger.warning(
            "%s %s: transient failure, retry in %ss: %s", queue.label, row.pk, delay, error
        )
    else:
        gave_up = queue.gave_up if queue.gave_up is not None else {queue.state_field: queue.failed}
        mark(queue, row, **gave_up, **{queue.last_error_field: error})
        logger.error("%s %s: failed for good: %s", queue.label, row.pk, error)


def _sent(queue: MailQueue, row) -> None:
    mark(
        queue,
        row,
        **{
            queue.state_field: queue.sent,
            queue.sent_at_field: timezone.now(),
            queue.last_error_field: "",
        },
    )


def send_batch(queue: MailQueue, batch: list, build: Build, pace: Pace | None = None) -> int:
    """Send a claimed batch over one SMTP connection; return how many were sent. Each message
    is built, then the lease on the rest of the batch is renewed when due and the message is
    sent only if its row is still ours (`hold`): the check comes right before the SMTP exchange,
    after whatever building took. After a failed message the connection is opened again once
    (the server may have dropped it); if that fails too, the rest of the batch waits for its
    retry."""
    if not batch:
        return 0
    pace = pace or queue.pace()
    connection = queue.connection()
    try:
        connection.open()
    except Exception as exc:  # the server is unreachable: every message of the batch waits
        for row in batch:
            fail(queue, row, exc)
        return 0
    sent = 0
    rest = list(batch)
    try:
        while rest:
            pace.wait()
            row = rest[0]
            try:
                email = build(row, connection)
                rest = hold(queue, rest)
                if not rest or rest[0] is not row:
                    continue  # given to another sender while we worked: not ours to send
                rest = rest[1:]
                email.send()
            except Exception as exc:  # recorded on the row: one bad message never stops a batch
                if rest and rest[0] is row:  # it failed before it left the batch
                    rest = rest[1:]
                fail(queue, row, exc)
                connection.close()
                try:
                    connection.open()
                except Exception as reopen_exc:
                    for other in rest:
                        fail(queue, other, reopen_exc)
                    return sent
            else:
                _sent(queue, row)
                sent += 1
    finally:
        connection.close()
    return sent


def send_due(
    queue: MailQueue,
    build: Build,
    *,
    batch_size: int | None = None,
    max_batches: int | None = None,
    prepare: Callable[[list], list] | None = None,
    **where,
) -> int:
    """Claim and send due rows batch after batch until none is left (or `max_batches` were
    sent); `prepare` may set aside rows of a claimed batch (marking them) before it is sent.
    Returns how many were sent."""
    batch_size = batch_size or queue.batch_size()
    pace = queue.pace()  # one pace across batches: the rate holds for the whole run
    total = batches = 0
    while max_batches is None or batches < max_batches:
        batch = claim(queue, batch_size, **where)
        if not batch:
            break
        total += send_batch(queue, prepare(batch) if prepare else batch, build, pace)
        batches += 1
    return total


def recover_stale(queue: MailQueue, timeout_seconds: float | None = None) -> int:
    """Give back rows whose lease lapsed (not renewed for the lease's length: their worker
    died or froze)."""
    if timeout_seconds is None:
        timeout_seconds = queue.lease_seconds()
    limit = timezone.now() - dt.timedelta(seconds=timeout_seconds)
    return queue.rows.filter(
        **{queue.state_field: queue.sending, f"{queue.claimed_at_field}__lt": limit}
    ).update(**{queue.state_field: queue.pending, queue.claimed_at_field: None})
