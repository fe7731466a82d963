"""The rules of the plan's activity records (agreements, projects, partner meetings, follow-ups
with partner structures, communication actions, tenant committees, calls for tender, the team
log and the knowledge survey): what each counts for the indicators, the survey answers mediators
type on their phone, and what a follow-up holds about a named person (export, erasure,
retention). Views, the admin, tasks and the demo call these functions."""

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from community import permissions
from community.models import (
    AgeBand,
    AgreementObjective,
    CallForTender,
    CommunicationAction,
    KnowledgeSurveyAnswer,
    PartnerFollowUp,
    PartnerMeeting,
    PartnershipAgreement,
    Project,
    TeamActivity,
    TenantCommittee,
)
from community.registries import Period, retention, shared

YOUNG_BANDS = (AgeBand.CHILD, AgeBand.YOUTH)
TRAINING_MEETINGS = (PartnerMeeting.Kind.PRACTICE_EXCHANGE, PartnerMeeting.Kind.AWARENESS)


def _within(period: Period, field: str) -> Q:
    return Q(**{f"{field}__gte": period.start, f"{field}__lte": period.end})


def _overlapping(period: Period, start: str, end: str) -> Q:
    """Rows whose [start, end] span (end empty: still running) meets the period."""
    return Q(**{f"{start}__lte": period.end}) & (
        Q(**{f"{end}__isnull": True}) | Q(**{f"{end}__gte": period.start})
    )


def _count(condition: Q | None = None):
    return Count("pk", filter=condition)


def _sum(field: str, condition: Q | None = None):
    return Sum(field, filter=condition)  # None over no row


@dataclass(frozen=True)
class Table:
    """One table's figures for a period, computed together in one aggregation (shared by every
    indicator that reads the table): `rows(period)` is what any of its figures may count,
    `figures(period)` names each figure's aggregate (a count or a sum, with its own filter).
    `agency`: the records belong to the whole agency, so some territories have no figure."""

    name: str
    model: type
    rows: Callable[[Period], Q]
    figures: Callable[[Period], dict]
    territory: str = "territory_id"
    residence: str | None = None
    agency: bool = False

    def totals(self, period, territory_ids=None, residence_ids=None) -> dict | None:
        if self.agency and territory_ids is not None:
            return None

        def compute():
            queryset = self.model.objects.filter(self.rows(period))
            if territory_ids is not None:
                queryset = queryset.filter(**{f"{self.territory}__in": list(territory_ids)})
            if residence_ids is not None and self.residence:
                queryset = queryset.filter(**{f"{self.residence}__in": list(residence_ids)})
            return queryset.aggregate(**self.figures(period))

        key = (f"community.{self.name}", period, _key(territory_ids), _key(residence_ids))
        return shared(key, compute)

    def figure(self, name: str):
        """The indicator function reading figure `name` of this table."""

        def compute(period, territory_ids=None, residence_ids=None):
            totals = self.totals(period, territory_ids, residence_ids)
            return None if totals is None else totals[name]

        return compute


def _key(ids):
    return None if ids is None else tuple(sorted(ids))


def _by_kind(choices, condition: Q | None = None) -> dict:
    return {
        f"kind_{kind}": _count(Q(kind=kind) if condition is None else condition & Q(kind=kind))
        for kind in choices.values
    }


def _kinds(totals: dict | None, choices) -> dict | None:
    """{label: count} from a table's "kind_<value>" figures."""
    if totals is None:
        return None
    return {str(label): totals[f"kind_{kind}"] for kind, label in choices.choices}


# -- agreements ---------------------------------------------------------------------------------

AGREEMENTS = Table(
    "agreements",
    PartnershipAgreement,
    lambda period: _within(period, "signed_on"),
    lambda period: {"signed": _count()},
)
# Agreements signed in the period (an agency-wide one counts only for the whole agency).
agreements_signed = AGREEMENTS.figure("signed")

AGREEMENT_OBJECTIVES = Table(
    "agreement_objectives",
    AgreementObjective,
    lambda period: _within(period, "assessed_on") & Q(status=AgreementObjective.Status.MET),
    lambda period: {"met": _count()},
    territory="agreement__territory_id",
)
# Objectives of agreements assessed as met during the period.
agreement_objectives_met = AGREEMENT_OBJECTIVES.figure("met")


# -- projects -----------------------------------------------------------------------------------


def _project_figures(period) -> dict:
    # Running: during the period, neither still in preparation nor abandoned.
    running = _overlapping(period, "starts_on", "ends_on") & ~Q(
        status__in=(Project.Status.PLANNED, Project.Status.ABANDONED)
    )
    return {
        "running": _count(running & ~Q(kind=Project.Kind.NEW_FIELD)),
        "residence": _count(running & Q(kind__in=Project.RESIDENCE_KINDS)),
        # Diagnoses in new fields (health, private housing, transport...) engaged in the period.
        "new_field": _count(
            _within(period, "starts_on")
            & Q(kind=Project.Kind.NEW_FIELD)
            & ~Q(status=Project.Status.PLANNED)
        ),
        **_by_kind(Project.Kind, running),
    }


