"""Admin screens of the public site: testimonials, and the requests residents sent to their
territory's team (each mediator sees their own territories' only)."""

from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.snippets.models import register_snippet

from cms import services
from cms.mediation_day import admin as mediation_day_admin
from cms.models import Submission, Testimonial
from cms.newsletter import admin as newsletter_admin
from community.admin_scoping import BaseSnippetViewSet, ScopedSnippetViewSet


class TestimonialViewSet(BaseSnippetViewSet):
    model = Testimonial
    icon = "openquote"
    menu_label = _("Témoignages")
    menu_order = 300
    add_to_admin_menu = True
    list_display = ["first_name", "role", "territory", "quote"]
    list_filter = ["territory"]
    search_fields = ["quote", "first_name", "role"]


class TerritorySubmissionViewSet(ScopedSnippetViewSet):
    """Residents' requests: a newcomer welcome request for the mediators (and managers) of the
    territory named in it; a contact or service request (no territory) for managers, who answer
    them. Read through cms.services.visible_submissions."""

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

    list_select_related = ("page", "territory")

    def get_queryset(self, request):
        return services.visible_submissions(super().get_queryset(request), request.user)


register_snippet(TestimonialViewSet)
register_snippet(TerritorySubmissionViewSet)


@hooks.register("filter_form_submissions_for_user")
def form_submissions_for_readers_only(user, editable_forms):
    """Wagtail's form submission screens (/admin/forms/) list and export a page's submissions
    whole: open to those who may read them all, never to page editors as such."""
    return services.form_pages_with_readable_submissions(user, editable_forms)


# -- partners' stands at the mediation day ------------------------------------------------------
from django.contrib import messages  # noqa: E402
from django.core.exceptions import PermissionDenied  # noqa: E402
from django.shortcuts import get_object_or_404, redirect  # noqa: E402
from django.template.response import TemplateResponse  # noqa: E402
from django.urls import path, reverse  # noqa: E402

from wagtail import hooks  # noqa: E402
from wagtail.admin.panels import FieldPanel  # noqa: E402
from wagtail.admin.widgets import Button  # noqa: E402

from cms.mediation_day import stands  # noqa: E402
from cms.models import StandRequest  # noqa: E402


class StandRequestViewSet(BaseSnippetViewSet):
    """Partners' stand requests: staff read them and decide (accepted, refused, waiting list);
    the decision is made through cms.mediation_day.stands.decide, which emails the contact."""

    model = StandRequest
    icon = "group"
    menu_label = _("Demandes de stand")
    menu_order = 256
    add_to_admin_menu = True
    list_display = ["organisation_name", "page", "contact_name", "needs_label", "status"]
    list_filter = ["status", "page"]
    search_fields = ["organisation_name", "contact_name"]
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


# --- The newsletter (cms/newsletter/admin.py) --------------------------------------------------

from django.urls import include  # noqa: E402

from wagtail import hooks  # noqa: E402
from wagtail.admin.menu import MenuItem  # noqa: E402
from wagtail.admin.widgets import ListingButton  # noqa: E402

from cms.models import NewsletterIssuePage, NewsletterTopic, Subscription  # noqa: E402


class NewsletterTopicViewSet(BaseSnippetViewSet):
    model = NewsletterTopic
    icon = "tag"
    menu_label = _("Thèmes de la lettre")
    menu_order = 330
    add_to_admin_menu = True
    list_display = ["name", "sort_order"]
    search_fields = ["name"]


class SubscriptionViewSet(BaseSnippetViewSet):
    model = Subscription
    icon = "group"
    menu_label = _("Abonnés à la lettre")
    menu_order = 331
    add_to_admin_menu = True
    list_display = ["person", "state", "source", "created_at", "confirmed_at"]
    list_filter = ["state", "source", "territories", "topics"]
    inspect_view_enabled = True
    create_view_enabled = False  # paper sign-ups go through "Saisir des bulletins papier"

    def get_queryset(self, request):
        return Subscription.objects.select_related("person")


register_snippet(NewsletterTopicViewSet)
register_snippet(SubscriptionViewSet)


@hooks.register("register_admin_urls")
def register_mediation_day_urls():
    return [path("journee/", include((mediation_day_admin.urlpatterns, "cms_mediation_day")))]


class MediationDayMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(mediation_day_admin.PERMISSION)


@hooks.register("register_admin_menu_item")
def register_mediation_day_menu_item():
    # One entry for the day: its programme, sessions and page are reached from there.
    return MediationDayMenuItem(
        _("Journée de la médiation"),
        reverse("cms_mediation_day:index"),
        icon_name="date",
        order=255,
    )


@hooks.register("register_admin_urls")
def register_newsletter_urls():
    return [path("lettre/", include((newsletter_admin.urlpatterns, "cms_newsletter")))]


class NewsletterMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("cms.send_campaign") or request.user.has_perm(
            "cms.enter_paper_signup"
        )


@hooks.register("register_admin_menu_item")
def register_newsletter_menu_item():
    return NewsletterMenuItem(
        _("Envoyer la lettre"), reverse("cms_newsletter:overview"), icon_name="mail", order=329
    )


def _send_button(page, user, cls):
    if not isinstance(page.specific_deferred, NewsletterIssuePage) or not user.has_perm(
        "cms.send_campaign"
    ):
        return []
    return [
        cls(
            _("Envoyer par courriel"),
            reverse("cms_newsletter:issue", args=[page.pk]),
            icon_name="mail",
            priority=15,
        )
    ]


@hooks.register("register_page_header_buttons")
def newsletter_header_button(page, user, view_name=None, next_url=None):
    return _send_button(page, user, Button)


@hooks.register("register_page_listing_buttons")
def newsletter_listing_button(page, user, next_url=None):
    return _send_button(page, user, ListingButton)
