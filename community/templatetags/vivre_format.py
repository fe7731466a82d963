"""Template filters for dates, times and phone numbers; the formats are in community.formats."""

from django import template
from django.utils.html import format_html

from community import formats

register = template.Library()


@register.filter
def quand(value, style: str = "jour_heure") -> str:
    """A date and time in one of the site's styles: {{ event.start|quand:"jour_heure" }}."""
    if style not in formats.DATE_STYLES:
        raise template.TemplateSyntaxError(f"unknown date style {style!r}")
    return formats.when(value, style)


@register.filter
def heure(value) -> str:
    """ "14 h 00"."""
    return formats.hour_text(value)


@register.filter
def telephone(phone) -> str:
    """ "04 72 52 23 80"."""
    return formats.phone_text(phone)


@register.filter
def telephone_lien(phone) -> str:
    """The number as a tappable link."""
    uri = formats.tel_uri(phone)
    if not uri:
        return phone or ""
    return format_html('<a href="{}">{}</a>', uri, formats.phone_text(phone))


@register.filter
def territoire(territory) -> str:
    """A territory's name, with its full name as an <abbr> when the name is an acronym (EMH)."""
    if territory is None:
        return ""
    if getattr(territory, "full_name", ""):
        return format_html('<abbr title="{}">{}</abbr>', territory.full_name, territory.name)
    return str(territory.name)
