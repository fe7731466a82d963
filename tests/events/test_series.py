"""Café Médiation series: recurrence across the clock changes, editing, following, "I can't
come", topics and summaries — on rows and messages."""

import datetime as dt
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.utils import timezone

import pytest

from events import recurrence
from events.models import CafeSeries, Event, SeriesFollow, SeriesSession, SurveyAnswer, Topic
from events.models.bookings import Registration
from events.models.outbox import OutboxMessage
from events.series import rules as series
from events.signup import rules as signup
from tests.events.series_helpers import follower_contact, make_series
from tests.events.signup_helpers import register
from tests.factories import EventFactory, PersonFactory

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")
UTC = dt.UTC


def test_recurrence_across_both_clock_changes_with_exclusions_and_extra_dates(
    territories, settings
):
    """Every other Tuesday 14:00-16:00 from March to November 2026: the clocks go forward on
    29 March and back on 25 October; sessions stay at 14:00 in Paris, their UTC time moves."""
    settings.EVENTS_SERIES_HORIZON_MONTHS = 12
    cafe = make_series(
        territories["Lyon 8"],
        interval=2,
        weekday=1,
        start_date=dt.date(2026, 3, 17),
        end_date=dt.date(2026, 11, 10),
        excluded_dates=["2026-08-04", "2026-08-18"],
        extra_dates=["2026-07-02"],
    )
    result = series.sync_series(cafe.pk, now=dt.datetime(2026, 3, 1, tzinfo=UTC))
    events = list(Event.objects.filter(series_session__series=cafe).order_by("start"))
    days = [timezone.localtime(e.start).date().isoformat() for e in events]
    assert days == [
        "2026-03-17",
        "2026-03-31",
        "2026-04-14",
        "2026-04-28",
        "2026-05-12",
        "2026-05-26",
        "2026-06-09",
        "2026-06-23",
        "2026-07-02",
        "2026-07-07",
        "2026-07-21",
        "2026-09-01",
        "2026-09-15",
        "2026-09-29",
        "2026-10-13",
        "2026-10-27",
        "2026-11-10",
    ]
    assert result.created == len(days) == 17
    for event in events:
        local = event.start.astimezone(PARIS)
        assert (local.hour, local.minute) == (14, 0)
        assert event.end.astimezone(PARIS).hour == 16
    utc_hours = {
        e.start.astimezone(UTC).date().isoformat(): e.start.astimezone(UTC).hour for e in events
    }
    assert utc_hours["2026-03-17"] == 13  # winter time, UTC+1
    assert utc_hours["2026-03-31"] == 12  # summer time from 29 March, UTC+2
    assert utc_hours["2026-10-13"] == 12
    assert utc_hours["2026-10-27"] == 13  # winter time again from 25 October
    assert utc_hours["2026-11-10"] == 13
    # A second run changes nothing.
    again = series.sync_series(cafe.pk, now=dt.datetime(2026, 3, 1, tzinfo=UTC))
    assert (again.created, again.updated, again.moved, again.cancelled) == (0, 0, 0, 0)


def test_monthly_second_tuesday():
    rule = recurrence.Rule(
        frequency=recurrence.MONTHLY, weekday=1, month_week=2, start=dt.date(2026, 1, 1)
    )
    days = recurrence.dates(rule, dt.date(2026, 1, 1), dt.date(2026, 4, 30))
    assert days == [
        dt.date(2026, 1, 13),
        dt.date(2026, 2, 10),
        dt.date(2026, 3, 10),
        dt.date(2026, 4, 14),
    ]


def test_horizon_limits_generation(territories, settings):
    settings.EVENTS_SERIES_HORIZON_MONTHS = 3
    cafe = make_series(territories["Lyon 8"])
    series.sync_series(cafe.pk)
    starts = list(Event.objects.filter(series_session__series=cafe).values_list("start", flat=True))
    assert 12 <= len(starts) <= 14
    assert max(starts).date() <= timezone.localdate() + dt.timedelta(days=93)


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"frequency": "", "extra_dates": []}, "frequency", "aucune séance"),
        ({"end_date": dt.date(2020, 1, 1)}, "end_date", "ne peut pas précéder"),
        ({"end_time": dt.time(13)}, "end_time", "doit suivre"),
        ({"excluded_dates": ["2026-12-25"]}, "excluded_dates", "ne sont pas des dates du cycle"),
    ],
)
def test_bad_series_input_is_refused_on_the_field(territories, values, field, message):
    base = {
        "weekday": 1,
        "start_date": dt.date(2026, 12, 1),
        "end_date": dt.date(2027, 3, 1),
    }
    with pytest.raises(ValidationError) as excinfo:
        make_series(territories["Lyon 8"], **{**base, **values})
    assert message in " ".join(excinfo.value.message_dict[field])
    assert not CafeSeries.objects.exists()


