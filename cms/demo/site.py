"""Demo content of the public site, from the agency's service plan. Idempotent: pages, snippets
and images that exist (by slug or title) are left as staff edited them."""

from django.conf import settings
from django.db import transaction
from django.urls import reverse

from wagtail.models import (
    Page,
    Site,
)

from cms.demo.mediation_day import build_mediation_days
from cms.demo.newsletter import seed_newsletter_index
from cms.demo.pages import (
    bullet_list,
    demo_image,
    demo_logo,
    ensure_child,
    ensure_wagtail_roots,
    rich,
    stream,
)
from cms.demo.translations import translate_pages
from cms.models import (
    AccessibilityStatementPage,
    AgencySettings,
    FormField,
    FormPage,
    HomePage,
    HomePartner,
    HomeTestimonial,
    MissionIndexPage,
    MissionPage,
    NavigationSettings,
    PrivacyPage,
    ServiceCatalogPage,
    ServiceFormField,
    ServicePage,
    StandardPage,
    TerritoryIndexPage,
    TerritoryPage,
    Testimonial,
)
from cms.models.agenda import seed_agenda
from community import roles
from community.models import Organisation, Territory
from events.models import EventKind

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


@transaction.atomic
def seed() -> HomePage:
    """Make a HomePage the root of the default site (replacing Wagtail's placeholder page), and
    build the demo site under it."""
    home = HomePage.objects.filter(locale__language_code=settings.LANGUAGE_CODE).first()
    if home is None:
        root = ensure_wagtail_roots()
        home = HomePage(title="Vivre Ensemble", slug="accueil", tagline=TAGLINE, seo_title="")
        root.add_child(instance=home)
        home.save_revision().publish()
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        site = Site.objects.create(
            hostname="localhost",
            port=80,
            root_page=home,
            is_default_site=True,
            site_name="Vivre Ensemble",
        )
    elif site.root_page_id != home.pk:
        placeholder = site.root_page
        site.root_page = home
        site.site_name = "Vivre Ensemble"
        site.save()
        if placeholder.specific_class is Page and not placeholder.get_children().exists():
            placeholder.delete()
    if Territory.objects.exists():
        build_site(home, site)

        build_mediation_days(home)
    return home


def build_site(home: HomePage, site: Site) -> None:
    """Every page of the demo site, from the service plan's text, in the order of the menus."""
    who = seed_about_page(home)
    missions = seed_missions(home)
    catalogue = seed_services(home)
    territories_index = seed_territory_pages(home)
    contact, newcomer = seed_forms(home)
    legal, privacy, accessibility = seed_legal_pages(home)
    seed_testimonials(home)
    seed_partners(home)
    seed_home_body(home, newcomer)
    seed_agency_settings(site)
    # Residents come for the events first: the agenda, the Cafés, the working groups and the
    # newsletter lead the menu, then the agency's pages.
    agenda = seed_agenda(home)
    newsletter = seed_newsletter_index(home)
    seed_navigation(
        site,
        main=[
            (agenda, "Agenda"),
            (f"{agenda.relative_url(site)}?type={EventKind.CAFE_MEDIATION}", "Cafés"),
            (reverse("community:working_groups"), "Groupes"),
            (newsletter, "La lettre"),
            (missions, "Missions"),
            (territories_index, "Territoires"),
            (catalogue, "Prestations"),
            (who, "Qui sommes-nous"),
            (contact, "Contact"),
        ],
        footer=[legal, privacy, accessibility, newcomer, contact],
    )
    translate_pages(home=home, agenda=agenda, privacy=privacy)
    # The roles' site permissions are given by community.roles on any database; again here, as
    # a flushed database has just had its root page and collection rebuilt.
    roles.sync_roles()


def seed_about_page(home: HomePage) -> StandardPage:
    """Who we are: values, a quote, a picture."""
    return ensure_child(
        home,
        StandardPage,
        "qui-sommes-nous",
        title="Qui sommes-nous ?",
        intro=rich(
            "Depuis plus de dix ans, notre équipe de médiatrices et médiateurs sociaux "
            "intervient dans les résidences et les quartiers de Lyon et de la Métropole."
        ),
        body=stream(
            ("heading", {"text": "Nos valeurs", "level": "h2"}),
            (
                "paragraph",
                rich(
                    "La médiation sociale est une réponse professionnelle à l'impérieuse "
                    "nécessité de recréer du lien entre les populations, au service des "
                    "politiques publiques de prévention sociale et de tranquillité publique."
                )
                + bullet_list(
                    [
                        "le dialogue",
                        "la neutralité",
                        "la confidentialité",
                        "l'autonomie des personnes",
                    ]
                ),
            ),
            (
                "quote",
                {
                    "quote": "Faire connaître et reconnaître la médiation sociale comme une approche "
                    "globale dans le domaine des relations sociales.",
                    "author": "Projet de service 2017-2019",
                    "role": "",
                },
            ),
            (
                "image",
                {
                    "image": demo_image(
                        "Équipe de médiation",
                        (11, 79, 138),
                        "Dessin : des personnes réunies autour d'une table",
                    ).pk,
                    "alt_text": "Dessin stylisé : des personnes réunies autour d'une table",
                    "caption": "Un Café Médiation dans une résidence de Lyon 8.",
                },
            ),
        ),
    )


