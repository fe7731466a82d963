"""Admin screens of the public site: testimonials, and the requests residents sent to their
territory's team (each mediator sees their own territories' only)."""

from django.utils.translation import gettext_lazy as _

from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from community import permissions

from .models import Submission, Testimonial


class TestimonialViewSet(SnippetViewSet):
    model = Testimonial
    icon = "openquote"
    menu_label = _("Témoignages")
    menu_order = 300
    add_to_admin_menu = True
    list_display = ["first_name", "role", "territory", "quote"]
    list_filter = ["territory"]
    search_fields = ["quote", "first_name", "role"]
    search_backend_name = None


class TerritorySubmissionViewSet(SnippetViewSet):
    """Newcomer welcome requests, for the mediators of the territory named in each."""

    model = Submission
    icon = "mail"
    menu_label = _("Demandes des habitants")
    menu_order = 310
    add_to_admin_menu = True
    list_display = ["summary", "submit_time", "territory", "page", "recipients"]
    list_filter = ["territory"]
    inspect_view_enabled = True
    inspect_view_fields = [
        "submit_time",
        "page",
        "territory",
        "form_data",
        "consent_text",
        "recipients",
    ]

    def get_queryset(self, request):
        queryset = Submission.objects.filter(territory__isnull=False).select_related(
            "page", "territory"
        )
        return permissions.restrict_to_visible(queryset, request.user)


register_snippet(TestimonialViewSet)
register_snippet(TerritorySubmissionViewSet)
