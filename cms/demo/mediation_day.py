"""The mediation day's demo: an index, this year's coming day (two tracks, partners, three
accepted stands and one to review, the home-page banner on) and last year's day with its report.
Idempotent: pages are found by slug, stands by organisation."""

import datetime as dt

from django.db import transaction

from cms.demo.pages import demo_image, ensure_child, rich
from cms.models import (
    HomePage,
    MediationDayIndexPage,
    MediationDayPage,
    MediationDayPartner,
    MediationDayPhoto,
    MediationDaySpeaker,
    StandRequest,
)
from community.models import Organisation
from events.demo import events as events_demo

PARTNERS = ["France Médiation", "Grand Lyon la Métropole", "GLH", "CAF du Rhône"]
SPEAKERS = [
    ("Maimouna", "médiatrice sociale, équipe de Lyon 8", None),
    ("Quentin", "médiateur social, équipe de Lyon 9", None),
    ("Hibaaq", "locataire référente, résidence Albert Laurent", None),
    ("Le réseau France Médiation", "intervention sur la médiation sociale en France", "France Médiation"),
]  # fmt: skip
STANDS = [
    ("ADSEA", "Sensibilisation au tri et aux encombrants à Mermoz Sud.", True, False, "accepted"),
    ("CAF du Rhône", "Accès aux droits : permanence d'information.", True, True, "accepted"),
    ("LMH", "Les projets de réhabilitation des résidences.", True, False, "accepted"),
    ("Collège Mermoz", "Les élèves médiateurs présentent leur année.", True, True, "pending"),
]
PRACTICAL = (
    "<p>Mairie du 8e arrondissement, salle des fêtes, 12 avenue Jean Mermoz, 69008 Lyon.</p>"
    "<p>Tram T6 et bus C15, arrêt Mermoz-Pinel. Entrée de plain-pied, boucle magnétique, "
    "toilettes accessibles. Entrée libre et gratuite ; l'inscription aux séances garantit une "
    "place.</p>"
)


def _page(index, programme, *, held: bool):
    existing = MediationDayPage.objects.filter(programme=programme).first()
    if existing is not None:
        return existing
    year = programme.year
    page = MediationDayPage(
        title=f"Journée de la médiation sociale {year}",
        slug=str(year),
        programme=programme,
        introduction=rich(
            "Chaque année, la journée de la médiation sociale réunit à Lyon habitants, "
            "bailleurs, associations et institutions autour du travail des médiateurs.",
            "Tables rondes, ateliers et forum : composez votre programme, les séances de deux "
            "parcours ont lieu en parallèle.",
        ),
        practical_info=PRACTICAL,
        map_image=demo_image(
            "Plan d'accès à la mairie du 8e",
            (11, 79, 138),
            "Plan d'accès",
        ),
        map_alt=(
            "Plan d'accès : depuis l'arrêt de tram Mermoz-Pinel, suivre l'avenue Jean Mermoz "
            "vers l'ouest sur 200 mètres ; la mairie est à droite, entrée de plain-pied."
        ),
        banner_from=None if held else programme.date - dt.timedelta(days=28),
        stands_open=not held,
        report_published=held,
        report_text=rich(
            "Plus de 130 personnes ont participé à la journée : habitants, locataires référents, "
            "bailleurs et partenaires.",
            "Les échanges de la table ronde ont lancé deux groupes de travail à Mermoz et aux "
            "États-Unis.",
        )
        if held
        else "",
    )
    index.add_child(instance=page)
    organisations = {
        o.name: o
        for o in Organisation.objects.filter(name__in=PARTNERS + [s[2] for s in SPEAKERS if s[2]])
    }
    for order, (name, role, organisation) in enumerate(SPEAKERS):
        MediationDaySpeaker.objects.create(
            page=page,
            name=name,
            role=role,
            organisation=organisations.get(organisation),
            sort_order=order,
        )
    for order, name in enumerate(PARTNERS):
        if name in organisations:
            MediationDayPartner.objects.create(
                page=page, organisation=organisations[name], sort_order=order
            )
    if held:
        for order, (title, colour, alt) in enumerate(
            [
                ("Journée 1 — table ronde", (179, 38, 30), "La table ronde : bailleurs et habitants assis en cercle."),
                ("Journée 2 — atelier", (11, 79, 138), "Atelier intergénérationnel : collégiens et seniors autour d'une carte du quartier."),
                ("Journée 3 — forum", (40, 120, 60), "Le forum des jeunes : des élèves médiateurs devant leurs affiches."),
            ]
        ):  # fmt: skip
            MediationDayPhoto.objects.create(
                page=page,
                image=demo_image(f"{title} {year}", colour, alt),
                alt=alt,
                sort_order=order,
            )
    page.save_revision().publish()
    return page


@transaction.atomic
def build_mediation_days(home: HomePage) -> MediationDayIndexPage | None:
    programmes = events_demo.seed_mediation_days()
    if not programmes:
        return None
    index = ensure_child(
        home,
        MediationDayIndexPage,
        "journee-de-la-mediation",
        title="Journée de la médiation sociale",
        introduction=rich(
            "Une journée par an pour faire connaître la médiation sociale à Lyon : le programme "
            "de l'année, et les journées passées avec leur bilan."
        ),
    )
    coming, last = programmes
    coming_page = _page(index, coming, held=False)
    _page(index, last, held=True)
    organisations = {
        o.name: o for o in Organisation.objects.filter(name__in=[s[0] for s in STANDS])
    }
    for name, description, table, power, status in STANDS:
        if StandRequest.objects.filter(page=coming_page, organisation_name=name).exists():
            continue
        StandRequest.objects.create(
            page=coming_page,
            organisation=organisations.get(name),
            organisation_name=name,
            contact_name="Accueil " + name,
            contact_email=f"contact@{''.join(c for c in name.lower() if c.isalnum())}.example",
            needs_table=table,
            needs_power=power,
            description=description,
            consent_text="J'accepte que Vivre Ensemble enregistre ces informations.",
            status=status,
            notified_status="" if status == "pending" else status,
        )
    return index
