"""A small world of community records in Lyon 8 and Lyon 9, and the six roles."""

from dataclasses import dataclass, field

import pytest

from community import roles
from tests import factories


@dataclass
class World:
    territories: dict
    users: dict
    records: dict = field(default_factory=dict)  # (model_name, territory name) -> instance


@pytest.fixture
def world(territories):
    lyon8, lyon9 = territories["Lyon 8"], territories["Lyon 9"]
    users = {
        "resident": factories.UserFactory(email="habitant@exemple.fr"),
        "communication": factories.StaffFactory(email="com@exemple.fr", role=roles.COMMUNICATION),
        "mediator_lyon8": factories.StaffFactory(
            email="med8@exemple.fr", role=roles.MEDIATOR, territories=[lyon8]
        ),
        "mediator_lyon9": factories.StaffFactory(
            email="med9@exemple.fr", role=roles.MEDIATOR, territories=[lyon9]
        ),
        "manager": factories.StaffFactory(email="direction@exemple.fr", role=roles.MANAGER),
    }
    records = {}
    for name, territory, residence_name in (
        ("Lyon 8", lyon8, "Albert Laurent"),
        ("Lyon 9", lyon9, "Le Château"),
    ):
        residence = factories.ResidenceFactory(name=residence_name, territory=territory)
        tenant = factories.ReferenceTenantFactory(residence=residence)
        group = factories.WorkingGroupFactory(
            theme=f"Groupe {name}", territory=territory, residence=residence
        )
        records[("residence", name)] = residence
        records[("referencetenant", name)] = tenant
        records[("followup", name)] = factories.FollowUpFactory(reference_tenant=tenant)
        records[("workinggroup", name)] = group
        records[("joinrequest", name)] = factories.JoinRequestFactory(working_group=group)
        records[("residencediagnosis", name)] = factories.ResidenceDiagnosisFactory(
            residence=residence
        )
        records[("voice", name)] = factories.VoiceFactory(territory=territory)
    return World(territories=territories, users=users, records=records)
