"""Uploads that are not images, are huge, or are decompression bombs are refused with a
message, and nothing is stored."""

import io
import struct
import zipfile
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile

from wagtail.images.models import Image

import pytest
from PIL import Image as PILImage

from community import roles
from community.models import ImportJob
from tests import factories

pytestmark = pytest.mark.django_db


def png(width=20, height=20) -> bytes:
    buffer = io.BytesIO()
    PILImage.new("RGB", (width, height), "white").save(buffer, "PNG")
    return buffer.getvalue()


def bomb(width=60_000, height=60_000) -> bytes:
    """A tiny PNG whose header announces 3.6 billion pixels."""
    data = bytearray(png(1, 1))
    ihdr = struct.pack(">II", width, height) + bytes(data[24:29])
    data[16:29] = ihdr
    data[29:33] = struct.pack(">I", zlib.crc32(b"IHDR" + ihdr) & 0xFFFFFFFF)
    return bytes(data)


@pytest.fixture
def editor(client, db):
    user = factories.UserFactory(email="admin@exemple.fr", is_staff=True, is_superuser=True)
    client.force_login(user)
    return user


def upload_image(client, name, content):
    return client.post(
        "/admin/images/add/",
        {"title": "Photo", "file": SimpleUploadedFile(name, content), "collection": 1},
    )


def test_a_real_image_is_accepted(client, editor):
    response = upload_image(client, "photo.png", png())
    assert response.status_code == 302
    assert Image.objects.count() == 1


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("photo.jpg", b"<?php echo 'not an image'; ?>", "pas une image"),
        ("script.svg", b"<svg onload=alert(1)></svg>", "pas une image"),
        ("bombe.png", bomb(), "pixels"),
    ],
    ids=["not-an-image", "svg-script", "decompression-bomb"],
)
def test_hostile_images_are_refused_with_a_message(client, editor, name, content, message):
    response = upload_image(client, name, content)
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors["file"])
    assert message in errors, errors
    assert Image.objects.count() == 0


def test_a_huge_image_is_refused(client, editor, settings):
    settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE = 1000
    response = upload_image(client, "grande.png", png(400, 400) + b"\0" * 2000)
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors["file"])
    assert "volumineux" in errors or "trop" in errors, errors
    assert Image.objects.count() == 0


@pytest.fixture
def importer(client, territories):
    user = factories.StaffFactory(
        email="mediatrice8@exemple.fr", role=roles.MEDIATOR, territories=[territories["Lyon 8"]]
    )
    client.force_login(user)
    return user


def zip_bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * (150 * 1024 * 1024))
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("residences.csv", b"\x81\x8d\x8f\x90\x9d" * 10, "pas du texte"),
        ("residences.xlsx", b"PK not really a zip", "ne peut pas"),
        ("residences.xlsx", zip_bomb(), "trop gros"),
        ("residences.exe", b"MZ", ".csv ou .xlsx"),
    ],
    ids=["binary-csv", "broken-xlsx", "zip-bomb", "wrong-kind"],
)
def test_spreadsheet_uploads_that_are_not_spreadsheets_are_refused(
    client, importer, name, content, message
):
    response = client.post(
        "/admin/community/import/",
        {"kind": "residences", "file": SimpleUploadedFile(name, content)},
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert ImportJob.objects.count() == 0


def test_a_huge_spreadsheet_is_refused(client, importer, settings):
    settings.COMMUNITY_IMPORT_MAX_BYTES = 1000
    response = client.post(
        "/admin/community/import/",
        {"kind": "residences", "file": SimpleUploadedFile("r.csv", b"nom;territoire\n" * 200)},
    )
    assert response.status_code == 200
    assert "trop gros" in response.content.decode()
    assert ImportJob.objects.count() == 0
