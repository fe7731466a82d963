"""The rules of the plan's activity records (agreements, projects, partner meetings, follow-ups
with partner structures, communication actions, tenant committees, calls for tender, the team
log and the knowledge survey): what each counts for the indicators, the survey answers mediators
type on their phone, and what a follow-up holds about a named person (export, erasure,
retention). Views, the admin, tasks and the demo call these functions."""

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


def _scope(queryset, territory_ids, residence_ids=None, *, residence=None):
    if territory_ids is not None:
        queryset = queryset.filter(territory_id__in=list(territory_ids))
    if residence_ids is not None and residence:
        queryset = queryset.filter(**{f"{residence}__in": list(residence_ids)})
    return queryset


def _within(period: Period, field: str) -> Q:
    return Q(**{f"{field}__gte": period.start, f"{field}__lte": period.end})


def _overlapping(period: Period, start: str, end: str) -> Q:
    """Rows whose [start, end] span (end empty: still running) meets the period."""
    return Q(**{f"{start}__lte": period.end}) & (
        Q(**{f"{end}__isnull": True}) | Q(**{f"{end}__gte": period.start})
    )


# -- agreements ---------------------------------------------------------------------------------


def agreements_signed(period, territory_ids=None) -> int:
    """Agreements signed in the period (an agency-wide one counts only for the whole agency)."""
    return _scope(
        PartnershipAgreement.objects.filter(_within(period, "signed_on")), territory_ids
    ).count()


# Agreements with the actors of specialised prevention and of social and professional insertion
# (the Mission Locale's bilateral convention, partnership conventions): the plan's axis on
# formalising partnerships counts these, the axis on partners' culture counts them all.
PREVENTION_INSERTION_KINDS = (
    PartnershipAgreement.Kind.BILATERAL,
    PartnershipAgreement.Kind.PARTNERSHIP,
)


def prevention_insertion_agreements_signed(period, territory_ids=None) -> int:
    return _scope(
        PartnershipAgreement.objects.filter(
            _within(period, "signed_on"), kind__in=PREVENTION_INSERTION_KINDS
        ),
        territory_ids,
    ).count()


def agreement_objectives_met(period, territory_ids=None) -> int:
    """Objectives of agreements assessed as met during the period."""
    queryset = AgreementObjective.objects.filter(
        _within(period, "assessed_on"), status=AgreementObjective.Status.MET
    )
    if territory_ids is not None:
        queryset = queryset.filter(agreement__territory_id__in=list(territory_ids))
    return queryset.count()


# -- projects -----------------------------------------------------------------------------------


def _projects(period, territory_ids, residence_ids=None):
    """Projects running during the period, neither still in preparation nor abandoned."""
    return _scope(
        Project.objects.filter(_overlapping(period, "starts_on", "ends_on")).exclude(
            status__in=(Project.Status.PLANNED, Project.Status.ABANDONED)
        ),
        territory_ids,
        residence_ids,
        residence="residence",
    )


def projects(period, territory_ids=None, residence_ids=None) -> int:
    return (
        _projects(period, territory_ids, residence_ids).exclude(kind=Project.Kind.NEW_FIELD).count()
    )


def projects_by_kind(period, territory_ids=None, residence_ids=None) -> dict:
    counts = dict(
        _projects(period, territory_ids, residence_ids)
        .order_by()
        .values_list("kind")
        .annotate(n=Count("pk"))
    )
    return {str(label): counts.get(kind, 0) for kind, label in Project.Kind.choices}


def residence_projects(period, territory_ids=None, residence_ids=None) -> int:
    return (
        _projects(period, territory_ids, residence_ids)
        .filter(kind__in=Project.RESIDENCE_KINDS)
        .count()
    )


def new_field_diagnoses(period, territory_ids=None) -> int:
    """Diagnoses in new fields (health, private housing, transport...) engaged in the period."""
    return _scope(
        Project.objects.filter(_within(period, "starts_on"), kind=Project.Kind.NEW_FIELD).exclude(
            status=Project.Status.PLANNED
        ),
        territory_ids,
    ).count()


def tenant_committees_supported(period, territory_ids=None, residence_ids=None) -> int:
    return _scope(
        TenantCommittee.objects.filter(_overlapping(period, "supported_from", "supported_until")),
        territory_ids,
        residence_ids,
        residence="residence",
    ).count()


# -- partner meetings and follow-ups ----------------------------------------------------------


def _meetings(period, territory_ids):
    return _scope(PartnerMeeting.objects.filter(_within(period, "date")), territory_ids)


def partner_meetings(period, territory_ids=None) -> int:
    return _meetings(period, territory_ids).count()


def partner_meetings_by_kind(period, territory_ids=None) -> dict:
    counts = dict(
        _meetings(period, territory_ids).order_by().values_list("kind").annotate(n=Count("pk"))
    )
    return {str(label): counts.get(kind, 0) for kind, label in PartnerMeeting.Kind.choices}


def presentations_and_immersions(period, territory_ids=None) -> int:
    return (
        _meetings(period, territory_ids)
        .filter(kind__in=(PartnerMeeting.Kind.PRESENTATION, PartnerMeeting.Kind.IMMERSION))
        .count()
    )


