from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = _("Événements")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from community import roles

        actions = ("add", "change", "delete", "view", "publish", "lock", "unlock")
        event_permissions = [f"events.{action}_event" for action in actions]
        roles.grant(roles.MEDIATOR, *event_permissions)
        roles.grant(roles.MANAGER, *event_permissions)
        roles.grant(roles.COMMUNICATION, "events.view_event")
