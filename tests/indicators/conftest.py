"""Hand-built data sets for the indicators: territories, staff, kinds."""

import datetime as dt

import pytest

from community import roles
from community.models import InterventionKind
from community.registries import Period
from tests import factories


@pytest.fixture
def kinds(db):
    """The annex's kinds, created by the data migration, by code."""
    return {kind.code: kind for kind in InterventionKind.objects.all()}


@pytest.fixture
def year_2025():
    return Period(dt.date(2025, 1, 1), dt.date(2025, 12, 31))


@pytest.fixture
def staff(territories):
    return {
        "mediator_lyon8": factories.StaffFactory(
            email="med8@exemple.fr", role=roles.MEDIATOR, territories=[territories["Lyon 8"]]
        ),
        "mediator_lyon9": factories.StaffFactory(
            email="med9@exemple.fr", role=roles.MEDIATOR, territories=[territories["Lyon 9"]]
        ),
        "manager": factories.StaffFactory(email="direction@exemple.fr", role=roles.MANAGER),
        "communication": factories.StaffFactory(email="com@exemple.fr", role=roles.COMMUNICATION),
    }
