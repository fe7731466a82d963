"""The newsletter's rules, one function per action: subscribing (double opt-in), confirming,
unsubscribing, expiring unconfirmed subscriptions, rendering an issue as an email, and sending
a campaign. Views, admin screens, tasks and commands call these.

Sending goes through the batch mail engine the events outbox uses too (community.mail_engine):
each recipient is a `Delivery` row before anything is sent; workers claim due rows in batches
with SELECT ... FOR UPDATE SKIP LOCKED, send a batch over one SMTP connection and mark each row
right after the server accepted it, so a worker killed mid-batch can double at most the one
message in flight. A claim is a lease the sender renews while it works; `recover_stale` gives
back the rows of a sender whose lease lapsed (it died) and `senders_to_start` says how many
senders to queue again."""

import datetime as dt
import functools
import hashlib
import hmac
import logging
import re
from dataclasses import dataclass
from email.utils import make_msgid

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, F, OuterRef, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

import css_inline

from cms.models import Campaign, Delivery, NewsletterIssuePage, OptOut, Subscription
from community import identity, mail_engine, queue
from community.mail_engine import message_domain
from community.models import Person
from community.normalise import normalise_email
from community.rule_errors import RuleError

logger = logging.getLogger(__name__)

CONSENT_TEXT = gettext_lazy(
    "J'accepte de recevoir par courriel la lettre d'information trimestrielle de Vivre "
    "Ensemble. Je peux me désabonner à tout moment par le lien présent dans chaque lettre."
)
CONFIRM_SALT = "cms.newsletter.confirm"
UNSUBSCRIBE_SALT = "cms.newsletter.unsubscribe"
# The only parts of a newsletter email that change between recipients.
GREETING = "[[VE_GREETING]]"
UNSUBSCRIBE_URL = "[[VE_UNSUBSCRIBE_URL]]"
DELIVERY_CHUNK = 2000


class NewsletterError(RuleError):
    """A request the rules refuse; carries the French message the person sees."""


class BadToken(Exception):
    """A link's token was tampered with, has expired, or names nothing."""


def site_url() -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/")


def email_hash(email: str) -> str:
    """A keyed hash of an address: compares equal for the same address, reveals nothing."""
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, (normalise_email(email) or "").encode(), hashlib.sha256).hexdigest()


# --- Links ------------------------------------------------------------------------------------


def confirm_url(subscription: Subscription) -> str:
    token = signing.dumps(subscription.token, salt=CONFIRM_SALT)
    return site_url() + reverse("cms:newsletter_confirm", kwargs={"token": token})


def unsubscribe_url(subscription: Subscription) -> str:
    token = signing.dumps(subscription.token, salt=UNSUBSCRIBE_SALT)
    return site_url() + reverse("cms:newsletter_unsubscribe", kwargs={"token": token})


def _read(token: str, salt: str, max_age=None) -> Subscription:
    try:
        value = signing.loads(token, salt=salt, max_age=max_age)
    except signing.BadSignature as exc:  # SignatureExpired is a BadSignature
        raise BadToken(str(exc)) from exc
    subscription = Subscription.objects.select_related("person").filter(token=value).first()
    if subscription is None:
        raise BadToken("no subscription holds this token")
    return subscription


def subscription_for_confirmation(token: str) -> Subscription:
    return _read(
        token, CONFIRM_SALT, max_age=dt.timedelta(days=settings.NEWSLETTER_CONFIRMATION_DAYS)
    )


def subscription_for_unsubscribe(token: str) -> Subscription:
    return _read(token, UNSUBSCRIBE_SALT)


# --- Subscribing ------------------------------------------------------------------------------


