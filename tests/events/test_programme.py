"""The mediation day's booking rules (events.programme.rules), on outcomes: rows, messages, the
calendar file, seats."""

import datetime as dt

from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

import icalendar
import pytest

from events import ical
from events.attendance import rules as attendance
from events.models import Event, EventKind
from events.models.attendance import Attendance, WalkIn
from events.models.bookings import Booking, Registration
from events.models.outbox import OutboxMessage
from events.outbox import delivery
from events.programme import rules as programme
from events.signup import rules as signup
from tests.events.programme_helpers import add_session, make_programme
from tests.events.signup_helpers import contact, party, register

pytestmark = pytest.mark.django_db

R = Registration.Status


def book(day, sessions, **kwargs):
    kwargs.setdefault("contact", contact(first_name="Hawa", email="hawa@exemple.fr"))
    kwargs.setdefault("participants", party("25-59"))
    kwargs.setdefault("consent_text", "J'accepte.")
    return programme.book_sessions(
        programme_id=day.pk, event_ids=[s.pk for s in sessions], **kwargs
    )


@pytest.fixture
def day():
    return make_programme()


def test_overlapping_sessions_are_refused_and_nothing_is_written(day):
    a = add_session(day, "Table ronde", "10:00", "11:00")
    b = add_session(day, "Atelier jeunesse", "10:30", "11:30", track=1)
    with pytest.raises(programme.ProgrammeError) as error:
        book(day, [a, b])
    assert (
        "« Table ronde » (10\u00a0h\u00a000–11\u00a0h\u00a000) et « Atelier jeunesse » (10\u00a0h\u00a030–11\u00a0h\u00a030)"
        in error.value.message
    )
    assert error.value.field == "sessions"
    assert not Booking.objects.exists() and not Registration.objects.exists()
    assert not OutboxMessage.objects.exists()


def test_sessions_that_only_touch_are_allowed(day):
    a = add_session(day, "Table ronde", "10:00", "11:00")
    b = add_session(day, "Atelier jeunesse", "11:00", "12:00", track=1)
    outcome = book(day, [b, a])
    assert [r.event for r in outcome.registrations] == [a, b]
    assert [r.status for r in outcome.registrations] == [R.CONFIRMED, R.CONFIRMED]
    assert Booking.objects.count() == 1
    assert {r.booking_id for r in Registration.objects.all()} == {outcome.booking.pk}


def test_clash_detection_is_pairwise_and_in_time_order(day):
    a = add_session(day, "A", "09:00", "12:00")
    b = add_session(day, "B", "10:00", "10:30", track=1)
    c = add_session(day, "C", "12:00", "13:00", track=1)
    d = add_session(day, "D", "11:59", "12:01")
    events = list(Event.objects.filter(pk__in=[a.pk, b.pk, c.pk, d.pk]))
    assert {(x.title, y.title) for x, y in programme.clashes(events)} == {
        ("A", "B"),
        ("A", "D"),
        ("D", "C"),
    }
    assert programme.clashes([a, c]) == []


def test_a_full_session_is_waitlisted_while_the_others_are_confirmed(day):
    full = add_session(day, "Forum des bailleurs", "14:00", "15:00", capacity=1)
    register(full)  # someone took the only seat
    a = add_session(day, "Table ronde", "10:00", "11:00")
    b = add_session(day, "Atelier jeunesse", "11:00", "12:00", track=1)
    outcome = book(day, [a, full, b])
    by_title = {r.event.title: r for r in outcome.registrations}
    assert by_title["Table ronde"].status == R.CONFIRMED
    assert by_title["Atelier jeunesse"].status == R.CONFIRMED
    assert by_title["Forum des bailleurs"].status == R.WAITLISTED
    assert by_title["Forum des bailleurs"].waitlist_position == 1
    # One message for the whole programme, none per session.
    mine = OutboxMessage.objects.filter(person=outcome.booking.person)
    assert list(mine.values_list("kind", flat=True)) == [OutboxMessage.Kind.PROGRAMME]


def test_a_full_session_without_the_waitlist_is_refused_with_its_name(day):
    full = add_session(day, "Forum des bailleurs", "14:00", "15:00", capacity=1)
    register(full)
    a = add_session(day, "Table ronde", "10:00", "11:00")
    with pytest.raises(programme.ProgrammeError) as error:
        book(day, [a, full], accept_waitlist=False)
    assert error.value.message.startswith("« Forum des bailleurs » : Il reste 0 place(s)")
    assert error.value.field == "accept_waitlist"
    assert Registration.objects.filter(event=a).count() == 0


