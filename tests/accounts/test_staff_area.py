"""Who counts as staff: every account that can reach /admin/ or /equipe/ (a superuser, Wagtail's
`access_admin`, or any role group), whatever its `is_staff` flag says. An account made in
Wagtail's Users screen is not `is_staff`; it gets two-factor, the idle expiry and its scope."""

import datetime as dt

from django.contrib.auth.models import Group, Permission
from django.utils import timezone

import pytest
import time_machine

from community import permissions, roles
from community.registries import retention
from tests.accounts.helpers import login, resident

pytestmark = pytest.mark.django_db

ACTIVATE_URL = "/accounts/2fa/totp/activate/"


def not_staff_in(role, **kwargs):
    """A user as Wagtail's Users screen makes them: in a role group, `is_staff` left False."""
    roles.sync_roles()
    user = resident(**kwargs)
    user.groups.add(Group.objects.get(name=role))
    assert not user.is_staff
    return user


@pytest.mark.parametrize("role", [roles.MANAGER, roles.MEDIATOR, roles.COMMUNICATION])
def test_a_role_member_without_is_staff_must_set_up_two_factor(client, settings, role):
    settings.STAFF_MFA_REQUIRED = True
    client.force_login(not_staff_in(role))
    for url in ("/admin/", "/equipe/"):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.headers["Location"].startswith(ACTIVATE_URL), url


def test_an_access_admin_holder_without_a_role_must_set_up_two_factor(client, settings):
    settings.STAFF_MFA_REQUIRED = True
    user = resident()
    user.user_permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    )
    client.force_login(user)
    assert client.get("/admin/").headers["Location"].startswith(ACTIVATE_URL)


def test_a_role_member_without_is_staff_gets_the_staff_idle_expiry(client, settings):
    settings.STAFF_SESSION_IDLE_SECONDS = 600
    user = not_staff_in(roles.MANAGER)
    start = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False) as clock:
        assert login(client, user.email).headers["Location"] == "/admin/"
        assert client.get("/admin/").status_code == 200
        assert client.session.get_expiry_age() == 600
        clock.shift(dt.timedelta(seconds=601))
        response = client.get("/admin/")
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/accounts/login/")


def test_a_mediator_without_is_staff_sees_their_territories(territories):
    user = not_staff_in(roles.MEDIATOR)
    user.territories.set([territories["Lyon 8"]])
    assert permissions.can_reach_staff_area(user)
    assert permissions.visible_territory_ids(user) == {territories["Lyon 8"].pk}
    assert not permissions.can_reach_staff_area(resident())


def test_the_inactive_account_rule_never_takes_a_manager_for_a_resident():
    long_ago = timezone.now() - dt.timedelta(days=5 * 365)
    manager = not_staff_in(roles.MANAGER)
    idle_resident = resident()
    type(manager).objects.filter(pk__in=[manager.pk, idle_resident.pk]).update(
        last_login=long_ago, date_joined=long_ago
    )
    assert retention.get("community.inactive_accounts").preview(timezone.now()) == 1
