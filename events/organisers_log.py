"""Who organises an event is written to its history (Wagtail's log), whichever way it changes:
the event's edit form, a series naming its facilitators, the shell. Organisers read the
registrants' access needs (events.permissions), so naming oneself organiser leaves a trace.

Connected from EventsConfig.ready(); the log actions are registered with Wagtail's
`register_log_actions` hook from here too (hooks registered before the first log are read)."""

from django.contrib.auth import get_user_model
from django.db.models.signals import m2m_changed
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.log_actions import LogFormatter
from wagtail.log_actions import log as log_action

from events.models import Event

ADDED = "events.organiser_added"
REMOVED = "events.organiser_removed"


def _describe(user) -> str:
    name = user.get_full_name() if hasattr(user, "get_full_name") else ""
    return f"{name} <{user.email}>" if name else str(user.email)


class _OrganiserFormatter(LogFormatter):
    template = ""

    def format_message(self, log_entry):
        return self.template % {"user": log_entry.data.get("user", "")}


class OrganiserAddedFormatter(_OrganiserFormatter):
    label = _("Organisateur ajouté")
    template = _("Organisateur ajouté : %(user)s")


class OrganiserRemovedFormatter(_OrganiserFormatter):
    label = _("Organisateur retiré")
    template = _("Organisateur retiré : %(user)s")


@hooks.register("register_log_actions")
def register_organiser_actions(actions):
    actions.register_action(ADDED)(OrganiserAddedFormatter)
    actions.register_action(REMOVED)(OrganiserRemovedFormatter)


def _log(event, user, action) -> None:
    log_action(instance=event, action=action, data={"user_id": user.pk, "user": _describe(user)})


def organisers_changed(sender, instance, action, reverse, model, pk_set, **kwargs):
    """m2m_changed on Event.organisers, from either side (event.organisers or
    user.organised_events). A clear() is logged from the set it held just before."""
    if action == "pre_clear":
        related = instance.organised_events if reverse else instance.organisers
        instance._organisers_before_clear = list(related.values_list("pk", flat=True))
        return
    if action == "post_clear":
        pk_set = set(getattr(instance, "_organisers_before_clear", ()))
        kind = REMOVED
    elif action in ("post_add", "post_remove"):
        kind = ADDED if action == "post_add" else REMOVED
    else:
        return
    if not pk_set:
        return
    if reverse:  # instance is a user, pk_set holds events
        for event in Event.objects.filter(pk__in=pk_set).order_by("pk"):
            _log(event, instance, kind)
    else:
        for user in get_user_model().objects.filter(pk__in=pk_set).order_by("pk"):
            _log(instance, user, kind)


def connect() -> None:
    m2m_changed.connect(
        organisers_changed,
        sender=Event.organisers.through,
        dispatch_uid="events.organisers_changed",
    )
