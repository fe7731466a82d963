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
from django.utils.translation import gettext as _

from community import mail_engine, queue, sms
from community.mail_engine import message_domain
from events import ical, tokens
from events.models.outbox import OutboxMessage, SmsOptOut
from events.outbox import kinds, short_links

QUEUE = mail_engine.MailQueue(
    model=OutboxMessage,
    label="outbox",
    batch_size_setting="OUTBOX_BATCH_SIZE",
    claim_timeout_setting="OUTBOX_CLAIM_TIMEOUT",
    where={"channel": OutboxMessage.Channel.EMAIL},
    order_by=("due_at", "pk"),
    select_related=("person", "registration__event", "registration__booking"),
)

SMS_QUEUE = mail_engine.MailQueue(
    model=OutboxMessage,
    label="sms",
    batch_size_setting="SMS_BATCH_SIZE",
    claim_timeout_setting="OUTBOX_CLAIM_TIMEOUT",
    where={"channel": OutboxMessage.Channel.SMS},
    order_by=("due_at", "pk"),
    select_related=("person", "registration__event", "registration__booking"),
    connect=sms.get_connection,
    max_attempts_setting="SMS_MAX_ATTEMPTS",
    # Rendered again as a call (what the mediator reads out) when the call list shows it.
    gave_up={
        "channel": OutboxMessage.Channel.CALL,
        "state": OutboxMessage.State.PENDING,
        "claimed_at": None,
        "subject": "",
        "body_text": "",
    },
)


def texts_allowed(phone: str | None) -> bool:
    """Whether a text may go to `phone`: texts are on, and it is a mobile whose owner did not
    answer STOP."""
    return (
        sms.enabled()
        and sms.is_mobile(phone)
        and not SmsOptOut.objects.filter(phone=phone).exists()
    )


def channel_for(kind: str, person, registration=None) -> str:
    """Text when the kind has one, the booking records the consent to texts and the number can
    take them; otherwise email when there is an address; otherwise the call list."""
    if (
        registration is not None
        and registration.booking.sms_consent_at is not None
        and kinds.get(kind).sms is not None
        and texts_allowed(person.phone)
    ):
        return OutboxMessage.Channel.SMS
    return OutboxMessage.Channel.EMAIL if person.email else OutboxMessage.Channel.CALL


def queue_message(
    *,
    kind: str,
    person,
    dedup_key: str,
    registration=None,
    due_at: dt.datetime | None = None,
    key_is_new: bool = False,
) -> OutboxMessage | None:
    """Write one message for `person` (a text, an email or a row of the mediators' call list:
    `channel_for`), in the caller's transaction. Its text is rendered when it is sent, outside
    the locks of sign-up. Returns None when this fact was already written.

    `key_is_new`: `dedup_key` names something the caller's transaction has just created (a new
    registration), so no row can hold it yet: the row is written without the savepoint that
    guards against a key already written (two queries saved under the sign-up's lock)."""
    channel = channel_for(kind, person, registration)
    fields = {
        "dedup_key": dedup_key,
        "kind": kind,
        "channel": channel,
        "person": person,
        "registration": registration,
        "to_email": person.email or "",
        "to_phone": person.phone or "",
        "message_id": make_msgid(domain=message_domain()),
        "due_at": due_at or timezone.now(),
    }
    if key_is_new:
        message = OutboxMessage.objects.create(**fields)
    else:
        try:
            # A savepoint: a key already written (a task run twice, a concurrent duplicate)
            # leaves the caller's transaction intact. Inserting first saves a lookup.
            with transaction.atomic():
                message = OutboxMessage.objects.create(**fields)
        except IntegrityError:
            if OutboxMessage.objects.filter(dedup_key=dedup_key).exists():
                return None
            raise
    if channel == OutboxMessage.Channel.EMAIL:
        queue.after_commit_drain("events.deliver_outbox")
    elif channel == OutboxMessage.Channel.SMS:
        queue.after_commit_drain("events.deliver_sms")
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
    kind = kinds.get(message.kind)
    if kind.calendar and "event" in context:
        event = context["event"]
        events = context.get("calendar_events") or [event]  # a programme: every session
        content = ical.calendar(
            events,
            name=context.get("calendar_name", event.title),
            base_url=context["site_url"],
            method=kind.calendar_method,
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


# -- text messages -------------------------------------------------------------------------------


# The languages a text message is written in: those of the GSM 7-bit alphabet, 160 characters a
# message. Arabic needs UCS-2, 70 characters a message, of which the date and the short link
# take about 55: too few for what the message is about, so an Arabic booking is texted in French.
SMS_LANGUAGES = ("fr", "en")


def sms_language(message: OutboxMessage) -> str:
    language = message_language(message)
    return language if language in SMS_LANGUAGES else settings.LANGUAGE_CODE


def render_sms(message: OutboxMessage, save: bool = True) -> OutboxMessage:
    """Fill in the text of an SMS row, once (what was sent stays recorded on the row): the
    kind's text in the booking's language (SMS_LANGUAGES) with the short link to the booking,
    within one message."""
    if message.subject:
        return message
    registration = message.registration
    if registration is None:
        raise sms.SmsRefused("a text message needs a registration")
    with translation.override(sms_language(message)):
        link = settings.WAGTAILADMIN_BASE_URL.rstrip("/") + short_links.short_url(
            registration.booking
        )
        message.body_text = kinds.get(message.kind).sms(message, link)
    message.subject = (_("SMS : %(kind)s") % {"kind": message.get_kind_display()})[:255]
    if save:
        OutboxMessage.objects.filter(pk=message.pk).update(
            subject=message.subject, body_text=message.body_text
        )
    return message


def as_sms(message: OutboxMessage, connection=None) -> sms.SmsMessage:
    """The row as a text message on `connection`; refused (the row then goes to the call list)
    when its number answered STOP since the row was written."""
    if not texts_allowed(message.to_phone):
        raise sms.SmsRefused("the number refuses texts (STOP) or is not a mobile")
    message = render_sms(message)
    return sms.SmsMessage(
        to=message.to_phone, body=message.body_text, reference=message.kind, connection=connection
    )


def send_due_sms(batch_size: int | None = None, max_batches: int | None = None) -> int:
    """Claim and send due text messages until none is left (or `max_batches` were sent)."""
    return mail_engine.send_due(SMS_QUEUE, as_sms, batch_size=batch_size, max_batches=max_batches)
