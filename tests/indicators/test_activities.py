"""The plan's activity records and the figures they feed, each on a small hand-built data set
whose figures are chosen here (nothing reused from the demo)."""

import datetime as dt
from decimal import Decimal
from html import unescape

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

import pytest

from community.activities import rules
from community.models import (
    AgreementObjective,
    CallForTender,
    CommunicationAction,
    KnowledgeSurveyAnswer,
    PartnerFollowUp,
    PartnerFollowUpStep,
    PartnerMeeting,
    PartnershipAgreement,
    Project,
    TeamActivity,
    TenantCommittee,
)
from community.registries import Period, indicators, personal_data, retention
from tests import factories

pytestmark = pytest.mark.django_db

D = dt.date


def figure(key, period, *territories, residences=None):
    ids = [t.pk for t in territories] if territories else None
    return indicators.compute(
        key, period, ids, None if residences is None else [r.pk for r in residences]
    )


@pytest.fixture
def lyon(territories):
    return territories["Lyon 8"], territories["Lyon 9"]


@pytest.fixture
def partner(db):
    return factories.OrganisationFactory(name="Mission Locale", kind="partner")


def test_agreements_signed_and_their_objectives_met(year_2025, lyon, partner):
    lyon8, lyon9 = lyon

    def agreement(signed, territory, statuses=(), kind=PartnershipAgreement.Kind.BILATERAL):
        row = PartnershipAgreement.objects.create(
            partner=partner,
            kind=kind,
            title=f"Convention {signed}",
            territory=territory,
            signed_on=signed,
            starts_on=signed,
        )
        for status, assessed in statuses:
            AgreementObjective.objects.create(
                agreement=row, text="Objectif", status=status, assessed_on=assessed
            )

    met, not_met = AgreementObjective.Status.MET, AgreementObjective.Status.NOT_MET
    agreement(D(2025, 2, 1), lyon8, [(met, D(2025, 6, 1)), (met, D(2024, 12, 1))])
    agreement(
        D(2025, 3, 1), lyon8, [(not_met, D(2025, 6, 1))], kind=PartnershipAgreement.Kind.SERVICE
    )
    agreement(D(2025, 9, 1), None, [(met, D(2025, 11, 1)), (met, D(2025, 12, 31))])
    agreement(D(2024, 5, 1), lyon9, [(met, D(2025, 1, 1))])

    assert figure("community.agreements_signed", year_2025) == 3
    assert figure("community.agreements_signed", year_2025, lyon8) == 2
    assert figure("community.agreements_signed", year_2025, lyon9) == 0
    # With prevention and insertion actors: bilateral and partnership conventions only.
    assert figure("community.prevention_insertion_agreements", year_2025) == 2
    assert figure("community.prevention_insertion_agreements", year_2025, lyon8) == 1
    assert figure("community.agreement_objectives_met", year_2025) == 4
    assert figure("community.agreement_objectives_met", year_2025, lyon8) == 1
    assert figure("community.agreement_objectives_met", year_2025, lyon9) == 1


def test_projects_by_kind_and_residence_and_new_field_diagnoses(year_2025, lyon):
    lyon8, lyon9 = lyon
    residence = factories.ResidenceFactory(territory=lyon8)

    def project(kind, start, end=None, status=Project.Status.ACTIVE, territory=lyon8, **extra):
        return Project.objects.create(
            title=f"{kind} {start}",
            kind=kind,
            territory=territory,
            starts_on=start,
            ends_on=end,
            status=status,
            **extra,
        )

    K = Project.Kind
    project(K.TERRITORY, D(2024, 1, 1))  # still running
    project(K.TERRITORY, D(2023, 1, 1), D(2024, 12, 31), Project.Status.DONE)  # over before
    project(K.RESIDENCE, D(2025, 4, 1), residence=residence)
    project(K.RENOVATION, D(2025, 5, 1), territory=lyon9)
    project(K.CITIZEN, D(2025, 6, 1), status=Project.Status.PLANNED)  # not begun
    project(K.CITIZEN, D(2025, 6, 1), status=Project.Status.ABANDONED, territory=lyon9)
    project(K.NEW_FIELD, D(2025, 3, 1), domain="santé")
    project(K.NEW_FIELD, D(2024, 3, 1), domain="transport", territory=lyon9)
    project(K.TERRITORY, D(2026, 1, 1))  # after

    assert figure("community.projects", year_2025) == 3
    assert figure("community.projects", year_2025, lyon9) == 1
    assert figure("community.projects", year_2025, residences=[residence]) == 1
    by_kind = figure("community.projects_by_kind", year_2025)
    assert by_kind[str(K.TERRITORY.label)] == 1 and by_kind[str(K.NEW_FIELD.label)] == 2
    assert figure("community.residence_projects", year_2025) == 2
    assert figure("community.residence_projects", year_2025, lyon8) == 1
    assert figure("community.new_field_diagnoses", year_2025) == 1
    assert figure("community.new_field_diagnoses", year_2025, lyon9) == 0


