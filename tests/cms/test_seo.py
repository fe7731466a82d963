"""sitemap.xml, robots.txt, canonical URL, description and Open Graph, favicon, 404 and 500."""

from django.test import override_settings

import pytest

from cms.models import MissionPage

pytestmark = pytest.mark.django_db


def test_sitemap_lists_the_public_pages(client, demo_site):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    xml = response.content.decode()
    assert "<loc>http://localhost/missions/gestion-des-conflits/</loc>" in xml
    assert "/territoires/lyon-8/" in xml


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
