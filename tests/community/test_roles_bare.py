"""The staff roles work on a bare install: a database with migrations only (no demo seed) gives
the Communication role what it needs to edit the site (pages, images, documents, collections)."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile

from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission, Page

import pytest
from PIL import Image as PILImage

from community import roles
from tests.accounts.helpers import staff

pytestmark = pytest.mark.django_db


def png() -> bytes:
    buffer = io.BytesIO()
    PILImage.new("RGB", (8, 8), "white").save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture
def communication(client):
    # Nothing but migrations ran: no seed_demo, no cms.demo.site builder.
    assert not Page.objects.filter(depth=2).exclude(content_type__model="page").exists()
    # What `migrate` gave the role (its post-migrate sync), before any test code runs.
    assert GroupPagePermission.objects.filter(group__name=roles.COMMUNICATION).exists()
    assert GroupCollectionPermission.objects.filter(group__name=roles.COMMUNICATION).exists()
    user = staff(role=roles.COMMUNICATION)
    client.force_login(user)
    return user


def test_communication_edits_and_adds_pages_on_a_bare_database(client, communication):
    welcome = Page.get_first_root_node().get_children().first()
    assert client.get(f"/admin/pages/{welcome.pk}/edit/").status_code == 200
    assert client.get(f"/admin/pages/add/cms/homepage/{welcome.pk}/").status_code == 200
    response = client.post(
        f"/admin/pages/{welcome.pk}/edit/",
        {"title": "Bienvenue à Vivre Ensemble", "slug": welcome.slug, "action-publish": "1"},
    )
    assert response.status_code == 302
    welcome.refresh_from_db()
    assert welcome.title == "Bienvenue à Vivre Ensemble" and welcome.live


def test_communication_uploads_images_and_documents_on_a_bare_database(client, communication):
    root = Collection.get_first_root_node()
    response = client.post(
        "/admin/images/add/",
        {
            "title": "Façade",
            "file": SimpleUploadedFile("facade.png", png(), content_type="image/png"),
            "collection": root.pk,
        },
    )
    assert response.status_code == 302, response.content.decode()[:500]
    assert get_image_model().objects.filter(title="Façade").count() == 1

    response = client.post(
        "/admin/documents/add/",
        {
            "title": "Programme",
            "file": SimpleUploadedFile("programme.pdf", b"%PDF-1.4\n", "application/pdf"),
            "collection": root.pk,
        },
    )
    assert response.status_code == 302, response.content.decode()[:500]
    assert get_document_model().objects.filter(title="Programme").count() == 1

    response = client.post(
        "/admin/collections/add/", {"name": "Journée de la médiation", "parent": root.pk}
    )
    assert response.status_code == 302
    assert Collection.objects.filter(name="Journée de la médiation").exists()
