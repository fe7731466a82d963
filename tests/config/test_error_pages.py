"""Error pages are French, say what to do, and the ones a broken or hostile request reaches
(400, 413, the CSRF 403, 500) need neither the database nor the cache."""

from django.test import Client
from django.urls import reverse
from django.views import defaults

import pytest

from tests.factories import UserFactory


def page(response) -> str:
    return response.content.decode()


@pytest.mark.django_db
def test_a_malformed_host_gets_the_french_400_page(client):
    response = client.get("/", HTTP_HOST="hote_invalide!")
    assert response.status_code == 400
    assert '<html lang="fr">' in page(response)
    assert "Requête incorrecte" in page(response)


@pytest.mark.django_db
def test_a_form_too_large_gets_the_french_413_page(client, home_page):
    response = client.post(
        reverse("cms:newsletter_subscribe"),
        {"email": "gros@exemple.fr", "consent": "on", "texte": "a" * (3 * 1024 * 1024)},
    )
    assert response.status_code == 413
    assert "Envoi trop volumineux" in page(response)


@pytest.mark.django_db
def test_a_form_posted_without_its_csrf_token_gets_the_french_403_page(home_page):
    response = Client(enforce_csrf_checks=True).post(
        reverse("cms:newsletter_subscribe"), {"email": "a@exemple.fr"}
    )
    assert response.status_code == 403
    assert "Le formulaire a expiré" in page(response)
    assert "CSRF" not in page(response)


@pytest.mark.django_db
def test_a_resident_on_a_staff_page_gets_the_french_403_page(client, home_page):
    client.force_login(UserFactory())
    response = client.get(reverse("staff:home"))
    assert response.status_code == 403
    assert "Accès refusé" in page(response)
    assert 'class="site-footer"' in page(response)  # the site's own layout


def test_the_500_and_414_pages_are_french_and_need_no_database(rf):
    # No django_db mark: any query would fail this test.
    response = defaults.server_error(rf.get("/"))
    assert response.status_code == 500
    assert "Une erreur est survenue" in page(response)
    assert '<html lang="fr">' in page(response)
    from django.template.loader import render_to_string

    assert "Adresse trop longue" in render_to_string("414.html")
