from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CmsConfig(AppConfig):
    name = "cms"
    verbose_name = _("Site public")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from cms import layout_cache, page_cache
        from community import roles

        layout_cache.connect()
        page_cache.connect()

        roles.grant(
            roles.COMMUNICATION,
            "wagtailimages.add_image",
            "wagtailimages.change_image",
            "wagtailimages.choose_image",
            "wagtaildocs.add_document",
            "wagtaildocs.change_document",
            "wagtaildocs.choose_document",
            "cms.add_testimonial",
            "cms.change_testimonial",
            "cms.delete_testimonial",
            "cms.view_testimonial",
            "cms.change_agencysettings",
            "cms.change_navigationsettings",
            "community.change_organisation",
            "community.add_organisation",
        )
        # The whole site, its images and documents: pages on the root page, media and
        # collections in the root collection (community.roles gives them on a bare database).
        roles.grant_on_pages(
            roles.COMMUNICATION,
            *(
                f"wagtailcore.{action}_page"
                for action in ("add", "change", "publish", "lock", "unlock")
            ),
        )
        roles.grant_on_collections(
            roles.COMMUNICATION,
            *(
                f"{app}.{action}_{model}"
                for app, model in (("wagtailimages", "image"), ("wagtaildocs", "document"))
                for action in ("add", "change", "choose", "delete")
            ),
            "wagtailcore.add_collection",
            "wagtailcore.change_collection",
        )
        # Mediators read the requests residents of their territories sent (scoped in the viewset).
        roles.grant(roles.MEDIATOR, "cms.view_submission")
        roles.grant(roles.MANAGER, "cms.view_submission", "cms.delete_submission")

        from cms import services

        services.register_retention()
        # The annual mediation day: Communication runs it, managers too.
        mediation_day = [
            "events.add_programme",
            "events.change_programme",
            "events.view_programme",
            "cms.change_standrequest",
            "cms.view_standrequest",
        ]
        roles.grant(roles.COMMUNICATION, *mediation_day)
        roles.grant(roles.MANAGER, *mediation_day)

        from cms.mediation_day import stands

        stands.register_in_registries()
        # The newsletter: communications staff and managers send it; anyone on a stand
        # (mediators too) types in paper sign-ups.
        send = ("cms.send_campaign", "cms.view_campaign", "cms.view_subscription")
        topics = [f"cms.{a}_newslettertopic" for a in ("add", "change", "delete", "view")]
        roles.grant(roles.COMMUNICATION, *send, *topics, "cms.enter_paper_signup")
        roles.grant(roles.MANAGER, *send, *topics, "cms.enter_paper_signup")
        roles.grant(roles.MEDIATOR, "cms.enter_paper_signup")

        from cms.newsletter import registries as newsletter_registries

        newsletter_registries.register()