def test_editing_moves_only_future_sessions_and_tells_their_registrants(territories):
    now = timezone.now()
    three_weeks_ago = now - dt.timedelta(days=21)
    cafe = make_series(
        territories["Lyon 8"],
        start_date=timezone.localdate(three_weeks_ago),
        weekday=timezone.localdate(three_weeks_ago + dt.timedelta(days=1)).weekday(),
    )
    series.sync_series(cafe.pk, now=three_weeks_ago)
    past = list(Event.objects.filter(series_session__series=cafe, start__lte=now))
    future = list(Event.objects.filter(series_session__series=cafe, start__gt=now))
    assert len(past) == 3 and future
    past_starts = {e.pk: e.start for e in past}
    followed = series.follow(
        series_id=cafe.pk, contact=follower_contact(1), age_band="60+", consent_text="ok"
    )
    registered = Registration.objects.filter(person=followed.person)
    assert registered.count() == len(future)

    cafe.start_time, cafe.end_time = dt.time(15), dt.time(17)
    cafe.venue_name = "Maison de quartier"
    cafe.save()
    result = series.sync_series(cafe.pk)

    assert result.updated == len(future)
    for event in Event.objects.filter(pk__in=past_starts):
        assert event.start == past_starts[event.pk]  # the past never changes
        assert event.venue_name == "Salle associative des États-Unis"
    for event in Event.objects.filter(pk__in=[e.pk for e in future]):
        assert timezone.localtime(event.start).hour == 15
        assert event.venue_name == "Maison de quartier"
    changed = OutboxMessage.objects.filter(kind=OutboxMessage.Kind.CHANGED)
    assert changed.count() == len(future)
    assert set(changed.values_list("to_email", flat=True)) == {"voisin1@exemple.fr"}
    # Running it again tells nobody twice.
    series.sync_series(cafe.pk)
    assert changed.count() == len(future)


def test_changing_the_weekday_moves_sessions_and_keeps_registrations(territories):
    cafe = make_series(territories["Lyon 8"])
    series.sync_series(cafe.pk)
    followed = series.follow(
        series_id=cafe.pk, contact=follower_contact(1), age_band="60+", consent_text="ok"
    )
    before = Registration.objects.filter(person=followed.person).count()
    cafe.weekday = (cafe.weekday + 1) % 7
    cafe.save()
    result = series.sync_series(cafe.pk)
    assert result.moved >= before - 1
    assert Registration.objects.live().filter(person=followed.person).count() >= before - 1
    for event in Event.objects.filter(series_session__series=cafe, cancelled_at__isnull=True):
        assert timezone.localtime(event.start).weekday() == cafe.weekday


def test_a_follower_is_registered_on_new_sessions_as_they_are_generated(territories, settings):
    settings.EVENTS_SERIES_HORIZON_MONTHS = 1
    cafe = make_series(territories["Lyon 8"], capacity=1)
    series.sync_series(cafe.pk)
    first = series.follow(
        series_id=cafe.pk, contact=follower_contact(1), age_band="60+", consent_text="ok"
    )
    second = series.follow(
        series_id=cafe.pk, contact=follower_contact(2), age_band="25-59", consent_text="ok"
    )
    sessions = SeriesSession.objects.filter(series=cafe).count()
    assert Registration.objects.confirmed().filter(person=first.person).count() == sessions
    assert Registration.objects.waitlisted().filter(person=second.person).count() == sessions

    settings.EVENTS_SERIES_HORIZON_MONTHS = 3
    result = series.sync_series(cafe.pk)
    assert result.created > 0
    assert result.signed_up == 2 * result.created
    total = SeriesSession.objects.filter(series=cafe).count()
    assert Registration.objects.confirmed().filter(person=first.person).count() == total
    assert Registration.objects.waitlisted().filter(person=second.person).count() == total
    # Following again changes nothing.
    assert (
        series.follow(
            series_id=cafe.pk, contact=follower_contact(1), age_band="60+", consent_text="ok"
        ).pk
        == first.pk
    )
    assert Registration.objects.filter(person=first.person).count() == total


