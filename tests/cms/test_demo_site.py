import pytest

from cms.models import (
    FormPage,
    MissionPage,
    ServicePage,
    TerritoryPage,
)
from community import roles

pytestmark = pytest.mark.django_db


def test_communication_staff_can_edit_pages(client, demo_site):
    from tests.factories import StaffFactory

    user = StaffFactory(role=roles.COMMUNICATION)
    client.force_login(user)
    mission = MissionPage.objects.first()
    assert client.get(f"/admin/pages/{mission.pk}/edit/").status_code == 200
    assert client.get("/admin/snippets/cms/testimonial/").status_code == 200


def test_admin_edit_screens_render(admin_client, demo_site):

    for page in [
        demo_site,
        ServicePage.objects.first(),
        TerritoryPage.objects.first(),
        FormPage.objects.first(),
    ]:
        assert admin_client.get(f"/admin/pages/{page.pk}/edit/").status_code == 200
    assert admin_client.get("/admin/settings/cms/navigationsettings/").status_code in (200, 302)
    assert admin_client.get("/admin/settings/cms/agencysettings/").status_code in (200, 302)
    response = admin_client.get("/admin/snippets/cms/testimonial/", {"q": "Hibaaq"})
    assert response.status_code == 200
    assert "Hibaaq" in response.content.decode() and "Quentin" not in response.content.decode()
