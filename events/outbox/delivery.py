"""Writing messages to the outbox and delivering them.

`queue_message` writes the row (in the caller's transaction, so a message exists exactly when
the change it reports does). `send_due` claims due email rows in batches with
SELECT ... FOR UPDATE SKIP LOCKED, sends each batch over one SMTP connection, and marks each row
as it goes; `recover_stale` gives back rows a killed worker had claimed. A message can be sent
twice only if a worker dies between the SMTP server's acceptance and the row's update: the
duplicates are at most the messages in flight at that moment, and they keep their Message-ID.
"""

import datetime as dt
import logging
import smtplib
import socket
from email.utils import make_msgid

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import IntegrityError, transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone

from events import ical, tokens
from events.models.outbox import OutboxMessage

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 8


def message_domain() -> str:
    return getattr(settings, "EMAIL_MESSAGE_ID_DOMAIN", "") or "vivre-ensemble.localhost"


CALENDAR_KINDS = {
    OutboxMessage.Kind.CONFIRMATION,
    OutboxMessage.Kind.PROMOTED,
    OutboxMessage.Kind.CHANGED,
    OutboxMessage.Kind.CANCELLED,
    OutboxMessage.Kind.PROGRAMME,
}


def queue_message(
    *,
    kind: str,
    person,
    dedup_key: str,
    registration=None,
    due_at: dt.datetime | None = None,
) -> OutboxMessage | None:
    """Write one message for `person` (email when they have an address, the mediators' call
    list when they have only a phone), in the caller's transaction. Its text is rendered when it
    is sent, outside the locks of sign-up. Returns None when this fact was already written."""
    channel = OutboxMessage.Channel.EMAIL if person.email else OutboxMessage.Channel.CALL
    try:
        # A savepoint: a key already written (a task run twice, a concurrent duplicate) leaves
        # the caller's transaction intact. Inserting first saves a lookup on the sign-up path.
        with transaction.atomic():
            message = OutboxMessage.objects.create(
                dedup_key=dedup_key,
                kind=kind,
                channel=channel,
                person=person,
                registration=registration,
                to_email=person.email or "",
                to_phone=person.phone or "",
                message_id=make_msgid(domain=message_domain()),
                due_at=due_at or timezone.now(),
            )
    except IntegrityError:
        if OutboxMessage.objects.filter(dedup_key=dedup_key).exists():
            return None
        raise
    if channel == OutboxMessage.Channel.EMAIL:
        from events.tasks import deliver_outbox

        deliver_outbox.delay_on_commit()
    return message


def message_context(message: OutboxMessage) -> dict:
    base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    context = {"person": message.person, "site_url": base, "message": message}
    if message.kind == OutboxMessage.Kind.FOLLOW and message.person is not None:
        from events.models import SeriesFollow
        from events.series.rules import follow_url

        context["follows"] = [
            {"title": f.series.title, "url": base + follow_url(f)}
            for f in SeriesFollow.objects.filter(person=message.person, stopped_at__isnull=True)
            .select_related("series")
            .order_by("series__title")
        ]
    registration = message.registration
    if registration is not None:
        event = registration.event
        context.update(
            registration=registration,
            event=event,
            event_url=base + event.get_absolute_url(),
            participants=list(registration.participants.all()),
            manage_url=base + tokens.manage_url(registration.booking),
        )
        if message.kind == OutboxMessage.Kind.SURVEY:
            from events.attendance.surveys import survey_url

            context["survey_url"] = base + survey_url(registration)
        elif message.kind == OutboxMessage.Kind.REMINDER:
            context["cant_come_url"] = base + tokens.cant_come_url(registration)
        if message.kind == OutboxMessage.Kind.PROGRAMME:
            from events.programme.rules import message_context as programme_context

            context.update(programme_context(registration.booking))
    return context


def render(message: OutboxMessage, save: bool = True) -> OutboxMessage:
    """Fill in the message's subject, text, HTML and calendar attachment, once: what was sent
    (or read out on the phone) stays recorded on the row. With save=False the caller writes
    the fields (the call list saves a whole page of rows in one query)."""
    if message.subject:
        return message
    template = f"events/emails/{message.kind}"
    context = message_context(message)
    message.subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())[:255]
    message.body_text = render_to_string(f"{template}.txt", context)
    message.body_html = render_to_string(f"{template}.html", context)
    if message.kind in CALENDAR_KINDS and "event" in context:
        event = context["event"]
        events = context.get("calendar_events") or [event]  # a programme: every session
        content = ical.calendar(
            events, name=context.get("calendar_name", event.title), base_url=context["site_url"]
        )
        message.attachments = [
            {
                "filename": context.get("calendar_filename", f"{event.slug}.ics"),
                "content": content.decode() if isinstance(content, bytes) else content,
                "mimetype": "text/calendar",
            }
        ]
    if not save:
        return message
    OutboxMessage.objects.filter(pk=message.pk).update(
        subject=message.subject,
        body_text=message.body_text,
        body_html=message.body_html,
        attachments=message.attachments,
    )
    return message