def test_one_confirmation_email_with_one_calendar_file_of_every_chosen_session(day):
    full = add_session(day, "Forum des bailleurs", "14:00", "15:00", capacity=1)
    register(full)
    chosen = [
        add_session(day, "Table ronde", "10:00", "11:00"),
        add_session(day, "Atelier jeunesse", "11:00", "12:00", track=1),
        full,
    ]
    mail.outbox.clear()
    OutboxMessage.objects.update(state=OutboxMessage.State.SENT)  # the first registrant's mail
    outcome = book(day, chosen)
    assert delivery.send_due() == 1
    [email] = mail.outbox
    assert email.to == ["hawa@exemple.fr"]
    assert email.subject == f"Votre programme : Journée de la médiation sociale {day.year}"
    assert "Table ronde (Habiter ensemble) : confirmée" in email.body
    assert "Forum des bailleurs (Habiter ensemble) : liste d'attente, rang 1" in email.body
    # The booking's signed link (its signature carries the time it was made).
    link = next(w for w in email.body.split() if "/evenements/inscriptions/" in w)
    assert signup.booking_from_token(link.rstrip("/").rsplit("/", 1)[1]) == outcome.booking
    [(filename, content, mimetype)] = email.attachments
    assert (filename, mimetype) == (f"journee-mediation-{day.year}.ics", "text/calendar")
    calendar = icalendar.Calendar.from_ical(content)
    vevents = calendar.walk("VEVENT")
    assert sorted(str(v["uid"]) for v in vevents) == sorted(ical.uid(e) for e in chosen)
    assert {str(v["summary"]) for v in vevents} == {e.title for e in chosen}
    table_ronde = next(v for v in vevents if str(v["summary"]) == "Table ronde")
    assert table_ronde.decoded("dtstart") == timezone.localtime(chosen[0].start)
    assert str(calendar["x-wr-calname"]) == f"Journée de la médiation sociale {day.year}"
    # Sent once: a second run finds nothing to do.
    assert delivery.send_due() == 0 and len(mail.outbox) == 1


def test_cancelling_one_session_frees_only_that_seat_and_keeps_the_rest(day):
    a = add_session(day, "Table ronde", "10:00", "11:00", capacity=1)
    b = add_session(day, "Atelier jeunesse", "11:00", "12:00", track=1, capacity=5)
    c = add_session(day, "Forum des bailleurs", "14:00", "15:00", capacity=5)
    outcome = book(day, [a, b, c])
    waiting = register(a, contact=contact(first_name="Yacine", email="yacine@exemple.fr"))
    assert waiting.status == R.WAITLISTED
    first = next(r for r in outcome.registrations if r.event == a)

    signup.cancel_registration(first.pk)

    statuses = dict(
        Registration.objects.filter(booking=outcome.booking).values_list("event__title", "status")
    )
    assert statuses == {
        "Table ronde": R.CANCELLED,
        "Atelier jeunesse": R.CONFIRMED,
        "Forum des bailleurs": R.CONFIRMED,
    }
    waiting.refresh_from_db()
    assert waiting.status == R.CONFIRMED  # the freed seat went to the next in line
    assert (signup.seats_left(a), signup.seats_left(b), signup.seats_left(c)) == (0, 4, 4)
    assert OutboxMessage.objects.filter(kind=OutboxMessage.Kind.PROMOTED).count() == 1


@pytest.mark.parametrize("problem", ["other_year", "cancelled", "draft", "other_kind"])
def test_sessions_outside_the_programme_are_refused_by_name(day, problem):
    ok = add_session(day, "Table ronde", "10:00", "11:00")
    if problem == "other_year":
        last_year = make_programme(year=day.year - 1, days_ahead=-335)
        bad = add_session(last_year, "Séance de l'an dernier", "10:00", "11:00")
        expected = "« Séance de l'an dernier » ne fait pas partie du programme de cette journée."
    elif problem == "cancelled":
        bad = add_session(day, "Atelier annulé", "14:00", "15:00")
        Event.objects.filter(pk=bad.pk).update(cancelled_at=timezone.now())
        expected = "« Atelier annulé » est annulée : retirez-la de votre programme."
    elif problem == "draft":
        bad = add_session(day, "Atelier en préparation", "14:00", "15:00", live=False)
        expected = "« Atelier en préparation » n'est pas publiée."
    else:
        bad = add_session(day, "Café médiation", "14:00", "15:00")
        Event.objects.filter(pk=bad.pk).update(kind=EventKind.CAFE_MEDIATION)
        expected = "« Café médiation » ne fait pas partie du programme de cette journée."
    with pytest.raises(programme.ProgrammeError) as error:
        book(day, [ok, bad])
    assert error.value.message == expected
    assert not Registration.objects.exists()


