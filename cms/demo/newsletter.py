"""Demo of the newsletter: topics, the archive page, the season's first issue built from the
service plan (the annual mediation day, the Café Médiation, a sorting awareness action) and a
few confirmed subscribers. Idempotent."""

import datetime as dt
import json

from django.db import transaction
from django.utils import timezone

from cms.demo.pages import demo_image, ensure_child, rich
from cms.models import (
    Campaign,
    NewsletterIndexPage,
    NewsletterIssuePage,
    NewsletterTopic,
    Subscription,
)
from cms.newsletter.rules import CONSENT_TEXT
from community.models import Person, Territory

TOPICS = [
    "Rendez-vous et événements",
    "Vie des résidences",
    "Jeunesse et intergénérationnel",
    "Tri et cadre de vie",
]
# first name, last name, email, territory, interests (territories), topics
SUBSCRIBERS = [
    ("Nadia", "Haddad", "nadia.haddad@exemple.localhost", "Lyon 8", ["Lyon 8"], TOPICS[:2]),
    ("Marc", "Giraud", "marc.giraud@exemple.localhost", "Lyon 9", ["Lyon 9"], [TOPICS[3]]),
    ("Sophie", "Martin", "sophie.martin@exemple.localhost", "Lyon 7", [], []),
    ("Karim", "Bensaïd", "karim.bensaid@exemple.localhost", "EMH", ["EMH", "Lyon 8"], [TOPICS[2]]),
    ("Fatima", "Benali", "fatima.benali@exemple.localhost", None, ["Lyon 8"], [TOPICS[3]]),
]


@transaction.atomic
def seed_newsletter(home, agenda=None) -> NewsletterIssuePage | None:
    seed_subscribers()
    index = seed_newsletter_index(home)
    issue = ensure_child(
        index,
        NewsletterIssuePage,
        "automne",
        title="La lettre de Vivre Ensemble — n° 1, automne",
        summary=(
            "La journée annuelle de la médiation sociale, le Café Médiation des États-Unis et "
            "le tri en famille à Albert Laurent : les nouvelles de la saison."
        ),
        body=json.dumps([{"type": kind, "value": value} for kind, value in issue_body(agenda)]),
    )
    if issue is not None:
        # The first issue went out last season: the archive lists only issues that were sent.
        sent = timezone.now() - dt.timedelta(days=30)
        Campaign.objects.get_or_create(
            page=issue,
            defaults={
                "state": Campaign.State.DONE,
                "scheduled_at": sent,
                "started_at": sent,
                "finished_at": sent,
            },
        )
    return issue


def seed_subscribers() -> None:
    """The newsletter's topics and a few confirmed subscribers, with their territories and
    topics of interest."""
    topics = {}
    for order, name in enumerate(TOPICS):
        topics[name], _ = NewsletterTopic.objects.get_or_create(
            name=name, defaults={"sort_order": order}
        )
    territories = {t.name: t for t in Territory.objects.all()}
    now = timezone.now()
    for first, last, email, home_territory, interests, topic_names in SUBSCRIBERS:
        person = Person.objects.with_email(email).first()
        if person is None:
            person = Person.objects.create(
                email=email,
                email_verified=True,
                first_name=first,
                last_name=last,
                territory=territories.get(home_territory),
            )
        subscription, created = Subscription.objects.get_or_create(
            person=person,
            defaults={
                "state": Subscription.State.ACTIVE,
                "source": Subscription.Source.ONLINE,
                "consent_text": str(CONSENT_TEXT),
                "consent_at": now,
                "confirmed_at": now,
            },
        )
        if created:
            subscription.territories.set([territories[n] for n in interests if n in territories])
            subscription.topics.set([topics[n] for n in topic_names])


def seed_newsletter_index(home) -> NewsletterIndexPage:
    """The newsletter's index page, under the home page."""
    return ensure_child(
        home,
        NewsletterIndexPage,
        "lettre",
        title="La lettre d'information",
        intro=rich(
            "Chaque trimestre, les nouvelles de la médiation sociale à Lyon et dans la "
            "Métropole : les rendez-vous, les récits des quartiers, les projets des habitants."
        ),
    )


def issue_body(agenda=None) -> list[tuple[str, dict]]:
    """The first issue's blocks: an editorial, three stories, the coming events, a call."""
    cafe = demo_image(
        "Café Médiation aux États-Unis", (29, 92, 99), "Des voisins autour d'une table"
    )
    tri = demo_image("Fête du tri à Albert Laurent", (46, 125, 50), "Des bacs de tri colorés")
    return [
        (
            "editorial",
            {
                "heading": "Le mot de l'équipe",
                "text": rich(
                    "La médiation sociale est une réponse professionnelle à l'impérieuse "
                    "nécessité de recréer du lien. Ce premier numéro de la saison vous raconte "
                    "ce que nous préparons avec vous dans les quartiers."
                ),
            },
        ),
        (
            "story",
            {
                "title": "La journée annuelle de la médiation sociale",
                "image": None,
                "image_alt": "",
                "text": rich(
                    "Tables rondes, témoignages et ateliers : une journée pour faire connaître "
                    "la médiation sociale à Lyon, avec France Médiation et la Métropole. "
                    "Habitants, partenaires et bailleurs sont les bienvenus."
                ),
                "page": agenda.pk if agenda else None,
            },
        ),
        (
            "story",
            {
                "title": "Le Café Médiation des États-Unis",
                "image": cafe.pk,
                "image_alt": "Des voisins autour d'une table, un café à la main",
                "text": rich(
                    "Chaque mois, les habitants du boulevard des États-Unis se retrouvent pour "
                    "parler de la vie de l'immeuble. On se parle, on s'écoute, et les "
                    "médiateurs de Lyon 8 font le lien avec GLH."
                ),
                "page": agenda.pk if agenda else None,
            },
        ),
        (
            "story",
            {
                "title": "Trier en famille à Albert Laurent",
                "image": tri.pk,
                "image_alt": "Des bacs de tri colorés au pied d'un immeuble",
                "text": rich(
                    "Où va chaque déchet ? Jeux et conseils pour trier en famille, en pied "
                    "d'immeuble, avec GLH et la Métropole."
                ),
                "page": None,
            },
        ),
        (
            "upcoming_events",
            {"heading": "Nos prochains rendez-vous", "territories": [], "count": 6},
        ),
        (
            "call_to_action",
            {
                "title": "Une idée pour votre quartier ?",
                "text": "Écrivez-nous : l'équipe de médiation de votre territoire vous répond.",
                "page": None,
                "url": "https://vivre-ensemble.localhost/votre-voix/",
                "label": "Donner mon avis",
            },
        ),
    ]
