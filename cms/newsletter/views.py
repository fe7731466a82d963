"""Public pages of the newsletter: subscribe, confirm (double opt-in), unsubscribe (one click,
RFC 8058), and a signed-in resident's own subscription."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from cms.models import Subscription
from cms.newsletter import rules as newsletter
from cms.newsletter.forms import InterestsForm, SubscribeForm
from community.ratelimit import limit_public_posts
from community.rule_errors import show_on_form


def _bad_link(request, status=400):
    return render(request, "cms/newsletter/bad_link.html", status=status)


@require_http_methods(["GET", "POST"])
@limit_public_posts("newsletter", fields=("email",))
def subscribe(request):
    """The footer's short form asks with a GET (public pages carry no cookie and stay
    cacheable): it only fills in this page's full form, whose POST, CSRF-protected and rate
    limited, is the one that writes and mails."""
    if request.method == "POST":
        form = SubscribeForm(request.POST)
    else:
        form = SubscribeForm(initial=_prefill(request.GET))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            newsletter.subscribe(
                data["email"],
                first_name=data["first_name"],
                territories=data["territories"],
                topics=data["topics"],
            )
        except newsletter.NewsletterError as exc:
            show_on_form(form, exc, fallback="email")
        else:
            # The same page whether the address was new, pending or already subscribed.
            return redirect("cms:newsletter_thanks")
    status = 400 if form.errors else 200
    return render(
        request,
        "cms/newsletter/subscribe.html",
        {"form": form, "consent_text": newsletter.CONSENT_TEXT},
        status=status,
    )


def _prefill(query) -> dict:
    """What the footer's GET carries, as the full form's initial values (never validated here:
    a GET shows no error and writes nothing)."""
    initial = {}
    email = (query.get("email") or "").strip()[:254]
    if email:
        initial["email"] = email
    if query.get("consent"):
        initial["consent"] = True
    return initial


def thanks(request):
    return render(request, "cms/newsletter/thanks.html")


@require_http_methods(["GET", "POST"])
def confirm(request, token):
    try:
        subscription = newsletter.subscription_for_confirmation(token)
    except newsletter.BadToken:
        return _bad_link(request)
    if request.method == "POST":
        newsletter.confirm(subscription)
        return render(request, "cms/newsletter/confirmed.html")
    if subscription.state == Subscription.State.ACTIVE:
        return render(request, "cms/newsletter/confirmed.html")
    if subscription.state != Subscription.State.PENDING:
        return _bad_link(request)
    return render(request, "cms/newsletter/confirm.html")


@csrf_exempt  # RFC 8058: mail clients POST without cookies; the signed token is the proof
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    try:
        subscription = newsletter.subscription_for_unsubscribe(token)
    except newsletter.BadToken:
        return _bad_link(request)
    if request.method == "POST":
        newsletter.unsubscribe(subscription)
        return render(request, "cms/newsletter/unsubscribed.html")
    if subscription.state == Subscription.State.UNSUBSCRIBED:
        return render(request, "cms/newsletter/unsubscribed.html")
    # A GET changes nothing: mail scanners that follow links unsubscribe no one.
    return render(request, "cms/newsletter/unsubscribe.html")


@login_required
@require_http_methods(["GET", "POST"])
def my_subscription(request):
    person = getattr(request.user, "person", None)
    subscription = None
    if person is not None:
        subscription = Subscription.objects.filter(person=person).first()
    active = subscription is not None and subscription.state == Subscription.State.ACTIVE
    initial = {}
    if active:
        initial = {
            "territories": list(subscription.territories.all()),
            "topics": list(subscription.topics.all()),
        }
    form = InterestsForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if person is None or not person.email or not person.email_verified:
            messages.error(request, _("Confirmez d'abord votre adresse électronique."))
            return redirect("cms:newsletter_mine")
        if request.POST.get("action") == "unsubscribe":
            if subscription is not None:
                newsletter.unsubscribe(subscription)
            messages.success(request, _("Vous êtes désabonné de la lettre d'information."))
            return redirect("cms:newsletter_mine")
        if form.is_valid():
            newsletter.subscribe_account(
                person,
                territories=form.cleaned_data["territories"],
                topics=form.cleaned_data["topics"],
            )
            messages.success(request, _("Votre abonnement est enregistré."))
            return redirect("cms:newsletter_mine")
    return render(
        request,
        "cms/newsletter/mine.html",
        {"form": form, "active": active, "person": person, "consent_text": newsletter.CONSENT_TEXT},
    )
