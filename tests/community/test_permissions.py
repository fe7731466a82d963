import pytest

from community import permissions, roles
from community.models import Residence
from tests.factories import ResidenceFactory, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_lyon_8_mediator_sees_lyon_8_and_nothing_else(territories):
    mediator = StaffFactory(role=roles.MEDIATOR, territories=[territories["Lyon 8"]])
    assert list(permissions.visible_territories(mediator)) == [territories["Lyon 8"]]
    assert permissions.can_see_territory(mediator, territories["Lyon 8"])
    assert not permissions.can_see_territory(mediator, territories["Lyon 9"])
    assert not permissions.can_see_territory(mediator, None)


def test_manager_sees_every_territory(territories):
    manager = StaffFactory(role=roles.MANAGER)
    assert set(permissions.visible_territories(manager)) == set(territories.values())
    assert permissions.can_see_territory(manager, None)


def test_residents_communication_and_anonymous_see_none(territories):
    from django.contrib.auth.models import AnonymousUser

    communication = StaffFactory(role=roles.COMMUNICATION)
    resident = UserFactory()
    for user in (communication, resident, AnonymousUser()):
        assert list(permissions.visible_territories(user)) == []


def test_restrict_filters_a_queryset_in_one_query(territories, django_assert_num_queries):
    ResidenceFactory(name="Albert Laurent", territory=territories["Lyon 8"])
    ResidenceFactory(name="Le Château", territory=territories["Lyon 9"])
    mediator = StaffFactory(role=roles.MEDIATOR, territories=[territories["Lyon 9"]])
    # The role check (Django caches the user's permissions: 2), the user's territories (1, then
    # cached on the user for the request), the residences (1).
    with django_assert_num_queries(4):
        names = [r.name for r in permissions.restrict_to_visible(Residence.objects.all(), mediator)]
        again = permissions.visible_territory_ids(mediator)
    assert names == ["Le Château"]
    assert again == {territories["Lyon 9"].pk}


def test_roles_receive_their_declared_permissions():
    mediator = StaffFactory(role=roles.MEDIATOR)
    manager = StaffFactory(role=roles.MANAGER)
    assert mediator.has_perm("wagtailadmin.access_admin")
    assert not mediator.has_perm("community.view_all_territories")
    assert manager.has_perm("community.view_all_territories")