def test_a_second_booking_cannot_overlap_the_persons_first(day):
    a = add_session(day, "Table ronde", "10:00", "11:00")
    b = add_session(day, "Atelier jeunesse", "10:30", "11:30", track=1)
    c = add_session(day, "Forum", "14:00", "15:00")
    book(day, [a])
    # Told to staff as such; a public form answers neutrally (signup.AlreadyRegistered).
    with pytest.raises(signup.AlreadyRegistered) as error:
        book(day, [b, c])
    assert "déjà inscrit à « Table ronde », à la même heure que « Atelier jeunesse »" in (
        error.value.message
    )
    outcome = book(day, [c])  # a later, separate session is fine
    assert [r.status for r in outcome.registrations] == [R.CONFIRMED]


def test_no_session_and_bad_contact_are_clear_errors(day):
    a = add_session(day, "Table ronde", "10:00", "11:00")
    with pytest.raises(programme.ProgrammeError, match="Choisissez au moins une séance"):
        book(day, [])
    with pytest.raises(ValidationError) as error:
        book(day, [a], contact=signup.Contact("Hawa", "Camara", "", ""))
    assert "email" in error.value.message_dict
    assert not Registration.objects.exists()


def test_the_same_form_sent_twice_makes_one_booking(day):
    a = add_session(day, "Table ronde", "10:00", "11:00")
    first = book(day, [a], submission_key="k-1")
    again = book(day, [a], submission_key="k-1")
    assert not again.created and again.booking == first.booking
    assert Registration.objects.count() == 1


def test_timeline_groups_parallel_sessions_with_seats_left(day, django_assert_num_queries):
    a = add_session(day, "Table ronde", "10:00", "11:00", capacity=2)
    b = add_session(day, "Atelier jeunesse", "10:00", "11:30", track=1, capacity=None)
    c = add_session(day, "Forum", "14:00", "15:00", capacity=1)
    register(a)
    register(c)
    with django_assert_num_queries(2):
        data = programme.timeline(day)
    assert [[s.title for s in slot.sessions] for slot in data["slots"]] == [
        ["Table ronde", "Atelier jeunesse"],
        ["Forum"],
    ]
    assert [s.seats_left for s in data["sessions"]] == [1, None, 0]
    assert [t.name for t in data["tracks"]] == ["Habiter ensemble", "Jeunesse"]
    assert b in data["sessions"]


def test_attendance_per_session_comes_from_check_in(day):
    a = add_session(day, "Table ronde", "10:00", "11:00")
    b = add_session(day, "Forum", "14:00", "15:00")
    came = register(a, bands=("25-59", "60+"))
    absent = register(a)
    # Presence is per person: the mother came, her own mother did not; their registration
    # reads "present" (someone came) but counts one person.
    mother = came.participants.order_by("pk").first()
    attendance.mark_attendance(
        event_id=a.pk,
        registration_id=came.pk,
        status=Attendance.Status.ATTENDED,
        user=None,
        participant_id=mother.pk,
    )
    Attendance.objects.create(registration=absent, status=Attendance.Status.NO_SHOW)
    WalkIn.objects.create(event=a, count=3, age_band="25-59", client_key="w1")
    WalkIn.objects.create(event=b, count=1, age_band="60+", client_key="w2")
    rows = {row["session"].title: row for row in programme.attendance_by_session(day.pk)}
    assert (rows["Table ronde"]["registered"], rows["Table ronde"]["attended"]) == (3, 1)
    assert (rows["Table ronde"]["walk_ins"], rows["Table ronde"]["present"]) == (3, 4)
    assert (rows["Forum"]["registered"], rows["Forum"]["present"]) == (0, 1)


def test_a_session_must_sit_in_a_track_on_the_programmes_date(day):
    session = add_session(day, "Table ronde", "10:00", "11:00")
    session.start += dt.timedelta(days=1)
    session.end += dt.timedelta(days=1)
    with pytest.raises(ValidationError) as error:
        session.full_clean()
    assert "start" in error.value.message_dict
    session.track = None
    with pytest.raises(ValidationError) as error:
        session.full_clean()
    assert "track" in error.value.message_dict
