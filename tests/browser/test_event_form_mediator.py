"""At 1280 px: a mediator of one territory opens the admin, starts a new event from the home,
finds their territory already chosen, sees the working-group field only for a working-group
meeting, publishes with the visible "Publier" button and opens the event on the site. No axe
violation on the way."""

import datetime as dt

from django.conf import settings
from django.test import Client
from django.utils import timezone

import pytest
from playwright.sync_api import expect

from community import roles
from events.models import Event
from tests import factories
from tests.support.browser import assert_no_axe_violations

pytestmark = pytest.mark.django_db(transaction=True)


def _sign_in(context, live_server, user):
    client = Client()
    client.force_login(user)
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )


def test_a_mediator_creates_and_publishes_an_event(browser, live_server, territories):
    lyon8 = territories["Lyon 8"]
    factories.EventFactory(
        territory=lyon8, title="Café des Tilleuls", start=timezone.now() + dt.timedelta(days=2)
    )
    mediator = factories.StaffFactory(role=roles.MEDIATOR, territories=[lyon8])
    context = browser.new_context(
        viewport={"width": 1280, "height": 900},
        locale="fr-FR",
        base_url=live_server.url,
        reduced_motion="reduce",
    )
    _sign_in(context, live_server, mediator)
    page = context.new_page()
    page.set_default_timeout(20_000)

    # The admin home: the coming events and a way to add one.
    page.goto("/admin/")
    expect(page.get_by_role("heading", name="Mes prochains événements")).to_be_visible()
    expect(page.get_by_role("link", name="Café des Tilleuls", exact=True)).to_be_visible()
    assert_no_axe_violations(page)
    page.get_by_role("link", name="Nouvel événement").first.click()
    page.wait_for_url("**/admin/snippets/events/event/add/")

    # Their only territory is chosen; the kind decides which fields show.
    expect(page.locator("#id_territory")).to_have_value(str(lyon8.pk))
    expect(page.get_by_text("Ajouter un(e)")).to_have_count(0)
    expect(page.locator("[data-event-kinds=working_group]")).to_be_hidden()
    expect(page.locator("[data-event-kinds=mediation_day_session]")).to_be_hidden()
    page.select_option("#id_kind", "working_group")
    expect(page.locator("[data-event-kinds=working_group]")).to_be_visible()
    expect(page.locator("[data-event-kinds=mediation_day_session]")).to_be_hidden()
    page.select_option("#id_kind", "cafe_mediation")
    expect(page.locator("[data-event-kinds=working_group]")).to_be_hidden()
    # The rich-text editor is named by its field's label, like every other field.
    assert_no_axe_violations(page)

    page.fill("#id_title", "Café des voisins")
    page.fill("#id_venue_name", "Maison de quartier")
    page.fill("#id_start", "2027-01-10 18:00")
    page.fill("#id_end", "2027-01-10 20:00")
    # The date picker opens on focus and covers the buttons: leave the field as a person would
    # (the title field takes the focus) and wait until no picker shows.
    page.keyboard.press("Escape")
    page.click("#id_title")
    expect(page.locator(".xdsoft_datetimepicker:visible")).to_have_count(0)
    publish = page.get_by_role("button", name="Publier", exact=True)
    expect(publish).to_be_visible()
    publish.click()

    # Published: said in French, with "Voir sur le site".
    expect(page.get_by_text("L'événement « Café des voisins » est publié.")).to_be_visible()
    # Autosave's draft and the click make one event (the create view is idempotent per form).
    event = Event.objects.get(title="Café des voisins")
    assert event.live
    assert event.territory_id == lyon8.pk
    listing = page.locator("main")
    rows = listing.locator("tbody tr").all_inner_texts()
    assert rows[0].strip().startswith("Café des Tilleuls"), rows  # soonest first
    assert_no_axe_violations(page)
    page.get_by_role("link", name="Voir sur le site").click()
    expect(page.get_by_role("heading", name="Café des voisins")).to_be_visible()
    context.close()
