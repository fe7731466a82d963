"""A signed-in resident is linked to their Person by a VERIFIED address, never an unverified one."""

import datetime as dt

from django.core import mail

import pytest
import time_machine
from allauth.account.models import EmailAddress

from community import services
from community.models import Person, User
from tests.accounts.helpers import is_logged_in, link_from, login
from tests.factories import PASSWORD, PersonFactory, UserFactory

pytestmark = pytest.mark.django_db


def sign_up(client, email):
    return client.post(
        "/accounts/signup/", {"email": email, "password1": PASSWORD, "password2": PASSWORD}
    )


def test_sign_up_links_the_existing_person_only_after_verification(client):
    # A mediator signed this resident up by phone earlier: a Person with the address exists.
    person = PersonFactory(email="amina.habitante@exemple.fr", first_name="Amina")
    response = sign_up(client, "Amina.Habitante@exemple.fr")
    assert response.status_code == 302
    assert response.headers["Location"] == "/accounts/confirm-email/"
    user = User.objects.get(email="amina.habitante@exemple.fr")
    person.refresh_from_db()
    assert person.user is None and not person.email_verified
    assert not is_logged_in(client)

    assert [m.to for m in mail.outbox] == [["amina.habitante@exemple.fr"]]
    link = link_from(mail.outbox[0].body)
    assert "/accounts/confirm-email/" in link
    assert client.get(link).status_code == 200  # a page with a button: nothing changes on GET
    person.refresh_from_db()
    assert person.user is None
    response = client.post(link)
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.user == user and person.email_verified
    assert Person.objects.count() == 1

    assert login(client, user.email).status_code == 302
    assert is_logged_in(client)
    assert Person.objects.count() == 1


def test_a_verified_resident_without_a_person_gets_one_on_login(client):
    user = UserFactory(email="nouveau@exemple.fr", first_name="Léa", last_name="Bernard")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    login(client, user.email)
    person = Person.objects.get(user=user)
    assert (person.email, person.email_verified, person.first_name) == (
        "nouveau@exemple.fr",
        True,
        "Léa",
    )
    login(client, user.email)  # safe to run twice
    assert Person.objects.filter(user=user).count() == 1


def test_an_unverified_address_never_claims_a_person():
    person = PersonFactory(email="cible@exemple.fr")
    intruder = UserFactory(email="cible@exemple.fr")
    EmailAddress.objects.create(user=intruder, email=intruder.email, verified=False, primary=True)
    assert services.link_person_to_user(intruder) is None
    person.refresh_from_db()
    assert person.user is None
    assert Person.objects.count() == 1


def test_a_person_already_linked_to_another_account_is_never_taken_over():
    owner = UserFactory(email="ancienne@exemple.fr")
    person = PersonFactory(email="partagee@exemple.fr", user=owner)
    other = UserFactory(email="partagee@exemple.fr".replace("partagee", "autre"))
    EmailAddress.objects.create(user=other, email="partagee@exemple.fr", verified=True)
    assert services.link_person_to_user(other) is None
    person.refresh_from_db()
    assert person.user == owner


def test_anonymised_people_are_not_matched():
    person = PersonFactory(email="oubliee@exemple.fr")
    services.anonymise_person(person.pk)
    user = UserFactory(email="oubliee@exemple.fr")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    linked = services.link_person_to_user(user)
    assert linked is not None and linked.pk != person.pk
    person.refresh_from_db()
    assert person.user is None and person.anonymised_at is not None


def test_an_expired_or_reused_verification_link_gets_a_french_message(client):
    sign_up(client, "lien@exemple.fr")
    link = link_from(mail.outbox[0].body)
    client.post(link)
    again = client.get(link)
    assert again.status_code == 200
    assert "Ce lien de confirmation" in again.content.decode()
    broken = client.get("/accounts/confirm-email/pas-une-vraie-cle/")
    assert broken.status_code == 200
    assert "Ce lien de confirmation" in broken.content.decode()


def test_signing_up_with_a_taken_address_reveals_nothing(client):
    sign_up(client, "prise@exemple.fr")
    client.post(link_from(mail.outbox[0].body))
    mail.outbox.clear()
    client.cookies.clear()
    # Past allauth's 3-minute cool-down between two mails to one address.
    with time_machine.travel(dt.timedelta(minutes=4)):
        response = sign_up(client, "prise@exemple.fr")
    assert response.status_code == 302
    assert response.headers["Location"] == "/accounts/confirm-email/"
    assert User.objects.filter(email="prise@exemple.fr").count() == 1
    assert [m.subject for m in mail.outbox] == ["[Vivre Ensemble] Vous avez déjà un compte"]


def test_after_an_address_change_the_person_follows_the_verified_primary_address(client):
    user = UserFactory(email="avant@exemple.fr")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    login(client, user.email)
    person = Person.objects.get(user=user)
    mail.outbox.clear()

    client.post("/accounts/email/", {"email": "apres@exemple.fr", "action_add": ""})
    assert [m.to for m in mail.outbox] == [["apres@exemple.fr"]]
    # Not verified yet: it cannot be made primary, the Person keeps the old address.
    client.post("/accounts/email/", {"email": "apres@exemple.fr", "action_primary": ""})
    person.refresh_from_db()
    assert person.email == "avant@exemple.fr"

    client.post(link_from(mail.outbox[0].body))
    client.post("/accounts/email/", {"email": "apres@exemple.fr", "action_primary": ""})
    user.refresh_from_db()
    person.refresh_from_db()
    assert user.email == "apres@exemple.fr"
    assert (person.email, person.email_verified) == ("apres@exemple.fr", True)
    assert Person.objects.count() == 1
