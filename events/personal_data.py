"""What the events app holds about a Person, for their data export and their erasure."""

from django.db.models import Prefetch

from community.registries import personal_data
from events.models import SeriesFollow, SurveyAnswer, Topic, TopicSupport
from events.models.bookings import Booking, Participant, Registration
from events.models.outbox import OutboxMessage


def export(person) -> list[dict]:
    bookings = Booking.objects.filter(person=person).prefetch_related(
        Prefetch(
            "registrations",
            queryset=Registration.objects.select_related("event").prefetch_related("participants"),
        )
    )
    return [
        {
            "created_at": booking.created_at.isoformat(),
            "source": booking.source,
            "consent_text": booking.consent_text,
            "consent_given_at": booking.consent_given_at.isoformat(),
            "access_needs": booking.access_needs,
            "registrations": [
                {
                    "event": registration.event.title,
                    "start": registration.event.start.isoformat(),
                    "status": registration.status,
                    "participants": [
                        {"first_name": p.first_name, "age_band": p.age_band}
                        for p in registration.participants.all()
                    ],
                }
                for registration in booking.registrations.all()
            ],
        }
        for booking in bookings
    ]


def erase(person) -> None:
    """Blank what names or describes people; keep seats, age bands and statuses for the figures."""
    Booking.objects.filter(person=person).update(
        access_needs="", access_needs_consent_at=None, consent_text=""
    )
    Participant.objects.filter(registration__booking__person=person).update(first_name="")


def export_series(person) -> dict:
    """Follows of Café Médiation series, topics proposed and supported, survey answers."""
    return {
        "follows": [
            {
                "series": f.series.title,
                "age_band": f.age_band,
                "companions": f.companions,
                "consent_text": f.consent_text,
                "since": f.created_at.isoformat(),
                "stopped_at": f.stopped_at.isoformat() if f.stopped_at else None,
            }
            for f in SeriesFollow.objects.filter(person=person).select_related("series")
        ],
        "topics": [
            {"series": t.series.title, "text": t.text, "status": t.status}
            for t in Topic.objects.filter(person=person).select_related("series")
        ],
        "supports": [
            s.topic.text for s in TopicSupport.objects.filter(person=person).select_related("topic")
        ],
        "survey_answers": [
            {"event": a.event.title, "rating": a.rating, "comment": a.comment}
            for a in SurveyAnswer.objects.filter(registration__person=person).select_related(
                "event"
            )
        ],
    }


def erase_series(person) -> None:
    """Unlink what names the person; keep counts, ratings and the public topics' text (a topic
    proposed but never published is deleted: nobody else has seen it)."""
    SeriesFollow.objects.filter(person=person).update(consent_text="")
    # Companions keep their age bands (the counts), not their first names.
    for followed in SeriesFollow.objects.filter(person=person).exclude(companions=[]):
        followed.companions = [{**c, "first_name": ""} for c in followed.companions]
        followed.save(update_fields=["companions"])
    Topic.objects.filter(person=person).exclude(status=Topic.Status.APPROVED).delete()
    Topic.objects.filter(person=person).update(person=None)
    TopicSupport.objects.filter(person=person).delete()
    SurveyAnswer.objects.filter(registration__person=person).update(comment="", registration=None)


def export_outbox(person) -> list[dict]:
    """Every message written to the person (emailed or read out on the phone), as recorded."""
    return [
        {
            "kind": m.kind,
            "channel": m.channel,
            "state": m.state,
            "to_email": m.to_email,
            "to_phone": m.to_phone,
            "subject": m.subject,
            "body_text": m.body_text,
            "created_at": m.created_at.isoformat(),
            "sent_at": m.sent_at.isoformat() if m.sent_at else None,
        }
        for m in OutboxMessage.objects.filter(person=person).order_by("created_at", "pk")
    ]


def erase_outbox(person) -> None:
    """Blank the address, phone and text (which holds a manage link) of the person's messages;
    the rows stay, with their kind and state, for the survey figures. A message still waiting
    is stopped: there is nobody left to send it to."""
    rows = OutboxMessage.objects.filter(person=person)
    rows.filter(state=OutboxMessage.State.PENDING).update(state=OutboxMessage.State.FAILED)
    rows.update(**OutboxMessage.BLANK)


def register() -> None:
    if "events.outbox" not in personal_data.handlers:
        personal_data.register("events.outbox", export=export_outbox, erase=erase_outbox)
    if "events.bookings" not in personal_data.handlers:
        personal_data.register("events.bookings", export=export, erase=erase)
    if "events.series" not in personal_data.handlers:
        personal_data.register("events.series", export=export_series, erase=erase_series)