def test_partner_meetings_hours_and_presentations(year_2025, lyon, partner):
    lyon8, lyon9 = lyon
    K = PartnerMeeting.Kind
    for kind, day, territory, hours, people in (
        (K.PRACTICE_EXCHANGE, D(2025, 2, 3), lyon8, "3.5", 12),
        (K.AWARENESS, D(2025, 3, 3), lyon9, "2", 9),
        (K.PRACTICE_EXCHANGE, D(2024, 12, 31), lyon8, "6", 30),  # before
        (K.PRESENTATION, D(2025, 5, 5), lyon8, "1", 40),
        (K.IMMERSION, D(2025, 6, 6), lyon9, "7", 2),
        (K.INFORMATION, D(2025, 7, 7), lyon9, "1.5", 25),
    ):
        meeting = PartnerMeeting.objects.create(
            kind=kind, date=day, territory=territory, hours=Decimal(hours), participants=people
        )
        meeting.partners.add(partner)

    assert figure("community.practice_exchange_hours", year_2025) == 5.5
    assert figure("community.practice_exchange_hours", year_2025, lyon8) == 3.5
    assert figure("community.practice_exchange_participants", year_2025) == 21
    assert figure("community.presentations_immersions", year_2025) == 2
    assert figure("community.presentations_immersions", year_2025, lyon9) == 1
    by_kind = figure("community.partner_meetings_by_kind", year_2025)
    assert by_kind[str(K.PRACTICE_EXCHANGE.label)] == 1 and by_kind[str(K.INFORMATION.label)] == 1
    assert sum(by_kind.values()) == 5


