"""Template tags of the event page's head: absolute addresses and the schema.org data."""

from django import template
from django.urls import reverse
from django.utils.html import format_html

from events import structured_data

register = template.Library()


@register.simple_tag(takes_context=True)
def absolute_url(context, path: str) -> str:
    """`path` as a full address on this host (Open Graph and JSON-LD want full addresses); an
    address that is already full (media on S3-compatible storage) is kept."""
    if not path or path.startswith(("http://", "https://")):
        return path or ""
    return context["request"].build_absolute_uri(path)


@register.simple_tag(takes_context=True)
def event_structured_data(context, event, organizer_name: str = "", image_url: str = ""):
    """The event's schema.org `Event` as a JSON-LD script element."""
    request = context["request"]
    data = structured_data.event_json_ld(
        event,
        page_url=request.build_absolute_uri(event.get_absolute_url()),
        signup_url=request.build_absolute_uri(reverse("events:signup", args=[event.pk])),
        seats_left=context.get("seats_left"),
        organizer_name=organizer_name,
        organizer_url=request.build_absolute_uri("/"),
        image_url=image_url or None,
    )
    return format_html(
        '<script type="application/ld+json">{}</script>', structured_data.as_script(data)
    )