@transaction.atomic
def subscribe(
    email: str,
    *,
    first_name: str = "",
    territories=(),
    topics=(),
    source: str = Subscription.Source.ONLINE,
    entered_by=None,
) -> Subscription | None:
    """Record a request to subscribe and email the confirmation link (double opt-in; paper
    sign-ups too, so a mistyped address never receives the newsletter).

    Returns None when the address is already subscribed: the caller shows the same neutral
    message either way, so the form never reveals who is subscribed. A paper sign-up of an
    address that unsubscribed is refused (the person must subscribe again themselves)."""
    email = normalise_email(email)
    if not email:
        raise NewsletterError(_("Saisissez une adresse électronique valide."))
    if (
        source == Subscription.Source.PAPER
        and OptOut.objects.filter(email_hash=email_hash(email)).exists()
    ):
        raise NewsletterError(
            _(
                "Cette adresse s'est désabonnée : la personne doit se réabonner elle-même "
                "depuis le site."
            )
        )
    # Who it is, by the one rule (community.identity): the address designates its holder, and
    # a name typed here never renames them.
    try:
        person = identity.identify(
            identity.Contact(first_name, "", email), entered_by=entered_by, require_names=False
        )
    except ValidationError as exc:
        raise NewsletterError(_("Saisissez une adresse électronique valide.")) from exc
    person = Person.objects.select_for_update().get(pk=person.pk)
    subscription = Subscription.objects.select_for_update().filter(person=person).first()
    now = timezone.now()
    if subscription is not None and subscription.state == Subscription.State.ACTIVE:
        # Told to the address on record, never to whoever typed it; once a day at most.
        if not _sent_lately(subscription.notice_sent_at, now):
            Subscription.objects.filter(pk=subscription.pk).update(notice_sent_at=now)
            queue.after_commit("cms.newsletter_already_subscribed", subscription.pk)
        return None
    if subscription is not None and _sent_lately(subscription.confirmation_sent_at, now):
        # Pending, its link sent less than a day ago: a repeat changes and sends nothing.
        return subscription
    if subscription is None:
        subscription = Subscription(person=person)
    subscription.source = source
    subscription.entered_by = entered_by
    subscription.consent_text = str(CONSENT_TEXT)
    subscription.consent_at = now
    # Marked when queued, under the row's lock: two requests at once send one confirmation.
    subscription.confirmation_sent_at = now
    subscription.save()
    subscription.territories.set(territories)
    subscription.topics.set(topics)
    queue.after_commit("cms.newsletter_confirmation", subscription.pk)
    return subscription


RESEND_AFTER = dt.timedelta(days=1)


def _sent_lately(sent_at, now) -> bool:
    return sent_at is not None and now - sent_at < RESEND_AFTER


def _mailed(asked_at, mailed_at) -> bool:
    """Whether the email asked for at `asked_at` went out (`mailed_at`, recorded after the SMTP
    server took it)."""
    return mailed_at is not None and (asked_at is None or mailed_at >= asked_at)


def send_already_subscribed(subscription_id: int) -> bool:
    """Tell an active subscriber that someone asked to subscribe their address, with the links
    to manage or end their subscription. Sends nothing for any other state, nor twice for one
    request (the row is locked while the mail goes out and records it)."""
    with transaction.atomic():
        subscription = _subscription_to_mail(subscription_id, Subscription.State.ACTIVE)
        if subscription is None or _mailed(
            subscription.notice_sent_at, subscription.notice_mailed_at
        ):
            return False
        _mail_subscriber(
            subscription,
            _("Vous êtes déjà abonné·e à la lettre de Vivre Ensemble"),
            "cms/emails/newsletter_already",
            {
                "unsubscribe_url": unsubscribe_url(subscription),
                "manage_url": site_url() + reverse("cms:newsletter_mine"),
            },
        )
        Subscription.objects.filter(pk=subscription.pk).update(notice_mailed_at=timezone.now())
    return True


def _subscription_to_mail(subscription_id: int, state: str) -> Subscription | None:
    """The subscription, locked, if it is in `state` and its person has an address to write
    to. Called inside a transaction."""
    subscription = (
        Subscription.objects.select_for_update(of=("self",))
        .select_related("person")
        .filter(pk=subscription_id, state=state, person__isnull=False)
        .first()
    )
    if subscription is None or not subscription.person.email:
        return None
    return subscription


