"""Playwright on Debian's Chromium, and the axe-core accessibility check."""

from pathlib import Path

from playwright.sync_api import Error as PlaywrightError

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
AXE_SOURCE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def axe_violations(page) -> list[dict]:
    """Run axe-core on the page with the WCAG 2.1 A/AA rules; return the violations."""
    # Called right after a click, the next page may still be on its way: measure the page
    # the click led to, not the one it left (a navigation mid-run destroys axe's context).
    page.wait_for_load_state("load")
    try:
        return _run_axe(page)
    except PlaywrightError as error:
        if "context was destroyed" not in str(error):
            raise
        page.wait_for_load_state("load")
        return _run_axe(page)


def _run_axe(page) -> list[dict]:
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_SOURCE.read_text())
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        WCAG_TAGS,
    )
    return result["violations"]


def format_violations(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        targets = [", ".join(node["target"]) for node in violation["nodes"][:5]]
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']} -> {targets}")
    return "\n".join(lines)


def assert_no_axe_violations(page) -> None:
    violations = axe_violations(page)
    if violations and all(v["id"] == "color-contrast" for v in violations):
        # Contrast is measured on what is painted: an element still fading in (Wagtail's
        # messages and buttons animate) can read as too pale. Measure again once settled.
        page.wait_for_timeout(1000)
        violations = axe_violations(page)
    assert not violations, f"axe found violations on {page.url}:\n{format_violations(violations)}"


def open_menu(page) -> None:
    """On a phone the public menu (account links included) folds under its "Menu" button."""
    button = page.locator("summary.site-menu__button")
    if button.is_visible() and page.locator("details.site-menu[open]").count() == 0:
        button.click()
