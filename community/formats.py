"""The one way pages, emails and messages write dates, times and phone numbers, in French
typography: "samedi 14 mars 2026 à 14 h 00" (non-breaking spaces around the "h", so an hour never
splits across lines) and "04 72 52 23 80". The template filters are in
community/templatetags/vivre_format.py."""

import datetime as dt

from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.translation import gettext as _

import phonenumbers

NBSP = "\u00a0"

# style -> the date part's format (None: the time alone); every style but "jour" ends with the time.
DATE_STYLES = {
    "heure": None,
    "jour": "l j F Y",
    "jour_heure": "l j F Y",
    "jour_heure_sans_annee": "l j F",
    "jour_mois_heure": "j F",
    "date_heure": "d/m/Y",
}


def _local(value):
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


def hour_text(value) -> str:
    """ "14 h 00": the hour in French typography, with non-breaking spaces."""
    if value in (None, ""):
        return ""
    value = _local(value)
    return f"{value.hour}{NBSP}h{NBSP}{value.minute:02d}"


def when(value, style: str = "jour_heure") -> str:
    """A date and/or time in one of the site's styles (see DATE_STYLES)."""
    if value in (None, ""):
        return ""
    date_part = DATE_STYLES[style]
    value = _local(value)
    if date_part is None:
        return hour_text(value)
    day = date_format(value, date_part)
    if style == "jour" or not isinstance(value, dt.datetime):
        return day
    return _("%(day)s à %(hour)s") % {"day": day, "hour": hour_text(value)}


def _parse(phone):
    try:
        return phonenumbers.parse(phone, "FR")
    except phonenumbers.NumberParseException:
        return None


def phone_text(phone) -> str:
    """ "04 72 52 23 80" for a French number, the international form otherwise."""
    if not phone:
        return ""
    number = _parse(phone)
    if number is None:
        return phone
    fmt = (
        phonenumbers.PhoneNumberFormat.NATIONAL
        if number.country_code == 33
        else phonenumbers.PhoneNumberFormat.INTERNATIONAL
    )
    # Non-breaking spaces: a number read aloud or dialled must not wrap mid-way.
    return phonenumbers.format_number(number, fmt).replace(" ", NBSP)


def tel_uri(phone) -> str:
    """The tel: address (international form) of a number, "" when it cannot be read."""
    number = _parse(phone) if phone else None
    if number is None:
        return ""
    return "tel:" + phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
