"""The working groups' public pages in /sitemap.xml (wired in config/urls.py)."""

from django.contrib.sitemaps import Sitemap

from community import services


class WorkingGroupSitemap(Sitemap):
    # Listed in every language, with hreflang alternates (French as x-default): the
    # interface is translated, the editor's text shows in French where untranslated.
    i18n = True
    alternates = True
    x_default = True
    changefreq = "monthly"

    def items(self):
        return services.public_working_groups().order_by("pk")

    def lastmod(self, group):
        return group.updated_at
