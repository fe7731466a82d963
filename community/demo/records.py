"""Demo content of the community app, from the agency's 2017-2019 service plan. Idempotent."""

import datetime

from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from allauth.account.models import EmailAddress

from community import roles
from community.models import (
    ConsentMethod,
    DataRequest,
    FollowUp,
    Organisation,
    Person,
    ReferenceTenant,
    Residence,
    ResidenceDiagnosis,
    Territory,
    TrainingTopic,
    User,
    Voice,
    VoiceTheme,
    WorkingGroup,
    WorkingGroupOutcome,
)

TERRITORIES = [
    ("Lyon 7", "lyon-7", "lyon7@vivre-ensemble.localhost", "+33472522380"),
    ("Lyon 8", "lyon-8", "lyon8@vivre-ensemble.localhost", "+33472522381"),
    ("Lyon 9", "lyon-9", "lyon9@vivre-ensemble.localhost", "+33472522382"),
    ("EMH", "emh", "emh@vivre-ensemble.localhost", "+33472522383"),
]

# EMH is a landlord's housing stock, named like GLH and LMH below.
TERRITORY_FULL_NAMES = {"emh": "Est Métropole Habitat"}

K = Organisation.Kind
ORGANISATIONS = [
    ("GLH", K.LANDLORD, "Grand Lyon Habitat, bailleur social."),
    ("LMH", K.LANDLORD, "Lyon Métropole Habitat, bailleur social."),
    ("Alliade Habitat", K.LANDLORD, "Bailleur social."),
    ("SACVL", K.LANDLORD, "Société d'économie mixte de construction et de gestion de logements."),
    ("OPAC", K.LANDLORD, "Office public d'aménagement et de construction."),
    ("Grand Lyon la Métropole", K.FUNDER, "Partenaire et soutien financier."),
    ("France Médiation", K.PARTNER, "Réseau national des acteurs de la médiation sociale."),
    ("CAF du Rhône", K.PUBLIC_BODY, "Caisse d'allocations familiales."),
    ("ADSEA", K.ASSOCIATION, "Partenaire des actions de sensibilisation à Mermoz Sud."),
    ("Collège Longchambon", K.SCHOOL, "Ateliers de médiation sociale en milieu scolaire."),
    ("Collège Mermoz", K.SCHOOL, "Ateliers de médiation sociale en milieu scolaire."),
    ("Collège Rosset", K.SCHOOL, "Ateliers de médiation sociale en milieu scolaire."),
    ("École Aristide Briand", K.SCHOOL, "Ateliers de médiation sociale en milieu scolaire."),
]

RESIDENCES = [
    ("Albert Laurent", "Lyon 8", "GLH", "Rue Albert Laurent, 69008 Lyon"),
    ("Le Château", "Lyon 9", "LMH", "Montée du Château, 69009 Lyon"),
    ("Cours Bayard", "EMH", "LMH", "Cours Bayard, 69002 Lyon"),
    ("Patel", "Lyon 9", "SACVL", "Rue Patel, 69009 Lyon"),
    ("Santy", "Lyon 8", "GLH", "Avenue Paul Santy, 69008 Lyon"),
    ("Mermoz Nord", "Lyon 8", "GLH", "Avenue Jean Mermoz, 69008 Lyon"),
    ("André Bollier", "Lyon 7", "Alliade Habitat", "Rue André Bollier, 69007 Lyon"),
]

