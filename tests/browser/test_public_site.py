"""Every page type of the demo site in Chromium, at 360 and 1280 px: no axe violation (WCAG 2.1
A/AA), every image has alt text, one h1; the main menu works with the keyboard."""

import pytest
from playwright.sync_api import expect

from tests.support.browser import assert_no_axe_violations

pytestmark = pytest.mark.django_db(transaction=True)

PAGE_TYPES = [
    "/",  # HomePage
    "/qui-sommes-nous/",  # StandardPage
    "/missions/",  # MissionIndexPage
    "/missions/gestion-des-conflits/",  # MissionPage
    "/prestations/",  # ServiceCatalogPage
    "/prestations/mediation-habitat/",  # ServicePage (with its request form)
    "/territoires/",  # TerritoryIndexPage
    "/territoires/lyon-8/",  # TerritoryPage
    "/contact/",  # FormPage (contact)
    "/nouveaux-arrivants/",  # FormPage (newcomer)
    "/donnees-personnelles/",  # PrivacyPage
    "/accessibilite/",  # AccessibilityStatementPage
    "/recherche/?q=m%C3%A9diation",  # search results
    "/nexiste-pas/",  # 404
]


@pytest.fixture
def demo(transactional_db):
    from cms.demo import site as demo
    from community.demo import records as community_demo

    community_demo.seed("mot-de-passe-demo-1")
    return demo.seed()


def test_every_page_type_is_accessible_at_both_widths(sized_page, demo):
    for path in PAGE_TYPES:
        response = sized_page.goto(path)
        assert response.status == (404 if path == "/nexiste-pas/" else 200), path
        expect(sized_page.locator("h1"), path).to_have_count(1)
        images = sized_page.locator("img")
        for n in range(images.count()):
            alt = images.nth(n).get_attribute("alt")
            assert alt is not None and alt.strip(), f"{path}: image without alt text"
        width = sized_page.evaluate("document.documentElement.scrollWidth")
        assert width <= sized_page.viewport_size["width"], f"{path} scrolls sideways ({width}px)"
        assert_no_axe_violations(sized_page)


def test_invalid_form_is_accessible_and_keeps_what_was_typed(page, demo):
    page.goto("/nouveaux-arrivants/")
    page.fill("#id_nom_et_prenom", "Jean Nouveau")
    page.fill("#id_adresse_electronique", "pas-une-adresse")
    page.get_by_role("button", name="Envoyer").click()
    page.wait_for_load_state()
    expect(page.locator("#id_nom_et_prenom")).to_have_value("Jean Nouveau")
    expect(page.get_by_text("Choisissez votre territoire.")).to_have_count(1)
    assert_no_axe_violations(page)


def test_main_menu_works_with_the_keyboard(sized_page, demo):
    sized_page.goto("/")
    sized_page.keyboard.press("Tab")
    assert sized_page.evaluate("document.activeElement.textContent.trim()") == "Aller au contenu"
    sized_page.keyboard.press("Tab")  # the site name
    languages = []
    for _ in range(3):  # the languages the home page exists in, before the menu
        sized_page.keyboard.press("Tab")
        languages.append(sized_page.evaluate("document.activeElement.textContent.trim()"))
    assert languages == ["Français", "English", "العربية"]
    if sized_page.viewport_size["width"] < 768:
        # On a phone the links fold under the "Menu" button: a key press opens it.
        sized_page.keyboard.press("Tab")
        assert sized_page.evaluate("document.activeElement.tagName") == "SUMMARY"
        height = sized_page.evaluate("document.activeElement.getBoundingClientRect().height")
        assert height >= 44
        sized_page.keyboard.press("Enter")
    labels = []
    for _ in range(11):
        sized_page.keyboard.press("Tab")
        labels.append(sized_page.evaluate("document.activeElement.textContent.trim()"))
        box = sized_page.evaluate(
            "(() => { const r = document.activeElement.getBoundingClientRect();"
            " return [r.right, r.height]; })()"
        )
        assert box[0] <= sized_page.viewport_size["width"] and box[1] >= 44, labels[-1]
    assert labels == [
        "Accueil",
        "Agenda",
        "Cafés",
        "Groupes",
        "La lettre",
        "Missions",
        "Territoires",
        "Prestations",
        "Qui sommes-nous",
        "Contact",
        "Rechercher",
    ]
    # Back to "Territoires" and follow it with Enter.
    for _ in range(4):
        sized_page.keyboard.press("Shift+Tab")
    assert sized_page.evaluate("document.activeElement.textContent.trim()") == "Territoires"
    sized_page.keyboard.press("Enter")
    sized_page.wait_for_url("**/territoires/")
    current = sized_page.locator('.site-nav a[aria-current="page"]')
    expect(current).to_have_text("Territoires")


def test_the_404_page_starts_with_a_skip_link_to_its_content(page, demo):
    response = page.goto("/nexiste-pas/")
    assert response.status == 404
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Aller au contenu"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "contenu"
    assert_no_axe_violations(page)
