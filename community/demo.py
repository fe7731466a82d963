"""Demo content of the community app, from the agency's 2017-2019 service plan. Idempotent."""

from django.contrib.auth.models import Group
from django.db import transaction

from allauth.account.models import EmailAddress

from . import roles
from .models import Organisation, Residence, Territory, User

TERRITORIES = [
    ("Lyon 7", "lyon-7", "lyon7@vivre-ensemble.localhost", "+33472522380"),
    ("Lyon 8", "lyon-8", "lyon8@vivre-ensemble.localhost", "+33472522381"),
    ("Lyon 9", "lyon-9", "lyon9@vivre-ensemble.localhost", "+33472522382"),
    ("EMH", "emh", "emh@vivre-ensemble.localhost", "+33472522383"),
]

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
            slug=slug, defaults={"name": name, "email": email, "phone": phone, "sort_order": order}
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
    return {"territories": territories, "organisations": organisations, "admin": admin}