def _mail_subscriber(subscription: Subscription, subject, template: str, context: dict) -> None:
    """One email (text and HTML from `template`.txt/.html) to the subscriber, in French."""
    with translation.override(settings.LANGUAGE_CODE):
        context = {"person": subscription.person, "site_url": site_url(), **context}
        message = EmailMultiAlternatives(
            subject=str(subject),
            body=render_to_string(f"{template}.txt", context),
            to=[subscription.person.email],
            headers={"Message-ID": make_msgid(domain=message_domain())},
        )
        message.attach_alternative(render_to_string(f"{template}.html", context), "text/html")
        message.send()


def send_confirmation(subscription_id: int) -> bool:
    """Email the confirmation link of a pending subscription, once per request (`subscribe`
    records when it was asked, this when it was mailed): safe to run twice, and beside the
    recovery of `send_unsent`."""
    with transaction.atomic():
        subscription = _subscription_to_mail(subscription_id, Subscription.State.PENDING)
        if subscription is None or _mailed(
            subscription.confirmation_sent_at, subscription.confirmation_mailed_at
        ):
            return False
        _mail_subscriber(
            subscription,
            _("Confirmez votre abonnement à la lettre de Vivre Ensemble"),
            "cms/emails/newsletter_confirm",
            {
                "confirm_url": confirm_url(subscription),
                "days": settings.NEWSLETTER_CONFIRMATION_DAYS,
            },
        )
        Subscription.objects.filter(pk=subscription.pk).update(
            confirmation_mailed_at=timezone.now()
        )
    return True


def send_unsent(now=None) -> int:
    """Send the confirmation links and "already subscribed" notices that were asked for but
    never mailed (their task message was lost: the broker was down when it was queued). Run by
    beat; leaves UNSENT_EMAIL_GRACE_SECONDS to the regular task and gives up on requests older
    than a day (a new request sends again). Safe to run twice: each send locks its row."""
    now = now or timezone.now()
    window = queue.lost_task_window(now, oldest=RESEND_AFTER)
    confirmations = Subscription.objects.filter(
        Q(confirmation_mailed_at__isnull=True)
        | Q(confirmation_mailed_at__lt=F("confirmation_sent_at")),
        state=Subscription.State.PENDING,
        confirmation_sent_at__range=window,
    )
    notices = Subscription.objects.filter(
        Q(notice_mailed_at__isnull=True) | Q(notice_mailed_at__lt=F("notice_sent_at")),
        state=Subscription.State.ACTIVE,
        notice_sent_at__range=window,
    )
    return sum(
        queue.send_each(queryset.values_list("pk", flat=True), send, "newsletter subscription")
        for send, queryset in (
            (send_confirmation, confirmations),
            (send_already_subscribed, notices),
        )
    )


@transaction.atomic
def confirm(subscription: Subscription) -> bool:
    """Activate a pending subscription (the link in the confirmation email was followed); its
    address is now verified. Returns False when it was already active."""
    subscription = (
        Subscription.objects.select_for_update(of=("self",))
        .select_related("person")
        .get(pk=subscription.pk)
    )
    if subscription.state != Subscription.State.PENDING or subscription.person is None:
        return False
    subscription.state = Subscription.State.ACTIVE
    subscription.confirmed_at = timezone.now()
    subscription.save(update_fields=["state", "confirmed_at"])
    person = subscription.person
    if not person.email_verified:
        person.email_verified = True
        person.save(update_fields=["email_verified"])
    OptOut.objects.filter(email_hash=email_hash(person.email)).delete()  # a new, explicit yes
    return True


@transaction.atomic
def subscribe_account(person: Person, *, territories=(), topics=()) -> Subscription:
    """A signed-in resident (verified address) subscribes or changes their interests from
    their account: no confirmation email is needed."""
    subscription = Subscription.objects.select_for_update().filter(person=person).first()
    now = timezone.now()
    if subscription is None:
        subscription = Subscription(person=person, source=Subscription.Source.ACCOUNT)
    if subscription.state != Subscription.State.ACTIVE:
        subscription.state = Subscription.State.ACTIVE
        subscription.confirmed_at = now
        subscription.consent_text = str(CONSENT_TEXT)
        subscription.consent_at = now
        subscription.source = Subscription.Source.ACCOUNT
        OptOut.objects.filter(email_hash=email_hash(person.email)).delete()
    subscription.save()
    subscription.territories.set(territories)
    subscription.topics.set(topics)
    return subscription