def test_follow_ups_with_partners_count_export_erase_and_lose_the_name(
    year_2025, lyon, partner, settings
):
    lyon8, lyon9 = lyon
    person = factories.PersonFactory(territory=lyon8)

    def follow_up(opened, closed=None, band="15-24", territory=lyon8, **extra):
        outcome = PartnerFollowUp.Outcome.SOLVED if closed else PartnerFollowUp.Outcome.ONGOING
        row = PartnerFollowUp(
            partner=partner,
            territory=territory,
            age_band=band,
            reason="Recherche d'emploi",
            opened_on=opened,
            closed_on=closed,
            outcome=outcome,
            **extra,
        )
        rules.check_follow_up(row)
        row.save()
        return row

    named = follow_up(D(2025, 3, 1), D(2025, 5, 1), person=person, consent_method="oral")
    PartnerFollowUpStep.objects.create(follow_up=named, date=D(2025, 3, 8), what="Rendez-vous")
    follow_up(D(2024, 10, 1))  # still open in 2025: followed during the year
    follow_up(D(2024, 1, 1), D(2024, 6, 1))  # closed before
    follow_up(D(2025, 8, 1), band="25-59", territory=lyon9)
    follow_up(D(2025, 9, 1), band="0-14", territory=lyon9)

    assert figure("community.partner_follow_ups", year_2025) == 4
    assert figure("community.partner_follow_ups", year_2025, lyon9) == 2
    assert figure("community.young_put_in_touch", year_2025) == 2
    PartnerMeeting.objects.create(
        kind=PartnerMeeting.Kind.INFORMATION, date=D(2025, 1, 9), territory=lyon9
    )
    assert figure("community.meetings_and_situations", year_2025, lyon9) == 3

    # A named person needs a consent; a closed follow-up its date.
    with pytest.raises(ValidationError) as refused:
        rules.check_follow_up(
            PartnerFollowUp(person=person, outcome=PartnerFollowUp.Outcome.DROPPED)
        )
    assert set(refused.value.message_dict) == {"consent_method", "closed_on"}

    exported = personal_data.export(person)["community.partner_follow_ups"]
    assert exported == [
        {
            "partner": "Mission Locale",
            "reason": "Recherche d'emploi",
            "opened_on": "2025-03-01",
            "outcome": "solved",
            "closed_on": "2025-05-01",
            "steps": [{"date": "2025-03-08", "what": "Rendez-vous"}],
        }
    ]
    # Past the retention after closing, the name goes and the figure stays.
    settings.RETENTION_FOLLOW_UP_MONTHS = 6
    rule = retention.get("community.partner_follow_ups")
    early = timezone.make_aware(dt.datetime(2025, 10, 1))
    late = timezone.make_aware(dt.datetime(2025, 11, 15))
    assert rule.preview(early) == 0
    assert rule.run(late) == 1
    named.refresh_from_db()
    assert named.person_id is None and named.consent_method == ""
    assert figure("community.partner_follow_ups", year_2025) == 4
    assert personal_data.export(person)["community.partner_follow_ups"] == []

    other = follow_up(D(2025, 4, 1), person=person, consent_method="written")
    personal_data.erase(person)
    other.refresh_from_db()
    assert other.person_id is None


def test_communication_actions_and_their_reach(year_2025, lyon):
    lyon8, lyon9 = lyon
    residence = factories.ResidenceFactory(territory=lyon9)
    K = CommunicationAction.Kind
    for kind, day, territory, doors, leaflets, met, home in (
        (K.DOOR_TO_DOOR, D(2025, 4, 2), lyon9, 120, 80, 45, residence),
        (K.POSTERS, D(2025, 5, 2), lyon9, 0, 0, 0, residence),
        (K.FORUM, D(2025, 9, 12), lyon8, 0, 150, 70, None),
        (K.LEAFLETS, D(2024, 9, 12), lyon8, 0, 500, 0, None),  # before
    ):
        CommunicationAction.objects.create(
            kind=kind,
            date=day,
            territory=territory,
            residence=home,
            doors_knocked=doors,
            leaflets=leaflets,
            people_met=met,
        )
    assert figure("community.communication_actions", year_2025) == 3
    assert figure("community.communication_actions", year_2025, lyon8) == 1
    assert figure("community.communication_actions", year_2025, residences=[residence]) == 2
    assert list(figure("community.communication_reach", year_2025).values()) == [120, 230, 115]


