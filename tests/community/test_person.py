from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

import pytest

from community.models import Person
from community.normalise import normalise_phone
from community.services import anonymise_person, export_person_data
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def test_same_email_in_another_case_is_refused_by_the_database():
    # bulk_create skips Person.save()'s normalisation: only the database constraint stands.
    Person.objects.bulk_create([Person(first_name="Amina", email="Amina.Diallo@Exemple.fr")])
    with pytest.raises(IntegrityError), transaction.atomic():
        Person.objects.bulk_create([Person(first_name="Amina", email="amina.diallo@exemple.FR")])
    assert Person.objects.count() == 1


def test_email_and_phone_are_stored_normalised():
    person = PersonFactory(email="  Karim@Exemple.FR ", phone="06 12 34 56 78")
    person.refresh_from_db()
    assert person.email == "karim@exemple.fr"
    assert person.phone == "+33612345678"


def test_same_phone_written_differently_is_refused():
    PersonFactory(email=None, phone="06 12 34 56 78")
    with pytest.raises(IntegrityError), transaction.atomic():
        PersonFactory(email=None, phone="+33 6 12 34 56 78")


def test_several_persons_without_email_or_phone_are_allowed():
    PersonFactory(email=None, phone=None)
    PersonFactory(email="", phone="")
    assert Person.objects.filter(email__isnull=True, phone__isnull=True).count() == 2


def test_invalid_phone_gets_a_french_message():
    with pytest.raises(ValidationError) as excinfo:
        normalise_phone("12")
    assert "numéro de téléphone" in excinfo.value.messages[0]


def test_anonymising_blanks_personal_fields_and_keeps_the_row_for_figures(territories):
    person = PersonFactory(
        first_name="Maimouna",
        email="m@exemple.fr",
        phone="0612345678",
        territory=territories["Lyon 8"],
    )
    assert anonymise_person(person.pk) is True
    person.refresh_from_db()
    assert (person.first_name, person.last_name, person.email, person.phone) == ("", "", None, None)
    assert person.territory == territories["Lyon 8"]
    assert person.age_band == "25-59"
    assert person.anonymised_at is not None
    assert anonymise_person(person.pk) is False  # safe to run twice


def test_export_gathers_every_registered_handler():
    person = PersonFactory(first_name="Quentin", email="q@exemple.fr")
    data = export_person_data(person)
    assert data["community.person"]["first_name"] == "Quentin"
    assert data["community.person"]["email"] == "q@exemple.fr"