@transaction.atomic
def unsubscribe(subscription: Subscription) -> bool:
    """Unsubscribe at once: nothing more is sent (deliveries not yet sent are skipped), the row
    is detached from the person, and only a keyed hash of the address is kept to honour the
    opt-out. Returns False when it was already done."""
    subscription = (
        Subscription.objects.select_for_update(of=("self",))
        .select_related("person")
        .get(pk=subscription.pk)
    )
    if subscription.state == Subscription.State.UNSUBSCRIBED:
        return False
    Delivery.objects.filter(
        subscription=subscription, state__in=[Delivery.State.PENDING, Delivery.State.SENDING]
    ).update(state=Delivery.State.SKIPPED, claimed_at=None)
    if subscription.person is not None and subscription.person.email:
        OptOut.objects.get_or_create(email_hash=email_hash(subscription.person.email))
    subscription.state = Subscription.State.UNSUBSCRIBED
    subscription.unsubscribed_at = timezone.now()
    subscription.person = None
    subscription.entered_by = None
    subscription.save()
    return True


def unconfirmed(now=None):
    """Subscriptions still unconfirmed NEWSLETTER_CONFIRMATION_DAYS after the request."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(days=settings.NEWSLETTER_CONFIRMATION_DAYS)
    return Subscription.objects.filter(state=Subscription.State.PENDING, created_at__lt=cutoff)


def expire_unconfirmed(now=None) -> int:
    """Delete the unconfirmed subscriptions (`unconfirmed`); returns how many."""
    deleted, _ = unconfirmed(now).delete()
    return deleted


# --- Rendering an issue as an email -------------------------------------------------------------

_BETWEEN_TAGS = re.compile(r">\s*<")
_BODY_OPEN = re.compile(r"<body[^>]*>", re.IGNORECASE)
_RELATIVE = re.compile(r'((?:href|src)=["\'])/(?!/)')


def absolute_url(url: str) -> str:
    return url if url.startswith(("http://", "https://")) else site_url() + url


def absolute_links(html: str) -> str:
    return _RELATIVE.sub(lambda m: m.group(1) + site_url() + "/", html)


@dataclass
class RenderedIssue:
    subject: str
    html: str  # CSS inlined, links absolute, with the GREETING and UNSUBSCRIBE_URL placeholders
    text: str


def render_issue(page: NewsletterIssuePage) -> RenderedIssue:
    """The issue as an email, rendered once per campaign (CSS inlined once)."""
    page = page.specific
    with translation.override(settings.LANGUAGE_CODE):
        blocks = [
            {
                "block_type": block.block_type,
                "value": block.value,
                "events": block.block.events(block.value)
                if block.block_type == "upcoming_events"
                else None,
            }
            for block in page.body
        ]
        context = {
            "page": page,
            "blocks": blocks,
            "site_url": site_url(),
            "browser_url": absolute_url(page.url or "/"),
            "greeting": GREETING,
            "unsubscribe_url": UNSUBSCRIBE_URL,
        }
        html = render_to_string("cms/newsletter/email.html", context)
        text = render_to_string("cms/newsletter/email.txt", context)
    # Short lines: Django then sends the UTF-8 body as 8bit instead of quoted-printable, which
    # is cheaper to build for each recipient (and mail servers reject lines over 998 bytes).
    html = _BETWEEN_TAGS.sub(">\n<", css_inline.inline(absolute_links(html)))
    return RenderedIssue(subject=page.title, html=html, text=text)


def greeting(person: Person | None) -> str:
    name = person.first_name.strip() if person is not None else ""
    return _("Bonjour %(name)s,") % {"name": name} if name else _("Bonjour,")


def personalise(rendered: RenderedIssue | Campaign, person, unsubscribe: str) -> tuple[str, str]:
    """(html, text) for one recipient: only the greeting and the unsubscribe link change."""
    hello = greeting(person)
    html = rendered.body_html if isinstance(rendered, Campaign) else rendered.html
    text = rendered.body_text if isinstance(rendered, Campaign) else rendered.text
    html = html.replace(GREETING, escape(hello)).replace(UNSUBSCRIBE_URL, escape(unsubscribe))
    text = text.replace(GREETING, hello).replace(UNSUBSCRIBE_URL, unsubscribe)
    return html, text


DRAFT_BANNER = (
    '<p role="status" style="margin:0;padding:12px 16px;background:#fff4ce;color:#1f1f1f;'
    'border-bottom:2px solid #8a6d00;font-family:sans-serif;">{}</p>'
)


def latest_draft(page: NewsletterIssuePage) -> NewsletterIssuePage:
    """The issue as last saved in the editor (the published version when nothing was saved
    since): what the editor checks before sending."""
    page = page.specific
    return page.get_latest_revision_as_object() if page.has_unpublished_changes else page


def draft_differs(page: NewsletterIssuePage) -> bool:
    """Whether the saved draft differs from what subscribers would receive (the published
    issue), or the issue was never published."""
    return page.has_unpublished_changes or not page.live


def draft_warning() -> str:
    return _(
        "L'aperçu et le test montrent le brouillon enregistré, pas encore publié : les abonnés "
        "recevront la version publiée. Publiez le numéro pour envoyer ce texte."
    )


def preview_html(page: NewsletterIssuePage, user) -> str:
    """The latest saved draft as an email, with a banner when it is not the published issue."""
    person = getattr(user, "person", None)
    html, _text = personalise(render_issue(latest_draft(page)), person, site_url() + "/")
    if draft_differs(page):
        banner = DRAFT_BANNER.format(escape(draft_warning()))
        html, found = _BODY_OPEN.subn(lambda match: match.group(0) + banner, html, count=1)
        html = html if found else banner + html
    return html


def build_message(subject, html, text, to, unsubscribe, message_id, connection=None):
    """One newsletter email: HTML and text parts, the RFC 8058 one-click unsubscribe headers."""
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        to=[to],
        connection=connection,
        headers={
            "Message-ID": message_id,
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "List-Id": f"Lettre de Vivre Ensemble <lettre.{message_domain()}>",
        },
    )
    message.attach_alternative(html, "text/html")
    return message


def send_test(page: NewsletterIssuePage, user) -> str:
    """Send the issue's latest saved draft to the editor themselves, now; returns the
    address."""
    if not user.email:
        raise NewsletterError(_("Votre compte n'a pas d'adresse électronique."))
    rendered = render_issue(latest_draft(page))
    person = getattr(user, "person", None)
    unsubscribe = site_url() + "/"
    html, text = personalise(rendered, person, unsubscribe)
    subject = _("[Test] %(subject)s") % {"subject": rendered.subject}
    try:
        build_message(
            subject, html, text, user.email, unsubscribe, make_msgid(domain=message_domain())
        ).send()
    except Exception as exc:  # shown to the editor, who can try again
        logger.warning("newsletter test send failed: %s", exc)
        raise NewsletterError(
            _("Le serveur de courriel n'a pas accepté l'envoi de test : %(error)s") % {"error": exc}
        ) from exc
    return user.email


# --- Campaigns --------------------------------------------------------------------------------


def audience(campaign: Campaign):
    """The active subscriptions a campaign reaches: everyone, or those whose interests (or
    own territory) include one of its territories, or who ticked none, and whose topics include
    one of its topics, or who ticked none."""
    if campaign.audience_all or campaign.pk is None:
        return audience_for(True)
    return audience_for(
        False,
        territory_ids=list(campaign.territories.values_list("pk", flat=True)),
        topic_ids=list(campaign.topics.values_list("pk", flat=True)),
    )


def audience_for(audience_all: bool, *, territory_ids=(), topic_ids=()):
    """The active subscriptions an audience choice reaches (see `audience`): what the send
    screen counts before anyone confirms."""
    queryset = Subscription.objects.filter(
        state=Subscription.State.ACTIVE, person__isnull=False, person__email__isnull=False
    )
    if audience_all:
        return queryset
    # A subscriber who ticked no territory (or no topic) asked for all of them, as the
    # subscription form says.
    if territory_ids:
        ticked = Subscription.territories.through.objects.filter(subscription_id=OuterRef("pk"))
        chose = ticked.filter(territory_id__in=territory_ids)
        queryset = queryset.filter(
            Q(Exists(chose)) | Q(person__territory_id__in=territory_ids) | ~Exists(ticked)
        )
    if topic_ids:
        ticked = Subscription.topics.through.objects.filter(subscription_id=OuterRef("pk"))
        likes = ticked.filter(newslettertopic_id__in=topic_ids)
        queryset = queryset.filter(Q(Exists(likes)) | ~Exists(ticked))
    return queryset


def request_send(
    page: NewsletterIssuePage,
    user,
    *,
    audience_all: bool = True,
    territories=(),
    topics=(),
    scheduled_at: dt.datetime | None = None,
) -> Campaign:
    """Create the campaign of an issue: now, or at `scheduled_at`. A second click finds the
    first campaign and creates nothing (one campaign per issue that is not cancelled)."""
    if not page.live:
        raise NewsletterError(_("Publiez le numéro avant de l'envoyer."))
    if not audience_all and not territories and not topics:
        raise NewsletterError(_("Choisissez au moins un territoire ou un thème, ou « tous »."))
    try:
        with transaction.atomic():
            campaign = Campaign.objects.create(
                page=page,
                audience_all=audience_all,
                scheduled_at=scheduled_at or timezone.now(),
                created_by=user,
            )
            if not audience_all:
                campaign.territories.set(territories)
                campaign.topics.set(topics)
    except IntegrityError as exc:
        raise NewsletterError(_("Ce numéro a déjà été envoyé ou programmé.")) from exc
    if campaign.scheduled_at <= timezone.now():
        queue.after_commit("cms.newsletter_start", campaign.pk)
    return campaign


def cancel(campaign: Campaign) -> bool:
    """Cancel a campaign that has not started yet."""
    return bool(
        Campaign.objects.filter(pk=campaign.pk, state=Campaign.State.SCHEDULED).update(
            state=Campaign.State.CANCELLED, finished_at=timezone.now()
        )
    )


def start(campaign_id: int) -> bool:
    """Render the issue once, write a Delivery per recipient, and queue the senders. Safe to
    run twice: a campaign that is not due, not scheduled any more, or already started is left."""
    with transaction.atomic():
        campaign = (
            Campaign.objects.select_for_update(of=("self",))
            .select_related("page")
            .filter(pk=campaign_id, state=Campaign.State.SCHEDULED)
            .first()
        )
        if campaign is None or campaign.scheduled_at > timezone.now():
            return False
        rendered = render_issue(campaign.page)
        campaign.subject = rendered.subject[:255]
        campaign.body_html = rendered.html
        campaign.body_text = rendered.text
        campaign.state = Campaign.State.SENDING
        campaign.started_at = timezone.now()
        campaign.save()
        rows = audience(campaign).values_list("pk", "person_id").order_by("pk")
        domain = message_domain()
        chunk = []
        for subscription_id, person_id in rows.iterator(chunk_size=DELIVERY_CHUNK):
            chunk.append(
                Delivery(
                    campaign=campaign,
                    person_id=person_id,
                    subscription_id=subscription_id,
                    message_id=make_msgid(domain=domain),
                )
            )
            if len(chunk) >= DELIVERY_CHUNK:
                Delivery.objects.bulk_create(chunk, ignore_conflicts=True)
                chunk = []
        if chunk:
            Delivery.objects.bulk_create(chunk, ignore_conflicts=True)
        for _n in range(settings.NEWSLETTER_SENDERS):
            queue.after_commit("cms.newsletter_send", campaign.pk)
    return True


def start_due() -> int:
    """Start every scheduled campaign whose time has come (beat, every minute)."""
    ids = list(
        Campaign.objects.filter(
            state=Campaign.State.SCHEDULED, scheduled_at__lte=timezone.now()
        ).values_list("pk", flat=True)
    )
    return sum(start(pk) for pk in ids)


QUEUE = mail_engine.MailQueue(
    model=Delivery,
    label="newsletter delivery",
    batch_size_setting="NEWSLETTER_BATCH_SIZE",
    claim_timeout_setting="NEWSLETTER_CLAIM_TIMEOUT",
    retry_base_setting="NEWSLETTER_RETRY_BASE_SECONDS",
    rate_setting="NEWSLETTER_RATE_PER_SECOND",
    select_related=("person", "subscription"),
)


def claim(campaign_id: int, batch_size: int) -> list[Delivery]:
    """Take up to `batch_size` due deliveries of a campaign that no other worker holds."""
    return mail_engine.claim(QUEUE, batch_size, campaign_id=campaign_id)


def set_aside_unsubscribed(batch: list[Delivery]) -> list[Delivery]:
    """The claimed deliveries still to send: one whose subscription ended, or whose person has
    no address any more, is marked skipped."""
    sendable = []
    for delivery in batch:
        subscription = delivery.subscription
        if (
            subscription is None
            or subscription.state != Subscription.State.ACTIVE
            or not delivery.person.email
        ):
            mail_engine.mark(QUEUE, delivery, state=Delivery.State.SKIPPED)
        else:
            sendable.append(delivery)
    return sendable


def delivery_email(campaign: Campaign, delivery: Delivery, connection=None):
    """The campaign's email to one subscriber, with their greeting and unsubscribe link."""
    unsubscribe = unsubscribe_url(delivery.subscription)
    html, text = personalise(campaign, delivery.person, unsubscribe)
    return build_message(
        campaign.subject,
        html,
        text,
        delivery.person.email,
        unsubscribe,
        delivery.message_id,
        connection,
    )


