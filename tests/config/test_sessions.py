"""Sessions hold across processes: another gunicorn process or machine (own memory, own
per-process caches) sees a signed-in person as signed in."""

from django.core.cache import caches
from django.test import Client

import pytest

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_session_opened_by_one_process_is_seen_by_another(client):
    user = UserFactory()
    client.force_login(user)
    cookie = client.cookies["sessionid"].value
    for cache in caches.all():  # what another process does not share
        cache.clear()

    other_process = Client()
    other_process.cookies["sessionid"] = cookie
    response = other_process.get("/accounts/email/")

    assert response.status_code == 200
    assert response.wsgi_request.user == user
