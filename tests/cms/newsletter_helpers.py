"""Builders shared by the newsletter tests: an archive with one published issue, and confirmed
subscribers made through the service functions (as the confirmation link would)."""

import json
import re

from django.utils import timezone

from cms.models import NewsletterIndexPage, NewsletterIssuePage, Subscription
from cms.newsletter import rules as newsletter
from community.models import Person


def issue_page(home, *, title="La lettre n° 1", body=None) -> NewsletterIssuePage:
    index = NewsletterIndexPage.objects.first()
    if index is None:
        index = NewsletterIndexPage(title="La lettre", slug="lettre")
        home.add_child(instance=index)
        index.save_revision().publish()
    body = body or [
        {
            "type": "editorial",
            "value": {"heading": "Le mot de l'équipe", "text": "<p>Bonjour à tous</p>"},
        },
        {
            "type": "call_to_action",
            "value": {
                "title": "Le Café Médiation",
                "text": "Venez !",
                "page": home.pk,
                "url": "",
                "label": "Voir",
            },
        },
        {
            "type": "upcoming_events",
            "value": {"heading": "Rendez-vous", "territories": [], "count": 3},
        },
    ]
    page = NewsletterIssuePage(
        title=title,
        slug=re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-"),
        summary="Les nouvelles de la saison.",
        body=json.dumps(body),
    )
    index.add_child(instance=page)
    page.save_revision().publish()
    return page


def active_subscriber(email, *, first_name="", territory=None, territories=(), topics=()):
    """A confirmed subscriber, without going through the email (bulk-friendly)."""
    person = Person.objects.create(email=email, first_name=first_name, territory=territory)
    subscription = Subscription.objects.create(
        person=person,
        state=Subscription.State.ACTIVE,
        source=Subscription.Source.ONLINE,
        consent_text=str(newsletter.CONSENT_TEXT),
        confirmed_at=timezone.now(),
    )
    if territories:
        subscription.territories.set(territories)
    if topics:
        subscription.topics.set(topics)
    return subscription


def bulk_subscribers(count: int, prefix: str = "abonne") -> None:
    """`count` confirmed subscribers in a few queries."""
    now = timezone.now()
    persons = Person.objects.bulk_create(
        [Person(email=f"{prefix}{n}@exemple.fr", first_name=f"P{n}") for n in range(count)]
    )
    Subscription.objects.bulk_create(
        [
            Subscription(
                person=person,
                state=Subscription.State.ACTIVE,
                source=Subscription.Source.ONLINE,
                consent_text="oui",
                confirmed_at=now,
                token=f"{prefix}-{person.pk}-{n}",
            )
            for n, person in enumerate(persons)
        ]
    )


def link_in(text: str, pattern: str) -> str:
    match = re.search(r"https?://\S*" + pattern + r"\S*/", text)
    assert match, f"no link matching {pattern!r} in:\n{text}"
    return match.group(0)
