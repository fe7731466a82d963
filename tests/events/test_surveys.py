"""Satisfaction surveys: sent once per attendee with an email, answered once through a signed
link, paper answers, results and indicators."""

import datetime as dt

from django.core import mail
from django.utils import timezone

import pytest

from community.registries import Period, indicators
from events.attendance import surveys
from events.models import Event, SurveyAnswer
from events.models.attendance import Attendance
from events.models.outbox import OutboxMessage
from events.outbox import delivery
from tests.events.signup_helpers import contact, register
from tests.factories import EventFactory, StaffFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def past_session(territories):
    """A session that ended yesterday afternoon, with two attendees with an email, one with only
    a phone, and one no-show."""
    end = timezone.now() - dt.timedelta(days=1)
    event = EventFactory(
        territory=territories["Lyon 8"], start=end - dt.timedelta(hours=2), end=end, capacity=10
    )
    regs = [
        register(
            event, contact=contact(email="hawa@exemple.fr"), now=event.start - dt.timedelta(days=2)
        ),
        register(
            event, contact=contact(email="karim@exemple.fr"), now=event.start - dt.timedelta(days=2)
        ),
        register(
            event,
            contact=contact(email="", phone="0612345678"),
            now=event.start - dt.timedelta(days=2),
        ),
        register(
            event,
            contact=contact(email="absent@exemple.fr"),
            now=event.start - dt.timedelta(days=2),
        ),
    ]
    for registration in regs[:3]:
        Attendance.objects.create(registration=registration, status=Attendance.Status.ATTENDED)
    Attendance.objects.create(registration=regs[3], status=Attendance.Status.NO_SHOW)
    return event, regs


def test_survey_emails_go_out_once_per_attendee_even_when_run_twice(past_session, settings):
    event, regs = past_session
    later = timezone.now() + dt.timedelta(days=1)
    assert surveys.send_surveys(now=later) == 2
    assert surveys.send_surveys(now=later) == 0
    delivery.send_due()
    delivery.send_due()
    sent = [m for m in mail.outbox if m.subject.startswith("Votre avis")]
    assert sorted(m.to[0] for m in sent) == ["hawa@exemple.fr", "karim@exemple.fr"]
    assert OutboxMessage.objects.filter(kind=OutboxMessage.Kind.SURVEY).count() == 2
    assert "/evenements/questionnaire/" in sent[0].body


def test_survey_waits_for_the_next_morning(past_session, settings):
    event, regs = past_session
    settings.EVENTS_SURVEY_DELAY_HOURS = 0
    settings.EVENTS_SURVEY_HOUR = 9
    due = surveys.due_at(event)
    assert timezone.localtime(due).hour == 9
    assert timezone.localtime(due).date() == timezone.localtime(event.end).date() + dt.timedelta(
        days=1
    )
    assert surveys.send_surveys(now=due - dt.timedelta(minutes=1)) == 0
    assert surveys.send_surveys(now=due) == 2


def test_answer_once_through_the_signed_link(client, past_session):
    event, regs = past_session
    url = surveys.survey_url(regs[0])
    page = client.get(url)
    assert page.status_code == 200 and "Votre avis" in page.content.decode()
    bad = client.post(url, {"rating": "7"})
    assert bad.status_code == 400
    assert "Choisissez une note de 1 à 5." in bad.content.decode()
    assert not SurveyAnswer.objects.exists()
    done = client.post(url, {"rating": "4", "comment": "Très convivial"})
    assert done.status_code == 200 and "Merci pour votre réponse" in done.content.decode()
    again = client.post(url, {"rating": "1", "comment": "changé"})
    assert again.status_code == 409
    assert "déjà répondu" in again.content.decode()
    [answer] = SurveyAnswer.objects.all()
    assert (answer.rating, answer.comment, answer.registration_id) == (
        4,
        "Très convivial",
        regs[0].pk,
    )


def test_a_tampered_survey_link_shows_a_french_page_and_changes_nothing(client, past_session):
    event, regs = past_session
    url = surveys.survey_url(regs[0])
    response = client.post(url[:-3] + "abc/", {"rating": "5"})
    assert response.status_code == 400
    assert "Ce lien n'est pas valable" in response.content.decode()
    assert not SurveyAnswer.objects.exists()


def test_rating_outside_1_to_5_is_refused_by_the_rule_and_the_database(past_session):
    from django.db import IntegrityError, transaction

    event, regs = past_session
    with pytest.raises(surveys.SurveyError):
        surveys.answer(registration_id=regs[0].pk, rating=0)
    with pytest.raises(surveys.SurveyError):
        surveys.enter_paper_answer(event_id=event.pk, rating="six")
    with pytest.raises(IntegrityError), transaction.atomic():
        SurveyAnswer.objects.create(event=event, rating=6)


