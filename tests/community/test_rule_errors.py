"""The one rule-error type and the one way a form shows a refused rule: a RuleError or a Django
ValidationError lands on the field it names when the form has that field, else on the form's
non-field errors (or on the fallback field the caller names)."""

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

import pytest

from cms.mediation_day.stands import StandError
from cms.newsletter.rules import NewsletterError
from community.privacy.rules import ProfileError
from community.rule_errors import RuleError, show_on_form
from events.attendance.rules import AttendanceError
from events.attendance.surveys import SurveyError
from events.programme.rules import ProgrammeError
from events.series.rules import SeriesError
from events.services import EventError
from events.signup.rules import AlreadyRegistered, SignupError


class ContactForm(forms.Form):
    email = forms.CharField(required=False)
    phone = forms.CharField(required=False)


def bound_form() -> ContactForm:
    form = ContactForm({"email": "amina@example.org", "phone": ""})
    assert form.is_valid()
    return form


def test_rule_error_carries_its_french_message_and_field():
    error = RuleError("Indiquez votre tranche d'âge.", "age_band")
    assert error.message == "Indiquez votre tranche d'âge."
    assert error.field == "age_band"
    assert str(error) == "Indiquez votre tranche d'âge."
    assert RuleError("Ce cycle n'est plus proposé.").field is None


def test_rule_error_on_a_field_of_the_form():
    form = bound_form()
    show_on_form(form, RuleError("Adresse refusée.", "email"))
    assert form.errors == {"email": ["Adresse refusée."]}
    assert "email" not in form.cleaned_data  # the field's value no longer counts as clean


def test_rule_error_on_a_field_the_form_lacks_is_a_non_field_error():
    form = bound_form()
    show_on_form(form, RuleError("Le consentement est nécessaire.", "consent"))
    assert form.errors == {NON_FIELD_ERRORS: ["Le consentement est nécessaire."]}
    assert form.non_field_errors() == ["Le consentement est nécessaire."]


def test_rule_error_without_field_is_a_non_field_error():
    form = bound_form()
    show_on_form(form, RuleError("Ce cycle n'est plus proposé."))
    assert form.non_field_errors() == ["Ce cycle n'est plus proposé."]
    assert not form.has_error("email")


def test_error_naming_no_field_of_the_form_goes_to_the_fallback_field():
    form = bound_form()
    show_on_form(form, RuleError("Saisissez une adresse valide."), fallback="email")
    show_on_form(form, RuleError("Hors formulaire.", "consent"), fallback="email")
    assert form.errors == {"email": ["Saisissez une adresse valide.", "Hors formulaire."]}


def test_fallback_does_not_move_an_error_that_names_a_field_of_the_form():
    form = bound_form()
    show_on_form(form, RuleError("Numéro inconnu.", "phone"), fallback="email")
    assert form.errors == {"phone": ["Numéro inconnu."]}


def test_validation_error_with_error_dict_goes_field_by_field():
    form = bound_form()
    error = ValidationError(
        {
            "email": ["Adresse déjà connue.", "Adresse trop longue."],
            "consent": "Cochez la case.",
            NON_FIELD_ERRORS: "Refusé.",
        }
    )
    show_on_form(form, error)
    assert form.errors["email"] == ["Adresse déjà connue.", "Adresse trop longue."]
    # A field the form lacks, and the model's own non-field errors: on top of the form.
    assert sorted(form.non_field_errors()) == ["Cochez la case.", "Refusé."]
    assert set(form.errors) == {"email", NON_FIELD_ERRORS}


def test_validation_error_without_error_dict_is_a_non_field_error():
    form = bound_form()
    show_on_form(form, ValidationError(["Ce groupe est terminé.", "Réessayez plus tard."]))
    assert form.non_field_errors() == ["Ce groupe est terminé.", "Réessayez plus tard."]
    assert set(form.errors) == {NON_FIELD_ERRORS}


def test_validation_error_with_params_shows_its_formatted_message():
    form = bound_form()
    show_on_form(form, ValidationError("Au plus %(max)s places.", params={"max": 4}))
    assert form.non_field_errors() == ["Au plus 4 places."]


def test_anything_else_is_refused():
    with pytest.raises(TypeError):
        show_on_form(bound_form(), ValueError("not a rule's refusal"))


@pytest.mark.parametrize(
    "cls",
    [
        SignupError,
        ProgrammeError,
        SeriesError,
        SurveyError,
        AttendanceError,
        EventError,
        NewsletterError,
        StandError,
        ProfileError,
    ],
)
def test_every_feature_error_is_a_rule_error_shown_the_same_way(cls):
    error = cls("Refusé pour ce champ.", "phone")
    assert isinstance(error, RuleError)
    assert (error.message, error.field, str(error)) == (
        "Refusé pour ce champ.",
        "phone",
        error.message,
    )
    form = bound_form()
    show_on_form(form, error)
    assert form.errors == {"phone": ["Refusé pour ce champ."]}


def test_already_registered_is_a_signup_error_on_the_email_field():
    error = AlreadyRegistered(42)
    assert isinstance(error, SignupError)
    assert isinstance(error, RuleError)
    assert (error.registration_id, error.field) == (42, "email")
    form = bound_form()
    show_on_form(form, error)
    assert form.errors == {"email": [error.message]}
