import datetime as dt

from django.utils import timezone

import pytest

from community.models import Organisation
from events.models import Audience, EventKind
from events.models.bookings import Registration
from tests.factories import EventFactory, OrganisationFactory, StaffFactory

pytestmark = pytest.mark.django_db


def _soon(days, hour=18):
    day = timezone.localdate() + dt.timedelta(days=days)
    start = timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))
    return {"start": start, "end": start + dt.timedelta(hours=2)}


def test_agenda_lists_upcoming_published_events_only(client, agenda_page, territories):
    upcoming = EventFactory(territory=territories["Lyon 8"], title="À venir", **_soon(3))
    EventFactory(territory=territories["Lyon 8"], title="Brouillon secret", live=False, **_soon(4))
    past = EventFactory(territory=territories["Lyon 8"], title="Déjà passé", **_soon(-5))
    html = client.get("/agenda/").content.decode()
    assert upcoming.title in html
    assert "Brouillon secret" not in html
    assert past.title not in html
    archive = client.get("/agenda/?archives=1").content.decode()
    assert past.title in archive
    assert upcoming.title not in archive
    assert html.count("<h1") == 1


def test_agenda_filters_by_territory_kind_audience_and_dates(client, agenda_page, territories):
    lyon8 = EventFactory(
        territory=territories["Lyon 8"], title="Tri Lyon 8", kind=EventKind.AWARENESS, **_soon(3)
    )
    EventFactory(
        territory=territories["Lyon 9"], title="Tri Lyon 9", kind=EventKind.AWARENESS, **_soon(3)
    )
    EventFactory(
        territory=territories["Lyon 8"],
        title="Café Lyon 8",
        kind=EventKind.CAFE_MEDIATION,
        **_soon(3),
    )
    seniors = EventFactory(
        territory=territories["Lyon 8"],
        title="Goûter des aînés",
        audience=Audience.SENIORS,
        **_soon(20),
    )
    html = client.get("/agenda/?territoire=lyon-8&type=awareness").content.decode()
    assert lyon8.title in html
    assert "Tri Lyon 9" not in html and "Café Lyon 8" not in html
    assert "Goûter des aînés" in client.get("/agenda/?public=seniors").content.decode()
    assert "Tri Lyon 8" not in client.get("/agenda/?public=seniors").content.decode()
    later = (timezone.localdate() + dt.timedelta(days=10)).isoformat()
    html = client.get(f"/agenda/?du={later}").content.decode()
    assert seniors.title in html and lyon8.title not in html
    html = client.get(f"/agenda/?au={later}").content.decode()
    assert seniors.title not in html and lyon8.title in html


@pytest.mark.parametrize(
    "query",
    [
        "territoire=atlantide",
        "type=karaoke",
        "public=martiens",
        "du=31/02/2026",
        "du=demain",
        "au=2026-13-45",
        "au=9999-12-31",
        "du=9999-12-31",
        "du=0001-01-01",
        "page=abc",
        "page=9999",
        "territoire=lyon-8&type=<script>",
    ],
)
def test_bad_filters_are_ignored_and_shown_as_not_applied(client, agenda_page, territories, query):
    event = EventFactory(territory=territories["Lyon 8"], **_soon(3))
    response = client.get(f"/agenda/?{query}")
    assert response.status_code == 200
    html = response.content.decode()
    if not query.startswith("page="):
        assert "pas été appliqué" in html
    assert event.title in html
    assert "<script>" not in html.split("<main", 1)[1]


def test_agenda_paginates(client, agenda_page, territories):
    for day in range(25):
        EventFactory(territory=territories["Lyon 8"], **_soon(day + 1))
    first = client.get("/agenda/").content.decode()
    assert "Page 1 sur 2" in first
    assert "25 événements" in first
    assert first.count('class="event-card"') == 20
    # The number of events comes with a page's own rows: a page past the end shows the last
    # one, and a filter that matches nothing says so.
    for query in ("page=2", "page=99", "page=0", "page=99999999999999999999999"):
        html = client.get(f"/agenda/?{query}").content.decode()
        assert "Page 2 sur 2" in html and "25 événements" in html
        assert html.count('class="event-card"') == 5
    later = (timezone.localdate() + dt.timedelta(days=400)).isoformat()
    empty = client.get(f"/agenda/?du={later}").content.decode()
    assert 'id="resultats">0 ' in empty and "Aucun événement à venir" in empty
    assert 'class="pagination"' not in empty


