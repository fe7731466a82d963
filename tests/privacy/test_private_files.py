"""Private files (imported spreadsheets, documents) live outside the public media folder, under
names that say nothing; documents are served by Wagtail's view, which checks the collection's
privacy; an import's file is deleted once applied, or by retention when abandoned."""

import datetime as dt
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from django.views.static import serve

from wagtail.documents import get_document_model
from wagtail.models import Collection, CollectionViewRestriction

import pytest

from community import roles
from community.models import ImportJob
from community.registries import retention
from tests import factories
from tests.accounts.helpers import resident

pytestmark = pytest.mark.django_db

CSV = "nom;territoire;bailleur;adresse;logements\nAlbert Laurent;Lyon 8;;Rue Albert Laurent;120\n"


def files_under(folder) -> list[Path]:
    folder = Path(folder)
    return [path for path in folder.rglob("*") if path.is_file()] if folder.exists() else []


def publicly_served(name: str) -> bool:
    """What a proxy serving MEDIA_ROOT at MEDIA_URL (the README's set-up) would answer."""
    try:
        serve(RequestFactory().get(settings.MEDIA_URL + name), name, settings.MEDIA_ROOT)
    except Http404:
        return False
    return True


@pytest.fixture
def manager(client, territories):
    user = factories.StaffFactory(email="direction@exemple.fr", role=roles.MANAGER)
    client.force_login(user)
    return user


def upload(client, name="locataires-referents-mermoz.csv") -> ImportJob:
    response = client.post(
        reverse("community_import:upload"),
        {"kind": "residences", "file": SimpleUploadedFile(name, CSV.encode())},
    )
    assert response.status_code == 302
    return ImportJob.objects.get()


def test_an_imported_spreadsheet_is_private_and_deleted_once_applied(
    client, manager, django_capture_on_commit_callbacks
):
    job = upload(client)
    assert job.status == ImportJob.Status.PREVIEW
    # Stored, under a name that does not repeat the original one, outside the public folder.
    assert job.file and job.file.storage.exists(job.file.name)
    assert "mermoz" not in job.file.name and job.original_name.endswith("mermoz.csv")
    assert files_under(settings.MEDIA_ROOT) == []
    assert client.get(settings.MEDIA_URL + job.file.name).status_code == 404
    assert not publicly_served(job.file.name)
    stored = job.file.name
    storage = job.file.storage

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("community_import:import", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE
    assert not job.file
    assert not storage.exists(stored)
    assert files_under(settings.PRIVATE_MEDIA_ROOT) == []


def test_retention_deletes_abandoned_imports_and_their_files(
    client, manager, django_capture_on_commit_callbacks
):
    old = upload(client)
    ImportJob.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - dt.timedelta(days=settings.RETENTION_IMPORT_DAYS + 1)
    )
    fresh = ImportJob.objects.create(
        kind="residences", original_name="fresh.csv", created_by=manager, status="preview"
    )
    fresh.file.save("fresh.csv", ContentFile(CSV.encode()))
    stored = old.file.name
    rule = retention.get("community.import_files")
    assert rule.preview(timezone.now()) == 1

    with django_capture_on_commit_callbacks(execute=True):
        assert rule.run(timezone.now()) == 1
    assert not ImportJob.objects.filter(pk=old.pk).exists()
    assert not fresh.file.storage.exists(stored)
    assert ImportJob.objects.filter(pk=fresh.pk).exists() and fresh.file.storage.exists(
        fresh.file.name
    )
    assert rule.run(timezone.now()) == 0


def test_a_document_in_a_private_collection_is_served_to_permitted_users_only(client):
    root = Collection.get_first_root_node()
    private = root.add_child(name="Équipe")
    CollectionViewRestriction.objects.create(
        collection=private, restriction_type=CollectionViewRestriction.LOGIN
    )
    document = get_document_model().objects.create(
        title="Compte rendu", collection=private, file=ContentFile(b"secret", name="cr.txt")
    )
    assert files_under(settings.MEDIA_ROOT) == []
    assert not publicly_served(document.file.name)
    assert client.get(settings.MEDIA_URL + document.file.name).status_code == 404

    anonymous = client.get(document.url)
    assert anonymous.status_code == 302
    assert anonymous.headers["Location"].startswith("/accounts/login/")

    client.force_login(resident())
    response = client.get(document.url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"secret"


def test_the_proxy_can_send_a_permitted_document_with_x_accel_redirect(client, settings):
    from wagtail.utils import sendfile

    settings.PRIVATE_FILES_SENDFILE = "x-accel-redirect"
    settings.SENDFILE_BACKEND = "community.sendfile"
    sendfile._get_sendfile.clear()
    document = get_document_model().objects.create(
        title="Programme", file=ContentFile(b"programme", name="programme.txt")
    )
    try:
        response = client.get(document.url)
    finally:
        sendfile._get_sendfile.clear()
    assert response.status_code == 200
    assert response["X-Accel-Redirect"] == "/private-files/" + document.file.name
    assert response.content == b""


def test_an_agreement_document_is_filed_privately_and_served_to_its_territory_only(
    client, territories
):
    from community.activities import documents as agreement_documents
    from community.models import PartnershipAgreement

    # Uploaded into the open root collection, as the document chooser of any screen may.
    document = get_document_model().objects.create(
        title="Convention Mission Locale", file=ContentFile(b"signee", name="convention.txt")
    )
    agreement = PartnershipAgreement.objects.create(
        partner=factories.OrganisationFactory(name="Mission Locale"),
        kind=PartnershipAgreement.Kind.BILATERAL,
        title="Convention bilatérale",
        territory=territories["Lyon 8"],
        signed_on="2016-03-01",
        starts_on="2016-03-01",
        document=document,
    )
    private = agreement_documents.agreements_collection()
    document.refresh_from_db()
    assert document.collection == private
    assert CollectionViewRestriction.objects.get(collection=private).restriction_type == "groups"
    # Moved out from the Documents admin: put back.
    document.collection = Collection.get_first_root_node()
    document.save()
    document.refresh_from_db()
    assert document.collection == private
    assert not publicly_served(document.file.name)

    anonymous = client.get(document.url)
    assert anonymous.status_code == 302
    assert anonymous.headers["Location"].startswith("/accounts/login/")
    client.force_login(resident())
    assert client.get(document.url).status_code in (302, 403)
    client.force_login(
        factories.StaffFactory(email="m9@exemple.fr", territories=[territories["Lyon 9"]])
    )
    assert client.get(document.url).status_code == 403
    client.force_login(
        factories.StaffFactory(email="m8@exemple.fr", territories=[territories["Lyon 8"]])
    )
    response = client.get(document.url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"signee"
    # An agency-wide agreement's document: only for those who see every territory.
    PartnershipAgreement.objects.filter(pk=agreement.pk).update(territory=None)
    assert client.get(document.url).status_code == 403
    client.force_login(factories.StaffFactory(email="dir@exemple.fr", role=roles.MANAGER))
    assert client.get(document.url).status_code == 200