def test_the_knowledge_survey_typed_on_a_phone_and_its_rates(year_2025, lyon, staff, client):
    lyon8, lyon9 = lyon
    mediator = staff["mediator_lyon8"]
    client.force_login(mediator)
    page = client.get("/equipe/enquete/")
    assert page.status_code == 200 and "Connaissez-vous les médiateurs" in page.text
    post = {"territory": lyon8.pk, "place": "stand", "client_key": "phone-1"}
    post.update(knows_service="1", knows_mediators="0", knows_missions="0")
    refused = client.post("/equipe/enquete/", post)  # one question unanswered
    assert refused.status_code == 400 and "Répondez par oui ou par non." in refused.text
    assert client.post("/equipe/enquete/", {**post, "has_called_on": "1"}).status_code == 302
    assert client.post("/equipe/enquete/", {**post, "has_called_on": "1"}).status_code == 302
    typed = KnowledgeSurveyAnswer.objects.get()
    assert (typed.place, typed.knows_service, typed.knows_mediators, typed.has_called_on) == (
        "stand",
        True,
        False,
        True,
    )
    typed.delete()
    answers = [
        # knows service, mediators, missions, has called on them
        (True, True, False, True),
        (True, False, False, False),
        (False, False, False, False),
        (True, True, True, False),
    ]
    for i, (service, mediators, missions, called) in enumerate(answers):
        data = dict(
            territory=lyon8,
            date=D(2025, 6, 10),
            knows_service=service,
            knows_mediators=mediators,
            knows_missions=missions,
            has_called_on=called,
        )
        answer, created = rules.record_survey_answer(mediator, data, client_key=f"tap-{i}")
        assert created
    again, created = rules.record_survey_answer(mediator, data, client_key="tap-3")
    assert not created and again == answer  # a double tap records one answer
    with pytest.raises(ValidationError) as refused:
        rules.record_survey_answer(mediator, {**data, "territory": lyon9, "knows_service": None})
    assert set(refused.value.message_dict) == {"territory", "knows_service"}
    with pytest.raises(PermissionDenied):
        rules.record_survey_answer(staff["communication"], data)
    KnowledgeSurveyAnswer.objects.create(
        territory=lyon9,
        date=D(2025, 2, 2),
        knows_service=False,
        knows_mediators=True,
        knows_missions=True,
        has_called_on=True,
    )

    assert KnowledgeSurveyAnswer.objects.count() == 5
    assert figure("community.survey_answers", year_2025) == 5
    assert figure("community.knows_service_rate", year_2025) == 60.0
    assert figure("community.knows_service_rate", year_2025, lyon8) == 75.0
    assert figure("community.knows_mediators_rate", year_2025, lyon8) == 50.0
    assert figure("community.knows_missions_rate", year_2025, lyon8) == 25.0
    assert figure("community.solicitation_rate", year_2025) == 40.0
    assert figure("community.solicitation_rate", year_2025, lyon9) == 100.0
    empty = Period(D(2024, 1, 1), D(2024, 12, 31))
    assert figure("community.knows_service_rate", empty) is None


def test_tenant_committees_supported(year_2025, lyon):
    lyon8, lyon9 = lyon
    for name, territory, since, until in (
        ("Comité Langlet-Santy", lyon8, D(2023, 5, 1), None),
        ("Comité Mermoz", lyon8, D(2024, 1, 1), D(2024, 12, 31)),  # over before
        ("Comité Duchère", lyon9, D(2025, 10, 1), D(2026, 3, 1)),
    ):
        TenantCommittee.objects.create(
            name=name, territory=territory, supported_from=since, supported_until=until
        )
    assert figure("community.tenant_committees", year_2025) == 2
    assert figure("community.tenant_committees", year_2025, lyon8) == 1


def test_calls_for_tender_and_the_team_log_are_agency_figures(
    year_2025, lyon, partner, staff, client
):
    for title, answered, result, decided in (
        ("Médiation santé", D(2025, 2, 1), CallForTender.Result.WON, D(2025, 4, 1)),
        ("Médiation transports", D(2025, 3, 1), CallForTender.Result.LOST, D(2025, 5, 1)),
        ("Tranquillité résidentielle", D(2024, 11, 1), CallForTender.Result.WON, D(2025, 1, 15)),
        ("Veille sociale", D(2025, 10, 1), CallForTender.Result.PENDING, None),
    ):
        CallForTender.objects.create(
            title=title, issuer=partner, answered_on=answered, result=result, decided_on=decided
        )
    K = TeamActivity.Kind
    for kind, day, hours in (
        (K.INTER_TEAM_MEETING, D(2025, 1, 20), "2"),
        (K.INTER_TEAM_MEETING, D(2025, 6, 20), "2"),
        (K.WORKING_GROUP, D(2025, 3, 20), "1.5"),
        (K.IMMERSION, D(2025, 4, 20), "7"),
        (K.TRAINING, D(2025, 5, 20), "14"),
        (K.TRAINING, D(2024, 5, 20), "21"),  # before
    ):
        TeamActivity.objects.create(kind=kind, date=day, hours=Decimal(hours), participants=6)

    assert figure("community.tenders_answered", year_2025) == 3
    assert figure("community.tenders_won", year_2025) == 2
    assert figure("community.team_meetings", year_2025) == 3
    assert figure("community.inter_team_meetings", year_2025) == 2
    assert figure("community.inter_team_immersions", year_2025) == 1
    assert figure("community.team_training_hours", year_2025) == 14.0
    # Asked for one territory, an agency figure has no value (not a misleading 0).
    assert figure("community.tenders_won", year_2025, lyon[0]) is None
    assert figure("community.team_meetings", year_2025, lyon[0]) is None
    # The dashboard of a mediator (their territory selected) shows the agency's figure, said so.
    client.force_login(staff["mediator_lyon8"])
    response = client.get("/admin/indicateurs/", {"period": "year", "year": 2025})
    rows = {r.key: r for s in response.context["sections"] for r in s.rows}
    assert (rows["community.tenders_won"].value, rows["community.team_meetings"].value) == (2, 3)
    assert rows["community.tenders_won"].agency_wide and not rows["community.projects"].agency_wide
    cell = unescape(response.text).split("Appels d'offre remportés", 1)[1].split("</tr>", 1)[0]
    assert "toute l’agence" in cell and "non suivi" not in cell
    report = unescape(client.get("/admin/indicateurs/rapport/", {"year": 2025}).text)
    assert "Appels d'offre remportés (toute l’agence)" in report