def test_cant_come_frees_exactly_that_seat_and_promotes_the_waitlist(client, territories):
    cafe = make_series(territories["Lyon 8"], capacity=1)
    series.sync_series(cafe.pk)
    first = series.follow(
        series_id=cafe.pk, contact=follower_contact(1), age_band="60+", consent_text="ok"
    )
    second = series.follow(
        series_id=cafe.pk, contact=follower_contact(2), age_band="60+", consent_text="ok"
    )
    mine = list(
        Registration.objects.filter(person=first.person)
        .select_related("booking")
        .order_by("event__start")
    )
    target = mine[1]
    url = signup.tokens.cant_come_url(target)
    assert client.get(url).status_code == 200
    assert Registration.objects.get(pk=target.pk).status == Registration.Status.CONFIRMED
    response = client.post(url, follow=True)
    assert response.status_code == 200
    assert "Votre place est libérée" in response.content.decode()
    statuses = {r.event_id: r.status for r in Registration.objects.filter(person=first.person)}
    assert statuses[target.event_id] == Registration.Status.CANCELLED
    assert sum(s == Registration.Status.CONFIRMED for s in statuses.values()) == len(mine) - 1
    promoted = Registration.objects.get(person=second.person, event_id=target.event_id)
    assert promoted.status == Registration.Status.CONFIRMED
    assert Registration.objects.waitlisted().filter(person=second.person).count() == len(mine) - 1
    assert OutboxMessage.objects.filter(kind="promoted", registration=promoted).count() == 1
    # The follower stays a follower, and is not signed up again to that session.
    series.sync_series(cafe.pk)
    assert Registration.objects.get(pk=target.pk).status == Registration.Status.CANCELLED
    assert SeriesFollow.objects.get(pk=first.pk).stopped_at is None


def test_a_tampered_cant_come_link_changes_nothing(client, territories):
    cafe = make_series(territories["Lyon 8"])
    series.sync_series(cafe.pk)
    followed = series.follow(
        series_id=cafe.pk, contact=follower_contact(1), age_band="60+", consent_text="ok"
    )
    registration = Registration.objects.filter(person=followed.person).first()
    url = signup.tokens.cant_come_url(registration).replace("/inscriptions/", "/inscriptions/x")
    response = client.post(url)
    assert response.status_code == 400
    assert "Ce lien n'est pas valable" in response.content.decode()
    assert Registration.objects.get(pk=registration.pk).status == Registration.Status.CONFIRMED


def test_reminder_carries_the_cant_come_link(territories, settings):
    from django.core import mail

    from events.outbox import delivery

    cafe = make_series(territories["Lyon 8"], start_date=timezone.localdate())
    series.sync_series(cafe.pk)
    followed = series.follow(
        series_id=cafe.pk, contact=follower_contact(1), age_band="60+", consent_text="ok"
    )
    first_event = Event.objects.filter(series_session__series=cafe).order_by("start").first()
    signup.send_reminders(now=first_event.start - dt.timedelta(hours=24))
    delivery.send_due()
    [reminder] = [m for m in mail.outbox if m.subject.startswith("Rappel")]
    assert reminder.to == ["voisin1@exemple.fr"]
    registration = Registration.objects.get(person=followed.person, event=first_event)
    assert signup.tokens.cant_come_url(registration) in reminder.body


