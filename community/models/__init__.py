"""The community app's records, split by subject; import them from here."""

from community.models.core import (
    AgeBand,
    Organisation,
    Person,
    PersonQuerySet,
    Residence,
    Territory,
    User,
    UserManager,
)
from community.models.groups import (
    JoinRequest,
    Voice,
    VoiceTheme,
    WorkingGroup,
    WorkingGroupOutcome,
)
from community.models.heartbeat import Heartbeat
from community.models.imports import ImportJob
from community.models.interventions import Intervention, InterventionKind, Mission, ReportComment
from community.models.mail import AccountEmail
from community.models.outreach import CommunicationAction, KnowledgeSurveyAnswer
from community.models.partnership import (
    AgreementObjective,
    CallForTender,
    Gender,
    PartnerFollowUp,
    PartnerFollowUpStep,
    PartnerMeeting,
    PartnershipAgreement,
)
from community.models.people import ConsentMethod, FollowUp, ReferenceTenant, TrainingTopic
from community.models.places import ResidenceDiagnosis
from community.models.plan import (
    Axis,
    CorrectiveAction,
    IndicatorFigure,
    IndicatorTarget,
    Objective,
    PlanIndicator,
    ServicePlan,
    Stake,
)
from community.models.privacy import DataRequest
from community.models.projects import Project, TenantCommittee
from community.models.team import TeamActivity

__all__ = [
    "AgreementObjective",
    "CallForTender",
    "CommunicationAction",
    "Gender",
    "KnowledgeSurveyAnswer",
    "PartnerFollowUp",
    "PartnerFollowUpStep",
    "PartnerMeeting",
    "PartnershipAgreement",
    "Project",
    "TeamActivity",
    "TenantCommittee",
    "AccountEmail",
    "Axis",
    "CorrectiveAction",
    "IndicatorFigure",
    "IndicatorTarget",
    "Objective",
    "PlanIndicator",
    "ServicePlan",
    "Stake",
    "AgeBand",
    "ConsentMethod",
    "DataRequest",
    "FollowUp",
    "Heartbeat",
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
