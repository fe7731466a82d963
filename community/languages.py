"""Which language a request is answered in: the one its address names (/en/…, /ar/…), French
otherwise. Never the browser's Accept-Language nor a cookie: a page is in one language, the same
for every visitor of its address, and a resident chooses another with the language switcher."""

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


def language_of_path(path: str) -> str:
    """The language an address is in (its prefix), the site's language when it has none."""
    return translation.get_language_from_path(path) or settings.LANGUAGE_CODE


def strip_language_prefix(path: str) -> str:
    """The address without its language prefix (/en/evenements/… -> /evenements/…)."""
    language = translation.get_language_from_path(path)
    if language and path.startswith(f"/{language}/"):
        return path[len(language) + 1 :]
    return path


class PathLocaleMiddleware(LocaleMiddleware):
    """Django's LocaleMiddleware (redirects, Content-Language) with the language taken from the
    path only."""

    def process_request(self, request):
        translation.activate(language_of_path(request.path_info))
        request.LANGUAGE_CODE = translation.get_language()
