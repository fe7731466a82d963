"""The working groups' public pages in /sitemap.xml (wired in config/urls.py)."""

from django.contrib.sitemaps import Sitemap

from community import services


class WorkingGroupSitemap(Sitemap):
    changefreq = "monthly"

    def items(self):
        return services.public_working_groups().order_by("pk")

    def lastmod(self, group):
        return group.updated_at
