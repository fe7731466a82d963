"""Residents who answer STOP to a text: the SMS provider reports it to a webhook
(events.outbox.views.sms_report), which calls `record_reports`.

An opt-out is kept per number (`SmsOptOut`): no text goes to it any more (`delivery.channel_for`
and `delivery.as_sms` check it), and its texts not yet sent become rows of the call list."""

import base64
import binascii
import hmac

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction

from community.normalise import normalise_phone
from events.models.outbox import OutboxMessage, SmsOptOut

# Brevo's SMS webhook statuses that mean "no more texts": an unsubscription, or a reply that
# says STOP (French operators also route "STOP SMS", "ARRET").
OPT_OUT_STATUSES = {"unsubscribe", "unsubscribed", "unsubscription", "stop"}
REPLY_STATUSES = {"reply", "replied", "inbound"}
STOP_WORDS = ("STOP", "ARRET", "ARRÊT")


def secret_matches(authorization: str) -> bool:
    """Whether a request's Authorization header carries SMS_WEBHOOK_SECRET, as a bearer token
    or as the password of basic authentication (Brevo's webhooks offer both)."""
    secret = settings.SMS_WEBHOOK_SECRET
    if not secret:
        return False
    scheme, _, value = authorization.partition(" ")
    if scheme.lower() == "bearer":
        given = value.strip()
    elif scheme.lower() == "basic":
        try:
            given = base64.b64decode(value.strip()).decode().partition(":")[2]
        except (binascii.Error, ValueError, UnicodeDecodeError):
            return False
    else:
        return False
    return hmac.compare_digest(given.encode(), secret.encode())


def is_opt_out(report: dict) -> bool:
    status = str(report.get("msg_status") or report.get("event") or "").strip().lower()
    if status in OPT_OUT_STATUSES:
        return True
    if status in REPLY_STATUSES:
        reply = str(report.get("reply") or report.get("text") or report.get("content") or "")
        return reply.strip().upper().startswith(STOP_WORDS)
    return False


def report_phone(report: dict) -> str | None:
    """The E.164 number a report is about (Brevo writes it without the plus sign)."""
    raw = str(report.get("to") or report.get("from") or report.get("recipient") or "").strip()
    if not raw:
        return None
    if raw.isdigit():
        raw = "+" + raw
    try:
        return normalise_phone(raw)
    except ValidationError:
        return None


def record_opt_out(phone: str, source: str = "") -> bool:
    """Record that `phone` refuses texts; its texts still waiting become calls. True when the
    opt-out is new."""
    with transaction.atomic():
        _, created = SmsOptOut.objects.get_or_create(phone=phone, defaults={"source": source})
        OutboxMessage.objects.filter(
            channel=OutboxMessage.Channel.SMS, state=OutboxMessage.State.PENDING, to_phone=phone
        ).update(channel=OutboxMessage.Channel.CALL, subject="", body_text="")
    return created


def record_reports(reports: list) -> int:
    """Record the opt-outs among the provider's reports (one or a batch); the others (sent,
    delivered...) change nothing. Returns how many numbers were recorded."""
    recorded = 0
    for report in reports:
        if not isinstance(report, dict) or not is_opt_out(report):
            continue
        phone = report_phone(report)
        if phone is not None:
            record_opt_out(phone, source=str(report.get("msg_status") or report.get("event"))[:50])
            recorded += 1
    return recorded
