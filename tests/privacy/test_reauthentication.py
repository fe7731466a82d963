"""Downloading one's data and deleting one's account ask for the password again (allauth's
re-authentication): a session left open, or taken over, gives neither."""

import datetime as dt
import json

from wagtail.models import ModelLogEntry

import pytest
import time_machine

from community import services
from community.models import User
from community.privacy import rules as privacy
from tests.accounts.helpers import login, resident
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

REAUTH_URL = "/accounts/reauthenticate/"
START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def amina(db):
    user = resident(email="amina@exemple.fr", first_name="Amina")
    services.link_person_to_user(user)
    return user


def test_a_session_signed_in_long_ago_must_reauthenticate_to_download(client, settings, amina):
    with time_machine.travel(START, tick=False) as clock:
        login(client, amina.email)
        clock.shift(dt.timedelta(seconds=settings.ACCOUNT_REAUTHENTICATION_TIMEOUT + 60))
        response = client.post("/compte/mes-donnees.json")
        assert response.status_code == 302
        assert response.headers["Location"].startswith(REAUTH_URL)
        assert not ModelLogEntry.objects.filter(action=privacy.EXPORT_ACTION).exists()

        # The password again: the suspended download is answered at once.
        response = client.post(response.headers["Location"], {"password": PASSWORD})
        assert response.status_code == 200
        assert json.loads(response.content)["data"]["community.person"]["email"] == amina.email
        assert ModelLogEntry.objects.filter(action=privacy.EXPORT_ACTION).count() == 1
        # Within the re-authentication timeout, a second download asks nothing.
        assert client.post("/compte/mes-donnees.json").status_code == 200


def test_a_session_signed_in_long_ago_must_reauthenticate_to_delete(client, settings, amina):
    with time_machine.travel(START, tick=False) as clock:
        login(client, amina.email)
        clock.shift(dt.timedelta(seconds=settings.ACCOUNT_REAUTHENTICATION_TIMEOUT + 60))
        response = client.post("/compte/supprimer/", {"confirm": "on"})
        assert response.status_code == 302
        assert response.headers["Location"].startswith(REAUTH_URL)
        assert User.objects.filter(pk=amina.pk).exists()

        wrong = client.post(response.headers["Location"], {"password": "pas-le-bon"})
        assert wrong.status_code == 200
        assert User.objects.filter(pk=amina.pk).exists()

        response = client.post(response.headers["Location"], {"password": PASSWORD})
        assert response.status_code == 302 and response.headers["Location"] == "/"
        assert not User.objects.filter(pk=amina.pk).exists()
