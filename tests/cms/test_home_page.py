from django.utils.html import escape

import pytest

pytestmark = pytest.mark.django_db


def test_home_page_is_served_in_french(client, home_page):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="fr">' in html
    assert "Aller au contenu" in html
    assert html.count("<h1") == 1
    assert escape(home_page.tagline) in html


def test_home_page_query_count_is_small(client, home_page, django_assert_max_num_queries):
    client.get("/")
    with django_assert_max_num_queries(15):
        assert client.get("/").status_code == 200


def test_unknown_page_is_a_french_404(client, home_page):
    response = client.get("/nexiste-pas/")
    assert response.status_code == 404
    assert "Page introuvable" in response.content.decode()


def test_english_is_available(client, home_page):
    response = client.get("/", headers={"accept-language": "en"})
    assert response.status_code == 200
    assert '<html lang="en">' in response.content.decode()
    assert "Skip to content" in response.content.decode()
