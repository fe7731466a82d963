"""The demo's building blocks for pages: Wagtail's roots, rich text and stream bodies, generated
images and logos, and a child page found by slug or created."""

import io
import json

from django.conf import settings
from django.core.files.images import ImageFile

from wagtail.coreutils import get_supported_content_language_variant
from wagtail.images import get_image_model
from wagtail.models import (
    Collection,
    Locale,
    Page,
)

from PIL import Image as PILImage
from PIL import ImageDraw

TAGLINE = (
    "Nos médiatrices et médiateurs sociaux apaisent les tensions par le dialogue, "
    "mettent les habitants en relation et les aident à devenir autonomes, "
    "dans les quartiers de Lyon 7, Lyon 8, Lyon 9 et de l'Est de la Métropole."
)

TESTIMONIALS = [
    ("être utile et aider les personnes à devenir autonomes", "Hibaaq", "médiatrice sociale"),
    ("apaiser les tensions par le dialogue", "Quentin", "médiateur social"),
    ("contact avec un public", "Maimouna", "médiatrice sociale"),
    (
        "avec de l'information, du dialogue, de l'empathie et une conviction profonde "
        "d'utilité de nos missions",
        "Karen",
        "médiatrice sociale",
    ),
    (
        "remettre l'humain au cœur des relations sociales, avec les habitants, dans leur "
        "résidence, leur quartier, leur ville",
        "Les médiateurs sociaux",
        "équipe de médiation",
    ),
]

MISSIONS = [
    (
        "Gestion des conflits",
        "gestion-des-conflits",
        (200, 90, 60),
        "Apaiser les tensions de voisinage par le dialogue, avant qu'elles ne s'enveniment.",
        [
            "une médiation entre voisins (bruit, parties communes, stationnement…)",
            "une table ronde avec votre bailleur et les locataires concernés",
            "un rappel à la règle, expliqué et discuté",
        ],
    ),
    (
        "Mise en relation",
        "mise-en-relation",
        (40, 120, 180),
        "Orienter chaque habitant vers le bon interlocuteur et l'accompagner jusqu'à lui.",
        [
            "être orienté vers un service social, une association, une permanence",
            "être accompagné lors d'un premier rendez-vous",
            "rencontrer les autres habitants lors d'un Café Médiation",
        ],
    ),
    (
        "Assistance aux personnes",
        "assistance",
        (60, 150, 90),
        "Aider les personnes à devenir autonomes dans leurs démarches du quotidien.",
        [
            "une aide pour comprendre un courrier ou une facture d'énergie",
            "une écoute active quand une situation devient difficile",
            "un accompagnement pour les nouveaux arrivants dans la résidence",
        ],
    ),
    (
        "Veille technique",
        "veille-technique",
        (120, 80, 160),
        "Repérer et signaler les dysfonctionnements des résidences et des espaces publics.",
        [
            "signaler une panne, une dégradation ou un encombrant",
            "participer à une action de sensibilisation (tri, encombrants, nuisances sonores)",
            "s'impliquer dans la vie de sa résidence avec les locataires référents",
        ],
    ),
]

SERVICES = [
    (
        "Médiation « habitat »",
        "mediation-habitat",
        (180, 110, 40),
        "Prévenir et apaiser les conflits dans les résidences, et mobiliser les locataires.",
        "Bailleurs sociaux, copropriétés",
    ),
    (
        "Médiation « espaces publics »",
        "mediation-espaces-publics",
        (30, 130, 130),
        "Une présence de proximité sur les places, les parcs et les abords des équipements.",
        "Communes, Métropole",
    ),
    (
        "Médiation « énergie »",
        "mediation-energie",
        (210, 160, 30),
        "Accompagner les ménages dans la maîtrise de leurs consommations et de leurs factures.",
        "Fournisseurs et distributeurs d'énergie",
    ),
    (
        "Médiation sociale en milieu scolaire",
        "mediation-milieu-scolaire",
        (90, 90, 190),
        "Des ateliers pour prévenir le harcèlement et apprendre à gérer les conflits.",
        "Collèges et écoles",
    ),
    (
        "Médiation postée",
        "mediation-postee",
        (150, 60, 110),
        "Un médiateur présent à l'accueil d'un équipement, aux heures où il en a besoin.",
        "Équipements publics, entreprises",
    ),
    (
        "Diagnostic et conseil",
        "diagnostic-et-conseil",
        (70, 110, 70),
        "Un diagnostic partagé des besoins d'un site, en recueillant la parole des habitants.",
        "Bailleurs, communes, entreprises",
    ),
]

