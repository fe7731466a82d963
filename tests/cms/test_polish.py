"""The public header and the territory pages as a resident reads them on a phone: a menu button
that works without script, team phones written "04 72 52 23 80" as tappable links, and "EMH"
explained."""

import html
import re

import pytest

from cms.models import TerritoryPage

pytestmark = pytest.mark.django_db
NBSP = "\u00a0"


def test_menu_button_territory_phones_and_emh(client, demo_site):
    home = client.get("/").content.decode()
    menu = re.search(
        r'<details class="site-menu"[^>]*>\s*<summary[^>]*>(.*?)</summary>', home, re.S
    )
    assert menu and "Menu" in menu.group(1)
    assert 'aria-label="Menu principal"' in home

    lyon7 = TerritoryPage.objects.get(territory__slug="lyon-7")
    page = html.unescape(client.get(lyon7.url).content.decode())
    assert f'<a href="tel:+33472522380">04{NBSP}72{NBSP}52{NBSP}23{NBSP}80</a>' in page
    assert "+33472522380<" not in page

    index = html.unescape(client.get(lyon7.get_parent().url).content.decode())
    assert f'<a href="tel:+33472522383">04{NBSP}72{NBSP}52{NBSP}23{NBSP}83</a>' in index
    assert '<abbr title="Est Métropole Habitat">EMH</abbr>' in index
