"""The event cards of a list (the agenda, the home page's and the blocks' upcoming events), written
in Python rather than by the template engine: a page of twenty cards cost about 5 ms of CPU as a
template (a few hundred variable look-ups, filters and translations per card), one string per
card here. Each day's texts are worked out once per language and process.

The HTML is what the template wrote (tests/events/test_agenda.py compares it): a card shows the
date, the title linked to the event's page ("Annulé" before it when cancelled), when, what kind,
where and for whom, the summary, and the seats left or "complet" where the listing computed them
(events.queries.cards)."""

import datetime as dt
import html
from collections.abc import Iterable
from functools import lru_cache

from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from community.formats import hour_text
from events.models import Audience, Event, EventKind


def escape(text) -> str:
    """Django's escape without its lazy-string wrapper (a third of the cards' time)."""
    return html.escape(str(text))


@lru_cache(maxsize=2048)
def _day_texts(day: dt.date, language: str) -> tuple[str, str]:
    """ "sam 14 mars" and "samedi 14 mars 2026" in `language` (the active one: a key only)."""
    return date_format(day, "D j M"), date_format(day, "l j F Y")


@lru_cache(maxsize=16)
def _words(language: str) -> dict:
    """The card's fixed words and labels in `language` (the active one: a key only), escaped
    once. Translations are written as {% translate %} writes them (not escaped)."""
    seats_full = _("complet : liste d'attente")
    return {
        "kinds": {value: escape(label) for value, label in EventKind.choices},
        "audiences": {value: escape(label) for value, label in Audience.choices},
        "cancelled": f'<span class="badge badge--cancelled">{_("Annulé")}</span> ',
        "full": f'<p class="event-card__seats"><strong>{seats_full}</strong></p>',
    }


def _territory(territory) -> str:
    # As community's `territoire` filter: an acronym (EMH) carries its full name.
    if territory is None:
        return ""
    if territory.full_name:
        return f'<abbr title="{escape(territory.full_name)}">{escape(territory.name)}</abbr>'
    return escape(territory.name)


def _seats(left, words: dict) -> str:
    if left == 0:
        return words["full"]
    if isinstance(left, int) and left > 0:
        text = ngettext("%(counter)s place restante", "%(counter)s places restantes", left)
        return f'<p class="event-card__seats">{text % {"counter": left}}</p>'
    return ""


def _detail_prefix() -> str:
    """What every event page's address starts with ("/evenements/", with the language's prefix
    where it has one): reversing once per list, not once per card, saves a third of the time."""
    sample = reverse("events:detail", kwargs={"pk": 1, "slug": "x"})
    if not sample.endswith("/1-x/"):  # the address's shape changed: Event.get_absolute_url
        return ""
    return sample[: -len("1-x/")]


def card(event: Event, language: str, prefix: str = "") -> str:
    """One card, as an <li> (HTML, escaped). `event` comes from events.queries.cards; `prefix`
    from _detail_prefix."""
    words = _words(language)
    url = f"{prefix}{event.pk}-{event.slug}/" if prefix else event.get_absolute_url()
    start = timezone.localtime(event.start)
    short_day, long_day = _day_texts(start.date(), language)
    cancelled = event.cancelled_at is not None
    kind = words["kinds"].get(event.kind) or escape(event.kind)
    audience = words["audiences"].get(event.audience) or escape(event.audience)
    summary = (
        f'<p lang="{event.summary_lang}">{escape(event.shown_summary)}</p>' if event.summary else ""
    )
    seats = "" if cancelled else _seats(getattr(event, "seats_left", None), words)
    return (
        "<li>\n"
        f'<article class="event-card{" event-card--cancelled" if cancelled else ""}">\n'
        f'  <p class="event-card__date"><time datetime="{start.isoformat()}">{short_day}</time></p>\n'
        '  <div class="event-card__body">\n'
        f'    <h3 class="event-card__title"><a href="{escape(url)}">'
        f"{words['cancelled'] if cancelled else ''}"
        f'<span lang="{event.title_lang}">{escape(event.shown_title)}</span></a></h3>\n'
        f'    <p class="event-card__meta">{long_day}, {hour_text(start)} · {kind} · '
        f'<span lang="fr">{_territory(event.territory)}</span></p>\n'
        f'    <p class="event-card__meta"><span lang="fr">{escape(event.venue_name)}</span> · '
        f"{audience}</p>\n"
        f"    {summary}\n"
        f"    {seats}\n"
        "  </div>\n"
        "</article>\n"
        "</li>"
    )


def cards_html(events: Iterable[Event]) -> SafeString:
    """The cards of `events`, one after the other."""
    language, prefix = get_language(), _detail_prefix()
    return mark_safe("".join(card(event, language, prefix) for event in events))  # noqa: S308 -- every value is escaped in card()
