"""Search finds a page by a French word typed with or without its accents (PostgreSQL)."""

from django.db import connection

import pytest

from cms.models import StandardPage

# One demo seed for the module (tests/cms/conftest.py), on one xdist worker.
SHARED_DEMO_SITE = True
pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("cms_search")]


@pytest.fixture
def event_page(demo_site):
    page = StandardPage(
        title="La journée de la médiation",
        slug="journee",
        intro="<p>Un grand événement festif au cœur du quartier.</p>",
    )
    demo_site.add_child(instance=page)
    page.save_revision().publish()
    return page


@pytest.mark.parametrize("words", ["événement", "evenement", "EVENEMENT", "événements", "coeur"])
def test_search_ignores_accents_on_postgresql(client, event_page, words):
    assert connection.vendor == "postgresql", "run with `make test` (PostgreSQL)"
    response = client.get("/recherche/", {"q": words})
    assert response.status_code == 200
    assert event_page.pk in [p.pk for p in response.context["results"]]
    assert "La journée de la médiation" in response.content.decode()


def test_a_word_absent_from_a_page_does_not_find_it(client, event_page):
    response = client.get("/recherche/", {"q": "kermesse"})
    assert event_page.pk not in [p.pk for p in response.context["results"]]


def test_search_page_without_results_and_empty_query(client, demo_site):
    response = client.get("/recherche/", {"q": "zzzxqy"})
    assert response.status_code == 200
    assert "Aucune page ne correspond" in response.content.decode()
    response = client.get("/recherche/")
    assert response.status_code == 200
    assert response.context["results"] is None


def test_search_finds_the_seed_missions(client, demo_site):
    response = client.get("/recherche/", {"q": "conflits"})
    titles = [p.title for p in response.context["results"]]
    assert "Gestion des conflits" in titles


@pytest.mark.parametrize("query", ["\x00", "média\x00tion", "\x00" * 300])
def test_a_nul_character_in_the_query_is_ignored(client, event_page, query):
    response = client.get("/recherche/", {"q": query})
    assert response.status_code == 200
    assert "\x00" not in response.context["query"]