DEMO_DOMAIN = "vivre-ensemble.localhost"
STAFF = [
    # email, first name, last name, role, territories
    (f"communication@{DEMO_DOMAIN}", "Camille", "Roux", roles.COMMUNICATION, []),
    (f"mediatrice.lyon8@{DEMO_DOMAIN}", "Hibaaq", "Médiatrice", roles.MEDIATOR, ["Lyon 8"]),
    (f"mediateur.lyon9@{DEMO_DOMAIN}", "Quentin", "Médiateur", roles.MEDIATOR, ["Lyon 9"]),
    (f"mediatrice.lyon7@{DEMO_DOMAIN}", "Maimouna", "Médiatrice", roles.MEDIATOR, ["Lyon 7"]),
    (f"mediatrice.emh@{DEMO_DOMAIN}", "Karen", "Médiatrice", roles.MEDIATOR, ["EMH"]),
    (f"direction@{DEMO_DOMAIN}", "Dominique", "Directrice", roles.MANAGER, []),
]
ADMIN_EMAIL = f"admin@{DEMO_DOMAIN}"


@transaction.atomic
def seed(password: str) -> dict:
    """Create or update the territories, organisations, residences and staff accounts."""
    territories = {}
    for order, (name, slug, email, phone) in enumerate(TERRITORIES):
        territories[name], _ = Territory.objects.update_or_create(
            slug=slug,
            defaults={
                "name": name,
                "full_name": TERRITORY_FULL_NAMES.get(slug, ""),
                "email": email,
                "phone": phone,
                "sort_order": order,
            },
        )
    organisations = {}
    for name, kind, description in ORGANISATIONS:
        organisations[name], _ = Organisation.objects.update_or_create(
            name=name, kind=kind, defaults={"description": description}
        )
    for name, territory, landlord, address in RESIDENCES:
        Residence.objects.update_or_create(
            name=name,
            territory=territories[territory],
            defaults={"landlord": organisations[landlord], "address": address},
        )

    roles.sync_roles()
    admin, created = User.objects.get_or_create(
        email=ADMIN_EMAIL, defaults={"first_name": "Admin", "last_name": "Démo"}
    )
    if created:
        admin.is_staff = admin.is_superuser = True
        admin.set_password(password)
        admin.save()
    for email, first_name, last_name, role, territory_names in STAFF:
        user, created = User.objects.get_or_create(
            email=email,
            defaults={"first_name": first_name, "last_name": last_name, "is_staff": True},
        )
        if created:
            user.set_password(password)
            user.save()
        user.groups.add(Group.objects.get(name=role))
        user.territories.set([territories[name] for name in territory_names])
    # The demo addresses count as verified, so the demo staff sign in without a confirmation mail.
    for user in User.objects.filter(email__in=[ADMIN_EMAIL, *(row[0] for row in STAFF)]):
        EmailAddress.objects.update_or_create(
            user=user, email=user.email, defaults={"verified": True, "primary": True}
        )
    working_groups = seed_community_records(territories)
    seed_data_request()
    return {
        "territories": territories,
        "organisations": organisations,
        "admin": admin,
        "working_groups": working_groups,
    }