def _training(period, territory_ids) -> dict:
    return shared(
        ("community.partner_training", period, _key(territory_ids)),
        lambda: (
            _meetings(period, territory_ids)
            .filter(kind__in=TRAINING_MEETINGS)
            .aggregate(hours=Sum("hours"), people=Sum("participants"))
        ),
    )


def _key(ids):
    return None if ids is None else tuple(sorted(ids))


def practice_exchange_hours(period, territory_ids=None) -> float:
    """Hours of practice exchanges and awareness workshops held for partners' staff."""
    return float(_training(period, territory_ids)["hours"] or 0)


def practice_exchange_participants(period, territory_ids=None) -> int:
    return _training(period, territory_ids)["people"] or 0


def _follow_ups(period, territory_ids):
    return _scope(
        PartnerFollowUp.objects.filter(_overlapping(period, "opened_on", "closed_on")),
        territory_ids,
    )


def partner_follow_ups(period, territory_ids=None) -> int:
    """People whose situation was followed with a partner structure during the period."""
    return _follow_ups(period, territory_ids).count()


def young_put_in_touch(period, territory_ids=None) -> int:
    """Young people (0-24) whose follow-up with a partner structure began in the period."""
    return _scope(
        PartnerFollowUp.objects.filter(_within(period, "opened_on"), age_band__in=YOUNG_BANDS),
        territory_ids,
    ).count()


def meetings_and_situations(period, territory_ids=None) -> int:
    return partner_meetings(period, territory_ids) + partner_follow_ups(period, territory_ids)


# -- communication and the knowledge survey --------------------------------------------------


def _communication(period, territory_ids, residence_ids=None):
    return _scope(
        CommunicationAction.objects.filter(_within(period, "date")),
        territory_ids,
        residence_ids,
        residence="residence",
    )


def communication_actions(period, territory_ids=None, residence_ids=None) -> int:
    return _communication(period, territory_ids, residence_ids).count()


def communication_reach(period, territory_ids=None, residence_ids=None) -> dict:
    totals = _communication(period, territory_ids, residence_ids).aggregate(
        doors=Sum("doors_knocked"), leaflets=Sum("leaflets"), people=Sum("people_met")
    )
    return {
        _("Portes frappées"): totals["doors"] or 0,
        _("Dépliants distribués"): totals["leaflets"] or 0,
        _("Personnes rencontrées"): totals["people"] or 0,
    }


SURVEY_QUESTIONS = ("knows_service", "knows_mediators", "knows_missions", "has_called_on")


def _survey(period, territory_ids) -> dict:
    """{question: yes count} and "total", in one aggregation shared by the four rates."""

    def compute():
        queryset = _scope(
            KnowledgeSurveyAnswer.objects.filter(_within(period, "date")), territory_ids
        )
        return queryset.aggregate(
            total=Count("pk"),
            **{name: Count("pk", filter=Q(**{name: True})) for name in SURVEY_QUESTIONS},
        )

    return shared(("community.survey", period, _key(territory_ids)), compute)


def _rate(question):
    def compute(period, territory_ids=None) -> float | None:
        counts = _survey(period, territory_ids)
        if not counts["total"]:
            return None
        return round(100 * counts[question] / counts["total"], 1)

    return compute


knows_service_rate = _rate("knows_service")
knows_mediators_rate = _rate("knows_mediators")
knows_missions_rate = _rate("knows_missions")
solicitation_rate = _rate("has_called_on")


def survey_answers(period, territory_ids=None) -> int:
    return _survey(period, territory_ids)["total"]


# -- agency-wide records: calls for tender, the team log ----------------------------------------


def tenders_answered(period, territory_ids=None) -> int | None:
    """Calls for tender answered in the period (agency figure: none for some territories)."""
    if territory_ids is not None:
        return None
    return CallForTender.objects.filter(_within(period, "answered_on")).count()


def tenders_won(period, territory_ids=None) -> int | None:
    if territory_ids is not None:
        return None
    return CallForTender.objects.filter(
        _within(period, "decided_on"), result=CallForTender.Result.WON
    ).count()


def _team_count(*kinds):
    def compute(period, territory_ids=None) -> int | None:
        if territory_ids is not None:
            return None
        return TeamActivity.objects.filter(_within(period, "date"), kind__in=kinds).count()

    return compute


team_meetings = _team_count(TeamActivity.Kind.INTER_TEAM_MEETING, TeamActivity.Kind.WORKING_GROUP)
inter_team_meetings = _team_count(TeamActivity.Kind.INTER_TEAM_MEETING)
inter_team_immersions = _team_count(TeamActivity.Kind.IMMERSION)


def team_training_hours(period, territory_ids=None) -> float | None:
    if territory_ids is not None:
        return None
    hours = TeamActivity.objects.filter(
        _within(period, "date"), kind=TeamActivity.Kind.TRAINING
    ).aggregate(n=Sum("hours"))["n"]
    return float(hours or 0)


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
