"""The Nu HTML checker (vnu-jar from npm) reports no error on any public page of the demo."""

import json
import shutil
import subprocess
from pathlib import Path

from wagtail.models import Page

import pytest

from cms.models import FormPage

pytestmark = pytest.mark.django_db
VNU = (
    Path(__file__).resolve().parents[2] / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
)


def public_urls():
    urls = [p.url for p in Page.objects.live().public().specific() if p.depth > 1]
    return [*urls, "/recherche/?q=m%C3%A9diation", "/recherche/?q=zzz", "/nexiste-pas/"]


def test_every_public_page_is_valid_html(client, demo_site, tmp_path):
    java = shutil.which("java")
    assert java, "java is missing: `make test` installs a Java runtime"
    assert VNU.exists(), "vnu.jar is missing: `make test` installs the npm packages"
    urls = public_urls()
    # A form page with errors, as a resident who forgot fields sees it.
    newcomer = FormPage.objects.get(kind=FormPage.Kind.NEWCOMER)
    files = {}
    for n, url in enumerate(urls):
        response = client.get(url)
        assert response.status_code in (200, 404), url
        files[url] = tmp_path / f"page-{n}.html"
        files[url].write_bytes(response.content)
    invalid = client.post(newcomer.url, {"adresse_electronique": "pas-une-adresse"})
    files["POST " + newcomer.url] = tmp_path / "invalid-form.html"
    files["POST " + newcomer.url].write_bytes(invalid.content)
    assert len(urls) >= 25

    result = subprocess.run(
        [java, "-jar", str(VNU), "--errors-only", "--format", "json", *map(str, files.values())],
        capture_output=True,
        text=True,
        timeout=300,
    )
    by_file = {str(path): url for url, path in files.items()}
    messages = json.loads(result.stderr or result.stdout)["messages"]
    errors = [
        f"{by_file.get(m.get('url', '').removeprefix('file:'), m.get('url'))}: "
        f"line {m.get('lastLine')}: {m['message']}"
        for m in messages
        if m.get("type") == "error"
    ]
    assert not errors, "\n".join(errors)
