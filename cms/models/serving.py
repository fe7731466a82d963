"""What Wagtail reads to serve a page, in fewer queries, for the busiest pages (the home page and
the agenda): the page an address leads to, and whether it is private. Both give Wagtail's own
answer; only the number of queries changes."""

from django.contrib.contenttypes.models import ContentType
from django.http import Http404

from wagtail.models import Page, PageViewRestriction

# (parent page id, slug) -> the content type of the child page that slug led to. Slugs of
# existing pages only: bounded by the page tree (emptied past this size all the same).
CHILD_TYPES_ENTRIES = 2048
_child_types: dict[tuple[int, str], int] = {}


class ChildRoutingMixin:
    """A page whose children are found by their address in one query rather than two: Wagtail
    looks the child up as a plain page, then again as its specific type. The parent remembers
    the type each slug led to, and asks that type directly; a page renamed, moved or deleted
    since then is simply not found that way, and the lookup falls back to Wagtail's."""

    def route(self, request, path_components):
        if not path_components:
            return super().route(request, path_components)
        slug, remaining = path_components[0], path_components[1:]
        content_type_id = _child_types.get((self.pk, slug))
        if content_type_id is not None:
            model = ContentType.objects.get_for_id(content_type_id).model_class()
            found = list(model.objects.child_of(self).filter(slug=slug)[:1]) if model else []
            if found:
                found[0]._cached_parent_obj = self
                return found[0].route(request, remaining)
        try:
            child = self.get_children().get(slug=slug)
        except Page.DoesNotExist:
            raise Http404 from None
        if len(_child_types) >= CHILD_TYPES_ENTRIES:
            _child_types.clear()
        _child_types[(self.pk, slug)] = child.content_type_id
        child._cached_parent_obj = self
        return child.specific.route(request, remaining)


class OneQueryPrivacyMixin:
    """A page whose privacy check (Wagtail's view restrictions of the page and its ancestors)
    reads the page and its ancestors with their restrictions in one query rather than two.
    Where one of them is an alias (whose restrictions are its source's), Wagtail's own check
    runs."""

    def get_view_restrictions(self):
        step = self.steplen
        paths = [self.path[:end] for end in range(step, len(self.path) + 1, step)]
        rows = list(
            Page.objects.filter(path__in=paths).values_list("alias_of_id", "view_restrictions__id")
        )
        if self.alias_of_id or any(alias for alias, _restriction in rows):
            return super().get_view_restrictions()
        ids = [restriction for _alias, restriction in rows if restriction is not None]
        if not ids:
            return PageViewRestriction.objects.none()
        return PageViewRestriction.objects.filter(pk__in=ids)
