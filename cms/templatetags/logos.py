"""{% logo_picture image alt %}: a partner's logo (cms.logos)."""

from django import template

from cms import logos

register = template.Library()


@register.simple_tag
def logo_picture(image, alt):
    return logos.logo_picture(image, alt)
