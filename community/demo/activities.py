"""Demo activity records from the service plan's names: the Mission Locale agreement, the
practice exchanges (Bibliothèque Duchère, Piscines de Lyon, Festival d'Art et d'Air, energy
companies, Avenir Santé), projects, tenant committees, calls for tender, communication actions,
follow-ups with partners, the knowledge survey and the team log. Most are dated 2016, the year
before the plan (its baseline, shown on the plan page), a few this year. Idempotent: every row
is found again by what names it."""

import datetime as dt
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from community.demo.records import ORGANISATIONS
from community.models import (
    AgreementObjective,
    CallForTender,
    CommunicationAction,
    KnowledgeSurveyAnswer,
    Organisation,
    PartnerFollowUp,
    PartnerMeeting,
    PartnershipAgreement,
    Project,
    Residence,
    TeamActivity,
    TenantCommittee,
    Territory,
)

BASELINE = 2016
K = Organisation.Kind
PARTNERS = [
    ("Mission Locale de Lyon", K.PUBLIC_BODY, "Insertion sociale et professionnelle des jeunes."),
    ("Bibliothèque de la Duchère", K.PUBLIC_BODY, "Échanges de pratiques avec l'accueil."),
    ("Piscines de Lyon", K.PUBLIC_BODY, "Échanges de pratiques avec les agents d'accueil."),
    ("Festival d'Art et d'Air", K.ASSOCIATION, "Festival du 9e arrondissement."),
    ("Entreprises d'énergie", K.PARTNER, "Médiation « énergie » avec les fournisseurs."),
    ("Avenir Santé", K.ASSOCIATION, "Prévention santé des jeunes."),
    ("Prévention spécialisée ADSEA", K.ASSOCIATION, "Éducateurs de prévention spécialisée."),
]

AGREEMENTS = [
    # title, partner, kind, territory or None, signed, objectives (text, met?)
    (
        "Convention bilatérale ALTM - Mission Locale",
        "Mission Locale de Lyon",
        PartnershipAgreement.Kind.BILATERAL,
        None,
        dt.date(BASELINE, 2, 15),
        [
            ("Mettre en relation les jeunes repérés avec un conseiller", True),
            ("Faire un point trimestriel sur les situations suivies", True),
            ("Co-animer deux ateliers citoyenneté par an", False),
        ],
    ),
    (
        "Convention d'objectifs et de moyens - Métropole",
        "Grand Lyon la Métropole",
        PartnershipAgreement.Kind.OBJECTIVES_MEANS,
        None,
        dt.date(BASELINE, 1, 20),
        [
            ("Couvrir les quatre territoires", True),
            ("Remettre le rapport annuel d'activité", True),
            ("Animer la journée de la médiation sociale", True),
        ],
    ),
    (
        "Convention de partenariat - prévention spécialisée",
        "Prévention spécialisée ADSEA",
        PartnershipAgreement.Kind.PARTNERSHIP,
        "Lyon 8",
        dt.date(BASELINE, 6, 1),
        [("Organiser des tournées communes à Mermoz", True), ("Échanger sur les situations", True)],
    ),
    (
        "Convention de prestation - CAF du Rhône",
        "CAF du Rhône",
        PartnershipAgreement.Kind.SERVICE,
        "Lyon 9",
        dt.date(BASELINE, 9, 12),
        [("Accompagner les familles vers les droits", False)],
    ),
]

# kind, title, territory, residence or None, start, end, status, field
P = Project.Kind
PROJECTS = [
    (P.TERRITORY, "Coordination 16-25 ans du 8e", "Lyon 8", None, (2015, 9, 1), None),
    (P.TERRITORY, "GSUP Mermoz - cadre de vie", "Lyon 8", None, (2015, 1, 1), None),
    (P.TERRITORY, "GSUP Santy - cadre de vie", "Lyon 8", "Santy", (2016, 1, 1), None),
    (P.TERRITORY, "Fête du vent", "Lyon 8", None, (2016, 3, 1), (2016, 6, 30)),
    (P.TERRITORY, "Festival d'Art et d'Air", "Lyon 9", None, (2016, 4, 1), (2016, 9, 30)),
    (P.TERRITORY, "Action tri Lyon 7", "Lyon 7", None, (2016, 2, 1), (2016, 11, 30)),
    (P.RESIDENCE, "Action LMH Cours Bayard", "EMH", "Cours Bayard", (2016, 3, 1), None),
    (P.CITIZEN, "Tri et encombrants à Mermoz Nord", "Lyon 8", "Mermoz Nord", (2016, 5, 1), None),
    (
        P.RENOVATION,
        "Réhabilitation Albert Laurent",
        "Lyon 8",
        "Albert Laurent",
        (2016, 1, 10),
        None,
    ),
    (P.NEW_FIELD, "Diagnostic médiation santé", "Lyon 9", None, (2016, 10, 3), None),
    (P.NEW_FIELD, "Diagnostic logement privé", "EMH", None, (2016, 4, 4), (2016, 12, 20)),
]

