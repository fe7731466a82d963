"""Account emails are rows before they are messages: the allauth adapter (community.adapters)
writes the rendered email with `queue_email` and queues `community.send_account_email`; a
broker or SMTP server that is away when a resident asks for a password reset costs a delay, not
an error page nor a lost email. `send_unsent` (recovery, beat and worker start) sends the rows
whose task was lost. Each row is sent at most once: sending locks it and marks it sent in the
same transaction as the SMTP exchange."""

from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.db import transaction
from django.utils import timezone

from community import queue
from community.models import AccountEmail


def queue_email(message: EmailMessage) -> list[AccountEmail]:
    """Write one row per recipient of `message` (as allauth rendered it) and queue its
    sending once the current transaction commits."""
    html = ""
    if isinstance(message, EmailMultiAlternatives):
        html = next((content for content, kind in message.alternatives if kind == "text/html"), "")
    elif message.content_subtype == "html":
        html = message.body
    rows = [
        AccountEmail.objects.create(
            to_email=to,
            from_email=message.from_email or "",
            subject=message.subject,
            body="" if html == message.body else message.body,
            html_body=html,
        )
        for to in message.to
    ]
    for row in rows:
        queue.after_commit("community.send_account_email", row.pk)
    return rows


def as_message(row: AccountEmail) -> EmailMessage:
    if not row.body:  # allauth rendered only an HTML body
        message = EmailMessage(row.subject, row.html_body, row.from_email or None, [row.to_email])
        message.content_subtype = "html"
        return message
    message = EmailMultiAlternatives(row.subject, row.body, row.from_email or None, [row.to_email])
    if row.html_body:
        message.attach_alternative(row.html_body, "text/html")
    return message


def send(pk: int) -> bool:
    """Send the row `pk` unless it was sent; False when there was nothing to send. An SMTP
    failure rolls back and propagates: the row stays unsent for the next try."""
    with transaction.atomic():
        row = AccountEmail.objects.select_for_update().filter(pk=pk, sent_at=None).first()
        if row is None:
            return False
        as_message(row).send()
        AccountEmail.objects.filter(pk=pk).update(sent_at=timezone.now(), body="", html_body="")
    return True


def send_unsent(now=None) -> int:
    """Send the rows whose task never ran (written more than UNSENT_EMAIL_GRACE_SECONDS ago,
    within UNSENT_EMAIL_WINDOW_DAYS), and forget sent rows past that window."""
    since, until = queue.lost_task_window(now or timezone.now())
    AccountEmail.objects.filter(sent_at__isnull=False, created_at__lt=since).delete()
    unsent = AccountEmail.objects.filter(sent_at=None, created_at__range=(since, until))
    return queue.send_each(unsent.values_list("pk", flat=True), send, "account email")
