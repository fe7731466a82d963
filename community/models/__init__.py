"""The community app's records, split by subject; import them from here."""

from .core import (
    AgeBand,
    Organisation,
    Person,
    PersonQuerySet,
    Residence,
    Territory,
    User,
    UserManager,
)
from .groups import JoinRequest, Voice, VoiceTheme, WorkingGroup, WorkingGroupOutcome
from .imports import ImportJob
from .interventions import Intervention, InterventionKind, Mission, ReportComment
from .people import ConsentMethod, FollowUp, ReferenceTenant, TrainingTopic
from .places import ResidenceDiagnosis
from .privacy import DataRequest

__all__ = [
    "AgeBand",
    "ConsentMethod",
    "DataRequest",
    "FollowUp",
    "ImportJob",
    "Intervention",
    "InterventionKind",
    "Mission",
    "ReportComment",
    "JoinRequest",
    "Organisation",
    "Person",
    "PersonQuerySet",
    "ReferenceTenant",
    "Residence",
    "ResidenceDiagnosis",
    "Territory",
    "TrainingTopic",
    "User",
    "UserManager",
    "Voice",
    "VoiceTheme",
    "WorkingGroup",
    "WorkingGroupOutcome",
]
