"""Normalisation of the identifiers a person is matched on."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

import phonenumbers

DEFAULT_REGION = "FR"


def normalise_email(value: str | None) -> str | None:
    """Lower-case and strip an email address; empty becomes None."""
    if value is None:
        return None
    value = value.strip().lower()
    return value or None


def normalise_phone(value: str | None, region: str = DEFAULT_REGION) -> str | None:
    """Return the E.164 form of a phone number (French numbers by default); empty becomes None.

    Raises ValidationError with a French message when the number cannot be valid.
    """
    if value is None:
        return None
    value = value.strip()
    if not value:
        return None
    try:
        number = phonenumbers.parse(value, region)
    except phonenumbers.NumberParseException as exc:
        raise ValidationError(
            _("Ce numéro de téléphone n'est pas reconnu."), code="invalid_phone"
        ) from exc
    if not phonenumbers.is_valid_number(number):
        raise ValidationError(_("Ce numéro de téléphone n'est pas valide."), code="invalid_phone")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
