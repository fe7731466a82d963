"""The events app's records, one module per subject; import them from here.

Rules never live in these modules: each capability's rules are in its own sub-package
(events.signup, events.series, events.attendance, events.programme, events.outbox).
"""

from events.models.attendance import Attendance, WalkIn
from events.models.bookings import Booking, Participant, Registration, RegistrationQuerySet
from events.models.events import (
    AccessFeature,
    Audience,
    Event,
    EventAdminForm,
    EventKind,
    EventQuerySet,
)
from events.models.outbox import OutboxMessage, SmsOptOut
from events.models.programme import Programme, Track
from events.models.series import (
    CafeSeries,
    SeriesFollow,
    SeriesSession,
    SessionSummary,
    Topic,
    TopicSupport,
)
from events.models.surveys import SurveyAnswer
from events.models.workshops import SeatGroup

__all__ = [
    "AccessFeature",
    "Attendance",
    "Audience",
    "Booking",
    "CafeSeries",
    "Event",
    "EventAdminForm",
    "EventKind",
    "EventQuerySet",
    "OutboxMessage",
    "SmsOptOut",
    "Participant",
    "Programme",
    "Registration",
    "RegistrationQuerySet",
    "SeatGroup",
    "SeriesFollow",
    "SeriesSession",
    "SessionSummary",
    "SurveyAnswer",
    "Topic",
    "TopicSupport",
    "Track",
    "WalkIn",
]
