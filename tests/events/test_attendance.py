"""The rules at the door: check-in taps, walk-ins, the call list, the sheet and the exports."""

import csv
import io

import openpyxl
import pypdf
import pytest

from community import roles
from events.attendance import rules as attendance
from events.models.attendance import Attendance, WalkIn
from events.models.bookings import Registration
from events.models.outbox import OutboxMessage
from tests.events.signup_helpers import contact, register
from tests.factories import EventFactory, StaffFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def mediator(territories):
    return StaffFactory(role=roles.MEDIATOR, territories=[territories["Lyon 8"]])


@pytest.fixture
def event(territories):
    return EventFactory(territory=territories["Lyon 8"], capacity=4, title="Café médiation")


def test_the_same_tap_twice_counts_once(event, mediator):
    registration = register(event, bands=("25-59", "0-14"), guardian_consent=True)
    for _ in range(2):
        attendance.mark_attendance(
            event_id=event.pk,
            registration_id=registration.pk,
            status=Attendance.Status.ATTENDED,
            user=mediator,
        )
    assert Attendance.objects.count() == 1
    assert attendance.counts(event.pk).attended_seats == 2
    attendance.mark_attendance(
        event_id=event.pk,
        registration_id=registration.pk,
        status=Attendance.Status.NO_SHOW,
        user=mediator,
    )
    counts = attendance.counts(event.pk)
    assert (counts.attended_seats, counts.no_show_seats) == (0, 2)
    row = Attendance.objects.get()
    assert row.marked_by == mediator and row.status == Attendance.Status.NO_SHOW


def test_a_registration_of_another_event_is_refused(event, mediator, territories):
    other = register(EventFactory(territory=territories["Lyon 8"]))
    with pytest.raises(attendance.AttendanceError, match="ne fait pas partie de cet événement"):
        attendance.mark_attendance(
            event_id=event.pk,
            registration_id=other.pk,
            status=Attendance.Status.ATTENDED,
            user=mediator,
        )
    assert not Attendance.objects.exists()


@pytest.mark.parametrize("status", ["present", "", "toggle"])
def test_an_unknown_state_is_refused(event, mediator, status):
    registration = register(event)
    with pytest.raises(attendance.AttendanceError):
        attendance.mark_attendance(
            event_id=event.pk, registration_id=registration.pk, status=status, user=mediator
        )
    assert not Attendance.objects.exists()


def test_a_cancelled_registration_cannot_be_checked_in(event, mediator):
    from events.signup import rules as signup

    registration = register(event)
    signup.cancel_registration(registration.pk)
    with pytest.raises(attendance.AttendanceError, match="annulée"):
        attendance.mark_attendance(
            event_id=event.pk,
            registration_id=registration.pk,
            status=Attendance.Status.ATTENDED,
            user=mediator,
        )


def test_walk_ins_count_in_attendance_once_per_key(event, mediator):
    registration = register(event)
    attendance.mark_attendance(
        event_id=event.pk,
        registration_id=registration.pk,
        status=Attendance.Status.ATTENDED,
        user=mediator,
    )
    first, created = attendance.add_walk_in(
        event_id=event.pk, count=3, age_band="60+", client_key="k1", user=mediator
    )
    again, created_again = attendance.add_walk_in(
        event_id=event.pk, count=3, age_band="60+", client_key="k1", user=mediator
    )
    assert created and not created_again and first.pk == again.pk
    counts = attendance.counts(event.pk)
    assert (counts.walk_ins, counts.present) == (3, 4)


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"count": 0}, "au moins 1"),
        ({"count": -2}, "au moins 1"),
        ({"age_band": "99"}, "tranche d'âge"),
        ({"client_key": ""}, "rechargez la page"),
        ({"first_name": "Fatou"}, "accord"),
        ({"contact": "0611223344"}, "accord"),
    ],
)
def test_bad_walk_ins_are_refused_and_write_nothing(event, mediator, overrides, message):
    values = {"count": 2, "age_band": "25-59", "client_key": "k2", **overrides}
    with pytest.raises(attendance.AttendanceError, match=message):
        attendance.add_walk_in(event_id=event.pk, user=mediator, **values)
    assert not WalkIn.objects.exists()


def test_a_named_walk_in_keeps_the_consent(event, mediator):
    row, _ = attendance.add_walk_in(
        event_id=event.pk,
        count=1,
        age_band="15-24",
        client_key="k3",
        user=mediator,
        first_name="Fatou",
        contact="0611223344",
        consent_text="Accord donné.",
    )
    assert (row.first_name, row.contact, row.consent_text) == (
        "Fatou",
        "0611223344",
        "Accord donné.",
    )


