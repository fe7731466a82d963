"""One language per page, on a phone (360 × 740): French for everyone who does not choose
otherwise, whatever the browser's language; English and Arabic (right to left) for whoever picks
them in the switcher, with nothing French outside the blocks marked lang="fr" (content that
exists only in French, such as an event's title); 0 axe violations in each."""

import json
import re

import pytest

from events import queries
from events.models import CafeSeries
from tests.support.browser import assert_no_axe_violations, axe_violations, format_violations

pytestmark = pytest.mark.django_db(transaction=True)

ENGLISH_DATE = re.compile(
    r"\b(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|January|February|March|April"
    r"|June|July|August|September|October|November|December)\b"
)
# Words and letters no English sentence uses; Arabic pages have no Latin word at all.
FRENCH = re.compile(
    r"(?<!caf)[éèêàùçôîœ]|\b(le|la|les|des|du|et|vous|votre|vos|pour|avec|sur|une|aux|dans|est|nous)\b",
    re.IGNORECASE,
)
# STOP is the keyword the SMS provider answers to, the same in every language.
LATIN_WORD = re.compile(r"\b(?!STOP\b)[A-Za-zÀ-ÿ]{2,}")

# Every text a person reads or hears (text nodes, alternative texts, labels, placeholders,
# titles) in the page's language, i.e. except inside an element marked with another (lang="fr"
# on French content, each language's own name in the switcher), and except addresses (e-mail,
# phone, web).
TEXTS = """() => {
  const pageLanguage = document.documentElement.getAttribute('lang');
  const outsideFrench = node => {
    const el = node.nodeType === 1 ? node : node.parentElement;
    const marked = el && el.closest('[lang]');
    return marked.getAttribute('lang') === pageLanguage;
  };
  const texts = [];
  const walker = document.createTreeWalker(document.documentElement, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    // <title> cannot mark a part of itself: an event's French name may stand in it.
    if (['SCRIPT', 'STYLE', 'NOSCRIPT', 'TITLE'].includes(parent.tagName)) continue;
    if (node.textContent.trim() && outsideFrench(node)) texts.push(node.textContent.trim());
  }
  for (const el of document.querySelectorAll('[alt], [aria-label], [placeholder], [title]')) {
    if (!outsideFrench(el)) continue;
    for (const name of ['alt', 'aria-label', 'placeholder', 'title']) {
      const value = el.getAttribute(name);
      if (value && value.trim()) texts.push(value.trim());
    }
  }
  return texts.filter(t => !/@|https?:|^[+\\d\\s().:/-]+$/.test(t));
}"""


def out_of_place(page, pattern: re.Pattern) -> list[str]:
    return [text for text in page.evaluate(TEXTS) if pattern.search(text)]


@pytest.fixture
def demo(transactional_db):
    from cms.demo import site as cms_demo
    from community.demo import records as community_demo
    from events.demo import events as events_demo

    community_demo.seed("mot-de-passe-demo-1")
    events_demo.seed()
    events_demo.seed_series()
    return cms_demo.seed()


def language_journey(page, language: str, foreign: re.Pattern) -> None:
    """Home, agenda, a Café, an event and its sign-up form, the privacy page: each in
    `language`, with nothing outside lang="fr" blocks matching `foreign`."""
    event = queries.upcoming_events().filter(cancelled_at=None).exclude(series_session=None).first()
    cafe = CafeSeries.objects.first()
    prefix = f"/{language}"
    problems = {}
    for path in [
        "/",
        "/agenda/",
        cafe.get_absolute_url(),
        event.get_absolute_url(),
        f"/evenements/{event.pk}/inscription/",
        "/donnees-personnelles/",
    ]:
        page.goto(prefix + path)
        assert page.locator("html").get_attribute("lang") == language, path
        found = out_of_place(page, foreign)
        violations = axe_violations(page)
        if found or violations:
            problems[path] = (found, format_violations(violations))
    assert problems == {}, json.dumps(problems, ensure_ascii=False, indent=1)


def test_french_by_default_then_english_and_arabic_right_to_left(browser, live_server, demo):
    context = browser.new_context(
        viewport={"width": 360, "height": 740}, locale="en-US", base_url=live_server.url
    )
    page = context.new_page()
    page.set_default_timeout(15_000)

    # An English browser still gets the French site: no English date either.
    page.goto("/")
    assert page.locator("html").get_attribute("lang") == "fr"
    body = page.locator("body").inner_text()
    assert ENGLISH_DATE.findall(body) == []
    assert re.search(r"\b(décembre|janvier|lundi|mardi|mercredi|jeudi|vendredi)\b", body)
    assert_no_axe_violations(page)

    # The switcher offers the languages this page exists in.
    page.get_by_role("link", name="English").click()
    page.wait_for_url("**/en/")
    assert page.locator("link[rel=alternate][hreflang=ar]").count() == 1
    language_journey(page, "en", FRENCH)

    page.goto("/en/")
    page.get_by_role("link", name="العربية").click()
    page.wait_for_url("**/ar/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    # Right to left: the page title starts at the right edge of the screen.
    box = page.locator("h1").first.evaluate(
        "h => { const r = document.createRange(); r.selectNodeContents(h);"
        " const b = r.getBoundingClientRect(); return [b.left, b.right]; }"
    )
    assert box[1] > 360 - 40 and box[0] > 40, box
    language_journey(page, "ar", LATIN_WORD)
    context.close()