TRAINING_TOPICS = [
    "Tri des déchets",
    "Encombrants",
    "Nuisances sonores",
    "Gestion de projet",
    "Démarches auprès du bailleur",
]
VOICE_THEMES = ["Cadre de vie", "Propreté et tri", "Tranquillité", "Lien social", "Jeunesse"]
RESIDENCE_DETAILS = {
    # name: (homes, renovation project)
    "Albert Laurent": (180, "Projet de médiation citoyenne en résidence avec GLH."),
    "Le Château": (240, "Réhabilitation des halls et des espaces extérieurs (LMH), 2018-2019."),
    "Patel": (96, ""),
    "Mermoz Nord": (320, "Renouvellement urbain de Mermoz Nord : démolitions et relogements."),
}
REFERENCE_TENANTS = [
    # first name, last name, email, residence, since, topics, follow-ups (days ago, kind, note)
    ("Fatima", "Benali", "fatima.benali@exemple.localhost", "Mermoz Nord", datetime.date(2017, 3, 1),
     ["Tri des déchets", "Encombrants"],
     [(40, FollowUp.Kind.MEETING, "Prépare la fête du tri avec GLH."),
      (12, FollowUp.Kind.PHONE, "Propose un porte-à-porte sur les encombrants.")]),
    ("Jacques", "Moreau", "jacques.moreau@exemple.localhost", "Albert Laurent",
     datetime.date(2017, 9, 15), ["Gestion de projet"],
     [(30, FollowUp.Kind.TRAINING, "Formation à la conduite de projet : budget, calendrier.")]),
    ("Aïcha", "Diop", "aicha.diop@exemple.localhost", "Le Château", datetime.date(2018, 1, 10),
     ["Gestion de projet", "Démarches auprès du bailleur"],
     [(20, FollowUp.Kind.MEETING, "Point sur le projet de résidence avec LMH.")]),
    ("Bernard", "Lefèvre", "bernard.lefevre@exemple.localhost", "Patel", datetime.date(2018, 2, 5),
     ["Nuisances sonores"], [(8, FollowUp.Kind.PHONE, "Relaie les besoins pour le diagnostic.")]),
]  # fmt: skip
VOICES = [
    # territory, theme, age band, source, status, text
    ("Lyon 8", "Propreté et tri", "60+", Voice.Source.DOOR_TO_DOOR, Voice.Status.ACTION,
     "Les encombrants restent des semaines au pied de l'immeuble."),
    ("Lyon 8", "Lien social", "25-59", Voice.Source.PUBLIC_FORM, Voice.Status.NEW,
     "Un café entre voisins le samedi matin, ce serait bien."),
    ("Lyon 9", "Cadre de vie", "25-59", Voice.Source.DOOR_TO_DOOR, Voice.Status.IN_PROGRESS,
     "Le hall est sombre le soir depuis le début des travaux."),
    ("Lyon 7", "Jeunesse", "15-24", Voice.Source.MEETING, Voice.Status.NEW,
     "Un lieu pour les jeunes le soir, à côté du city-stade."),
    ("EMH", "Tranquillité", "60+", Voice.Source.PHONE, Voice.Status.CLOSED,
     "Du bruit tard dans la cour, l'été."),
]  # fmt: skip


def seed_community_records(territories) -> list:
    """Reference tenants and their follow-ups, working groups, a diagnosis and voices."""
    topics = {
        name: TrainingTopic.objects.get_or_create(name=name, defaults={"sort_order": order})[0]
        for order, name in enumerate(TRAINING_TOPICS)
    }
    themes = {
        name: VoiceTheme.objects.get_or_create(name=name, defaults={"sort_order": order})[0]
        for order, name in enumerate(VOICE_THEMES)
    }
    residences = {r.name: r for r in Residence.objects.select_related("territory", "landlord")}
    for name, (homes, project) in RESIDENCE_DETAILS.items():
        Residence.objects.filter(pk=residences[name].pk).update(
            homes=homes, renovation_project=project
        )
    mediators = {
        territory: User.objects.filter(territories__name=territory, is_staff=True).first()
        for territory in territories
    }
    tenants = seed_reference_tenants(residences, topics, mediators)
    groups = seed_working_groups(residences, tenants)
    seed_diagnosis(residences)
    seed_voices(territories, themes, mediators, groups)
    return groups


def seed_reference_tenants(residences: dict, topics: dict, mediators: dict) -> dict:
    """The reference tenants (by residence name), each with their training topics and the
    follow-ups their territory's mediator wrote."""
    tenants = {}
    today = timezone.localdate()
    for first, last, email, residence_name, since, topic_names, follow_ups in REFERENCE_TENANTS:
        residence = residences[residence_name]
        person, _ = Person.objects.get_or_create(
            email=email,
            defaults={"first_name": first, "last_name": last, "territory": residence.territory},
        )
        tenant, created = ReferenceTenant.objects.get_or_create(
            person=person,
            residence=residence,
            defaults={
                "since": since,
                "contact_consent": True,
                "contact_consent_date": since,
                "contact_consent_method": ConsentMethod.ORAL,
            },
        )
        if created:
            tenant.topics.set([topics[name] for name in topic_names])
            for days_ago, kind, note in follow_ups:
                FollowUp.objects.create(
                    reference_tenant=tenant,
                    date=today - datetime.timedelta(days=days_ago),
                    kind=kind,
                    note=note,
                    mediator=mediators[residence.territory.name],
                )
        tenants[residence_name] = tenant
    return tenants