def test_mediator_enters_paper_answers_and_sees_results(client, past_session, territories):
    event, regs = past_session
    mediator = StaffFactory(territories=[territories["Lyon 8"]])
    client.force_login(mediator)
    url = f"/equipe/evenements/{event.pk}/satisfaction/"
    assert client.post(url, {"rating": "9"}).status_code == 400
    response = client.post(url, {"rating": "5", "comment": "Papier"}, follow=True)
    assert response.status_code == 200
    surveys.answer(registration_id=regs[0].pk, rating=3)
    answer = SurveyAnswer.objects.get(source=SurveyAnswer.Source.PAPER)
    assert answer.entered_by == mediator
    results = client.get("/equipe/satisfaction/").content.decode()
    assert "Lyon 8\u00a0: 4,0 / 5" in results.replace("&nbsp;", "\u00a0")
    other = StaffFactory(territories=[territories["Lyon 9"]])
    client.force_login(other)
    assert client.get(url).status_code == 404
    assert "Lyon 8" not in client.get("/equipe/satisfaction/").content.decode()


def _lyon_9_session(event, territories):
    """A session of the same day in Lyon 9, with one attendee with an email."""
    other = EventFactory(
        territory=territories["Lyon 9"], start=event.start, end=event.end, capacity=10
    )
    registration = register(
        other, contact=contact(email="lina@exemple.fr"), now=event.start - dt.timedelta(days=2)
    )
    Attendance.objects.create(registration=registration, status=Attendance.Status.ATTENDED)
    return other, registration


def test_indicators_average_and_response_rate_per_territory(past_session, territories):
    """Lyon 8: online 5 and paper 2 over 2 surveys sent; Lyon 9: online 1 over 1 sent. Each
    territory's figures are its own; the agency's are over both."""
    event, regs = past_session
    other, lyon9_registration = _lyon_9_session(event, territories)
    assert surveys.send_surveys(now=timezone.now() + dt.timedelta(days=1)) == 3
    surveys.answer(registration_id=regs[0].pk, rating=5)
    surveys.enter_paper_answer(event_id=event.pk, rating=2)
    surveys.answer(registration_id=lyon9_registration.pk, rating=1)
    day = timezone.localdate(event.start)
    period = Period(day - dt.timedelta(days=1), day + dt.timedelta(days=1))
    lyon8, lyon9 = [territories["Lyon 8"].pk], [territories["Lyon 9"].pk]
    lyon7 = [territories["Lyon 7"].pk]
    assert indicators.compute("events.average_satisfaction", period) == 2.67
    assert indicators.compute("events.average_satisfaction", period, lyon8) == 3.5
    assert indicators.compute("events.average_satisfaction", period, lyon9) == 1.0
    assert indicators.compute("events.average_satisfaction", period, lyon7) is None
    assert indicators.compute("events.survey_response_rate", period) == 0.667
    assert indicators.compute("events.survey_response_rate", period, lyon8) == 0.5
    assert indicators.compute("events.survey_response_rate", period, lyon9) == 1.0
    assert indicators.compute("events.survey_response_rate", period, lyon7) is None
    assert indicators.compute("events.cafe_sessions_held", period) == 2
    assert indicators.compute("events.cafe_sessions_held", period, lyon9) == 1


def test_intergenerational_workshops_held_count_only_those_held(past_session, territories):
    """Held: two in Lyon 8, one in Lyon 9. Not held: a cancelled one, a draft, one next
    month, and a Café Médiation (another kind)."""
    event, _regs = past_session
    lyon8, lyon9 = territories["Lyon 8"], territories["Lyon 9"]

    def workshop(territory, **fields):
        values = {"start": event.start, "end": event.end, "kind": "intergenerational"}
        values.update(fields)
        return EventFactory(territory=territory, **values)

    workshop(lyon8)
    workshop(lyon8, start=event.start - dt.timedelta(hours=3), end=event.start)
    workshop(lyon9)
    workshop(lyon9, cancelled_at=timezone.now())
    workshop(lyon8, live=False)
    later = event.start + dt.timedelta(days=30)
    workshop(lyon8, start=later, end=later + dt.timedelta(hours=2))
    day = timezone.localdate(event.start)
    period = Period(day - dt.timedelta(days=1), day + dt.timedelta(days=1))
    key = "events.intergenerational_workshops_held"
    assert indicators.compute(key, period) == 3
    assert indicators.compute(key, period, [lyon8.pk]) == 2
    assert indicators.compute(key, period, [lyon9.pk]) == 1
    assert indicators.compute("events.cafe_sessions_held", period) == 1


def test_the_beat_tasks_are_safe_to_run_twice(past_session, territories):
    from events import tasks
    from events.models import CafeSeries

    later = timezone.now() + dt.timedelta(days=1)
    import time_machine

    with time_machine.travel(later, tick=False):
        assert tasks.send_surveys.delay().get() == 2
        assert tasks.send_surveys.delay().get() == 0
    CafeSeries.objects.create(
        title="Café",
        territory=territories["Lyon 8"],
        venue_name="Salle",
        frequency="weekly",
        weekday=2,
        start_date=timezone.localdate(),
        start_time=dt.time(14),
        end_time=dt.time(16),
    )
    assert tasks.sync_series_all.delay().get() == 1
    sessions = Event.objects.count()
    tasks.sync_series_all.delay().get()
    assert Event.objects.count() == sessions
