"""A phone number as people read and dial it: "04 72 52 23 80" on the page, the stored
international form in tel: links."""

from django import template

from events.attendance.rules import national_phone

register = template.Library()


@register.filter
def phone_display(value: str | None) -> str:
    return national_phone(value)