PROJECTS = Table(
    "projects",
    Project,
    lambda period: Q(starts_on__lte=period.end),  # what every figure below requires
    _project_figures,
    residence="residence",
)
projects = PROJECTS.figure("running")
residence_projects = PROJECTS.figure("residence")


def new_field_diagnoses(period, territory_ids=None) -> int:
    return PROJECTS.totals(period, territory_ids)["new_field"]


def projects_by_kind(period, territory_ids=None, residence_ids=None) -> dict:
    return _kinds(PROJECTS.totals(period, territory_ids, residence_ids), Project.Kind)


TENANT_COMMITTEES = Table(
    "tenant_committees",
    TenantCommittee,
    lambda period: _overlapping(period, "supported_from", "supported_until"),
    lambda period: {"supported": _count()},
    residence="residence",
)
tenant_committees_supported = TENANT_COMMITTEES.figure("supported")


# -- partner meetings and follow-ups ----------------------------------------------------------

_TRAINING = Q(kind__in=TRAINING_MEETINGS)
MEETINGS = Table(
    "partner_meetings",
    PartnerMeeting,
    lambda period: _within(period, "date"),
    lambda period: {
        "all": _count(),
        "presentations": _count(
            Q(kind__in=(PartnerMeeting.Kind.PRESENTATION, PartnerMeeting.Kind.IMMERSION))
        ),
        # Practice exchanges and awareness workshops held for partners' staff.
        "training_hours": _sum("hours", _TRAINING),
        "training_people": _sum("participants", _TRAINING),
        **_by_kind(PartnerMeeting.Kind),
    },
)
partner_meetings = MEETINGS.figure("all")
presentations_and_immersions = MEETINGS.figure("presentations")


def partner_meetings_by_kind(period, territory_ids=None) -> dict:
    return _kinds(MEETINGS.totals(period, territory_ids), PartnerMeeting.Kind)


def practice_exchange_hours(period, territory_ids=None) -> float:
    return float(MEETINGS.totals(period, territory_ids)["training_hours"] or 0)


def practice_exchange_participants(period, territory_ids=None) -> int:
    return MEETINGS.totals(period, territory_ids)["training_people"] or 0


FOLLOW_UPS = Table(
    "partner_follow_ups",
    PartnerFollowUp,
    lambda period: Q(opened_on__lte=period.end),  # what both figures require
    lambda period: {
        # People whose situation was followed with a partner structure during the period.
        "followed": _count(_overlapping(period, "opened_on", "closed_on")),
        # Young people (0-24) whose follow-up with a partner structure began in the period.
        "young_put_in_touch": _count(_within(period, "opened_on") & Q(age_band__in=YOUNG_BANDS)),
    },
)
partner_follow_ups = FOLLOW_UPS.figure("followed")
young_put_in_touch = FOLLOW_UPS.figure("young_put_in_touch")


def meetings_and_situations(period, territory_ids=None) -> int:
    return partner_meetings(period, territory_ids) + partner_follow_ups(period, territory_ids)


# -- communication and the knowledge survey --------------------------------------------------

COMMUNICATION = Table(
    "communication",
    CommunicationAction,
    lambda period: _within(period, "date"),
    lambda period: {
        "all": _count(),
        "doors": _sum("doors_knocked"),
        "leaflets": _sum("leaflets"),
        "people": _sum("people_met"),
    },
    residence="residence",
)
communication_actions = COMMUNICATION.figure("all")


def communication_reach(period, territory_ids=None, residence_ids=None) -> dict:
    totals = COMMUNICATION.totals(period, territory_ids, residence_ids)
    return {
        _("Portes frappées"): totals["doors"] or 0,
        _("Dépliants distribués"): totals["leaflets"] or 0,
        _("Personnes rencontrées"): totals["people"] or 0,
    }


SURVEY_QUESTIONS = ("knows_service", "knows_mediators", "knows_missions", "has_called_on")

SURVEY = Table(
    "survey",
    KnowledgeSurveyAnswer,
    lambda period: _within(period, "date"),
    lambda period: {
        "total": _count(),
        **{name: _count(Q(**{name: True})) for name in SURVEY_QUESTIONS},
    },
)
survey_answers = SURVEY.figure("total")


def _rate(question):
    def compute(period, territory_ids=None) -> float | None:
        counts = SURVEY.totals(period, territory_ids)
        if not counts["total"]:
            return None
        return round(100 * counts[question] / counts["total"], 1)

    return compute


knows_service_rate = _rate("knows_service")
knows_mediators_rate = _rate("knows_mediators")
knows_missions_rate = _rate("knows_missions")
solicitation_rate = _rate("has_called_on")


# -- agency-wide records: calls for tender, the team log ----------------------------------------

TENDERS = Table(
    "tenders",
    CallForTender,
    lambda period: _within(period, "answered_on") | _within(period, "decided_on"),
    lambda period: {
        "answered": _count(_within(period, "answered_on")),
        "won": _count(_within(period, "decided_on") & Q(result=CallForTender.Result.WON)),
    },
    agency=True,
)
# Calls for tender answered in the period (agency figure: none for some territories).
tenders_answered = TENDERS.figure("answered")
tenders_won = TENDERS.figure("won")