def seed_missions(home: HomePage) -> MissionIndexPage:
    """The missions' index and one page per mission."""
    missions = ensure_child(
        home,
        MissionIndexPage,
        "missions",
        title="Nos missions",
        intro=rich("Quatre missions, au service des habitants et de leurs résidences."),
    )
    for title, slug, colour, summary, can_ask in MISSIONS:
        ensure_child(
            missions,
            MissionPage,
            slug,
            title=title,
            summary=summary,
            image=demo_image(title, colour, f"Illustration de la mission « {title} »"),
            image_alt=f"Illustration de la mission « {title} »",
            residents_can_ask=bullet_list(can_ask),
            search_description=summary,
        )
    return missions


def seed_services(home: HomePage) -> ServiceCatalogPage:
    """The service catalogue and one request form page per service."""
    catalogue = ensure_child(
        home,
        ServiceCatalogPage,
        "prestations",
        title="Catalogue de prestations",
        intro=rich(
            "Bailleurs, communes, entreprises : notre offre de médiation sociale « à la demande ». "
            "Chaque prestation peut être demandée en ligne ; nous vous recontactons sous une semaine."
        ),
    )
    for title, slug, colour, summary, audience in SERVICES:
        ensure_child(
            catalogue,
            ServicePage,
            slug,
            title=title,
            summary=summary,
            audience=audience,
            image=demo_image(title, colour, f"Illustration de la prestation {title}"),
            image_alt=f"Illustration de la prestation {title}",
            to_address=STAFF_EMAIL,
            subject=f"Demande de prestation : {title}",
            search_description=summary,
            body=stream(
                (
                    "accordion",
                    {
                        "title": "Questions fréquentes",
                        "items": [
                            {
                                "question": "Combien de temps dure une intervention ?",
                                "answer": rich(
                                    "De quelques semaines à une année, selon le besoin."
                                ),
                            },
                            {
                                "question": "Comment l'action est-elle évaluée ?",
                                "answer": rich(
                                    "Par des indicateurs de résultat partagés avec vous."
                                ),
                            },
                        ],
                    },
                ),
            ),
            form_fields=[
                ServiceFormField(
                    label=label, field_type=kind, required=required, help_text=help_text
                )
                for label, kind, required, help_text in SERVICE_FORM_FIELDS
            ],
        )
    return catalogue


def seed_territory_pages(home: HomePage) -> TerritoryIndexPage:
    """The territories' index and a page for each territory that has none."""
    territories_index = ensure_child(
        home,
        TerritoryIndexPage,
        "territoires",
        title="Nos territoires",
        intro=rich("Une équipe de médiation par territoire, près de chez vous."),
    )
    for territory in Territory.objects.all():
        address, intro = TERRITORY_PAGES.get(territory.slug, ("", ""))
        if TerritoryPage.objects.filter(territory=territory).exists():
            continue
        ensure_child(
            territories_index,
            TerritoryPage,
            territory.slug,
            title=f"Médiation sociale à {territory.name}",
            territory=territory,
            intro=rich(intro) if intro else "",
            address=address,
            opening_hours=HOURS,
            search_description=f"L'équipe de médiation sociale de {territory.name} : contact, horaires, résidences.",
        )
    return territories_index


def seed_forms(home: HomePage) -> tuple[FormPage, FormPage]:
    """The contact form and the newcomers' welcome form."""
    contact = ensure_child(
        home,
        FormPage,
        "contact",
        title="Nous contacter",
        kind=FormPage.Kind.CONTACT,
        intro=rich("Une question, une idée, un besoin ? Écrivez-nous, nous vous répondrons."),
        to_address=STAFF_EMAIL,
        subject="Message reçu par le site",
        form_fields=[
            FormField(label=label, field_type=kind, required=required, help_text=help_text)
            for label, kind, required, help_text in FORM_FIELDS
        ],
    )
    newcomer = ensure_child(
        home,
        FormPage,
        "nouveaux-arrivants",
        title="Accueil des nouveaux arrivants",
        kind=FormPage.Kind.NEWCOMER,
        intro=rich(
            "Vous venez d'emménager ? L'équipe de médiation de votre territoire vous rend visite "
            "pour vous présenter votre quartier, vos voisins et les services près de chez vous."
        ),
        subject="Demande d'accueil d'un nouvel arrivant",
        form_fields=[
            FormField(label=label, field_type=kind, required=required, help_text=help_text)
            for label, kind, required, help_text in [
                *FORM_FIELDS[:3],
                ("Votre résidence ou adresse", "singleline", True, ""),
                ("Ce que vous aimeriez savoir", "multiline", False, ""),
            ]
        ],
    )
    return contact, newcomer


