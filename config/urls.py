from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.conf.urls.static import static
from django.urls import include, path

from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps import Sitemap as PageSitemap
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from allauth.account import views as allauth_views

from cms import views as cms_views
from community.sitemaps import WorkingGroupSitemap
from config import views
from events.sitemaps import CafeSeriesSitemap, EventSitemap

# Wagtail's pages and the addresses that are not pages: events, Café series, working groups.
SITEMAPS = {
    "pages": PageSitemap,
    "evenements": EventSitemap,
    "cafes": CafeSeriesSitemap,
    "groupes": WorkingGroupSitemap,
}

# French error pages: templates/400.html (413.html for a body too large), 403.html,
# 403_csrf.html, 404.html and 500.html; 414.html is for the proxy (the request line never
# reaches Django).
handler400 = "config.views.bad_request"

urlpatterns = [
    path("health/", views.health, name="health"),
    # One login door: the admin signs in and out through allauth.
    path("admin/login/", views.admin_login_redirect, name="wagtailadmin_login"),
    path("admin/logout/", allauth_views.logout, name="wagtailadmin_logout"),
    path("accounts/", include("allauth.urls")),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("i18n/", include("django.conf.urls.i18n")),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("robots.txt", cms_views.robots_txt, name="robots_txt"),
    path("equipe/interventions/", include("community.staff_urls")),
    path("equipe/enquete/", include("community.activities.staff_urls")),
    path("equipe/", include("events.staff_urls")),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# The public site in each language: French at the addresses it always had, English and Arabic
# under /en/ and /ar/ (the language is the address's: community.languages).
urlpatterns += i18n_patterns(
    path("evenements/", include("events.urls")),
    path("", include("cms.urls")),
    path("", include("community.urls")),  # before Wagtail's catch-all
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)