TEAM = Table(
    "team",
    TeamActivity,
    lambda period: _within(period, "date"),
    lambda period: {
        "meetings": _count(
            Q(
                kind__in=(
                    TeamActivity.Kind.INTER_TEAM_MEETING,
                    TeamActivity.Kind.WORKING_GROUP,
                )
            )
        ),
        "inter_team_meetings": _count(Q(kind=TeamActivity.Kind.INTER_TEAM_MEETING)),
        "immersions": _count(Q(kind=TeamActivity.Kind.IMMERSION)),
        "training_hours": _sum("hours", Q(kind=TeamActivity.Kind.TRAINING)),
    },
    agency=True,
)
team_meetings = TEAM.figure("meetings")
inter_team_meetings = TEAM.figure("inter_team_meetings")
inter_team_immersions = TEAM.figure("immersions")


def team_training_hours(period, territory_ids=None) -> float | None:
    hours = TEAM.figure("training_hours")(period, territory_ids)
    return None if territory_ids is not None else float(hours or 0)


# -- the knowledge survey, typed on the mediators' phone -------------------------------------


def can_survey(user) -> bool:
    return bool(
        permissions.can_reach_staff_area(user)
        and user.has_perm("community.add_knowledgesurveyanswer")
    )


def record_survey_answer(user, data: dict, client_key: str | None = None):
    """Record one person's answers; (row, created). The same `client_key` again (a double tap, a
    retried POST) returns the first row. A ValidationError leaves nothing written."""
    if not can_survey(user):
        raise PermissionDenied
    errors = {}
    territory = data.get("territory")
    if territory is None:
        errors["territory"] = _("Choisissez un territoire.")
    elif not permissions.can_see_territory(user, territory):
        errors["territory"] = _("Vous n'intervenez pas sur ce territoire.")
    for name in SURVEY_QUESTIONS:
        if data.get(name) not in (True, False):
            errors[name] = _("Répondez par oui ou par non.")
    date = data.get("date") or timezone.localdate()
    if date > timezone.localdate():
        errors["date"] = _("La date ne peut pas être dans le futur.")
    if errors:
        raise ValidationError(errors)
    values = {name: data[name] for name in SURVEY_QUESTIONS}
    values.update(
        territory=territory,
        date=date,
        place=data.get("place") or KnowledgeSurveyAnswer.Place.DOOR,
        age_band=data.get("age_band") or "",
    )
    if client_key:
        existing = KnowledgeSurveyAnswer.objects.filter(client_key=client_key).first()
        if existing is not None:
            return existing, False
    try:
        with transaction.atomic():
            answer = KnowledgeSurveyAnswer.objects.create(
                recorded_by=user, client_key=client_key or None, **values
            )
            return answer, True
    except IntegrityError:
        existing = KnowledgeSurveyAnswer.objects.filter(client_key=client_key).first()
        if existing is None:
            raise
        return existing, False


def answers_today(user):
    return KnowledgeSurveyAnswer.objects.filter(recorded_by=user, date=timezone.localdate())


# -- a follow-up names a person only with consent: export, erasure, retention -------------------


def check_follow_up(follow_up: PartnerFollowUp) -> None:
    """A named person needs a recorded consent; a closed follow-up needs its closing date."""
    errors = {}
    if follow_up.person_id and not follow_up.consent_method:
        errors["consent_method"] = _(
            "Une personne n'est nommée qu'avec son accord : indiquez comment elle l'a donné."
        )
    if follow_up.outcome != PartnerFollowUp.Outcome.ONGOING and not follow_up.closed_on:
        errors["closed_on"] = _("Indiquez la date de clôture du suivi.")
    if errors:
        raise ValidationError(errors)


def export_partner_follow_ups(person) -> list[dict]:
    return [
        {
            "partner": follow_up.partner.name,
            "reason": follow_up.reason,
            "opened_on": follow_up.opened_on.isoformat(),
            "outcome": follow_up.outcome,
            "closed_on": follow_up.closed_on.isoformat() if follow_up.closed_on else None,
            "steps": [
                {"date": step.date.isoformat(), "what": step.what} for step in follow_up.steps.all()
            ],
        }
        for follow_up in PartnerFollowUp.objects.filter(person=person)
        .select_related("partner")
        .prefetch_related("steps")
    ]


def erase_partner_follow_ups(person) -> None:
    """The follow-up stays, pseudonymous (age band, gender, territory), for the figures."""
    PartnerFollowUp.objects.filter(person=person).update(person=None, consent_method="")


def _named_closed_follow_ups(now):
    cutoff = timezone.localtime(retention.get("community.partner_follow_ups").cutoff(now)).date()
    return PartnerFollowUp.objects.filter(person__isnull=False, closed_on__lt=cutoff)


def preview_named_follow_ups(now) -> int:
    return _named_closed_follow_ups(now).count()


def unname_closed_follow_ups(now) -> int:
    return _named_closed_follow_ups(now).update(person=None, consent_method="")


def named_follow_up_persons():
    return PartnerFollowUp.objects.filter(person__isnull=False).values_list("person_id", flat=True)
