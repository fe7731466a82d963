"""Runs every row of tests/permissions/table.py for every role."""

import pytest

from tests.permissions.harness import ROLES, assert_no_foreign_territory_data, build_world, login_as
from tests.permissions.table import ROWS

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(home_page):
    return build_world()


@pytest.mark.parametrize("row", ROWS, ids=[row.id() for row in ROWS])
def test_each_role_gets_the_expected_status(client, world, row):
    failures = []
    for role in ROLES:
        user = login_as(client, world, role)
        url = row.url(world) if callable(row.url) else row.url
        response = getattr(client, row.method)(url)
        if response.status_code != row.expected[role]:
            failures.append(f"{role}: {response.status_code} (expected {row.expected[role]})")
        elif row.scoped and response.status_code == 200:
            assert_no_foreign_territory_data(response, user, world)
    assert not failures, f"{row.id()}: " + "; ".join(failures)


def page(body: str):
    from django.http import HttpResponse

    response = HttpResponse(body)
    response.request = {"PATH_INFO": "/equipe/exemple/"}
    return response


def test_the_helper_catches_a_page_that_shows_a_foreign_territory(world):
    leaking = page("Résidence Le Château, Lyon 9")
    mediator_8, mediator_9 = world.users["mediator_lyon_8"], world.users["mediator_lyon_9"]
    with pytest.raises(AssertionError, match="Lyon 9"):
        assert_no_foreign_territory_data(leaking, mediator_8, world)
    with pytest.raises(AssertionError, match="Lyon 9"):
        assert_no_foreign_territory_data(leaking, mediator_8)  # territories from the database
    with pytest.raises(AssertionError, match="Résidence Le Château"):
        assert_no_foreign_territory_data(page("Résidence Le Château"), mediator_8, world)
    assert_no_foreign_territory_data(leaking, mediator_9, world)
    assert_no_foreign_territory_data(leaking, world.users["manager"], world)
    with pytest.raises(AssertionError, match="secret"):
        assert_no_foreign_territory_data(page("un secret"), mediator_9, forbidden=["secret"])
