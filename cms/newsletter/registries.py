"""What the newsletter contributes to the community registries: a person's subscription and
deliveries for their data export and erasure, and three indicators (issues sent, subscribers at
the end of a period, growth over it)."""

import datetime as dt

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cms.models import Campaign, Delivery, Subscription
from cms.newsletter import rules as newsletter
from community.registries import (
    Indicator,
    Period,
    RetentionRule,
    indicators,
    personal_data,
    retention,
)


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def export(person) -> dict:
    subscription = (
        Subscription.objects.filter(person=person).prefetch_related("territories", "topics").first()
    )
    return {
        "subscription": None
        if subscription is None
        else {
            "state": subscription.state,
            "source": subscription.source,
            "territories": [t.name for t in subscription.territories.all()],
            "topics": [t.name for t in subscription.topics.all()],
            "consent_text": subscription.consent_text,
            "consent_at": subscription.consent_at.isoformat(),
            "created_at": subscription.created_at.isoformat(),
            "confirmed_at": subscription.confirmed_at.isoformat()
            if subscription.confirmed_at
            else None,
        },
        "deliveries": [
            {
                "issue": title,
                "state": state,
                "sent_at": sent_at.isoformat() if sent_at else None,
                "message_id": message_id,
            }
            for title, state, sent_at, message_id in Delivery.objects.filter(person=person)
            .order_by("pk")
            .values_list("campaign__page__title", "state", "sent_at", "message_id")
        ],
    }


def erase(person) -> None:
    """Unsubscribe (only a keyed hash of the address stays, to honour the opt-out); the
    deliveries keep their state for the figures and no longer name an error message."""
    subscription = Subscription.objects.filter(person=person).first()
    if subscription is not None:
        if subscription.state == Subscription.State.PENDING:
            subscription.delete()
        else:
            newsletter.unsubscribe(subscription)
    Delivery.objects.filter(person=person).update(last_error="")


def _in_territories(territory_ids) -> Q:
    ids = list(territory_ids)
    return Q(territories__in=ids) | Q(person__territory_id__in=ids)


def subscribers_at(moment: dt.datetime, territory_ids=None) -> int:
    queryset = Subscription.objects.filter(confirmed_at__lt=moment).filter(
        Q(unsubscribed_at__isnull=True) | Q(unsubscribed_at__gte=moment)
    )
    if territory_ids is not None:
        queryset = queryset.filter(_in_territories(territory_ids)).distinct()
    return queryset.count()


def count_issues_sent(period: Period, territory_ids=None) -> int:
    queryset = Campaign.objects.filter(
        started_at__gte=_day_start(period.start),
        started_at__lt=_day_start(period.end + dt.timedelta(days=1)),
        state__in=[Campaign.State.SENDING, Campaign.State.DONE],
    )
    if territory_ids is not None:
        reached = Delivery.objects.filter(
            campaign=OuterRef("pk"), state=Delivery.State.SENT
        ).filter(
            Q(subscription__territories__in=list(territory_ids))
            | Q(person__territory_id__in=list(territory_ids))
        )
        queryset = queryset.filter(Exists(reached))
    return queryset.count()


def count_subscribers(period: Period, territory_ids=None) -> int:
    return subscribers_at(_day_start(period.end + dt.timedelta(days=1)), territory_ids)


def count_growth(period: Period, territory_ids=None) -> int:
    end = subscribers_at(_day_start(period.end + dt.timedelta(days=1)), territory_ids)
    return end - subscribers_at(_day_start(period.start), territory_ids)


def _subscribers(now):
    """Subscribers are kept, whatever the age of their registrations."""
    return Subscription.objects.filter(state=Subscription.State.ACTIVE).values_list(
        "person_id", flat=True
    )


def register_retention() -> None:
    """Unconfirmed subscriptions go with the daily retention run (community.run_retention),
    which the managers preview and the privacy page states; unsubscribed addresses are kept only
    as a hash from the moment they unsubscribe (cms.newsletter.rules.unsubscribe)."""
    if "cms.newsletter_unconfirmed" in retention.rules:
        return
    retention.register(
        RetentionRule(
            key="cms.newsletter_unconfirmed",
            label=_("Inscriptions à la lettre non confirmées"),
            setting="NEWSLETTER_CONFIRMATION_DAYS",
            unit="days",
            preview=lambda now: newsletter.unconfirmed(now).count(),
            run=lambda now: newsletter.expire_unconfirmed(now),
            description=_("supprimées après la demande"),
        )
    )
    retention.hold("cms.newsletter_subscribers", _subscribers)


def register() -> None:
    if "cms.newsletter" not in personal_data.handlers:
        personal_data.register("cms.newsletter", export=export, erase=erase)
    register_retention()
    section = _("Communication")
    for key, label, definition, compute in [
        (
            "cms.newsletter_issues_sent",
            _("Numéros de la lettre envoyés"),
            _(
                "Numéros de la lettre d'information dont l'envoi a commencé pendant la période "
                "(par territoire : reçus par au moins un abonné qui l'a choisi ou y habite)."
            ),
            count_issues_sent,
        ),
        (
            "cms.newsletter_subscribers",
            _("Abonnés à la lettre"),
            _(
                "Abonnements confirmés et non résiliés à la fin de la période (par territoire : "
                "abonnés qui l'ont choisi ou y habitent)."
            ),
            count_subscribers,
        ),
        (
            "cms.newsletter_growth",
            _("Évolution du nombre d'abonnés"),
            _("Abonnés à la fin de la période moins abonnés à son début."),
            count_growth,
        ),
    ]:
        if key not in indicators.items:
            indicators.register(Indicator(key, label, definition, compute, section))
