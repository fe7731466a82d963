"""sitemap.xml, robots.txt, canonical URL, description and Open Graph, favicon, 404 and 500."""

import datetime as dt
import re

from django.core.exceptions import ValidationError
from django.test import override_settings
from django.utils import timezone

from wagtail.models import Site

import pytest
from defusedxml import ElementTree as ET

from cms.blocks import LinkBlock
from cms.models import MissionPage, NavigationSettings
from community.models import Territory, WorkingGroup
from events.models import CafeSeries, Event
from tests.events.series_helpers import make_series
from tests.factories import EventFactory, WorkingGroupFactory

# One demo seed for the module (tests/cms/conftest.py), on one xdist worker.
SHARED_DEMO_SITE = True
pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("cms_seo")]

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"


def test_sitemap_lists_the_public_pages(client, demo_site):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    xml = response.content.decode()
    assert "<loc>http://localhost/missions/gestion-des-conflits/</loc>" in xml
    assert "/territoires/lyon-8/" in xml


def sitemap_entries(client) -> dict[str, str | None]:
    """Each address of /sitemap.xml with its lastmod."""
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    root = ET.fromstring(response.content)
    return {
        url.findtext(f"{SITEMAP}loc"): url.findtext(f"{SITEMAP}lastmod")
        for url in root.iter(f"{SITEMAP}url")
    }


def test_sitemap_lists_every_published_event_series_and_group_with_lastmod(client, demo_site):
    lyon_8 = Territory.objects.get(slug="lyon-8")
    event = EventFactory(territory=lyon_8, title="Fête des voisins")
    draft = EventFactory(territory=lyon_8, title="Brouillon", live=False)
    cancelled = EventFactory(territory=lyon_8, title="Annulé")
    Event.objects.filter(pk=cancelled.pk).update(cancelled_at=timezone.now())
    cafe = make_series(lyon_8)
    stopped = make_series(lyon_8, title="Café arrêté", active=False)
    group = WorkingGroupFactory(territory=lyon_8, theme="Jardin partagé")
    finished = WorkingGroupFactory(
        territory=lyon_8, theme="Groupe terminé", status=WorkingGroup.Status.FINISHED
    )

    entries = sitemap_entries(client)

    def listed(prefix: str) -> set[str]:
        return {loc for loc in entries if re.match(rf"http://testserver/{prefix}/\d+-", loc)}

    published = Event.objects.filter(live=True, cancelled_at__isnull=True)
    assert listed("evenements") == {f"http://testserver{e.get_absolute_url()}" for e in published}
    assert f"http://testserver{event.get_absolute_url()}" in entries
    assert listed("evenements/cafes") == {
        f"http://testserver{s.get_absolute_url()}" for s in CafeSeries.objects.filter(active=True)
    }
    assert f"http://testserver{cafe.get_absolute_url()}" in entries
    open_groups = WorkingGroup.objects.exclude(status=WorkingGroup.Status.FINISHED)
    assert listed("groupes") == {f"http://testserver{g.get_absolute_url()}" for g in open_groups}
    assert f"http://testserver{group.get_absolute_url()}" in entries
    for hidden in (draft, cancelled, stopped, finished):
        assert f"http://testserver{hidden.get_absolute_url()}" not in entries
    for loc in listed("evenements") | listed("evenements/cafes") | listed("groupes"):
        assert re.match(r"^\d{4}-\d\d-\d\d", entries[loc] or ""), f"{loc} has no lastmod"
    # The CMS pages stay listed beside them.
    assert "http://localhost/missions/gestion-des-conflits/" in entries


def test_sitemap_names_each_address_in_every_language_it_exists_in(client, demo_site):
    """hreflang alternates: a translated page lists its translations, a French-only page none;
    an event, a Café and a group exist in every language (their interface is translated)."""
    lyon_8 = Territory.objects.get(slug="lyon-8")
    event = EventFactory(territory=lyon_8, title="Fête des voisins")
    cafe = make_series(lyon_8)
    group = WorkingGroupFactory(territory=lyon_8, theme="Jardin partagé")
    response = client.get("/sitemap.xml")
    root = ET.fromstring(response.content)
    alternates = {
        url.findtext(f"{SITEMAP}loc"): {
            link.get("hreflang"): link.get("href")
            for link in url.iter(f"{XHTML}link")
            if link.get("rel") == "alternate"
        }
        for url in root.iter(f"{SITEMAP}url")
    }
    home = {
        "fr": "http://localhost/",
        "en": "http://localhost/en/",
        "ar": "http://localhost/ar/",
        "x-default": "http://localhost/",
    }
    # The home page and its two translations, each listed with the same alternates.
    for loc in ("http://localhost/", "http://localhost/en/", "http://localhost/ar/"):
        assert alternates[loc] == home, loc
    privacy = alternates["http://localhost/en/donnees-personnelles/"]
    assert privacy["fr"] == "http://localhost/donnees-personnelles/"
    assert privacy["ar"] == "http://localhost/ar/donnees-personnelles/"
    # A page that exists in French only has no alternates.
    assert alternates["http://localhost/missions/gestion-des-conflits/"] == {}
    for path in (event.get_absolute_url(), cafe.get_absolute_url(), group.get_absolute_url()):
        expected = {
            "fr": f"http://testserver{path}",
            "en": f"http://testserver/en{path}",
            "ar": f"http://testserver/ar{path}",
            "x-default": f"http://testserver{path}",
        }
        for loc in ("fr", "en", "ar"):
            assert alternates[expected[loc]] == expected, path


