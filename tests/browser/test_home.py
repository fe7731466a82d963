import pytest
from playwright.sync_api import expect

from tests.support.browser import assert_no_axe_violations

pytestmark = pytest.mark.django_db(transaction=True)


def test_home_page_has_no_axe_violations_at_both_widths(sized_page, home_page):
    response = sized_page.goto("/")
    assert response.status == 200
    expect(sized_page.locator("html")).to_have_attribute("lang", "fr")
    expect(sized_page.locator("h1")).to_have_count(1)
    assert_no_axe_violations(sized_page)


def test_skip_link_is_the_first_stop_and_reaches_the_content(page, home_page):
    page.goto("/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Aller au contenu"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "contenu"


def test_upcoming_events_block_renders_on_the_home_page(page, home_page, territories):
    from tests.factories import EventFactory

    EventFactory(title="Café médiation États-Unis", territory=territories["Lyon 8"])
    page.goto("/")
    section = page.get_by_role("region", name="Prochains événements")
    expect(section.get_by_role("link", name="Café médiation États-Unis")).to_be_visible()
    assert_no_axe_violations(page)
