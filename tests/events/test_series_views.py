"""The series' public page, the follower's page, the staff pages and the admin: outcomes,
territory scoping, and query counts constant in sessions, followers and topics."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone

import pytest

from events import tokens
from events.models import Event, SeriesFollow, Topic
from events.models.attendance import Attendance
from events.models.bookings import Registration
from events.series import rules as series
from tests.events.series_helpers import follower_contact, make_series
from tests.events.signup_helpers import emailed_link
from tests.factories import PersonFactory, StaffFactory

pytestmark = pytest.mark.django_db


def populate(cafe, sessions_back: int, followers: int, topics: int):
    """A series with past sessions (attendance, summaries, picked topics), followers and topics."""
    begin = timezone.now() - dt.timedelta(days=7 * sessions_back)
    cafe.start_date = timezone.localdate(begin)
    cafe.weekday = timezone.localdate(begin + dt.timedelta(days=1)).weekday()
    cafe.save()
    series.sync_series(cafe.pk, now=begin)
    for n in range(followers):
        series.follow(
            series_id=cafe.pk,
            contact=follower_contact(n + 100 * cafe.pk),
            age_band="60+",
            consent_text="ok",
        )
    past = list(Event.objects.filter(series_session__series=cafe, start__lte=timezone.now()))
    for event in past:
        series.publish_summary(event_id=event.pk, text=f"Compte rendu {event.pk}", now=event.end)
    for n in range(topics):
        topic = series.propose_topic(series_id=cafe.pk, person=PersonFactory(), text=f"Sujet {n}")
        series.moderate_topic(topic.pk, Topic.Status.APPROVED)
        if past:
            series.pick_topic(topic.pk, None)
            Topic.objects.filter(pk=topic.pk).update(session=past[n % len(past)])
        series.support_topic(topic_id=topic.pk, person=PersonFactory())


def test_follow_from_the_series_page(client, territories):
    cafe = make_series(territories["Lyon 8"])
    series.sync_series(cafe.pk)
    page = client.get(cafe.get_absolute_url())
    assert page.status_code == 200
    assert "Suivre ce cycle" in page.content.decode()
    bad = client.post(cafe.get_absolute_url(), {"first_name": "Hawa"})
    assert bad.status_code == 400
    assert not SeriesFollow.objects.exists()
    response = client.post(
        cafe.get_absolute_url(),
        {
            "first_name": "Hawa",
            "last_name": "Camara",
            "email": "hawa@exemple.fr",
            "age_band": "60+",
            "consent": "on",
        },
    )
    assert response.status_code == 302
    [followed] = SeriesFollow.objects.all()
    # The same answer for a new and a known follower, naming no one; the link is emailed.
    assert response["Location"] == reverse("events:received", args=["cycle", cafe.pk])
    assert "/cafes/suivi/" not in client.get(response["Location"]).content.decode()
    sessions = Event.objects.filter(series_session__series=cafe).count()
    assert Registration.objects.filter(person=followed.person).count() == sessions
    link = emailed_link("hawa@exemple.fr", "/cafes/suivi/")
    assert tokens.follow_from_token(link.rstrip("/").rsplit("/", 1)[1]) == followed
    follow_page = client.get(link)
    assert "Mon suivi" in follow_page.content.decode()


def test_follower_proposes_supports_and_is_refused_twice(client, territories):
    cafe = make_series(territories["Lyon 8"])
    followed = series.follow(
        series_id=cafe.pk, contact=follower_contact(1), age_band="60+", consent_text="ok"
    )
    other = series.propose_topic(series_id=cafe.pk, person=PersonFactory(), text="Les poubelles")
    series.moderate_topic(other.pk, Topic.Status.APPROVED)
    token = tokens.follow_token(followed)
    too_long = client.post(f"/evenements/cafes/suivi/{token}/sujet/", {"text": "x" * 250})
    assert too_long.status_code == 400
    assert "200 caractères" in too_long.content.decode()
    empty = client.post(f"/evenements/cafes/suivi/{token}/sujet/", {"text": ""})
    assert empty.status_code == 400
    client.post(f"/evenements/cafes/suivi/{token}/sujet/", {"text": "Le bruit le soir"})
    assert Topic.objects.get(text="Le bruit le soir").status == Topic.Status.PENDING
    client.post(f"/evenements/cafes/suivi/{token}/soutenir/{other.pk}/")
    again = client.post(f"/evenements/cafes/suivi/{token}/soutenir/{other.pk}/", follow=True)
    assert "Vous soutenez déjà ce sujet." in again.content.decode()
    assert other.supports.count() == 1
    public = client.get(cafe.get_absolute_url()).content.decode()
    assert "Les poubelles" in public and "Le bruit le soir" not in public  # moderated first


def test_tampered_follow_link(client, territories):
    cafe = make_series(territories["Lyon 8"])
    followed = series.follow(
        series_id=cafe.pk, contact=follower_contact(1), age_band="60+", consent_text="ok"
    )
    token = tokens.follow_token(followed) + "x"
    assert client.get(f"/evenements/cafes/suivi/{token}/").status_code == 400
    assert client.post(f"/evenements/cafes/suivi/{token}/arreter/").status_code == 400
    assert SeriesFollow.objects.get().stopped_at is None


def test_mediator_moderates_picks_and_publishes_a_summary(client, territories):
    cafe = make_series(territories["Lyon 8"])
    populate(cafe, sessions_back=2, followers=1, topics=0)
    topic = series.propose_topic(series_id=cafe.pk, person=PersonFactory(), text="Jardin partagé")
    mediator = StaffFactory(territories=[territories["Lyon 8"]])
    client.force_login(mediator)
    url = f"/equipe/cafes/{cafe.pk}/"
    page = client.get(url).content.decode()
    assert "Jardin partagé" in page and "Voisin" in page
    client.post(f"{url}sujets/{topic.pk}/", {"status": "approved"})
    upcoming = Event.objects.filter(series_session__series=cafe, start__gt=timezone.now()).first()
    client.post(f"{url}sujets/{topic.pk}/", {"session": str(upcoming.pk)})
    topic.refresh_from_db()
    assert (topic.status, topic.session_id) == ("approved", upcoming.pk)
    past = Event.objects.filter(series_session__series=cafe, start__lte=timezone.now()).first()
    summary_url = f"/equipe/evenements/{past.pk}/compte-rendu/"
    assert client.post(summary_url, {"text": ""}).status_code == 400
    response = client.post(summary_url, {"text": "Douze voisins, trois idées."})
    assert response.status_code == 302
    assert "Douze voisins, trois idées." in client.get(past.get_absolute_url()).content.decode()
    # Another territory's mediator gets 404 everywhere.
    client.force_login(StaffFactory(territories=[territories["Lyon 9"]]))
    assert client.get(url).status_code == 404
    assert client.get(summary_url).status_code == 404
    assert client.post(f"{url}sujets/{topic.pk}/", {"status": "rejected"}).status_code == 404


@pytest.mark.parametrize("size", [1, 4])
def test_series_page_queries_are_constant(client, territories, size, django_assert_num_queries):
    cafe = make_series(territories["Lyon 8"])
    populate(cafe, sessions_back=size, followers=size, topics=size * 2)
    client.get(cafe.get_absolute_url())  # warm the site's settings caches
    with django_assert_num_queries(SERIES_PAGE_QUERIES):
        response = client.get(cafe.get_absolute_url())
    assert response.status_code == 200
    assert f"Sujet {size * 2 - 1}" in response.content.decode()


# the series, its sessions (with seats, summaries), their picked topics, the topics with their
# supports, the follower count, and the layout's settings and menus
SERIES_PAGE_QUERIES = 8


@pytest.mark.parametrize("size", [1, 4])
def test_staff_series_page_queries_are_constant(
    client, territories, size, django_assert_num_queries
):
    cafe = make_series(territories["Lyon 8"])
    populate(cafe, sessions_back=size, followers=size, topics=size * 2)
    for registration in Registration.objects.filter(event__start__lte=timezone.now()):
        Attendance.objects.create(registration=registration, status=Attendance.Status.ATTENDED)
    client.force_login(StaffFactory(territories=[territories["Lyon 8"]]))
    url = f"/equipe/cafes/{cafe.pk}/"
    client.get(url)
    with django_assert_num_queries(STAFF_SERIES_QUERIES):
        response = client.get(url)
    assert response.status_code == 200


STAFF_SERIES_QUERIES = 9


@pytest.mark.parametrize("size", [1, 4])
def test_admin_listing_queries_are_constant(client, territories, size, django_assert_num_queries):
    for n in range(size):
        cafe = make_series(territories["Lyon 8"], title=f"Café {n}")
        populate(cafe, sessions_back=1, followers=size, topics=size)
    make_series(territories["Lyon 9"], title="Café de Lyon 9")
    client.force_login(StaffFactory(territories=[territories["Lyon 8"]]))
    url = "/admin/snippets/events/cafeseries/"
    client.get(url)
    with django_assert_num_queries(ADMIN_LIST_QUERIES):
        response = client.get(url)
    body = response.content.decode()
    assert response.status_code == 200
    assert f"Café {size - 1}" in body and "Café de Lyon 9" not in body


ADMIN_LIST_QUERIES = 13


def test_a_family_follows_a_series_and_every_session_seats_them_all(client, territories, settings):
    """The follow form takes companions as the one-off sign-up does (a child needs the
    guardian's accord); the follow keeps them and each session's registration seats the whole
    family, sessions generated later too."""
    settings.EVENTS_SERIES_HORIZON_MONTHS = 1
    cafe = make_series(territories["Lyon 8"], capacity=10)
    series.sync_series(cafe.pk)
    family = {
        "first_name": "Hawa",
        "last_name": "Camara",
        "email": "hawa@exemple.fr",
        "age_band": "25-59",
        "consent": "on",
        "other_first_name_1": "Moussa",
        "other_age_band_1": "0-14",
    }
    # "+ Ajouter une personne" opens a second block, keeping what was typed.
    more = client.post(cafe.get_absolute_url(), {**family, "add_companion": "1"})
    page = more.content.decode()
    assert 'name="other_first_name_2"' in page and 'value="Moussa"' in page
    assert not SeriesFollow.objects.exists()

    refused = client.post(cafe.get_absolute_url(), family)
    assert refused.status_code == 400
    assert "responsable légal" in refused.content.decode()
    assert not SeriesFollow.objects.exists()

    response = client.post(
        cafe.get_absolute_url(),
        {
            **family,
            "guardian_consent": "on",
            "other_first_name_2": "Awa",
            "other_age_band_2": "15-24",
        },
    )
    assert response.status_code == 302
    [followed] = SeriesFollow.objects.all()
    assert followed.guardian_consent
    assert [(c["first_name"], c["age_band"]) for c in followed.companions] == [
        ("Moussa", "0-14"),
        ("Awa", "15-24"),
    ]
    registrations = Registration.objects.filter(person=followed.person)
    assert registrations.count() == Event.objects.filter(series_session__series=cafe).count()
    for registration in registrations:
        assert registration.seats == 3
        assert sorted(registration.participants.values_list("first_name", flat=True)) == [
            "Awa",
            "Hawa",
            "Moussa",
        ]
    before = registrations.count()
    settings.EVENTS_SERIES_HORIZON_MONTHS = 3
    created = series.sync_series(cafe.pk).created
    assert created > 0
    seats = list(registrations.values_list("seats", flat=True))
    assert len(seats) == before + created and set(seats) == {3}