def send_batch(
    campaign: Campaign, batch: list[Delivery], pace: mail_engine.Pace | None = None
) -> int:
    """Send a claimed batch over one SMTP connection; return how many were sent."""
    return mail_engine.send_batch(
        QUEUE, set_aside_unsubscribed(batch), functools.partial(delivery_email, campaign), pace
    )


def send_pending(campaign_id: int, max_batches: int | None = None) -> int:
    """Claim and send the campaign's due deliveries until none is left; then mark the campaign
    done when nothing waits any more. Returns how many were sent."""
    campaign = Campaign.objects.filter(pk=campaign_id, state=Campaign.State.SENDING).first()
    if campaign is None:
        return 0
    total = mail_engine.send_due(
        QUEUE,
        functools.partial(delivery_email, campaign),
        max_batches=max_batches,
        prepare=set_aside_unsubscribed,
        campaign_id=campaign_id,
    )
    finish_if_complete(campaign_id)
    return total


def next_retry_at(campaign_id: int) -> dt.datetime | None:
    """When the campaign's next postponed delivery is due (None if none waits)."""
    return (
        Delivery.objects.filter(campaign_id=campaign_id, state=Delivery.State.PENDING)
        .order_by("due_at")
        .values_list("due_at", flat=True)
        .first()
    )


