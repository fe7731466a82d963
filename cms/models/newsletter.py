"""The quarterly newsletter: its pages (archive and issues), its subscribers (each a Person),
and a record per send (`Campaign`) and per recipient (`Delivery`).

The rules (subscribing, confirming, sending, unsubscribing) are in cms/newsletter/rules.py."""

import secrets

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from cms.newsletter.blocks import NewsletterBodyBlock


def new_token() -> str:
    return secrets.token_urlsafe(24)


class NewsletterTopic(models.Model):
    """A subject a subscriber can choose (editors manage the list)."""

    name = models.CharField(_("nom"), max_length=100, unique=True)
    sort_order = models.PositiveSmallIntegerField(_("ordre d'affichage"), default=0)

    class Meta:
        verbose_name = _("thème de la lettre")
        verbose_name_plural = _("thèmes de la lettre")
        ordering = ["sort_order", "name"]

    def __str__(self):
        return self.name


class NewsletterIndexPage(Page):
    """The public archive of the issues, with the subscription form."""

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]

    parent_page_types = ["cms.HomePage"]
    subpage_types = ["cms.NewsletterIssuePage"]
    max_count = 1

    class Meta:
        verbose_name = _("archive de la lettre d'information")
        verbose_name_plural = _("archives de la lettre d'information")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        from cms.newsletter.forms import SubscribeForm  # noqa: PLC0415 -- circle: the newsletter forms import cms.models

        context["subscribe_form"] = SubscribeForm()
        # An issue joins the archive once it went out: publishing is a step before sending.
        context["issues"] = (
            NewsletterIssuePage.objects.live()
            .public()
            .child_of(self)
            .filter(campaigns__state__in=["sending", "done"])
            .distinct()
            .order_by("-issue_date")
        )
        return context