def test_stop_following_cancels_coming_registrations(territories):
    cafe = make_series(territories["Lyon 8"])
    series.sync_series(cafe.pk)
    followed = series.follow(
        series_id=cafe.pk, contact=follower_contact(1), age_band="60+", consent_text="ok"
    )
    sessions = Registration.objects.live().filter(person=followed.person)
    assert sessions.exists()
    assert {r.booking.follow_id for r in sessions.select_related("booking")} == {followed.pk}
    # The person's own sign-up for another café is theirs, not the follow's: it stays.
    own = Registration.objects.get(
        pk=register(EventFactory(territory=territories["Lyon 8"]), person=followed.person).pk
    )
    series.stop_following(followed.pk)
    assert list(Registration.objects.live().filter(person=followed.person)) == [own]
    result = series.sync_series(cafe.pk)
    assert result.signed_up == 0


def test_topics_moderated_supported_once_and_refused_when_empty_or_too_long(territories):
    cafe = make_series(territories["Lyon 8"])
    alice, bob = PersonFactory(), PersonFactory()
    with pytest.raises(series.SeriesError, match="Écrivez"):
        series.propose_topic(series_id=cafe.pk, person=alice, text="   ")
    with pytest.raises(series.SeriesError, match="200 caractères"):
        series.propose_topic(series_id=cafe.pk, person=alice, text="x" * 201)
    topic = series.propose_topic(series_id=cafe.pk, person=alice, text="Le bruit dans les halls")
    assert topic.status == Topic.Status.PENDING
    with pytest.raises(series.SeriesError, match="pas ouvert"):
        series.support_topic(topic_id=topic.pk, person=bob)
    series.moderate_topic(topic.pk, Topic.Status.APPROVED)
    series.support_topic(topic_id=topic.pk, person=bob)
    with pytest.raises(series.SeriesError, match="déjà"):
        series.support_topic(topic_id=topic.pk, person=bob)
    assert topic.supports.count() == 1


def test_summary_is_published_after_the_session_only(territories):
    cafe = make_series(territories["Lyon 8"])
    series.sync_series(cafe.pk)
    event = Event.objects.filter(series_session__series=cafe).first()
    with pytest.raises(series.SeriesError, match="après la séance"):
        series.publish_summary(event_id=event.pk, text="Compte rendu")
    with pytest.raises(series.SeriesError, match="Écrivez"):
        series.publish_summary(event_id=event.pk, text=" ", now=event.end)
    series.publish_summary(event_id=event.pk, text="On a parlé du bruit.", now=event.end)
    assert event.session_summary.text == "On a parlé du bruit."


def test_personal_data_export_and_erase_cover_follows_topics_supports_and_answers(territories):
    from community.registries import personal_data
    from events.attendance import surveys

    cafe = make_series(territories["Lyon 8"])
    series.sync_series(cafe.pk)
    followed = series.follow(
        series_id=cafe.pk,
        contact=follower_contact(1),
        age_band="60+",
        consent_text="ok",
        companions=[signup.ParticipantData("Awa", "15-24")],
    )
    person = followed.person
    mine = series.propose_topic(series_id=cafe.pk, person=person, text="Mon sujet")
    pending = series.propose_topic(series_id=cafe.pk, person=person, text="Pas encore lu")
    series.moderate_topic(mine.pk, Topic.Status.APPROVED)
    other = series.propose_topic(series_id=cafe.pk, person=PersonFactory(), text="Autre")
    series.moderate_topic(other.pk, Topic.Status.APPROVED)
    series.support_topic(topic_id=other.pk, person=person)
    registration = Registration.objects.filter(person=person).first()
    surveys.answer(registration_id=registration.pk, rating=4, comment="Bien")

    data = personal_data.export(person)["events.series"]
    assert data["follows"][0]["series"] == cafe.title
    assert data["follows"][0]["companions"] == [{"first_name": "Awa", "age_band": "15-24"}]
    assert {t["text"] for t in data["topics"]} == {"Mon sujet", "Pas encore lu"}
    assert data["supports"] == ["Autre"]
    assert data["survey_answers"] == [{"event": cafe.title, "rating": 4, "comment": "Bien"}]

    personal_data.erase(person)
    followed.refresh_from_db()
    assert followed.companions == [{"first_name": "", "age_band": "15-24"}]
    assert not Topic.objects.filter(pk=pending.pk).exists()
    assert Topic.objects.get(pk=mine.pk).person is None
    assert not other.supports.exists()
    answer = SurveyAnswer.objects.get()
    assert (answer.rating, answer.comment, answer.registration) == (4, "", None)