def seed_working_groups(residences: dict, tenants: dict) -> list:
    """Two active working groups, each led by a reference tenant, with an outcome."""
    groups = []
    for theme, residence_name, description, tenant_key, outcome in (
        (
            "Tri et encombrants à Mermoz",
            "Mermoz Nord",
            "Des habitants de Mermoz Nord s'organisent pour que les encombrants ne restent plus "
            "au pied des immeubles et pour faire connaître le tri.",
            "Mermoz Nord",
            "Fête du tri préparée avec GLH ; affiches dans les halls.",
        ),
        (
            "Projet de résidence au Château",
            "Le Château",
            "Les locataires du Château préparent avec LMH un projet pour leur résidence pendant "
            "la réhabilitation : halls, espaces extérieurs, moments entre voisins.",
            "Le Château",
            "Premier diagnostic partagé avec le bailleur.",
        ),
    ):
        residence = residences[residence_name]
        group, created = WorkingGroup.objects.get_or_create(
            theme=theme,
            defaults={
                "territory": residence.territory,
                "residence": residence,
                "description": description,
                "status": WorkingGroup.Status.ACTIVE,
            },
        )
        if created:
            group.facilitators.add(tenants[tenant_key])
            group.members.add(tenants[tenant_key].person)
            WorkingGroupOutcome.objects.create(working_group=group, text=outcome)
        groups.append(group)
    return groups


def seed_diagnosis(residences: dict) -> None:
    """A residence diagnosis shared with the landlord."""
    patel = residences["Patel"]
    ResidenceDiagnosis.objects.get_or_create(
        residence=patel,
        date=datetime.date(2018, 3, 15),
        defaults={
            "landlord": patel.landlord,
            "needs": "Isolement de locataires âgés ; nuisances sonores le soir ; halls dégradés.",
            "actions_proposed": "Porte-à-porte avec SACVL ; café médiation mensuel ; "
            "sensibilisation aux nuisances sonores avec les jeunes du quartier.",
        },
    )


def seed_voices(territories, themes: dict, mediators: dict, groups: list) -> None:
    """Residents' voices, the ones acted on answered by the first working group."""
    for territory, theme, age_band, source, status, text in VOICES:
        voice, created = Voice.objects.get_or_create(
            text=text,
            defaults={
                "territory": territories[territory],
                "theme": themes[theme],
                "age_band": age_band,
                "source": source,
                "status": status,
                "recorded_by": mediators[territory] if source != Voice.Source.PUBLIC_FORM else None,
                "notified_at": timezone.now(),
            },
        )
        if created and status == Voice.Status.ACTION:
            groups[0].answers_voices.add(voice)


def seed_data_request() -> None:
    """A request for a copy of one's data, received by letter and answered: what the managers'
    "Données personnelles" page shows. Idempotent."""

    person = Person.objects.active().filter(reference_tenancies__isnull=False).first()
    manager = User.objects.filter(email=f"direction@{DEMO_DOMAIN}").first()
    if person is None or DataRequest.objects.filter(person=person).exists():
        return
    today = timezone.localdate()
    DataRequest.objects.create(
        person=person,
        kind=DataRequest.Kind.ACCESS,
        channel=DataRequest.Channel.LETTER,
        received_on=today,
        details="Courrier reçu à l'antenne ; identité vérifiée à l'accueil sur pièce d'identité.",
        outcome=DataRequest.Outcome.EXPORTED,
        answer="Copie des données remise en main propre.",
        answered_at=timezone.now(),
        answered_by=manager,
        created_by=manager,
    )
