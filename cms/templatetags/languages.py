"""The language switcher, the hreflang alternates and the menus in the page's language.

A Wagtail page exists in the languages it was translated into (wagtail-localize); every other
public page (events, Cafés, forms) exists in every language of the site, its interface strings
being translated."""

from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils import translation

from wagtail.models import Page

register = template.Library()


@register.simple_tag(takes_context=True)
def page_languages(context) -> list[dict]:
    """Each language the current page exists in: code, own name, address, whether current."""
    request = context.get("request")
    if request is None:
        return []
    current = translation.get_language()
    page = context.get("page")
    # Asked by the head's alternates and by the switcher: worked out once per page rendered.
    memo_key = (current, getattr(page, "pk", None))
    memo = getattr(request, "_page_languages", None)
    if memo is not None and memo[0] == memo_key:
        return memo[1]
    languages = _page_languages(request, page, current)
    request._page_languages = (memo_key, languages)
    return languages


def _page_languages(request, page, current: str) -> list[dict]:
    names = dict(settings.LANGUAGES)
    if isinstance(page, Page) and page.pk:
        urls = {
            translated.locale.language_code: translated.get_url(request)
            # One query: the generic page's address is the specific page's (no page type of
            # this site overrides it), so the specific rows are not needed.
            for translated in page.get_translations(inclusive=True).live().select_related("locale")
        }
    else:
        path = request.get_full_path()
        # A page outside the language prefixes (staff tools, accounts) keeps its one address:
        # offering "English" there would lead back to the same French page.
        urls = {
            code: url
            for code in names
            if (url := translate_url(path, code)) != path or code == current
        }
    return [
        {
            "code": code,
            "name": names[code],
            "url": urls[code],
            "full_url": request.build_absolute_uri(urls[code]),
            "current": code == current,
            "dir": "rtl" if translation.get_language_info(code)["bidi"] else "ltr",
        }
        for code in names
        if urls.get(code)
    ]


@register.simple_tag
def menu_entry(link) -> dict:
    """A menu entry in the page's language: a page's translation when it has one (its title
    then, as the entry's label was written in French), otherwise the French entry marked
    lang="fr"; an address in the page's language."""
    page, url, label = link.get("page"), link.get("url"), link.get("label")
    language = translation.get_language()
    french = language == settings.LANGUAGE_CODE
    if page is not None:
        # French pages are the originals: looking up a translation would cost a query per entry.
        if french:
            return {"url": page.url, "label": label or page.title, "lang": ""}
        translated = page.localized
        if translated.locale_id == page.locale_id:
            return {"url": page.url, "label": label or page.title, "lang": "fr"}
        return {"url": translated.url, "label": translated.title, "lang": ""}
    if url:
        return {
            "url": url if french else translate_url(url, language),
            "label": label,
            "lang": "" if french else "fr",
        }
    return {}


@register.simple_tag
def home_url() -> str:
    """The home page's address in the page's language."""
    return translate_url("/", translation.get_language())
