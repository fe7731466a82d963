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


# -- partners' stands at the mediation day (issue 11) -------------------------------------------
from django.contrib import messages  # noqa: E402
from django.core.exceptions import PermissionDenied  # noqa: E402
from django.shortcuts import get_object_or_404, redirect  # noqa: E402
from django.template.response import TemplateResponse  # noqa: E402
from django.urls import path, reverse  # noqa: E402

from wagtail import hooks  # noqa: E402
from wagtail.admin.panels import FieldPanel  # noqa: E402
from wagtail.admin.widgets import Button  # noqa: E402

from . import stands  # noqa: E402
from .models import StandRequest  # noqa: E402


class StandRequestViewSet(SnippetViewSet):
    """Partners' stand requests: staff read them and decide (accepted, refused, waiting list);
    the decision is made through cms.stands.decide, which emails the contact."""

    model = StandRequest
    icon = "group"
    menu_label = _("Demandes de stand")
    menu_order = 256
    add_to_admin_menu = True
    list_display = ["organisation_name", "page", "contact_name", "needs_label", "status"]
    list_filter = ["status", "page"]
    search_fields = ["organisation_name", "contact_name"]
    search_backend_name = None
    inspect_view_enabled = True
    panels = [
        FieldPanel("organisation"),
        FieldPanel("organisation_name"),
        FieldPanel("contact_name"),
        FieldPanel("contact_email"),
        FieldPanel("contact_phone"),
        FieldPanel("needs_table"),
        FieldPanel("needs_power"),
        FieldPanel("description"),
    ]

    def get_queryset(self, request):
        return StandRequest.objects.select_related("page")

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("decide/<int:pk>/", self.decide_view, name="decide"),
        ]

    def decide_view(self, request, pk):
        if not self.permission_policy.user_has_permission(request.user, "change"):
            raise PermissionDenied
        stand = get_object_or_404(StandRequest.objects.select_related("page"), pk=pk)
        if request.method == "POST":
            try:
                stands.decide(stand.pk, request.POST.get("status", ""), user=request.user)
            except stands.StandError as error:
                messages.error(request, error.message)
            else:
                messages.success(
                    request, _("Décision enregistrée ; le contact en est informé par courriel.")
                )
                return redirect(self.get_url_name("list"))
        return TemplateResponse(
            request,
            "cms/admin/stand_decide.html",
            {
                "stand": stand,
                "decisions": [
                    (s.value, s.label) for s in map(StandRequest.Status, stands.DECISIONS)
                ],
                "list_url_name": self.get_url_name("list"),
            },
        )


register_snippet(StandRequestViewSet)


@hooks.register("register_snippet_listing_buttons")
def stand_decision_button(snippet, user, next_url=None):
    if isinstance(snippet, StandRequest) and user.has_perm("cms.change_standrequest"):
        yield Button(
            _("Décider"),
            reverse("wagtailsnippets_cms_standrequest:decide", args=[snippet.pk]),
            priority=5,
        )
