"""Who is this person: what a public form may and may not do to an existing record."""

from django.urls import reverse

import pytest
from allauth.account.models import EmailAddress

from community.models import Person
from community.services import link_person_to_user
from events.models.bookings import Registration
from tests.events.signup_helpers import contact, register
from tests.events.test_signup_views import form_data
from tests.factories import (
    EventFactory,
    FollowUpFactory,
    PersonFactory,
    ReferenceTenantFactory,
    TerritoryFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

VICTIM_PHONE = "+33612345678"


def test_a_phone_only_residents_record_cannot_be_taken_over(client):
    """The attack end to end: a sign-up with the victim's phone and the attacker's address, an
    account made with that address and verified; the account must not reach the victim."""
    victim = PersonFactory(email=None, phone=VICTIM_PHONE, first_name="Fatou")
    tenancy = ReferenceTenantFactory(person=victim)
    FollowUpFactory(reference_tenant=tenancy, note="Situation difficile avec le bailleur")
    register(EventFactory(), contact=contact("Fatou", email="", phone="06 12 34 56 78"))

    event = EventFactory(capacity=20)
    response = client.post(
        reverse("events:signup", args=[event.pk]),
        form_data(email="attacker@exemple.fr", phone="06 12 34 56 78", submission_key="k"),
    )
    assert response.status_code == 302

    attacker = UserFactory(email="attacker@exemple.fr")
    EmailAddress.objects.create(
        user=attacker, email="attacker@exemple.fr", verified=True, primary=True
    )
    linked = link_person_to_user(attacker)

    victim.refresh_from_db()
    assert victim.email is None
    assert victim.user_id is None
    assert linked is not None and linked.pk != victim.pk
    assert not Registration.objects.filter(person=linked).exclude(event=event).exists()
    assert victim.phone == VICTIM_PHONE


def test_an_anonymous_sign_up_keeps_a_residents_unverified_profile_phone():
    """A resident typed their number in their profile (unverified); someone signing up with that
    number must neither erase it nor be attached to the resident's account."""
    resident = PersonFactory(phone=VICTIM_PHONE, phone_verified=False, user=UserFactory())
    registration = register(EventFactory(), contact=contact(email="", phone=VICTIM_PHONE))
    resident.refresh_from_db()
    assert resident.phone == VICTIM_PHONE
    assert registration.person_id != resident.pk


def test_a_public_input_never_renames_nor_completes_an_existing_person():
    from community import identity

    known = PersonFactory(email="awa@exemple.fr", phone=None, first_name="Awa", last_name="Ba")
    found = identity.identify(
        identity.Contact("Autre", "Nom", "AWA@exemple.fr", "06 11 22 33 44", "25-59")
    )
    known.refresh_from_db()
    assert found.pk == known.pk
    assert (known.first_name, known.last_name, known.phone) == ("Awa", "Ba", None)
    # The typed phone was free: it does not land on anyone without being verified or entered.
    assert not Person.objects.filter(phone="+33611223344").exists()


def test_a_phone_match_alone_never_attaches_a_typed_email():
    from community import identity

    holder = PersonFactory(email=None, phone=VICTIM_PHONE)
    found = identity.identify(
        identity.Contact("Sam", "Roux", "sam@exemple.fr", VICTIM_PHONE, "25-59")
    )
    holder.refresh_from_db()
    assert found.pk != holder.pk
    assert holder.email is None and holder.phone == VICTIM_PHONE
    assert found.email == "sam@exemple.fr" and found.phone is None


def test_a_phone_only_public_input_reaches_the_numbers_holder():
    from community import identity

    holder = PersonFactory(email=None, phone=VICTIM_PHONE, first_name="Fatou")
    found = identity.identify(identity.Contact("F", "D", "", "06 12 34 56 78"))
    holder.refresh_from_db()
    assert found.pk == holder.pk and holder.first_name == "Fatou"


def test_staff_entry_fills_a_missing_identifier_and_renames_no_one():
    from community import identity

    staff = UserFactory(is_staff=True)
    holder = PersonFactory(email=None, phone=VICTIM_PHONE, first_name="Fatou")
    found = identity.identify(
        identity.Contact("Autre", "Nom", "fatou@exemple.fr", VICTIM_PHONE), entered_by=staff
    )
    holder.refresh_from_db()
    assert found.pk == holder.pk
    assert holder.email == "fatou@exemple.fr" and holder.first_name == "Fatou"


def test_staff_entry_naming_two_people_is_refused():
    from django.core.exceptions import ValidationError

    from community import identity

    PersonFactory(email="a@exemple.fr", phone=None)
    PersonFactory(email=None, phone=VICTIM_PHONE)
    with pytest.raises(ValidationError):
        identity.identify(
            identity.Contact("A", "B", "a@exemple.fr", VICTIM_PHONE), entered_by=UserFactory()
        )


def test_a_series_follow_never_writes_onto_the_phone_holder():
    from events.series import rules as series_rules
    from tests.events.series_helpers import make_series

    holder = PersonFactory(email=None, phone=VICTIM_PHONE)
    cafe = make_series(TerritoryFactory())
    followed = series_rules.follow(
        series_id=cafe.pk,
        contact=contact(email="x@exemple.fr", phone=VICTIM_PHONE),
        age_band="25-59",
        consent_text="oui",
    )
    holder.refresh_from_db()
    assert holder.email is None
    assert followed.person_id != holder.pk
