"""Text messages (SMS), sent like Django sends email: an `SMS_BACKEND` setting names the class
that delivers them (community.sms.backends: a file per message under var/sms/ in the embedded
default, the console, an in-memory list for tests, Brevo's HTTP API in production).

A backend raises `SmsRefused` when the provider will not take a message (a wrong number, no
credit left: retrying changes nothing) and `SmsTemporaryFailure` when it may later (a timeout,
a 5xx): the batch mail engine reads `transient` to retry or give up. Texts are kept to the GSM
7-bit alphabet (`gsm_text`), so one message holds 160 characters rather than 70."""

import unicodedata
from dataclasses import dataclass

from django.conf import settings
from django.utils.module_loading import import_string

import phonenumbers

SEGMENT = 160  # characters of one GSM 7-bit message

# The GSM 03.38 basic alphabet (without its escape): each of these costs one character.
GSM_CHARACTERS = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡"
    "ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
# French letters and signs outside it, and what stands in for them.
_REPLACEMENTS = {
    "ç": "c", "â": "a", "ê": "e", "ë": "e", "î": "i", "ï": "i", "ô": "o", "û": "u", "ÿ": "y",
    "œ": "oe", "Œ": "OE", "æ": "ae", "À": "A", "Â": "A", "È": "E", "Ê": "E", "Ë": "E",
    "Î": "I", "Ï": "I", "Ô": "O", "Ù": "U", "Û": "U", "’": "'", "‘": "'", "“": '"', "”": '"',
    "«": '"', "»": '"', "–": "-", "—": "-", "…": "...", "\u00a0": " ", "\u202f": " ",
}  # fmt: skip

# What the locmem backend sent (tests read it, like django.core.mail.outbox).
outbox: list = []


class SmsError(Exception):
    transient = False


class SmsRefused(SmsError):
    """The provider will not deliver this message: trying again changes nothing."""


class SmsTemporaryFailure(SmsError):
    """The provider could not be reached or asked us to come back later."""

    transient = True


@dataclass
class SmsMessage:
    to: str  # E.164
    body: str
    reference: str = ""  # ours, for the provider's reports
    connection: object = None

    def send(self) -> int:
        return (self.connection or get_connection()).send_messages([self])


def enabled() -> bool:
    """Whether texts are sent at all (SMS_BACKEND is set)."""
    return bool(settings.SMS_BACKEND)


def get_connection(backend: str | None = None, **kwargs):
    """An instance of the SMS backend (`SMS_BACKEND` unless `backend` names another)."""
    return import_string(backend or settings.SMS_BACKEND)(**kwargs)


def is_mobile(phone: str | None) -> bool:
    """Whether an E.164 number can receive texts (a mobile, or a number of a country that does
    not tell mobiles apart)."""
    if not phone:
        return False
    try:
        number = phonenumbers.parse(phone, None)
    except phonenumbers.NumberParseException:
        return False
    kind = phonenumbers.number_type(number)
    return kind in (
        phonenumbers.PhoneNumberType.MOBILE,
        phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
    )


def gsm_text(text: str) -> str:
    """`text` in the GSM 7-bit alphabet: French letters outside it lose their accent, anything
    else unknown becomes "?", runs of white space become one space."""
    out = []
    for char in " ".join(text.split()):
        if char in GSM_CHARACTERS:
            out.append(char)
        elif char in _REPLACEMENTS:
            out.append(_REPLACEMENTS[char])
        else:
            bare = unicodedata.normalize("NFKD", char).encode("ascii", "ignore").decode()
            out.append(bare if bare and all(c in GSM_CHARACTERS for c in bare) else "?")
    return "".join(out)


def is_gsm(text: str) -> bool:
    return all(char in GSM_CHARACTERS for char in text)


def shorten(value: str, length: int) -> str:
    value = value.strip()
    if len(value) <= length:
        return value
    return value[: max(length - 3, 1)].rstrip() + "..."


def fit(template: str, values: dict, shrinkable: tuple[str, ...], limit: int = SEGMENT) -> str:
    """`template % values` in the GSM alphabet and within `limit` characters: the values named
    in `shrinkable` are cut (with "...") one after the other, down to a few characters each,
    until the text fits; what cannot shrink (a date, a link) is kept whole."""
    values = {key: gsm_text(str(value)) for key, value in values.items()}
    text = gsm_text(template % values)
    for key in shrinkable:
        excess = len(text) - limit
        if excess <= 0:
            break
        values[key] = shorten(values[key], max(len(values[key]) - excess, 8))
        text = gsm_text(template % values)
    return text[:limit]
