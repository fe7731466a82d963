from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CommunityConfig(AppConfig):
    name = "community"
    verbose_name = _("Communauté")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from community import indicators, personal_data, roles, signals
        from community.activities import documents as agreement_documents
        from community.activities import indicators as activity_indicators
        from community.plan import indicators as plan_indicators
        from community.privacy import rules as privacy

        personal_data.register_community()
        privacy.register_retention()
        indicators.register()
        plan_indicators.register()
        activity_indicators.register()
        roles.grant(
            roles.MANAGER,
            "community.add_datarequest",
            "community.change_datarequest",
            "community.view_datarequest",
        )
        post_migrate.connect(roles.sync_roles_after_migrate, dispatch_uid="community.sync_roles")
        signals.connect()
        agreement_documents.connect()
        from community import admin_scoping

        admin_scoping.scope_log_entries()
