"""The layout's site and settings kept per process (cms/layout_cache.py): fewer queries per page,
and an edit shows at once in this process and within LAYOUT_CACHE_SECONDS in the others."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

import pytest

from cms import layout_cache
from cms.models import AgencySettings, NavigationSettings

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def empty_cache():
    layout_cache.clear()
    yield
    layout_cache.clear()


def queries_for(client, path):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(path).status_code == 200
    return len(ctx.captured_queries)


def test_a_warm_process_serves_pages_without_layout_queries(client, home_page, settings):
    settings.LAYOUT_CACHE_SECONDS = 0
    client.get("/")
    without = queries_for(client, "/")
    settings.LAYOUT_CACHE_SECONDS = 30
    client.get("/")  # fills the cache
    client.get("/")
    with_cache = queries_for(client, "/")
    # the site and the page it roots, the two settings rows, and the page's translations that
    # its kept language links read
    assert without - with_cache == 5


def test_an_edit_shows_at_once_in_the_process_that_saved_it(client, home_page, settings):
    settings.LAYOUT_CACHE_SECONDS = 30
    client.get("/")
    assert "Association Vivre Ensemble Test" not in client.get("/").content.decode()
    agency = AgencySettings.objects.get()
    agency.name = "Association Vivre Ensemble Test"
    agency.save()
    assert "Association Vivre Ensemble Test" in client.get("/").content.decode()


def test_a_renamed_menu_page_shows_once_published(client, demo_site, settings):
    settings.LAYOUT_CACHE_SECONDS = 30
    navigation = NavigationSettings.objects.get()
    link = next(block for block in navigation.main_menu if block.value["page"])
    page = link.value["page"].specific
    client.get("/")
    page.title = "Agenda des quartiers"
    page.save_revision().publish()
    html = client.get("/").content.decode()
    if not link.value["label"]:
        assert "Agenda des quartiers" in html
    assert page.url in html


def test_an_edit_made_by_another_process_shows_after_the_delay(
    client, home_page, settings, monkeypatch
):
    settings.LAYOUT_CACHE_SECONDS = 30
    clock = [1000.0]
    monkeypatch.setattr(layout_cache.time, "monotonic", lambda: clock[0])
    client.get("/")  # the first page ever served creates the settings rows (a save: cleared)
    client.get("/")
    AgencySettings.objects.update(name="Nom changé ailleurs")  # no signal: another process
    assert "Nom changé ailleurs" not in client.get("/").content.decode()
    clock[0] += 31
    assert "Nom changé ailleurs" in client.get("/").content.decode()


def test_the_admin_edits_the_database_row_not_the_copy(home_page, settings, rf):
    settings.LAYOUT_CACHE_SECONDS = 30
    site = home_page.get_site()
    request = rf.get("/", HTTP_HOST=site.hostname, SERVER_PORT=site.port)
    rendered = AgencySettings.for_request(request)
    AgencySettings.objects.update(name="Modifié")
    assert AgencySettings.for_site(site).name == "Modifié"  # what the edit view reads
    assert rendered.name != "Modifié"


def test_a_flood_of_host_names_cannot_grow_the_cache(rf, home_page, settings):
    settings.LAYOUT_CACHE_SECONDS = 30
    for n in range(layout_cache.MAX_ENTRIES * 2):
        layout_cache.site_for_request(rf.get("/", HTTP_HOST=f"h{n}.example.org"))
    assert len(layout_cache._entries) <= layout_cache.MAX_ENTRIES


def _without_tokens(response) -> str:
    import re

    return re.sub(r'value="[^"]{20,}"', 'value=""', response.content.decode())


def test_kept_layout_pieces_render_as_fresh_ones_for_each_address_and_visitor(
    client, home_page, settings
):
    """The menus, footer and language links kept per process (cms.templatetags.layout) are the
    ones a fresh rendering gives, address by address and language by language; a signed-in
    visitor gets their own account links, never an anonymous visitor's, and the reverse."""
    from wagtail.models import Locale

    from tests.factories import EventFactory, UserFactory

    english = home_page.copy_for_translation(Locale.objects.create(language_code="en"))
    english.save_revision().publish()
    event = EventFactory(capacity=5)
    paths = [
        "/",
        "/en/",
        "/agenda/",
        "/ar/agenda/",
        event.get_absolute_url(),
        f"/en/evenements/{event.pk}/inscription/",
        "/recherche/?q=atelier",
    ]
    settings.LAYOUT_CACHE_SECONDS = 0
    fresh = {path: _without_tokens(client.get(path)) for path in paths}
    settings.LAYOUT_CACHE_SECONDS = 30
    for path in paths:
        client.get(path)
    kept = {path: _without_tokens(client.get(path)) for path in paths}
    for path in paths:
        assert kept[path] == fresh[path], path
    # each address its own menu: the current page is marked on its own address only
    assert 'href="/recherche/" aria-current="page"' in kept["/recherche/?q=atelier"]
    assert 'href="/recherche/" aria-current="page"' not in kept["/agenda/"]

    client.force_login(UserFactory())
    signed_in = client.get("/agenda/").content.decode()
    assert "Se déconnecter" in signed_in and "Se connecter<" not in signed_in
    client.logout()
    anonymous = client.get("/agenda/").content.decode()
    assert "Se déconnecter" not in anonymous and "Se connecter<" in anonymous