def finish_if_complete(campaign_id: int) -> bool:
    waiting = Delivery.objects.filter(
        campaign_id=campaign_id, state__in=[Delivery.State.PENDING, Delivery.State.SENDING]
    )
    if waiting.exists():
        return False
    return bool(
        Campaign.objects.filter(pk=campaign_id, state=Campaign.State.SENDING).update(
            state=Campaign.State.DONE, finished_at=timezone.now()
        )
    )


def resend_failed(campaign: Campaign) -> int:
    """Put the failed deliveries back in the queue (after the SMTP problem was fixed)."""
    with transaction.atomic():
        count = Delivery.objects.filter(campaign=campaign, state=Delivery.State.FAILED).update(
            state=Delivery.State.PENDING, attempts=0, due_at=timezone.now(), claimed_at=None
        )
        if count:
            Campaign.objects.filter(pk=campaign.pk).update(
                state=Campaign.State.SENDING, finished_at=None
            )
            queue.after_commit("cms.newsletter_send", campaign.pk)
    return count


def recover_stale(timeout_seconds: int | None = None) -> int:
    """Give back deliveries whose lease (NEWSLETTER_CLAIM_TIMEOUT) lapsed: their worker died."""
    return mail_engine.recover_stale(QUEUE, timeout_seconds)


