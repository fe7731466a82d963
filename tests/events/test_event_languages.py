"""An event's title and summary in English and Arabic where the editor wrote them (the event's
admin form), shown on the /en/ and /ar/ pages; otherwise the French text, marked lang="fr"."""

import re

import pytest

from events.models import Event
from tests.factories import EventFactory

pytestmark = pytest.mark.django_db


def blocks(html: str, text: str) -> set[str]:
    """The lang attributes of the elements whose own text is `text`."""
    found = re.findall(rf"<(?:span|p|a)\b([^>]*)>{re.escape(text)}</", html)
    return {(re.search(r'\blang="(\w*)"', attrs) or [None, None])[1] for attrs in found}


def test_an_event_shows_its_translated_title_and_summary_in_each_language(
    client, territories, home_page
):
    event = EventFactory(
        title="Café médiation des Étroits",
        summary="Un moment pour parler du quartier.",
        title_en="Mediation café at Les Étroits",
        summary_en="A time to talk about the neighbourhood.",
        title_ar="مقهى الوساطة في ليزيتروا",
        summary_ar="لحظة للحديث عن الحي.",
    )
    untranslated = EventFactory(title="Atelier cuisine", summary="Cuisiner ensemble.")
    # The French addresses (a request leaves its language active in this thread).
    event_path, untranslated_path = event.get_absolute_url(), untranslated.get_absolute_url()
    for language, title, summary in [
        ("en", event.title_en, event.summary_en),
        ("ar", event.title_ar, event.summary_ar),
    ]:
        for path in (event_path, "/agenda/", f"/evenements/{event.pk}/inscription/"):
            html = client.get(f"/{language}{path}").content.decode()
            assert blocks(html, title) == {language}, (language, path)
            assert event.title not in html.split("</head>")[1], (language, path)
        html = client.get(f"/{language}{event_path}").content.decode()
        assert blocks(html, summary) == {language}
        # Nothing written in this language: the French text, marked French.
        html = client.get(f"/{language}/agenda/").content.decode()
        assert blocks(html, "Atelier cuisine") == {"fr"}
        assert blocks(html, "Cuisiner ensemble.") == {"fr"}
        assert client.get(f"/{language}{untranslated_path}").status_code == 200
    # The French pages keep the French text.
    html = client.get(event_path).content.decode()
    assert blocks(html, event.title) == {"fr"}
    assert event.title_en not in html


def test_the_event_admin_form_offers_the_translations():
    form_class = Event.get_edit_handler().get_form_class()
    assert {"title_en", "summary_en", "title_ar", "summary_ar"} <= set(form_class.base_fields)