def test_a_projects_events_in_the_event_form_its_admin_page_and_the_figures(
    year_2025, lyon, staff, client
):
    from events.models import Event, EventKind

    lyon8, lyon9 = lyon
    mermoz = Project.objects.create(
        title="Tri à Mermoz", kind=Project.Kind.CITIZEN, territory=lyon8, starts_on=D(2024, 9, 1)
    )
    santy = Project.objects.create(
        title="Fête à Santy", kind=Project.Kind.TERRITORY, territory=lyon9, starts_on=D(2025, 1, 1)
    )

    def event(title, day, territory, kind=EventKind.OTHER, project=None, **extra):
        start = timezone.make_aware(dt.datetime(day.year, day.month, day.day, 14))
        return factories.EventFactory(
            title=title,
            kind=kind,
            territory=territory,
            project=project,
            start=start,
            end=start + dt.timedelta(hours=2),
            **extra,
        )

    event("Sensibilisation au tri", D(2025, 3, 4), lyon8, EventKind.AWARENESS, mermoz)
    event("Atelier encombrants", D(2025, 4, 8), lyon8, project=mermoz)
    event("Réunion de lancement", D(2024, 10, 1), lyon8, project=mermoz)  # the year before
    event("Tri annulé", D(2025, 5, 1), lyon8, project=mermoz, cancelled_at=timezone.now())
    event("Sensibilisation au bruit", D(2025, 5, 6), lyon9, EventKind.AWARENESS)
    event("Préparation de la fête", D(2025, 6, 3), lyon9, project=santy)
    event("Café de juin", D(2025, 6, 10), lyon9)  # neither

    assert figure("events.project_actions", year_2025) == 3
    assert figure("events.project_actions", year_2025, lyon8) == 2
    # Awareness actions and projects' actions, an event counted once.
    assert figure("events.participation_actions", year_2025) == 4
    assert figure("events.participation_actions", year_2025, lyon9) == 2

    # The event's form offers the projects of the user's territories only.
    mediator = staff["mediator_lyon8"]
    form_class = Event.get_edit_handler().get_form_class()
    form = form_class(instance=Event(), for_user=mediator)
    assert list(form.fields["project"].queryset) == [mermoz]

    # The project's page lists its events; another territory's project answers 404.
    client.force_login(mediator)
    page = client.get(f"/admin/snippets/community/project/inspect/{mermoz.pk}/")
    assert page.status_code == 200
    listed = page.text.split("Événements du projet", 1)[1]
    for title in ("Sensibilisation au tri", "Atelier encombrants", "Réunion de lancement"):
        assert title in listed
    assert "Préparation de la fête" not in listed
    assert client.get(f"/admin/snippets/community/project/inspect/{santy.pk}/").status_code == 404
