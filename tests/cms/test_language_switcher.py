"""The language switcher offers only the languages a page exists in."""

import pytest

from tests.factories import StaffFactory

pytestmark = pytest.mark.django_db


def test_pages_that_exist_in_french_only_offer_no_other_language(client, home_page):
    """The staff tools and the account pages live outside the language prefixes: a link to
    "English" there would lead back to the same French page."""
    client.force_login(StaffFactory())
    html = client.get("/equipe/").content.decode()
    assert "language-switcher" not in html
    login = client.get("/accounts/login/").content.decode()
    assert "language-switcher" not in login


def test_event_pages_offer_every_language(client, home_page):
    from tests.factories import EventFactory

    event = EventFactory()
    html = client.get(event.get_absolute_url()).content.decode()
    assert 'class="language-switcher"' in html
    assert f'href="/en{event.get_absolute_url()}"' in html
    assert f'href="/ar{event.get_absolute_url()}"' in html
