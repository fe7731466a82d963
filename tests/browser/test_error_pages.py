"""The French error pages (400, 403, the CSRF 403, 413, 414, 500) in Chromium at 360 px: no
axe violation (WCAG 2.1 A/AA), one h1, no sideways scrolling. Each page is produced as a
visitor would meet it, then shown on the live server's origin so its stylesheet applies."""

from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse

import pytest
from playwright.sync_api import expect

from tests.factories import UserFactory
from tests.support.browser import assert_no_axe_violations

pytestmark = pytest.mark.django_db(transaction=True)


def error_pages(home_page) -> dict[str, str]:
    client = Client()
    subscribe = reverse("cms:newsletter_subscribe")
    pages = {
        "400": client.get("/", HTTP_HOST="hote_invalide!"),
        "413": client.post(subscribe, {"email": "a@exemple.fr", "texte": "a" * (3 << 20)}),
        "403 CSRF": Client(enforce_csrf_checks=True).post(subscribe, {"email": "a@exemple.fr"}),
    }
    client.force_login(UserFactory())
    pages["403"] = client.get(reverse("staff:home"))
    statuses = {name: response.status_code for name, response in pages.items()}
    assert statuses == {"400": 400, "413": 413, "403 CSRF": 403, "403": 403}
    html = {name: response.content.decode() for name, response in pages.items()}
    html["414"] = render_to_string("414.html")
    html["500"] = render_to_string("500.html")
    return html


def test_error_pages_are_accessible_on_a_phone(page, home_page):
    for name, html in error_pages(home_page).items():
        page.goto("/robots.txt")  # the live server's origin: /static/ resolves
        page.set_content(html)
        expect(page.locator("h1"), name).to_have_count(1)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= page.viewport_size["width"], f"{name} scrolls sideways ({width}px)"
        assert_no_axe_violations(page)