class NewsletterIssuePage(Page):
    """One issue of the quarterly newsletter, read on the site and sent by email."""

    issue_date = models.DateField(_("date du numéro"), default=timezone.localdate)
    summary = models.TextField(
        _("résumé"),
        max_length=500,
        help_text=_("Deux ou trois phrases : l'aperçu dans la boîte de réception et l'archive."),
    )
    body = StreamField(NewsletterBodyBlock(), verbose_name=_("contenu"), blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("issue_date"),
        FieldPanel("summary"),
        FieldPanel("body"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("summary"), index.SearchField("body")]

    parent_page_types = ["cms.NewsletterIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("numéro de la lettre d'information")
        verbose_name_plural = _("numéros de la lettre d'information")


class Subscription(models.Model):
    """A Person's subscription. Pending until the confirmation link is followed (or expired
    after NEWSLETTER_CONFIRMATION_DAYS); after unsubscribing the row keeps only what the figures
    count (dates, interests) and is detached from the person."""

    class State(models.TextChoices):
        PENDING = "pending", _("En attente de confirmation")
        ACTIVE = "active", _("Abonné")
        UNSUBSCRIBED = "unsubscribed", _("Désabonné")

    class Source(models.TextChoices):
        ONLINE = "online", _("Formulaire du site")
        ACCOUNT = "account", _("Espace personnel")
        PAPER = "paper", _("Bulletin papier (stand)")

    person = models.OneToOneField(
        "community.Person",
        verbose_name=_("personne"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="newsletter_subscription",
    )
    state = models.CharField(_("état"), max_length=15, choices=State.choices, default=State.PENDING)
    source = models.CharField(_("origine"), max_length=10, choices=Source.choices)
    territories = models.ManyToManyField(
        "community.Territory", verbose_name=_("territoires"), blank=True, related_name="+"
    )
    topics = models.ManyToManyField(
        NewsletterTopic, verbose_name=_("thèmes"), blank=True, related_name="subscriptions"
    )
    consent_text = models.TextField(_("texte du consentement affiché"))
    consent_at = models.DateTimeField(_("consentement donné le"), default=timezone.now)
    entered_by = models.ForeignKey(
        "community.User",
        verbose_name=_("saisi par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    created_at = models.DateTimeField(_("créé le"), default=timezone.now, editable=False)
    # When the confirmation link was last asked for, and when it was last mailed: a request
    # whose email never went out (its task message lost) is sent by the recovery task.
    confirmation_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    confirmation_mailed_at = models.DateTimeField(null=True, blank=True, editable=False)
    # When an active subscriber was last told "you are already subscribed" (at most once a day,
    # so the public form cannot flood them), and when that notice was mailed.
    notice_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    notice_mailed_at = models.DateTimeField(null=True, blank=True, editable=False)
    confirmed_at = models.DateTimeField(_("confirmé le"), null=True, blank=True)
    unsubscribed_at = models.DateTimeField(_("désabonné le"), null=True, blank=True)

    class Meta:
        verbose_name = _("abonnement à la lettre")
        verbose_name_plural = _("abonnements à la lettre")
        ordering = ["-created_at", "pk"]
        indexes = [models.Index(fields=["state", "created_at"], name="subscription_state")]
        permissions = [("enter_paper_signup", _("Peut saisir des bulletins d'abonnement papier"))]

    def __str__(self):
        return f"{self.person or _('ancien abonné')} ({self.get_state_display()})"


class OptOut(models.Model):
    """An address that unsubscribed, kept only as a keyed hash: enough to refuse re-adding it
    from a paper sign-up, never the address itself."""

    email_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("désabonnement")
        verbose_name_plural = _("désabonnements")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.email_hash[:12]}…"


class Campaign(models.Model):
    """One send of an issue to an audience. The HTML (CSS inlined) and text are rendered once,
    with placeholders for the only per-recipient parts: the greeting and the unsubscribe link."""

    class State(models.TextChoices):
        SCHEDULED = "scheduled", _("Programmé")
        SENDING = "sending", _("En cours d'envoi")
        DONE = "done", _("Terminé")
        CANCELLED = "cancelled", _("Annulé")

    page = models.ForeignKey(
        NewsletterIssuePage,
        verbose_name=_("numéro"),
        on_delete=models.PROTECT,
        related_name="campaigns",
    )
    state = models.CharField(
        _("état"), max_length=10, choices=State.choices, default=State.SCHEDULED
    )
    audience_all = models.BooleanField(_("tous les abonnés"), default=True)
    territories = models.ManyToManyField(
        "community.Territory", verbose_name=_("territoires"), blank=True, related_name="+"
    )
    topics = models.ManyToManyField(
        NewsletterTopic, verbose_name=_("thèmes"), blank=True, related_name="+"
    )
    scheduled_at = models.DateTimeField(_("envoi prévu le"), default=timezone.now)
    subject = models.CharField(_("objet"), max_length=255, blank=True)
    body_html = models.TextField(blank=True)
    body_text = models.TextField(blank=True)
    created_by = models.ForeignKey(
        "community.User",
        verbose_name=_("demandé par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("créé le"), default=timezone.now, editable=False)
    started_at = models.DateTimeField(_("commencé le"), null=True, blank=True)
    finished_at = models.DateTimeField(_("terminé le"), null=True, blank=True)

    class Meta:
        verbose_name = _("envoi de la lettre")
        verbose_name_plural = _("envois de la lettre")
        ordering = ["-created_at"]
        constraints = [
            # A second click on "send" finds this and creates nothing.
            models.UniqueConstraint(
                fields=["page"],
                condition=~models.Q(state="cancelled"),
                name="campaign_one_per_issue",
            )
        ]
        permissions = [("send_campaign", _("Peut envoyer la lettre d'information"))]

    def __str__(self):
        return f"{self.page.title} ({self.get_state_display()})"


class Delivery(models.Model):
    """The issue to one subscriber: a row with a state before anything is sent."""

    class State(models.TextChoices):
        PENDING = "pending", _("En attente")
        SENDING = "sending", _("En cours")
        SENT = "sent", _("Envoyé")
        FAILED = "failed", _("Échec")
        SKIPPED = "skipped", _("Non envoyé (désabonné)")

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("envoi"), on_delete=models.CASCADE, related_name="deliveries"
    )
    person = models.ForeignKey(
        "community.Person",
        verbose_name=_("destinataire"),
        on_delete=models.CASCADE,
        related_name="newsletter_deliveries",
    )
    subscription = models.ForeignKey(
        Subscription, on_delete=models.SET_NULL, null=True, related_name="deliveries"
    )
    state = models.CharField(_("état"), max_length=10, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(_("tentatives"), default=0)
    last_error = models.TextField(_("dernière erreur"), blank=True)
    message_id = models.CharField(_("Message-ID"), max_length=255)
    due_at = models.DateTimeField(default=timezone.now)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(_("envoyé le"), null=True, blank=True)

    class Meta:
        verbose_name = _("envoi à un abonné")
        verbose_name_plural = _("envois aux abonnés")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "person"], name="delivery_once_per_subscriber"
            )
        ]
        indexes = [
            models.Index(fields=["campaign", "state", "due_at"], name="delivery_due"),
            models.Index(fields=["state", "claimed_at"], name="delivery_claimed"),
        ]

    def __str__(self):
        return f"{self.campaign_id} → {self.person_id} ({self.get_state_display()})"
