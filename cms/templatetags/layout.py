"""`{% layout_fragment "name" [per_address] [anonymous_only] %}…{% endlayout_fragment %}`: a piece
of the public layout rendered once per process and reused (cms.layout_cache), since the menus,
the footer and the language links are the same on every page of a site in a language and cost
more to render than most pages' own content.

The key is the piece's name, the template being rendered (a page type may override a block), the
site's host and the page's language, plus the address (path and query) with `per_address` (the
current page marked in the menu, the language links of this page). `anonymous_only` renders the
piece afresh for a signed-in visitor (the menu's account links and log-out form). What goes inside
must depend on nothing else: no CSRF token, no per-visitor value."""

from django import template
from django.utils import translation
from django.utils.safestring import mark_safe

from cms import layout_cache

register = template.Library()


class LayoutFragmentNode(template.Node):
    def __init__(self, nodelist, name: str, per_address: bool, anonymous_only: bool):
        self.nodelist = nodelist
        self.name = name
        self.per_address = per_address
        self.anonymous_only = anonymous_only

    def render(self, context) -> str:
        request = context.get("request")
        if request is None:
            return self.nodelist.render(context)
        if self.anonymous_only:
            user = getattr(request, "user", None)
            if user is None or user.is_authenticated:
                return self.nodelist.render(context)
        key = (
            "fragment",
            self.name,
            context.template.name if context.template else None,
            request.get_host(),
            translation.get_language(),
            request.get_full_path() if self.per_address else None,
        )
        return mark_safe(layout_cache.fragment(key, lambda: self.nodelist.render(context)))  # noqa: S308 -- rendered by the template engine, escaped there


@register.tag
def layout_fragment(parser, token):
    bits = token.split_contents()
    if len(bits) < 2 or set(bits[2:]) - {"per_address", "anonymous_only"}:
        raise template.TemplateSyntaxError(
            f'{bits[0]} takes a quoted name, then "per_address" and/or "anonymous_only".'
        )
    name = bits[1].strip("\"'")
    nodelist = parser.parse(("endlayout_fragment",))
    parser.delete_first_token()
    return LayoutFragmentNode(nodelist, name, "per_address" in bits, "anonymous_only" in bits)
