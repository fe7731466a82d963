"""Staff screens of the newsletter, in the Wagtail admin: for an issue, preview as email, send
a test to myself, choose the audience, schedule or send now, cancel a scheduled send, follow
the progress and resend to failed; and typing in the paper sign-ups of a stand. Thin: the rules
are in cms.newsletter.rules."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cms.models import Campaign, NewsletterIndexPage, NewsletterIssuePage, Subscription
from cms.newsletter import rules as newsletter
from cms.newsletter.forms import PaperSignupForm, SendForm
from community.rule_errors import show_on_form

SEND_PERMISSION = "cms.send_campaign"
PAPER_PERMISSION = "cms.enter_paper_signup"


def _require(request, permission=SEND_PERMISSION):
    if not request.user.has_perm(permission):
        raise PermissionDenied


def _issue(page_id) -> NewsletterIssuePage:
    return get_object_or_404(NewsletterIssuePage, pk=page_id)


def _campaign(page) -> Campaign | None:
    return page.campaigns.exclude(state=Campaign.State.CANCELLED).first()


def overview(request):
    _require(request)
    issues = NewsletterIssuePage.objects.order_by("-issue_date", "-pk")
    campaigns = {c.page_id: c for c in Campaign.objects.exclude(state=Campaign.State.CANCELLED)}
    rows = [{"page": issue, "campaign": campaigns.get(issue.pk)} for issue in issues]
    index = NewsletterIndexPage.objects.first()
    return TemplateResponse(
        request,
        "cms/newsletter/admin/overview.html",
        {
            "rows": rows,
            "index": index,
            "can_paper": request.user.has_perm(PAPER_PERMISSION),
            "page_title": _("Lettre d'information"),
            "header_icon": "mail",
        },
    )


@require_POST
def duplicate(request):
    """ "Dupliquer la dernière": a draft copy of the latest issue, opened in the page editor."""
    _require(request)
    copy = newsletter.duplicate_latest(request.user)
    if copy is None:
        messages.error(request, _("Aucun numéro à dupliquer : créez d'abord une nouvelle lettre."))
        return redirect("cms_newsletter:overview")
    messages.success(
        request,
        _("Copie créée en brouillon : modifiez-la, publiez-la, puis envoyez-la."),
    )
    return redirect("wagtailadmin_pages:edit", copy.pk)


def issue(request, page_id):
    _require(request)
    page = _issue(page_id)
    campaign = _campaign(page)
    form = SendForm(request.POST or None)
    if request.method == "POST" and campaign is None and form.is_valid():
        data = form.cleaned_data
        if not request.POST.get("confirmed"):
            return _confirm_send(request, page, form)
        try:
            campaign = newsletter.request_send(
                page,
                request.user,
                audience_all=data["audience"] == "all",
                territories=data["territories"],
                topics=data["topics"],
                scheduled_at=data["scheduled_at"],
            )
        except newsletter.NewsletterError as exc:
            messages.error(request, str(exc))
        else:
            if campaign.state == Campaign.State.SCHEDULED and data["scheduled_at"]:
                messages.success(request, _("L'envoi est programmé."))
            else:
                messages.success(request, _("L'envoi a commencé."))
        return redirect("cms_newsletter:issue", page_id=page.pk)
    if request.method == "POST" and campaign is not None:
        # A second click on "send" (another tab, a double click): nothing new is created.
        messages.warning(request, _("Ce numéro a déjà été envoyé ou programmé."))
        return redirect("cms_newsletter:issue", page_id=page.pk)
    return TemplateResponse(
        request,
        "cms/newsletter/admin/issue.html",
        {
            "issue": page,
            "campaign": campaign,
            "progress": newsletter.progress(campaign) if campaign else None,
            "audience_label": newsletter.audience_label(campaign) if campaign else "",
            "form": form,
            "audience_size": None if campaign else newsletter.audience(Campaign()).count(),
            "draft_warning": newsletter.draft_warning() if newsletter.draft_differs(page) else "",
            "page_title": _("Envoyer « %(title)s »") % {"title": page.title},
            "header_icon": "mail",
        },
        status=400 if form.errors else 200,
    )


def _confirm_send(request, page, form):
    """The question before anything goes: "Envoyer à N abonnés ?", with the choice carried in
    hidden fields and a way back to change it."""
    data = form.cleaned_data
    count = newsletter.audience_for(
        data["audience"] == "all",
        territory_ids=[t.pk for t in data["territories"]],
        topic_ids=[t.pk for t in data["topics"]],
    ).count()
    return TemplateResponse(
        request,
        "cms/newsletter/admin/confirm.html",
        {
            "issue": page,
            "form": form,
            "count": count,
            "page_title": _("Confirmer l'envoi de « %(title)s »") % {"title": page.title},
            "header_icon": "mail",
        },
    )


def preview(request, page_id):
    _require(request)
    page = _issue(page_id)
    return HttpResponse(newsletter.preview_html(page, request.user))


@require_POST
def send_test(request, page_id):
    _require(request)
    page = _issue(page_id)
    try:
        address = newsletter.send_test(page, request.user)
    except newsletter.NewsletterError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request, _("Un envoi de test est parti vers %(email)s.") % {"email": address}
        )
        if newsletter.draft_differs(page):
            messages.warning(request, newsletter.draft_warning())
    return redirect("cms_newsletter:issue", page_id=page.pk)


@require_POST
def cancel(request, campaign_id):
    _require(request)
    campaign = get_object_or_404(Campaign, pk=campaign_id)
    if newsletter.cancel(campaign):
        messages.success(request, _("L'envoi programmé est annulé."))
    else:
        messages.error(request, _("Cet envoi a déjà commencé : il ne peut plus être annulé."))
    return redirect("cms_newsletter:issue", page_id=campaign.page_id)


@require_POST
def resend_failed(request, campaign_id):
    _require(request)
    campaign = get_object_or_404(Campaign, pk=campaign_id)
    count = newsletter.resend_failed(campaign)
    messages.success(request, _("%(count)s envoi(s) en échec remis en file.") % {"count": count})
    return redirect("cms_newsletter:issue", page_id=campaign.page_id)


def progress(request, campaign_id):
    _require(request)
    campaign = get_object_or_404(Campaign, pk=campaign_id)
    return JsonResponse(newsletter.progress(campaign))


def paper_signup(request):
    _require(request, PAPER_PERMISSION)
    form = PaperSignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            newsletter.subscribe(
                data["email"],
                first_name=data["first_name"],
                territories=data["territories"],
                topics=data["topics"],
                source=Subscription.Source.PAPER,
                entered_by=request.user,
            )
        except newsletter.NewsletterError as exc:
            show_on_form(form, exc, fallback="email")
        else:
            messages.success(
                request,
                _("Bulletin enregistré : %(email)s recevra un courriel pour confirmer.")
                % {"email": data["email"]},
            )
            return redirect("cms_newsletter:paper")
    return TemplateResponse(
        request,
        "cms/newsletter/admin/paper.html",
        {"form": form, "page_title": _("Saisir des bulletins papier"), "header_icon": "form"},
        status=400 if form.errors else 200,
    )


urlpatterns = [
    path("", overview, name="overview"),
    path("dupliquer/", duplicate, name="duplicate"),
    path("numero/<int:page_id>/", issue, name="issue"),
    path("numero/<int:page_id>/apercu/", preview, name="preview"),
    path("numero/<int:page_id>/test/", send_test, name="test"),
    path("envoi/<int:campaign_id>/annuler/", cancel, name="cancel"),
    path("envoi/<int:campaign_id>/renvoyer/", resend_failed, name="resend"),
    path("envoi/<int:campaign_id>/progression/", progress, name="progress"),
    path("bulletins/", paper_signup, name="paper"),
]
