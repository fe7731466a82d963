"""Writing messages to the outbox and delivering them.

`queue_message` writes the row (in the caller's transaction, so a message exists exactly when
the change it reports does). `send_due` sends due email rows through the batch mail engine
(community.mail_engine: claims with SELECT ... FOR UPDATE SKIP LOCKED held as leases the sender
renews while it works, one SMTP connection a batch, retries, failures); `recover_stale` gives
back rows whose lease lapsed (their worker died). A message
can be sent twice only if a worker dies between the SMTP server's acceptance and the row's
update: the duplicates are at most the messages in flight at that moment, and they keep their
Message-ID. Each kind's context comes from the feature that sends it (events.outbox.kinds).
"""

import datetime as dt
from email.utils import make_msgid

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from community import mail_engine, queue
from community.mail_engine import message_domain
from events import ical, tokens
from events.models.outbox import OutboxMessage
from events.outbox import kinds

QUEUE = mail_engine.MailQueue(
    model=OutboxMessage,
    label="outbox",
    batch_size_setting="OUTBOX_BATCH_SIZE",
    claim_timeout_setting="OUTBOX_CLAIM_TIMEOUT",
    where={"channel": OutboxMessage.Channel.EMAIL},
    order_by=("due_at", "pk"),
    select_related=("person", "registration__event", "registration__booking"),
)


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
        queue.after_commit("events.deliver_outbox")
    return message


def message_context(message: OutboxMessage) -> dict:
    """What every message's templates read (the person, the site, and for a registration its
    event and links), plus what its kind adds."""
    base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    context = {"person": message.person, "site_url": base, "message": message}
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
    kind = kinds.get(message.kind)
    if kind.context is not None:
        context.update(kind.context(message, base))
    return context


def render(message: OutboxMessage, save: bool = True) -> OutboxMessage:
    """Fill in the message's subject, text, HTML and calendar attachment, once: what was sent
    (or read out on the phone) stays recorded on the row. With save=False the caller writes
    the fields (the call list saves a whole page of rows in one query)."""
    if message.subject:
        return message
    # Written in the language of the page the booking was made on (links included).
    with translation.override(message_language(message)):
        _render_fields(message)
    if not save:
        return message
    OutboxMessage.objects.filter(pk=message.pk).update(
        subject=message.subject,
        body_text=message.body_text,
        body_html=message.body_html,
        attachments=message.attachments,
    )
    return message


def message_language(message: OutboxMessage) -> str:
    registration = message.registration
    if registration is not None and registration.booking.language:
        return registration.booking.language
    return settings.LANGUAGE_CODE


def _render_fields(message: OutboxMessage) -> None:
    template = f"events/emails/{message.kind}"
    context = message_context(message)
    message.subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())[:255]
    message.body_text = render_to_string(f"{template}.txt", context)
    message.body_html = render_to_string(f"{template}.html", context)
    if kinds.get(message.kind).calendar and "event" in context:
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


def as_email(message: OutboxMessage, connection=None) -> EmailMultiAlternatives:
    """The message as an email (rendered first if it was not yet)."""
    message = render(message)
    mail = EmailMultiAlternatives(
        subject=message.subject,
        body=message.body_text,
        to=[message.to_email],
        headers={"Message-ID": message.message_id},
        connection=connection,
    )
    if message.body_html:
        mail.attach_alternative(message.body_html, "text/html")
    for attachment in message.attachments:
        mail.attach(attachment["filename"], attachment["content"], attachment["mimetype"])
    return mail


def claim_batch(batch_size: int) -> list[OutboxMessage]:
    """Take up to `batch_size` due email rows that no other worker holds."""
    return mail_engine.claim(QUEUE, batch_size)


def send_batch(batch: list[OutboxMessage]) -> int:
    """Send a claimed batch over one SMTP connection; return how many were sent."""
    return mail_engine.send_batch(QUEUE, batch, as_email)


def send_due(batch_size: int | None = None, max_batches: int | None = None) -> int:
    """Claim and send due email messages until none is left (or `max_batches` were sent)."""
    return mail_engine.send_due(QUEUE, as_email, batch_size=batch_size, max_batches=max_batches)


def recover_stale(timeout_seconds: int | None = None) -> int:
    """Give back rows whose lease (OUTBOX_CLAIM_TIMEOUT) lapsed: their worker died."""
    return mail_engine.recover_stale(QUEUE, timeout_seconds)