# kind, partner, territory, subject, day, hours, participants
M = PartnerMeeting.Kind
MEETINGS = [
    (M.PRACTICE_EXCHANGE, "Bibliothèque de la Duchère", "Lyon 9", (2016, 3, 8), "7", 14),
    (M.PRACTICE_EXCHANGE, "Piscines de Lyon", "Lyon 7", (2016, 5, 10), "10.5", 22),
    (M.PRACTICE_EXCHANGE, "Festival d'Art et d'Air", "Lyon 9", (2016, 6, 2), "7", 18),
    (M.PRACTICE_EXCHANGE, "Entreprises d'énergie", "EMH", (2016, 9, 20), "10.5", 25),
    (M.AWARENESS, "Avenir Santé", "Lyon 8", (2016, 11, 15), "7", 16),
    (M.PRESENTATION, "Mission Locale de Lyon", "Lyon 8", (2016, 1, 26), "2", 12),
    (M.PRESENTATION, "CAF du Rhône", "Lyon 9", (2016, 2, 9), "2", 9),
    (M.PRESENTATION, "Grand Lyon la Métropole", "EMH", (2016, 4, 12), "1.5", 20),
    (M.PRESENTATION, "Collège Mermoz", "Lyon 8", (2016, 9, 13), "1.5", 30),
    (M.IMMERSION, "Prévention spécialisée ADSEA", "Lyon 8", (2016, 3, 22), "7", 3),
    (M.IMMERSION, "Mission Locale de Lyon", "Lyon 9", (2016, 10, 4), "7", 2),
    (M.INFORMATION, "GLH", "Lyon 8", (2016, 5, 24), "2", 15),
]

COMMITTEES = [
    ("Comité de locataires Santy", "Lyon 8", "Santy", (2015, 10, 1)),
    ("Amicale des locataires du Château", "Lyon 9", "Le Château", (2016, 3, 1)),
    ("Comité de locataires Cours Bayard", "EMH", "Cours Bayard", (2016, 9, 1)),
]

TENDERS = [
    ("Médiation sociale en milieu scolaire", "Grand Lyon la Métropole", (2016, 3, 1), "won"),
    ("Médiation « énergie » quartiers prioritaires", "Entreprises d'énergie", (2016, 6, 1), "lost"),
    ("Médiation dans les transports", "Grand Lyon la Métropole", (2016, 10, 1), "pending"),
]

T = TeamActivity.Kind
TEAM = [  # kind, how many in the baseline year, hours each, participants
    (T.INTER_TEAM_MEETING, 4, "3", 12),
    (T.WORKING_GROUP, 14, "2", 5),
    (T.IMMERSION, 5, "7", 1),
    (T.TRAINING, 3, "14", 6),
]

C = CommunicationAction.Kind
COMMUNICATION_KINDS = [C.DOOR_TO_DOOR, C.LEAFLETS, C.POSTERS, C.ARTICLE, C.FORUM]


def _day(parts):
    return dt.date(*parts) if parts else None


def _partners() -> dict:
    for name, kind, description in (*ORGANISATIONS, *PARTNERS):
        Organisation.objects.get_or_create(
            name=name, defaults={"kind": kind, "description": description}
        )
    return {org.name: org for org in Organisation.objects.all()}


def _agreements(orgs, territories) -> None:
    for title, partner, kind, territory, signed, objectives in AGREEMENTS:
        agreement, created = PartnershipAgreement.objects.get_or_create(
            title=title,
            defaults={
                "partner": orgs[partner],
                "kind": kind,
                "territory": territories.get(territory),
                "signed_on": signed,
                "starts_on": signed,
                "ends_on": dt.date(2019, 12, 31),
            },
        )
        if created:
            for text, met in objectives:
                AgreementObjective.objects.create(
                    agreement=agreement,
                    text=text,
                    status=AgreementObjective.Status.MET
                    if met
                    else AgreementObjective.Status.IN_PROGRESS,
                    assessed_on=dt.date(BASELINE, 12, 15) if met else None,
                )


def _projects(orgs, territories, residences) -> None:
    for kind, title, territory, residence, start, end in PROJECTS:
        Project.objects.get_or_create(
            title=title,
            defaults={
                "kind": kind,
                "territory": territories[territory],
                "residence": residences.get(residence),
                "starts_on": _day(start),
                "ends_on": _day(end),
                "status": Project.Status.DONE if end else Project.Status.ACTIVE,
                "domain": "santé"
                if "santé" in title
                else ("logement privé" if "privé" in title else ""),
            },
        )


def _meetings(orgs, territories) -> None:
    for kind, partner, territory, day, hours, people in MEETINGS:
        meeting, created = PartnerMeeting.objects.get_or_create(
            kind=kind,
            date=_day(day),
            subject=partner,
            defaults={
                "territory": territories[territory],
                "hours": Decimal(hours),
                "participants": people,
            },
        )
        if created and partner in orgs:
            meeting.partners.add(orgs[partner])


