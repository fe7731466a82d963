"""Password reset through allauth: the same answer for known and unknown addresses, a signed
link that works once."""

from django.core import mail

import pytest

from tests.accounts.helpers import is_logged_in, link_from, login, resident

pytestmark = pytest.mark.django_db
NEW_PASSWORD = "un-nouveau-mot-de-passe-2026"


def test_reset_answers_the_same_for_unknown_addresses_and_the_link_works_once(client):
    user = resident(email="oubli@exemple.fr")
    known = client.post("/accounts/password/reset/", {"email": user.email})
    unknown = client.post("/accounts/password/reset/", {"email": "personne@exemple.fr"})
    assert known.status_code == unknown.status_code == 302
    assert known.headers["Location"] == unknown.headers["Location"]
    subjects = {m.to[0]: m.subject for m in mail.outbox}
    assert subjects["oubli@exemple.fr"] == "[Vivre Ensemble] Choisir un nouveau mot de passe"
    assert subjects["personne@exemple.fr"] == "[Vivre Ensemble] Demande concernant un compte"

    link = link_from(mail.outbox[0].body)
    form = client.get(link, follow=True)
    assert form.status_code == 200
    action = form.redirect_chain[-1][0] if form.redirect_chain else link
    response = client.post(action, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)

    client.cookies.clear()
    again = client.get(link, follow=True)
    assert "Le lien de réinitialisation du mot de passe est invalide" in again.content.decode()
    assert login(client, user.email, NEW_PASSWORD).status_code == 302
    assert is_logged_in(client)