def claim_batch(batch_size: int) -> list[OutboxMessage]:
    """Take up to `batch_size` due email rows that no other worker holds."""
    now = timezone.now()
    with transaction.atomic():
        ids = list(
            OutboxMessage.objects.select_for_update(skip_locked=True)
            .filter(
                channel=OutboxMessage.Channel.EMAIL,
                state=OutboxMessage.State.PENDING,
                due_at__lte=now,
            )
            .order_by("due_at", "pk")
            .values_list("pk", flat=True)[:batch_size]
        )
        if ids:
            OutboxMessage.objects.filter(pk__in=ids).update(
                state=OutboxMessage.State.SENDING, claimed_at=now, attempts=F("attempts") + 1
            )
    return list(
        OutboxMessage.objects.filter(pk__in=ids)
        .select_related("person", "registration__event", "registration__booking")
        .order_by("due_at", "pk")
    )


def is_transient(exc: Exception) -> bool:
    """A failure worth retrying later: a 4xx reply, a timeout, a dropped connection (the
    newsletter's sender shares this rule)."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return all(400 <= code < 500 for code, _ in exc.recipients.values())
    if isinstance(exc, smtplib.SMTPResponseException):
        return 400 <= exc.smtp_code < 500
    return isinstance(exc, smtplib.SMTPServerDisconnected | socket.timeout | OSError)


def retry_delay(attempts: int, base: int = 30) -> int:
    """Seconds before the next try after `attempts` tries: doubling from `base`, at most an hour."""
    return min(base * 2 ** max(attempts - 1, 0), 3600)


def _build(message: OutboxMessage, connection) -> EmailMultiAlternatives:
    email = EmailMultiAlternatives(
        subject=message.subject,
        body=message.body_text,
        to=[message.to_email],
        headers={"Message-ID": message.message_id},
        connection=connection,
    )
    if message.body_html:
        email.attach_alternative(message.body_html, "text/html")
    for attachment in message.attachments:
        email.attach(attachment["filename"], attachment["content"], attachment["mimetype"])
    return email


def _mark(message: OutboxMessage, **fields) -> None:
    # Only a row still in our hands: a recovered and re-claimed row belongs to another worker.
    OutboxMessage.objects.filter(pk=message.pk, state=OutboxMessage.State.SENDING).update(**fields)


def _failed(message: OutboxMessage, exc: Exception) -> None:
    error = f"{type(exc).__name__}: {exc}"[:2000]
    if is_transient(exc) and message.attempts < MAX_ATTEMPTS:
        delay = retry_delay(message.attempts)
        _mark(
            message,
            state=OutboxMessage.State.PENDING,
            claimed_at=None,
            last_error=error,
            due_at=timezone.now() + dt.timedelta(seconds=delay),
        )
        logger.warning("outbox %s: transient failure, retry in %ss: %s", message.pk, delay, error)
    else:
        _mark(message, state=OutboxMessage.State.FAILED, last_error=error)
        logger.error("outbox %s: failed for good: %s", message.pk, error)


def send_batch(batch: list[OutboxMessage]) -> int:
    """Send a claimed batch over one SMTP connection; return how many were sent."""
    sent = 0
    connection = get_connection()
    try:
        connection.open()
    except Exception as exc:  # the server is unreachable: every message of the batch waits
        for message in batch:
            _failed(message, exc)
        return 0
    try:
        for message in batch:
            try:
                _build(render(message), connection).send()
            except Exception as exc:  # recorded on the row: one bad message never stops a batch
                _failed(message, exc)
                connection.close()
                try:
                    connection.open()
                except Exception as reopen_exc:
                    for rest in batch[batch.index(message) + 1 :]:
                        _failed(rest, reopen_exc)
                    return sent
            else:
                _mark(
                    message, state=OutboxMessage.State.SENT, sent_at=timezone.now(), last_error=""
                )
                sent += 1
    finally:
        connection.close()
    return sent


def send_due(batch_size: int | None = None, max_batches: int | None = None) -> int:
    """Claim and send due email messages until none is left (or `max_batches` were sent)."""
    batch_size = batch_size or settings.OUTBOX_BATCH_SIZE
    total = batches = 0
    while max_batches is None or batches < max_batches:
        batch = claim_batch(batch_size)
        if not batch:
            break
        total += send_batch(batch)
        batches += 1
    return total


def recover_stale(timeout_seconds: int | None = None) -> int:
    """Give back rows claimed longer ago than the claim timeout (their worker died)."""
    timeout_seconds = settings.OUTBOX_CLAIM_TIMEOUT if timeout_seconds is None else timeout_seconds
    limit = timezone.now() - dt.timedelta(seconds=timeout_seconds)
    return OutboxMessage.objects.filter(
        state=OutboxMessage.State.SENDING, claimed_at__lt=limit
    ).update(state=OutboxMessage.State.PENDING, claimed_at=None)
