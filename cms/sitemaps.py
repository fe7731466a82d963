"""Wagtail's pages in /sitemap.xml, in every language they were translated into: each address
lists its translations as hreflang alternates (the French one also as x-default), so a search
engine shows a resident the page in their language. A page that exists in French only has none."""

from django.conf import settings
from django.db.models import Q

from wagtail.contrib.sitemaps import Sitemap
from wagtail.models import Page


class TranslatedPageSitemap(Sitemap):
    def items(self):
        # Each language's tree hangs from a translation of the site's root page.
        roots = self.get_wagtail_site().root_page.get_translations(inclusive=True)
        under_a_root = Q()
        for path in roots.values_list("path", flat=True):
            under_a_root |= Q(path__startswith=path)
        return (
            Page.objects.filter(under_a_root)
            .live()
            .public()
            .select_related("locale")
            .order_by("path")
            .defer_streamfields()
            .specific()
        )

    def _urls(self, page, protocol, domain):
        urls = []
        last_mods = set()
        pages = list(self.paginator.page(page).object_list)
        # The addresses of each page in each of its languages, from the listing itself.
        translations: dict = {}
        for item in pages:
            url = item.get_full_url(self.request)
            if url:
                translations.setdefault(item.translation_key, {})[item.locale.language_code] = url
        for item in pages:
            languages = translations.get(item.translation_key, {})
            for url_info in item.get_sitemap_urls(self.request):
                if len(languages) > 1 and url_info.get("location") in languages.values():
                    url_info["alternates"] = alternates(languages)
                urls.append(url_info)
                last_mods.add(url_info.get("lastmod"))
        if last_mods and None not in last_mods:
            self.latest_lastmod = max(last_mods)
        return urls


def alternates(languages: dict[str, str]) -> list[dict]:
    """Django's sitemap template's alternates, in the site's order of languages."""
    listed = [
        {"lang_code": code, "location": languages[code]}
        for code, _name in settings.LANGUAGES
        if code in languages
    ]
    if settings.LANGUAGE_CODE in languages:
        listed.append({"lang_code": "x-default", "location": languages[settings.LANGUAGE_CODE]})
    return listed