def _follow_ups(orgs, territories) -> None:
    """Pseudonymous follow-ups with partner structures: no one is named in the demo."""
    if PartnerFollowUp.objects.exists():
        return
    rng = random.Random(BASELINE)
    names = list(territories)
    partners = [orgs["Mission Locale de Lyon"], orgs["Avenir Santé"], orgs["CAF du Rhône"]]
    reasons = ["Recherche d'emploi ou de formation", "Accès aux droits", "Santé"]
    rows = []
    for i in range(97):
        opened = dt.date(BASELINE, 1, 1) + dt.timedelta(days=rng.randrange(330))
        closed = opened + dt.timedelta(days=rng.randrange(20, 120)) if i % 3 else None
        rows.append(
            PartnerFollowUp(
                partner=partners[i % 3],
                territory=territories[names[i % len(names)]],
                age_band=("15-24", "15-24", "25-59", "0-14")[i % 4],
                gender=("f", "m")[i % 2],
                reason=reasons[i % 3],
                opened_on=opened,
                closed_on=closed,
                outcome=PartnerFollowUp.Outcome.TAKEN_OVER
                if closed
                else PartnerFollowUp.Outcome.ONGOING,
            )
        )
    PartnerFollowUp.objects.bulk_create(rows)


def _communication(territories, residences) -> None:
    if CommunicationAction.objects.exists():
        return
    names = list(territories)
    in_residence = list(residences.values())
    rows = []
    for i in range(31):
        kind = COMMUNICATION_KINDS[i % len(COMMUNICATION_KINDS)]
        territory = territories[names[i % len(names)]]
        home = next((r for r in in_residence if r.territory_id == territory.pk), None)
        rows.append(
            CommunicationAction(
                kind=kind,
                date=dt.date(BASELINE, 1 + i % 12, 1 + (i * 7) % 27),
                territory=territory,
                residence=home if kind in (C.DOOR_TO_DOOR, C.POSTERS) else None,
                doors_knocked=60 + 5 * i if kind == C.DOOR_TO_DOOR else 0,
                leaflets=150 if kind in (C.LEAFLETS, C.FORUM) else 0,
                people_met=20 + i if kind in (C.DOOR_TO_DOOR, C.FORUM) else 0,
            )
        )
    CommunicationAction.objects.bulk_create(rows)


def _survey(territories) -> None:
    """120 people asked in 2016: about half know the service, as the baseline says."""
    if KnowledgeSurveyAnswer.objects.exists():
        return
    rng = random.Random(BASELINE + 1)
    names = list(territories)
    rows = []
    for i in range(120):
        service = rng.random() < 0.48
        rows.append(
            KnowledgeSurveyAnswer(
                date=dt.date(BASELINE, 4 + i % 6, 1 + i % 28),
                territory=territories[names[i % len(names)]],
                place=KnowledgeSurveyAnswer.Place.STAND
                if i % 3 == 0
                else KnowledgeSurveyAnswer.Place.DOOR,
                knows_service=service,
                knows_mediators=service and rng.random() < 0.9,
                knows_missions=service and rng.random() < 0.85,
                has_called_on=rng.random() < 0.5,
            )
        )
    KnowledgeSurveyAnswer.objects.bulk_create(rows)


def _team() -> None:
    if TeamActivity.objects.exists():
        return
    rows = []
    for kind, count, hours, people in TEAM:
        for i in range(count):
            rows.append(
                TeamActivity(
                    kind=kind,
                    date=dt.date(BASELINE, 1 + (i * 11) // max(count, 1) % 12, 10),
                    subject=str(kind.label),
                    hours=Decimal(hours),
                    participants=people,
                )
            )
    # and one this year, so the current dashboard is not empty
    rows.append(
        TeamActivity(
            kind=T.INTER_TEAM_MEETING,
            date=timezone.localdate(),
            subject="Rencontre inter-équipes",
            participants=12,
        )
    )
    TeamActivity.objects.bulk_create(rows)


@transaction.atomic
def seed() -> None:
    territories = {t.name: t for t in Territory.objects.all()}
    if not territories:
        return
    residences = {r.name: r for r in Residence.objects.all()}
    orgs = _partners()
    _agreements(orgs, territories)
    _projects(orgs, territories, residences)
    _meetings(orgs, territories)
    for name, territory, residence, since in COMMITTEES:
        if territory in territories:
            TenantCommittee.objects.get_or_create(
                name=name,
                defaults={
                    "territory": territories[territory],
                    "residence": residences.get(residence),
                    "supported_from": _day(since),
                },
            )
    for title, issuer, answered, result in TENDERS:
        if issuer in orgs:
            CallForTender.objects.get_or_create(
                title=title,
                defaults={
                    "issuer": orgs[issuer],
                    "answered_on": _day(answered),
                    "result": result,
                    "decided_on": None
                    if result == "pending"
                    else _day(answered) + dt.timedelta(days=60),
                },
            )
    _follow_ups(orgs, territories)
    _communication(territories, residences)
    _survey(territories)
    _team()
