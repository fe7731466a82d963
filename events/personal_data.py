"""What the events app holds about a Person, for their data export and their erasure."""

from django.db.models import Prefetch

from community.registries import personal_data

from .bookings import Booking, Participant, Registration


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


def register() -> None:
    if "events.bookings" not in personal_data.handlers:
        personal_data.register("events.bookings", export=export, erase=erase)
