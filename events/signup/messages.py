"""The sign-up's messages in the outbox: confirmation, waitlist, promotion, reminder, change and
cancellation, and the resident's own cancellation, by email or as a text (one SMS of 160
characters with the short link to the booking). Registered from events.apps ready()."""

from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from community import sms
from events import tokens
from events.models.outbox import OutboxMessage
from events.outbox import kinds

# The texts: %(title)s and %(place)s are shortened when the whole would not fit in one SMS.
SMS_TEXTS = {
    OutboxMessage.Kind.CONFIRMATION: _(
        'Vivre Ensemble : vous êtes inscrit(e) à "%(title)s" le %(when)s. '
        "Détails ou annulation : %(link)s"
    ),
    OutboxMessage.Kind.WAITLISTED: _(
        'Vivre Ensemble : vous êtes sur liste d\'attente pour "%(title)s" le %(when)s. '
        "Suivi : %(link)s"
    ),
    OutboxMessage.Kind.PROMOTED: _(
        'Vivre Ensemble : une place s\'est libérée, vous êtes inscrit(e) à "%(title)s" le '
        "%(when)s. Détails : %(link)s"
    ),
    OutboxMessage.Kind.REMINDER: _(
        'Rappel Vivre Ensemble : "%(title)s" le %(when)s, %(place)s. Absent(e) ? %(link)s'
    ),
    OutboxMessage.Kind.CHANGED: _(
        'Vivre Ensemble : "%(title)s" change, désormais le %(when)s, %(place)s. Détails : %(link)s'
    ),
    OutboxMessage.Kind.CANCELLED: _(
        'Vivre Ensemble : "%(title)s" du %(when)s est annulé. Toutes nos excuses. '
        "Détails : %(link)s"
    ),
}


def reminder_context(message: OutboxMessage, site_url: str) -> dict:
    """The reminder's one-click "I can't come" link, and for a session of a followed series the
    link to the follow page (a follower without an account has no other way back to it)."""
    registration = message.registration
    if registration is None:
        return {}
    context = {"cant_come_url": site_url + tokens.cant_come_url(registration)}
    follow = registration.booking.follow
    if follow is not None and follow.stopped_at is None:
        context["follow_url"] = site_url + tokens.follow_url(follow)
    return context


def sms_text(message: OutboxMessage, link: str) -> str:
    """The text of a sign-up message: what, when (and where for a reminder or a change), and
    the link to the booking, within one SMS."""
    event = message.registration.event
    start = timezone.localtime(event.start)
    values = {
        "title": event.shown_title,
        "when": gettext("%(day)s à %(hour)s")
        % {"day": f"{start:%d/%m}", "hour": f"{start:%H}h{start:%M}"},
        "place": event.venue_name,
        "link": link,
    }
    return sms.fit(str(SMS_TEXTS[message.kind]), values, shrinkable=("place", "title"))


def register() -> None:
    Kind = OutboxMessage.Kind  # noqa: N806 (the model's choices, read as a namespace)
    for kind in (Kind.CONFIRMATION, Kind.PROMOTED, Kind.CHANGED, Kind.CANCELLED):
        kinds.register(kind, calendar=True, sms=sms_text)
    kinds.register(Kind.WAITLISTED, sms=sms_text)
    # The resident cancelled: what is cancelled, a way back, and a calendar file that takes the
    # entry out of their calendar (the confirmation's UID, METHOD:CANCEL).
    kinds.register(Kind.WITHDRAWN, calendar=True, calendar_method="CANCEL")
    kinds.register(Kind.REMINDER, context=reminder_context, sms=sms_text)