def test_marking_a_call_is_recorded_and_idempotent(event, mediator):
    register(event, contact=contact(email="", phone="0611223344"))
    message = OutboxMessage.objects.get()
    assert message.channel == OutboxMessage.Channel.CALL
    for _ in range(2):
        attendance.mark_call(
            message_id=message.pk, state=OutboxMessage.State.NO_ANSWER, user=mediator
        )
    message.refresh_from_db()
    assert message.state == OutboxMessage.State.NO_ANSWER and message.handled_by == mediator
    attendance.mark_call(message_id=message.pk, state=OutboxMessage.State.CALLED, user=mediator)
    message.refresh_from_db()
    assert message.state == OutboxMessage.State.CALLED and message.sent_at is not None


def test_an_email_message_cannot_be_marked_as_called(event, mediator):
    register(event)
    message = OutboxMessage.objects.get()
    with pytest.raises(attendance.AttendanceError):
        attendance.mark_call(message_id=message.pk, state=OutboxMessage.State.CALLED, user=mediator)
    message.refresh_from_db()
    assert message.state == OutboxMessage.State.PENDING


def test_call_messages_get_what_to_say(event):
    register(event, contact=contact(first_name="Rachid", email="", phone="0611223344"))
    [message] = attendance.call_messages(OutboxMessage.objects.all())
    assert "Bonjour Rachid" in message.body_text
    stored = OutboxMessage.objects.get()
    assert stored.subject == "Inscription confirmée : Café médiation"


def _pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages)


def test_the_pdf_sheet_lists_exactly_the_confirmed_participants(event):
    from events.signup import rules as signup

    confirmed = signup.register(
        event_id=event.pk,
        contact=contact(first_name="Hawa", last_name="Camara"),
        participants=[
            signup.ParticipantData("Hawa", "25-59"),
            signup.ParticipantData("Moussa", "0-14"),
        ],
        consent_text="J'accepte.",
        guardian_consent=True,
    ).registration
    cancelled = signup.register(
        event_id=event.pk,
        contact=contact(first_name="Zoé", last_name="Martin"),
        participants=[signup.ParticipantData("Zoé", "60+")],
        consent_text="J'accepte.",
    ).registration
    signup.cancel_registration(cancelled.pk)
    signup.register(
        event_id=event.pk,
        contact=contact(first_name="Lina", last_name="Bensaïd"),
        participants=[signup.ParticipantData("Lina", "15-24")] * 3,
        consent_text="J'accepte.",
    )  # 3 seats for 2 left: waitlisted
    assert confirmed.status == Registration.Status.CONFIRMED
    assert Registration.objects.waitlisted().count() == 1

    text = _pdf_text(attendance.sheet_pdf(event))
    assert "Feuille d'émargement" in text and "Café médiation" in text
    assert "Hawa" in text and "Moussa" in text and "Camara" in text
    assert "0 à 14 ans" in text and "Signature" in text
    assert "Zoé" not in text and "Lina" not in text
    assert [row["first_name"] for row in attendance.sheet_rows(event)] == ["Hawa", "Moussa"]


def test_exports_never_hold_access_needs_and_neutralise_formulas(event, mediator):
    from events.signup import rules as signup

    signup.register(
        event_id=event.pk,
        contact=contact(first_name='=HYPERLINK("http://x")', last_name="@SUM(A1)"),
        participants=[signup.ParticipantData("+33", "25-59"), signup.ParticipantData("-1", "60+")],
        consent_text="J'accepte.",
        access_needs="Fauteuil roulant",
        access_needs_consent=True,
    )
    attendance.add_walk_in(
        event_id=event.pk,
        count=2,
        age_band="60+",
        client_key="w1",
        user=mediator,
        first_name="=1+1",
        consent_text="Accord.",
    )
    rows = list(
        csv.reader(io.StringIO(attendance.export_csv(event).decode("utf-8-sig")), delimiter=";")
    )
    assert rows[0][0] == "Type" and len(rows) == 3
    flat = [cell for row in rows for cell in row]
    assert "Fauteuil" not in ";".join(flat)
    assert '\'=HYPERLINK("http://x")' in flat and "'@SUM(A1)" in flat
    assert "'+33, '-1" not in flat  # a joined cell starts with +: the whole cell is neutralised
    assert "'+33, -1" in flat and "'=1+1" in flat
    assert not any(cell.startswith(("=", "+", "-", "@")) for cell in flat)

    workbook = openpyxl.load_workbook(io.BytesIO(attendance.export_xlsx(event)))
    values = [cell.value for row in workbook.active.iter_rows() for cell in row]
    strings = [v for v in values if isinstance(v, str)]
    assert not any("Fauteuil" in v for v in strings)
    assert '\'=HYPERLINK("http://x")' in strings and "'=1+1" in strings
    assert not any(v.startswith(("=", "+", "-", "@")) for v in strings)
    assert all(cell.data_type != "f" for row in workbook.active.iter_rows() for cell in row)
