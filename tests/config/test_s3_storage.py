"""Several machines share their media through S3-compatible storage (django-storages) when
S3_MEDIA_BUCKET is set: public images in a bucket anyone can read, private files (documents,
imported spreadsheets) in a private bucket no anonymous request can read, served by Django's
views after their permission checks. Tested against moto's S3 server on a free port."""

import io
import socket
import urllib.error
import urllib.request

from django.core.files.base import ContentFile
from django.urls import reverse

from wagtail.documents import get_document_model
from wagtail.images import get_image_model

import boto3
import pytest
from moto.server import ThreadedMotoServer
from PIL import Image as PILImage

from config.settings import base as base_settings

pytestmark = pytest.mark.django_db

KEYS = {"access_key": "test-key", "secret_key": "test-secret"}


@pytest.fixture
def s3():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    client = boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id=KEYS["access_key"],
        aws_secret_access_key=KEYS["secret_key"],
    )
    for bucket in ("media", "private"):
        client.create_bucket(Bucket=bucket)
    yield endpoint, client
    server.stop()


def anonymous_get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 -- a local test server
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, b""


def keys(client, bucket: str) -> list[str]:
    return [item["Key"] for item in client.list_objects_v2(Bucket=bucket).get("Contents", [])]


def test_images_and_private_files_on_s3_are_stored_read_back_and_private_stays_private(
    s3, settings, client
):
    endpoint, s3_client = s3
    settings.STORAGES = {
        **settings.STORAGES,
        **base_settings.s3_storages(
            endpoint_url=endpoint, media_bucket="media", private_bucket="private", **KEYS
        ),
    }
    buffer = io.BytesIO()
    PILImage.new("RGB", (8, 8), "white").save(buffer, "PNG")

    image = get_image_model().objects.create(
        title="Fête des voisins", file=ContentFile(buffer.getvalue(), name="fete.png")
    )
    document = get_document_model().objects.create(
        title="Compte rendu", file=ContentFile(b"%PDF-1.4 confidentiel", name="compte-rendu.pdf")
    )

    assert keys(s3_client, "media") == [image.file.name]
    assert keys(s3_client, "private") == [f"private/{document.file.name}"]
    assert image.file.storage.open(image.file.name).read() == buffer.getvalue()
    assert anonymous_get(image.file.url) == (200, buffer.getvalue())
    # Private: not readable by anyone without a signature, whatever URL they guess...
    assert anonymous_get(f"{endpoint}/private/private/{document.file.name}")[0] == 403
    assert anonymous_get(f"{endpoint}/media/{document.file.name}")[0] == 404
    # ...and served by Wagtail's view, which checks the collection's privacy, streamed by Django.
    response = client.get(reverse("wagtaildocs_serve", args=[document.pk, document.filename]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 confidentiel"
    assert list(settings.MEDIA_ROOT.rglob("*")) == []
    assert list(settings.PRIVATE_MEDIA_ROOT.rglob("*")) == []
