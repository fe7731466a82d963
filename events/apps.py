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
        signup_permissions = [
            f"events.{action}_{model}"
            for model in ("booking", "registration", "participant")
            for action in ("add", "change", "view")
        ]
        roles.grant(roles.MEDIATOR, *signup_permissions, "events.view_outboxmessage")
        roles.grant(roles.MANAGER, *signup_permissions, "events.view_outboxmessage")
        attendance_permissions = [
            f"events.{action}_{model}"
            for model in ("attendance", "walkin")
            for action in ("add", "change", "view")
        ]
        for role in (roles.MEDIATOR, roles.MANAGER):
            roles.grant(
                role,
                *attendance_permissions,
                "events.delete_walkin",  # a walk-in entered by mistake is taken back
                "events.export_attendance",
                "events.change_outboxmessage",
            )

        series_permissions = [
            f"events.{action}_{model}"
            for model in ("cafeseries", "topic", "sessionsummary", "surveyanswer", "seatgroup")
            for action in ("add", "change", "view", "delete")
        ] + ["events.view_seriesfollow", "events.view_seriessession"]
        roles.grant(roles.MEDIATOR, *series_permissions)
        roles.grant(roles.MANAGER, *series_permissions)

        from wagtail.signals import published

        from events import personal_data
        from events.models import Event

        published.connect(_event_published, sender=Event, dispatch_uid="events.notify_changed")
        personal_data.register()
        from events import indicators
        from events.series import indicators as series_indicators

        indicators.register()
        series_indicators.register()

        from events import retention

        retention.register()

        from community.registries import working_group_meetings
        from events.meetings import upcoming_meetings

        working_group_meetings.register(upcoming_meetings)

        from events import projects

        projects.register()

        from events import organisers_log

        organisers_log.connect()

        # The outbox's message kinds, each from the feature that sends it: the outbox imports
        # none of them.
        from events.attendance import survey_messages
        from events.programme import messages as programme_messages
        from events.series import messages as series_messages
        from events.signup import messages as signup_messages

        signup_messages.register()
        series_messages.register()
        survey_messages.register()
        programme_messages.register()


def _event_published(sender, instance, **kwargs):
    """An edit was published: registrants hear of a new date, time or place."""
    from events.signup.rules import notify_event_changed

    notify_event_changed(instance.pk)