def senders_to_start() -> dict[int, int]:
    """For each campaign under way with deliveries due, how many senders to queue so that
    NEWSLETTER_SENDERS work on it: those holding a live lease count, so a recovery after a
    worker's death restarts the senders it lost and no more. A campaign with nothing left is
    closed here; one whose deliveries all wait for a retry gets senders once they are due."""
    wanted = {}
    now = timezone.now()
    for campaign_id in sending_campaign_ids():
        if finish_if_complete(campaign_id):
            continue
        due = Delivery.objects.filter(
            campaign_id=campaign_id, state=Delivery.State.PENDING, due_at__lte=now
        ).exists()
        if not due:
            continue
        missing = settings.NEWSLETTER_SENDERS - mail_engine.live_senders(
            QUEUE, campaign_id=campaign_id
        )
        if missing > 0:
            wanted[campaign_id] = missing
    return wanted


def sending_campaign_ids() -> list[int]:
    return list(Campaign.objects.filter(state=Campaign.State.SENDING).values_list("pk", flat=True))


def audience_label(campaign: Campaign) -> str:
    """Who a campaign was for, in words: "tous les abonnés" or the territories and topics."""
    if campaign.audience_all:
        return _("tous les abonnés")
    parts = []
    territories = ", ".join(t.name for t in campaign.territories.all())
    topics = ", ".join(t.name for t in campaign.topics.all())
    if territories:
        parts.append(_("territoires : %(names)s") % {"names": territories})
    if topics:
        parts.append(_("thèmes : %(names)s") % {"names": topics})
    return " ; ".join(parts)


