"""Public views that are not pages: search and robots.txt."""

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.html import format_html
from django.views.decorators.http import require_GET

from wagtail.models import Locale, Page, Site

RESULTS_PER_PAGE = 10
MAX_QUERY_LENGTH = 200


@require_GET
def search(request):
    """Search the live, public pages of the current site."""
    # A NUL character cannot be stored or compared in a PostgreSQL text value: it is dropped.
    query = (request.GET.get("q") or "").replace("\x00", "").strip()[:MAX_QUERY_LENGTH]
    results = None
    if query:
        site = Site.find_for_request(request)
        pages = Page.objects.live().public().specific()
        if site is not None:
            pages = pages.descendant_of(site.root_page, inclusive=True)
        paginator = Paginator(pages.search(query), RESULTS_PER_PAGE)
        try:
            results = paginator.page(request.GET.get("page", 1))
        except PageNotAnInteger:
            results = paginator.page(1)
        except EmptyPage:
            results = paginator.page(paginator.num_pages)
        # Results come in every language the site has: each is marked with its own, so a
        # French title on an Arabic page is read (and announced) as French.
        languages = dict(Locale.objects.values_list("pk", "language_code"))
        for result in results:
            result.language = languages.get(result.locale_id, "")
    # The words searched are the visitor's, in whatever language: isolated in the heading.
    query_bdi = format_html("<bdi>{}</bdi>", query)
    return render(
        request,
        "cms/search.html",
        {"query": query, "query_bdi": query_bdi, "results": results},
    )


@require_GET
def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /recherche/",
        f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
