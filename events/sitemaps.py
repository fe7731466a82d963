"""The addresses of /sitemap.xml that are not Wagtail pages (Django's sitemaps framework, wired
beside Wagtail's in config/urls.py): every published event that is not cancelled and every
active Café Médiation series, each with the date it last changed."""

from django.contrib.sitemaps import Sitemap
from django.db.models import Max, QuerySet
from django.db.models.functions import Coalesce, Greatest

from events.models import CafeSeries, Event


def listed_events() -> QuerySet[Event]:
    """Published events that still take place (or took place): a cancelled one is left out."""
    return (
        Event.objects.published()
        .filter(cancelled_at__isnull=True)
        .annotate(changed=Coalesce("last_published_at", "created_at"))
        .only("pk", "title", "last_published_at", "created_at")
        .order_by("pk")
    )


def listed_series() -> QuerySet[CafeSeries]:
    """Active series, as their public page shows them; a series page also changes when one of
    its sessions is published."""
    return (
        CafeSeries.objects.filter(active=True)
        .annotate(
            changed=Greatest(
                "updated_at",
                Coalesce(Max("sessions__event__last_published_at"), "updated_at"),
            )
        )
        .only("pk", "title", "updated_at")
        .order_by("pk")
    )


class EventSitemap(Sitemap):
    # Listed in every language, with hreflang alternates (French as x-default): the
    # interface is translated, the editor's text shows in French where untranslated.
    i18n = True
    alternates = True
    x_default = True
    changefreq = "weekly"

    def items(self):
        return listed_events()

    def lastmod(self, event):
        return event.changed


class CafeSeriesSitemap(Sitemap):
    # Listed in every language, with hreflang alternates (French as x-default): the
    # interface is translated, the editor's text shows in French where untranslated.
    i18n = True
    alternates = True
    x_default = True
    changefreq = "weekly"

    def items(self):
        return listed_series()

    def lastmod(self, series):
        return series.changed
