import datetime as dt

from django.utils import timezone

import icalendar
import pytest
from playwright.sync_api import expect

from cms.models.agenda import AgendaPage
from events.models import AccessFeature, EventKind
from tests.factories import EventFactory, TerritoryFactory
from tests.support.browser import assert_no_axe_violations

pytestmark = pytest.mark.django_db(transaction=True)


def _day(days, hour=18):
    start = timezone.make_aware(
        dt.datetime.combine(timezone.localdate() + dt.timedelta(days=days), dt.time(hour))
    )
    return {"start": start, "end": start + dt.timedelta(hours=2)}


@pytest.fixture
def agenda(home_page):
    page = AgendaPage(
        title="Agenda", slug="agenda", intro="<p>Ce qui se passe près de chez vous.</p>"
    )
    home_page.add_child(instance=page)
    page.save_revision().publish()
    lyon8 = TerritoryFactory(name="Lyon 8", slug="lyon-8")
    lyon9 = TerritoryFactory(name="Lyon 9", slug="lyon-9")
    EventFactory(
        territory=lyon8,
        kind=EventKind.AWARENESS,
        title="Sensibilisation au tri à Albert Laurent",
        venue_name="Pied d'immeuble, résidence Albert Laurent",
        access_features=[AccessFeature.STEP_FREE],
        capacity=20,
        **_day(3),
    )
    EventFactory(
        territory=lyon8, kind=EventKind.CAFE_MEDIATION, title="Café Médiation États-Unis", **_day(4)
    )
    EventFactory(
        territory=lyon9, kind=EventKind.AWARENESS, title="Encombrants au Château", **_day(5)
    )
    return page


def test_resident_filters_opens_an_event_and_adds_it_to_a_calendar(page, agenda):
    page.goto("/agenda/")
    expect(page.locator("h1")).to_have_count(1)
    assert_no_axe_violations(page)

    page.get_by_label("Territoire").select_option(label="Lyon 8")
    page.get_by_label("Type d'événement").select_option(label="Action de sensibilisation")
    page.get_by_role("button", name="Filtrer").click()
    page.wait_for_url("**/agenda/?*territoire=lyon-8*")
    results = page.locator(".event-list")
    expect(results.get_by_text("Sensibilisation au tri à Albert Laurent")).to_have_count(1)
    expect(results.get_by_text("Café Médiation États-Unis")).to_have_count(0)
    expect(results.get_by_text("Encombrants au Château")).to_have_count(0)
    expect(page.get_by_label("Territoire")).to_have_value("lyon-8")
    assert_no_axe_violations(page)

    page.get_by_role("link", name="Sensibilisation au tri à Albert Laurent").click()
    expect(page.locator("h1")).to_have_text("Sensibilisation au tri à Albert Laurent")
    expect(page.get_by_text("20 places", exact=True)).to_have_count(1)
    assert_no_axe_violations(page)

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Ajouter à mon agenda").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".ics")
    with open(download.path(), "rb") as handle:
        calendar = icalendar.Calendar.from_ical(handle.read())
    (vevent,) = calendar.walk("VEVENT")
    assert str(vevent["SUMMARY"]) == "Sensibilisation au tri à Albert Laurent"
    assert calendar.walk("VTIMEZONE")[0]["TZID"] == "Europe/Paris"


def test_a_bad_filter_is_shown_as_not_applied(page, agenda):
    page.goto("/agenda/?territoire=atlantide&du=demain")
    expect(page.get_by_role("status").get_by_text("pas été appliqués")).to_have_count(1)
    expect(page.get_by_label("Territoire")).to_have_value("")
    expect(page.locator(".event-list > li")).to_have_count(3)
    assert_no_axe_violations(page)


def test_the_upcoming_events_block_renders_in_the_site_layout(page, agenda, settings):
    settings.ROOT_URLCONF = "tests.support.block_page_urls"
    response = page.goto("/test-bloc/")
    assert response.status == 200, page.content()[:3000]
    section = page.locator(".upcoming-events")
    expect(section.get_by_role("heading", name="Prochains rendez-vous")).to_have_count(1)
    expect(section.locator(".event-card")).to_have_count(3)
    assert (
        section.get_by_role("link", name="Voir tout l'agenda").get_attribute("href") == "/agenda/"
    )
    assert_no_axe_violations(page)