def seed_legal_pages(
    home: HomePage,
) -> tuple[StandardPage, PrivacyPage, AccessibilityStatementPage]:
    """Legal notice, privacy page and accessibility statement."""
    legal = ensure_child(
        home,
        StandardPage,
        "mentions-legales",
        title="Mentions légales",
        body=stream(
            (
                "paragraph",
                rich("Éditeur : association Vivre Ensemble, Lyon.", "Hébergement : en France."),
            ),
        ),
    )
    privacy = ensure_child(
        home,
        PrivacyPage,
        "donnees-personnelles",
        title="Données personnelles",
        intro=rich("Nous ne recueillons que les informations dont chaque service a besoin."),
        contact_email="dpo@vivre-ensemble.localhost",
        body=stream(
            ("heading", {"text": "Ce que nous conservons et combien de temps", "level": "h2"}),
            (
                "paragraph",
                rich(
                    "Nous ne gardons vos données que le temps nécessaire : les durées de "
                    "conservation de chaque type de donnée sont indiquées plus bas.",
                    "Depuis votre compte, vous pouvez télécharger vos données ou supprimer votre "
                    "compte ; vous pouvez aussi nous écrire ou venir à l'accueil.",
                ),
            ),
        ),
    )
    accessibility = ensure_child(
        home,
        AccessibilityStatementPage,
        "accessibilite",
        title="Déclaration d'accessibilité",
        status=AccessibilityStatementPage.Status.PARTIAL,
        contact_email="accessibilite@vivre-ensemble.localhost",
        contact_address="Vivre Ensemble, Lyon",
        body=stream(
            ("heading", {"text": "Résultats des tests", "level": "h2"}),
            (
                "paragraph",
                rich(
                    "Chaque type de page est vérifié automatiquement (axe-core, validateur HTML) "
                    "à 360 et 1 280 pixels de large. Aucun audit RGAA complet n'a encore été "
                    "réalisé."
                ),
            ),
        ),
    )
    return legal, privacy, accessibility


def seed_testimonials(home: HomePage) -> None:
    """The home page's testimonials, once."""
    if not home.testimonial_items.exists():
        for order, (quote, first_name, role) in enumerate(TESTIMONIALS):
            testimonial, _ = Testimonial.objects.get_or_create(
                first_name=first_name, role=role, defaults={"quote": quote}
            )
            HomeTestimonial.objects.create(page=home, testimonial=testimonial, sort_order=order)


def seed_partners(home: HomePage) -> None:
    """The home page's partners (funders, partners, public bodies), each with a logo."""
    if not home.partner_items.exists():
        wanted = [
            Organisation.Kind.FUNDER,
            Organisation.Kind.PARTNER,
            Organisation.Kind.PUBLIC_BODY,
        ]
        colours = [(11, 79, 138), (179, 38, 30), (30, 120, 80)]
        for order, organisation in enumerate(Organisation.objects.filter(kind__in=wanted)):
            if organisation.logo_id is None:
                organisation.logo = demo_logo(organisation.name, colours[order % len(colours)])
                organisation.save(update_fields=["logo"])
            HomePartner.objects.create(page=home, organisation=organisation, sort_order=order)


def seed_home_body(home: HomePage, newcomer: FormPage) -> None:
    """The home page's call to action (the newcomers' welcome visit), published."""
    if not home.body:
        home.body = stream(
            (
                "call_to_action",
                {
                    "title": "Vous venez d'arriver dans votre résidence ?",
                    "text": "L'équipe de votre territoire vous accueille et vous présente votre quartier.",
                    "page": newcomer.pk,
                    "url": "",
                    "label": "Demander une visite d'accueil",
                },
            ),
        )
        home.save_revision().publish()


def seed_agency_settings(site: Site) -> None:
    """The agency's address and contact details, once."""
    agency = AgencySettings.for_site(site)
    if not agency.email:
        agency.name = "Vivre Ensemble"
        agency.address = "12 rue de la Médiation\n69008 Lyon"
        agency.phone = "04 72 52 23 80"
        agency.email = STAFF_EMAIL
        agency.opening_hours = "Lundi au vendredi, 9 h – 18 h"
        agency.save()


def seed_navigation(site: Site, *, main: list, footer: list) -> None:
    """The main menu (a page or an address of the site, and its label) and the footer menu
    (pages, under their own titles), once: staff's later edits are kept."""
    navigation = NavigationSettings.for_site(site)
    if not navigation.main_menu:
        navigation.main_menu = stream(
            *[("link", menu_link(target, label)) for target, label in main]
        )
        navigation.footer_menu = stream(*[("link", menu_link(page, "")) for page in footer])
        navigation.save()


def menu_link(target: Page | str, label: str) -> dict:
    if isinstance(target, str):
        return {"page": None, "url": target, "label": label}
    return {"page": target.pk, "url": "", "label": label}