def test_sitemap_lastmod_follows_an_edit(client, demo_site):
    lyon_8 = Territory.objects.get(slug="lyon-8")
    cafe = make_series(lyon_8)
    group = WorkingGroupFactory(territory=lyon_8, theme="Jardin partagé")
    later = timezone.now() + dt.timedelta(days=3)
    CafeSeries.objects.filter(pk=cafe.pk).update(updated_at=later)
    WorkingGroup.objects.filter(pk=group.pk).update(updated_at=later)
    entries = sitemap_entries(client)
    day = timezone.localtime(later).date().isoformat()
    assert entries[f"http://testserver{cafe.get_absolute_url()}"].startswith(day)
    assert entries[f"http://testserver{group.get_absolute_url()}"].startswith(day)


def test_robots_txt_points_to_the_sitemap(client, demo_site):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    body = response.content.decode()
    assert "Disallow: /admin/" in body
    assert "Sitemap: http://testserver/sitemap.xml" in body


def test_pages_have_canonical_description_and_open_graph(client, demo_site):
    page = MissionPage.objects.get(slug="gestion-des-conflits")
    html = client.get(page.url).content.decode()
    assert '<link rel="canonical" href="http://localhost/missions/gestion-des-conflits/">' in html
    assert f'<meta name="description" content="{page.summary}' in html.replace("&#x27;", "'")
    assert '<meta property="og:title" content="Gestion des conflits">' in html
    assert (
        '<meta property="og:url" content="http://localhost/missions/gestion-des-conflits/">' in html
    )
    assert 'rel="icon" href="/static/img/favicon.svg"' in html


def test_main_and_footer_menus_come_from_the_settings(client, demo_site):
    html = client.get("/").content.decode()
    nav = html.split('aria-label="Menu principal"')[1].split("</nav>")[0]
    for label in [
        "Missions",
        "Territoires",
        "Prestations",
        "Qui sommes-nous",
        "Contact",
        "Rechercher",
    ]:
        assert f">{label}</a>" in nav
    footer = html.split("<footer")[1]
    assert "Déclaration d&#x27;accessibilité" in footer or "Déclaration d'accessibilité" in footer
    assert "Données personnelles" in footer


def test_the_demo_menu_leads_to_the_agenda_the_cafes_the_groups_and_the_newsletter(
    client, demo_site
):
    html = client.get("/").content.decode()
    nav = html.split('aria-label="Menu principal"')[1].split("</nav>")[0]
    links = {label: href for href, label in re.findall(r'<a href="([^"]+)"[^>]*>([^<]+)</a>', nav)}
    assert links["Agenda"] == "/agenda/"
    assert links["Cafés"] == "/agenda/?type=cafe_mediation"
    assert links["Groupes"] == "/groupes/"
    assert links["La lettre"] == "/lettre/"
    for label in ("Agenda", "Cafés", "Groupes", "La lettre"):
        assert client.get(links[label]).status_code == 200, label


def test_images_are_served_as_responsive_modern_formats(client, demo_site):
    html = client.get("/missions/gestion-des-conflits/").content.decode()
    assert 'type="image/avif"' in html and 'type="image/webp"' in html
    assert "width-360" in html and "width-1080" in html
    assert 'alt="Illustration de la mission « Gestion des conflits »"' in html


def test_404_is_french_in_the_site_look(client, demo_site):
    response = client.get("/nexiste-pas/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Page introuvable" in html and 'class="site-header"' in html


@override_settings(DEBUG=False)
def test_500_is_french_in_the_site_look(client):
    from django.template.loader import render_to_string

    html = render_to_string("500.html")
    assert '<html lang="fr">' in html
    assert "Une erreur est survenue" in html
    assert "site-header" in html


def test_404_has_a_skip_link_to_its_content(client, demo_site):
    html = client.get("/nexiste-pas/").content.decode()
    body = html.split("<body", 1)[1]
    first_link = re.search(r"<a [^>]*>", body).group(0)
    assert 'class="skip-link"' in first_link and 'href="#contenu"' in first_link
    assert '<main id="contenu"' in body


def test_a_menu_entry_is_a_page_or_an_address_of_the_site(demo_site):
    block = LinkBlock()

    def errors(value: dict) -> str | None:
        try:
            block.clean(block.to_python({"page": None, "label": "", "url": "", **value}))
        except ValidationError as error:
            return str(error)
        return None

    assert errors({"label": "Rien"}) is not None
    assert errors({"url": "/groupes/"}) is not None  # an address needs its label
    assert errors({"url": "javascript:alert(1)", "label": "Piège"}) is not None
    assert errors({"url": "/groupes/", "label": "Groupes"}) is None
    assert errors({"url": "https://www.lyon.fr/", "label": "Ville de Lyon"}) is None
    assert errors({"page": MissionPage.objects.first().pk}) is None


def test_an_address_entry_of_the_menu_is_shown(client, demo_site):
    navigation = NavigationSettings.for_site(Site.objects.get(is_default_site=True))
    navigation.main_menu.append(
        ("link", {"page": None, "label": "Votre voix", "url": "/votre-voix/"})
    )
    navigation.save()
    nav = client.get("/").content.decode().split('aria-label="Menu principal"')[1]
    assert '<a href="/votre-voix/">Votre voix</a>' in nav.split("</nav>")[0]
