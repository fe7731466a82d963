from django.core.management import call_command

import pytest

from community.models import Objective, Organisation, PlanIndicator, Residence, Territory, User
from community.permissions import visible_territories

pytestmark = pytest.mark.django_db


def test_seed_demo_is_idempotent_and_loads_the_service_plan(capsys):
    call_command("seed_demo", password="mot-de-passe-demo-1")
    counts = (
        Territory.objects.count(),
        Organisation.objects.count(),
        Residence.objects.count(),
        User.objects.count(),
    )
    call_command("seed_demo", password="mot-de-passe-demo-1")
    assert (
        Territory.objects.count(),
        Organisation.objects.count(),
        Residence.objects.count(),
        User.objects.count(),
    ) == counts
    assert set(Territory.objects.values_list("name", flat=True)) == {
        "Lyon 7",
        "Lyon 8",
        "Lyon 9",
        "EMH",
    }
    landlords = Organisation.objects.filter(kind=Organisation.Kind.LANDLORD).values_list(
        "name", flat=True
    )
    assert {"GLH", "LMH", "Alliade Habitat", "SACVL", "OPAC"} <= set(landlords)
    assert {"Albert Laurent", "Le Château", "Cours Bayard", "Patel"} <= set(
        Residence.objects.values_list("name", flat=True)
    )
    assert (
        "Admin login: admin@vivre-ensemble.localhost / password: mot-de-passe-demo-1"
        in capsys.readouterr().out
    )
    admin = User.objects.get(email="admin@vivre-ensemble.localhost")
    assert admin.is_superuser and admin.check_password("mot-de-passe-demo-1")
    lyon8 = User.objects.get(email="mediatrice.lyon8@vivre-ensemble.localhost")
    assert [t.name for t in visible_territories(lyon8)] == ["Lyon 8"]
    # The whole service plan of the seed, once: 50 operational objectives, 46 indicators.
    assert (Objective.objects.count(), PlanIndicator.objects.count()) == (50, 46)
