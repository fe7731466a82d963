"""Admin screens for the community records, scoped by the permission module."""

from django.utils.translation import gettext_lazy as _

from wagtail.admin.filters import WagtailFilterSet
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

import django_filters

from . import permissions
from .models import Organisation, Residence, Territory


class TerritoryViewSet(SnippetViewSet):
    model = Territory
    icon = "site"
    menu_label = _("Territoires")
    list_display = ["name", "email", "phone"]
    search_fields = ["name"]

    def get_queryset(self, request):
        return permissions.visible_territories(request.user)


class OrganisationViewSet(SnippetViewSet):
    model = Organisation
    icon = "group"
    menu_label = _("Organisations")
    list_display = ["name", "kind", "website"]
    list_filter = ["kind"]
    search_fields = ["name"]


def _visible_territories(request):
    return permissions.visible_territories(request.user) if request else Territory.objects.none()


class ResidenceFilterSet(WagtailFilterSet):
    # The territory filter offers only the territories the reader may see (found by the
    # permission harness: the default filter listed every territory to every mediator).
    territory = django_filters.ModelChoiceFilter(
        label=_("territoire"), queryset=_visible_territories
    )

    class Meta:
        model = Residence
        fields = ["territory", "landlord"]


class ResidenceViewSet(SnippetViewSet):
    model = Residence
    icon = "home"
    menu_label = _("Résidences")
    list_display = ["name", "territory", "landlord", "address"]
    filterset_class = ResidenceFilterSet
    search_fields = ["name", "address"]

    def get_queryset(self, request):
        return permissions.restrict_to_visible(
            Residence.objects.select_related("territory", "landlord"), request.user
        )


class CommunityViewSetGroup(SnippetViewSetGroup):
    items = (TerritoryViewSet, OrganisationViewSet, ResidenceViewSet)
    menu_icon = "group"
    menu_label = _("Communauté")
    menu_name = "community"


register_snippet(CommunityViewSetGroup)
