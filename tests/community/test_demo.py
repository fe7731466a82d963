from django.core.management import call_command

import pytest

from community.models import (
    FollowUp,
    Person,
    ReferenceTenant,
    ResidenceDiagnosis,
    Voice,
    WorkingGroup,
)

pytestmark = pytest.mark.django_db


def _counts():
    # The indicators' generated residents (@habitants.invalid) are not counted here.
    people = Person.objects.exclude(email__endswith="@habitants.invalid").count()
    return [people] + [
        model.objects.count()
        for model in (ReferenceTenant, FollowUp, WorkingGroup, ResidenceDiagnosis, Voice)
    ]


def test_the_demo_holds_the_service_plans_community_records_once():
    call_command("seed_demo", password="mot-de-passe-demo-1")
    first = _counts()
    call_command("seed_demo", password="mot-de-passe-demo-1")
    assert _counts() == first
    # people: the 4 reference tenants, the 5 followers of the Café Médiation demo and
    # the 4 newsletter subscribers who are not also followers
    assert first == [13, 4, 5, 2, 1, 5]
    groups = {
        group.theme: group.residence.name
        for group in WorkingGroup.objects.select_related("residence")
    }
    assert groups == {
        "Tri et encombrants à Mermoz": "Mermoz Nord",
        "Projet de résidence au Château": "Le Château",
    }
    assert ResidenceDiagnosis.objects.get().residence.name == "Patel"
    assert set(Voice.objects.values_list("territory__name", flat=True)) == {
        "Lyon 7",
        "Lyon 8",
        "Lyon 9",
        "EMH",
    }
    assert all(f.mediator is not None for f in FollowUp.objects.all())