TERRITORY_PAGES = {
    "lyon-7": (
        "Rue André Bollier, 69007 Lyon",
        "Guillotière, Gerland et la résidence André Bollier.",
    ),
    "lyon-8": ("Avenue Jean Mermoz, 69008 Lyon", "Mermoz, Santy, États-Unis et Albert Laurent."),
    "lyon-9": ("Montée du Château, 69009 Lyon", "La Duchère, Le Château et la résidence Patel."),
    "emh": ("Cours Bayard, 69002 Lyon", "Les résidences de l'Est de la Métropole."),
}
HOURS = "Lundi au vendredi : 9 h – 12 h 30 et 14 h – 18 h\nPermanence sans rendez-vous le mercredi après-midi"

FORM_FIELDS = [
    ("Nom et prénom", "singleline", True, ""),
    ("Adresse électronique", "email", False, "Pour vous répondre par courriel."),
    ("Téléphone", "singleline", False, "Si vous préférez être rappelé."),
    ("Votre message", "multiline", True, ""),
]
SERVICE_FORM_FIELDS = [
    ("Nom et prénom", "singleline", True, ""),
    ("Structure", "singleline", True, "Bailleur, commune, entreprise…"),
    ("Adresse électronique", "email", True, ""),
    ("Téléphone", "singleline", False, ""),
    ("Votre besoin", "multiline", True, "Le site, le contexte, les dates envisagées."),
]

STAFF_EMAIL = "contact@vivre-ensemble.localhost"


def ensure_wagtail_roots() -> Page:
    """The locale, root page and root collection Wagtail's migrations create; recreated when a
    database was flushed (transactional tests do that)."""
    language = get_supported_content_language_variant(settings.LANGUAGE_CODE)
    locale, _ = Locale.objects.get_or_create(language_code=language)
    if not Collection.objects.exists():
        Collection.add_root(name="Root")
    root = Page.get_first_root_node()
    if root is None:
        root = Page.add_root(instance=Page(title="Root", slug="root", locale=locale))
    return root


def rich(*paragraphs: str) -> str:
    return "".join(f"<p>{p}</p>" for p in paragraphs)


def bullet_list(items) -> str:
    return "<ul>" + "".join(f"<li>{item}</li>" for item in items) + "</ul>"


def stream(*blocks) -> str:
    """A StreamField value as JSON, from (type, value) pairs."""
    return json.dumps([{"type": kind, "value": value} for kind, value in blocks])


def demo_image(title: str, colour: tuple, alt: str, size=(1200, 800)):
    """A simple generated picture (coloured shapes), created once by title."""
    Image = get_image_model()  # noqa: N806
    image = Image.objects.filter(title=title).first()
    if image is not None:
        return image
    width, height = size
    picture = PILImage.new("RGB", size, (250, 247, 240))
    draw = ImageDraw.Draw(picture)
    r, g, b = colour
    draw.rectangle([0, height * 0.62, width, height], fill=(r, g, b))
    draw.ellipse([width * 0.08, height * 0.12, width * 0.42, height * 0.62], fill=(r, g, b))
    draw.ellipse(
        [width * 0.5, height * 0.22, width * 0.78, height * 0.64],
        fill=(min(r + 50, 255), min(g + 50, 255), min(b + 50, 255)),
    )
    draw.rectangle([width * 0.8, height * 0.3, width * 0.92, height * 0.62], fill=(40, 40, 40))
    buffer = io.BytesIO()
    picture.save(buffer, format="PNG")
    slug = "".join(c if c.isalnum() else "-" for c in title.lower())[:40]
    return Image.objects.create(
        title=title, description=alt, file=ImageFile(buffer, name=f"demo-{slug}.png")
    )


def demo_logo(name: str, colour: tuple):
    Image = get_image_model()  # noqa: N806
    title = f"Logo {name}"
    image = Image.objects.filter(title=title).first()
    if image is not None:
        return image
    picture = PILImage.new("RGB", (320, 160), (255, 255, 255))
    draw = ImageDraw.Draw(picture)
    draw.rounded_rectangle([8, 8, 312, 152], radius=18, outline=colour, width=8)
    draw.ellipse([28, 44, 100, 116], fill=colour)
    draw.text((118, 70), name[:22], fill=(20, 20, 20))
    buffer = io.BytesIO()
    picture.save(buffer, format="PNG")
    return Image.objects.create(
        title=title, description=name, file=ImageFile(buffer, name=f"logo-{len(name)}.png")
    )


def ensure_child(parent: Page, model, slug: str, **fields):
    """The live child page of `parent` with `slug`, created and published when missing."""
    existing = model.objects.child_of(parent).filter(slug=slug).first()
    if existing is not None:
        return existing
    page = model(slug=slug, **fields)
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page