def duplicate_latest(user) -> NewsletterIssuePage | None:
    """A draft copy of the latest issue (its content, today's date, a free slug), to edit into
    the next one; None when there is no issue yet."""
    latest = NewsletterIssuePage.objects.order_by("-issue_date", "-pk").first()
    if latest is None:
        return None
    latest = latest_draft(latest)
    parent = latest.get_parent()
    base = f"{latest.slug}-copie"
    slug, n = base, 1
    while parent.get_children().filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    copy = latest.copy(
        to=parent,
        update_attrs={
            "title": _("%(title)s (copie)") % {"title": latest.title},
            "slug": slug,
            "issue_date": timezone.localdate(),
        },
        keep_live=False,
        user=user,
        log_action="wagtail.copy",
    )
    return copy


def progress(campaign: Campaign) -> dict:
    """Sent, failed, waiting (and skipped) deliveries of a campaign, and the share finished.
    Before its worker writes the deliveries, a campaign counts its audience as waiting, so the
    screen says "sur N" from the first second."""
    if campaign.state == Campaign.State.SCHEDULED:
        total = audience(campaign).count()
        due = campaign.scheduled_at <= timezone.now()
        return {
            "state": campaign.state,
            "state_label": str(_("En préparation") if due else Campaign.State.SCHEDULED.label),
            "total": total,
            "sent": 0,
            "failed": 0,
            "skipped": 0,
            "waiting": total,
            "percent": 0,
        }
    counts = dict(
        Delivery.objects.filter(campaign=campaign)
        .values_list("state")
        .annotate(n=Count("pk"))
        .values_list("state", "n")
    )
    sent = counts.get(Delivery.State.SENT, 0)
    failed = counts.get(Delivery.State.FAILED, 0)
    skipped = counts.get(Delivery.State.SKIPPED, 0)
    waiting = counts.get(Delivery.State.PENDING, 0) + counts.get(Delivery.State.SENDING, 0)
    total = sent + failed + skipped + waiting
    done = sent + failed + skipped
    return {
        "state": campaign.state,
        "state_label": str(Campaign.State(campaign.state).label),
        "total": total,
        "sent": sent,
        "failed": failed,
        "skipped": skipped,
        "waiting": waiting,
        "percent": 100
        if total == 0 and campaign.state == Campaign.State.DONE
        else (int(done * 100 / total) if total else 0),
    }