@pytest.mark.parametrize("count", [10, 300])
def test_agenda_cards_show_seats_left_in_a_fixed_number_of_narrow_queries(
    client, agenda_page, territories, count, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.events.signup_helpers import register

    kinds = list(EventKind.values)
    territory_list = list(territories.values())
    EventFactory.create_batch(count, territory=territory_list[0], kind=kinds[0], capacity=5)
    for i, event in enumerate(EventFactory.create_batch(3, **_soon(2))):
        event.territory = territory_list[i % 4]
        event.save()
    full = EventFactory(territory=territories["Lyon 8"], capacity=2, title="Plein", **_soon(1))
    register(full, bands=("25-59", "25-59"))
    almost = EventFactory(territory=territories["Lyon 8"], capacity=3, title="Presque", **_soon(1))
    register(almost, bands=("25-59", "60+"))
    for status, position in (
        (Registration.Status.WAITLISTED, 1),
        (Registration.Status.CANCELLED, None),
    ):
        extra = register(almost)  # counted only while confirmed
        Registration.objects.filter(pk=extra.pk).update(status=status, waitlist_position=position)
    EventFactory(territory=territories["Lyon 8"], capacity=None, title="Libre", **_soon(1))
    client.get("/agenda/")
    with django_assert_num_queries(AGENDA_QUERIES):
        assert client.get("/agenda/?territoire=lyon-8").status_code == 200
    with django_assert_num_queries(AGENDA_QUERIES), CaptureQueriesContext(connection) as ctx:
        html = client.get("/agenda/").content.decode()
    # The seats left and the number of matching events come with the page's events, in the one
    # query that lists them; the cards read only the columns they show.
    listing = [q["sql"] for q in ctx.captured_queries if 'FROM "events_event"' in q["sql"]]
    assert len(listing) == 1
    assert '"events_registration"' in listing[0]
    assert '"events_event"."description"' not in listing[0]
    assert '"community_residence"' not in listing[0]
    plein = html.split(">Plein<", 1)[1].split("</article>", 1)[0]
    assert "complet" in plein
    presque = html.split(">Presque<", 1)[1].split("</article>", 1)[0]
    assert "1 place restante" in presque
    assert "place" not in html.split(">Libre<", 1)[1].split("</article>", 1)[0]


def test_agenda_cards_escape_text_mark_cancelled_events_and_spell_out_acronyms(
    client, agenda_page, territories
):
    emh = territories["EMH"]
    emh.full_name = "Est Métropole Habitat"
    emh.save()
    EventFactory(
        territory=emh,
        title="Atelier <b>tri</b> & co",
        venue_name='L\'Atelier "du coin"',
        summary="",
        cancelled_at=timezone.now(),
        **_soon(2, hour=14),
    )
    html = client.get("/agenda/").content.decode()
    card = html.split('<article class="event-card event-card--cancelled">', 1)[1]
    card = card.split("</article>", 1)[0]
    assert (
        '<span class="badge badge--cancelled">Annulé</span> <span lang="fr">Atelier &lt;b&gt;tri&lt;/b&gt; &amp; co</span></a>'
        in card
    )
    assert '<abbr title="Est Métropole Habitat">EMH</abbr>' in card
    assert "L&#x27;Atelier &quot;du coin&quot;" in card
    assert "14\u00a0h\u00a000" in card
    assert "place" not in card  # a cancelled event shows no seats


# site, page (2), its privacy settings and its ancestors', territories, the page's events
# with their seats and their number, the layout's site settings and menus, the active locale
# and the page's translations
AGENDA_QUERIES = 10


def test_agenda_address_and_privacy_follow_the_page_tree(client, agenda_page, home_page):
    """The home page remembers what kind of page each address under it leads to, and the
    privacy check reads the page and its ancestors at once: an address follows a renamed page,
    another kind of page may take the old one, and a private page (itself, under a private
    ancestor, or through an alias of it) stays private."""
    from wagtail.models import PageViewRestriction

    from cms.models import StandardPage

    assert client.get("/agenda/").status_code == 200
    agenda_page.slug = "agenda-du-quartier"
    agenda_page.save_revision().publish()
    assert client.get("/agenda/").status_code == 404
    assert client.get("/agenda-du-quartier/").status_code == 200
    home_page.add_child(instance=StandardPage(title="Une autre page", slug="agenda"))
    assert "Une autre page" in client.get("/agenda/").content.decode()

    PageViewRestriction.objects.create(
        page=agenda_page, restriction_type=PageViewRestriction.PASSWORD, password="secret-123"
    )
    agenda_page.create_alias(update_slug="agenda-bis")
    for address in ("/agenda-du-quartier/", "/agenda-bis/"):
        html = client.get(address).content.decode()
        assert 'name="password"' in html and "event-list" not in html
    PageViewRestriction.objects.create(page=home_page, restriction_type=PageViewRestriction.LOGIN)
    for address in ("/", "/agenda/"):
        assert client.get(address).status_code == 302


@pytest.mark.parametrize("people", [0, 20])
def test_event_page_query_count_does_not_grow_with_partners_and_organisers(
    client, territories, people, django_assert_num_queries
):
    event = EventFactory(territory=territories["Lyon 8"], capacity=12)
    if people:
        event.partners.set(OrganisationFactory.create_batch(people))
        event.organisers.set(
            [StaffFactory(territories=[territories["Lyon 8"]]) for _ in range(people)]
        )
    url = event.get_absolute_url()
    client.get(url)
    with django_assert_num_queries(EVENT_PAGE_QUERIES):
        response = client.get(url)
    html = response.content.decode()
    assert "12 places" in html
    assert Organisation.objects.count() >= people


# the event with its seats left, its organisers, its partners, and the layout's settings and menus
EVENT_PAGE_QUERIES = 6


def test_event_page_shows_french_dates_venue_access_and_people(client, territories):
    organiser = StaffFactory(
        first_name="Hibaaq", last_name="Médiatrice", territories=[territories["Lyon 8"]]
    )
    partner = OrganisationFactory(name="GLH")
    paris = dt.timezone(dt.timedelta(hours=1))
    event = EventFactory(
        territory=territories["Lyon 8"],
        title="Café Médiation États-Unis",
        start=dt.datetime(2026, 12, 3, 18, 0, tzinfo=paris),
        end=dt.datetime(2026, 12, 3, 20, 0, tzinfo=paris),
        venue_name="Salle des États-Unis",
        access_features=["step_free", "hearing_loop"],
        access_notes="Tram T4, arrêt États-Unis.",
        capacity=20,
    )
    event.organisers.set([organiser])
    event.partners.set([partner])
    html = client.get(event.get_absolute_url()).content.decode()
    assert "jeudi 3 décembre 2026" in html
    assert "de 18\u00a0h\u00a000 à 20\u00a0h\u00a000" in html
    assert "Salle des États-Unis" in html
    assert "Boucle magnétique" in html
    assert "Tram T4" in html
    assert "Hibaaq Médiatrice" in html
    assert "GLH" in html
    assert "20 places" in html
    assert "Ajouter à mon agenda" in html
    assert 'class="event__registration"' in html


def test_event_urls_are_stable_and_404_when_unknown_or_unpublished(client, territories):
    event = EventFactory(territory=territories["Lyon 8"], title="Atelier tri")
    assert client.get(f"/evenements/{event.pk}-atelier-tri/").status_code == 200
    event.title = "Atelier tri sélectif"
    event.save()
    old = client.get(f"/evenements/{event.pk}-atelier-tri/")
    assert old.status_code == 301
    assert old["Location"] == f"/evenements/{event.pk}-atelier-tri-selectif/"
    assert client.get(f"/evenements/{event.pk}/").status_code == 301
    assert client.get("/evenements/999999-rien/").status_code == 404
    assert client.get("/evenements/999999.ics").status_code == 404
    draft = EventFactory(territory=territories["Lyon 8"], live=False)
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert client.get(draft.get_ics_url()).status_code == 404


def test_agenda_offers_webcal_subscriptions(client, agenda_page, territories):
    html = client.get("/agenda/?territoire=lyon-9").content.decode()
    assert 'href="webcal://testserver/evenements/calendrier.ics"' in html
    assert 'href="webcal://testserver/evenements/calendrier/lyon-9.ics"' in html
