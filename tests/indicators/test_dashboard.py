"""The dashboard, its exports and the yearly report: who sees which figures, bad input, and a
number of queries that does not grow with the data."""

import datetime as dt
import io

from django.test import Client
from django.urls import reverse
from django.utils import timezone

import pytest
from openpyxl import load_workbook

from community.models import Intervention, ReportComment
from tests import factories
from tests.indicators.builders import book, event_on

pytestmark = pytest.mark.django_db

DASHBOARD = "/admin/indicateurs/"


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def figures(territories, kinds):
    """2025: 3 interventions in Lyon 8, 7 in Lyon 9; 2024: 1 in Lyon 8."""
    for territory, n in ((territories["Lyon 8"], 3), (territories["Lyon 9"], 7)):
        for i in range(n):
            Intervention.objects.create(
                kind=kinds["rappel-regle"], territory=territory, date=dt.date(2025, 2, 1 + i)
            )
    Intervention.objects.create(
        kind=kinds["rappel-regle"], territory=territories["Lyon 8"], date=dt.date(2024, 2, 1)
    )


def interventions_row(content: str) -> str:
    start = content.index(">Interventions<")
    return content[start : start + 600]


def test_a_manager_sees_every_territory_beside_the_previous_period(staff, figures):
    response = client_for(staff["manager"]).get(DASHBOARD, {"period": "year", "year": 2025})
    assert response.status_code == 200
    row = response.context["sections"]
    values = {r.key: (r.value, r.previous) for s in row for r in s.rows}
    assert values["community.interventions"] == (10, 1)
    content = response.content.decode()
    assert "Lyon 9" in content and "<svg" in content and "<table" in content


def test_a_mediator_sees_only_their_territories_figures(staff, figures, territories):
    client = client_for(staff["mediator_lyon8"])
    response = client.get(DASHBOARD, {"period": "year", "year": 2025})
    assert response.status_code == 200
    values = {r.key: (r.value, r.previous) for s in response.context["sections"] for r in s.rows}
    assert values["community.interventions"] == (3, 1)
    assert "Lyon 9" not in response.content.decode()
    lyon9 = territories["Lyon 9"].pk
    assert client.get(DASHBOARD, {"territory": lyon9}).status_code == 403
    assert client.get(reverse("indicators:export_csv"), {"territory": lyon9}).status_code == 403
    assert client.get(reverse("indicators:report"), {"territory": lyon9}).status_code == 403
    assert client.get(reverse("indicators:report_pdf"), {"territory": lyon9}).status_code == 403

    csv = client.get(reverse("indicators:export_csv"), {"year": 2025}).content.decode("utf-8-sig")
    line = next(
        r for r in csv.splitlines() if r.startswith("Interventions de terrain;Interventions;")
    )
    assert line == "Interventions de terrain;Interventions;;3;1;;"
    workbook = load_workbook(
        io.BytesIO(client.get(reverse("indicators:export_xlsx"), {"year": 2025}).content)
    )
    rows = list(workbook.active.iter_rows(values_only=True))
    assert ("Interventions de terrain", "Interventions", None, 3, 1, None, None) in rows


def test_those_without_the_permission_are_refused(staff):
    refused = client_for(staff["communication"]).get(DASHBOARD)
    assert (refused.status_code, refused["Location"]) == (302, "/admin/")  # Wagtail's refusal
    assert Client().get(DASHBOARD).status_code == 302


def test_a_period_that_ends_before_it_starts_gets_a_message(staff):
    response = client_for(staff["manager"]).get(
        DASHBOARD, {"period": "custom", "start": "2025-03-01", "end": "2025-02-01"}
    )
    assert response.status_code == 400
    assert "La période se termine avant de commencer" in response.content.decode()
    export = client_for(staff["manager"]).get(
        reverse("indicators:export_csv"),
        {"period": "custom", "start": "2025-03-01", "end": "2025-02-01"},
    )
    assert export.status_code == 400


def test_quarter_and_custom_periods_compare_with_the_period_before(staff, figures):
    client = client_for(staff["manager"])
    response = client.get(DASHBOARD, {"period": "quarter", "year": 2025, "quarter": 1})
    assert (response.context["period"].start, response.context["period"].end) == (
        dt.date(2025, 1, 1),
        dt.date(2025, 3, 31),
    )
    assert response.context["previous"].start == dt.date(2024, 10, 1)
    response = client.get(
        DASHBOARD, {"period": "custom", "start": "2025-02-01", "end": "2025-02-03"}
    )
    values = {r.key: r.value for s in response.context["sections"] for r in s.rows}
    assert values["community.interventions"] == 6
    assert response.context["previous"].end == dt.date(2025, 1, 31)


def _registrations(territories, n):
    people = [factories.PersonFactory(territory=territories["Lyon 8"]) for _ in range(n // 5)]
    for i in range(n):
        event = event_on(dt.date(2025, 1 + i % 12, 1 + i % 28), territories["Lyon 8"])
        book(event, people[i % len(people)], came=bool(i % 3))


def _bulk_registrations(territories, n):
    """The rows `_registrations` writes (an event, a booking, a registration, a participant and
    a presence per registration, a person per five), in one bulk insert per table: building
    them one save at a time took most of the test's time (each event's save also indexes it
    for the admin's search, which the dashboard never reads)."""
    from community.models import Person
    from events.models import Event
    from events.models.attendance import Attendance
    from events.models.bookings import Booking, Participant, Registration

    territory = territories["Lyon 8"]
    people = Person.objects.bulk_create(
        factories.PersonFactory.build(territory=territory) for _ in range(n // 5)
    )
    starts = [timezone.make_aware(dt.datetime(2025, 1 + i % 12, 1 + i % 28, 14)) for i in range(n)]
    events = Event.objects.bulk_create(
        factories.EventFactory.build(
            territory=territory, start=start, end=start + dt.timedelta(hours=2)
        )
        for start in starts
    )
    bookings = Booking.objects.bulk_create(
        Booking(person=people[i % len(people)], consent_text="J'accepte.") for i in range(n)
    )
    registrations = Registration.objects.bulk_create(
        Registration(
            booking=bookings[i],
            event=events[i],
            person=people[i % len(people)],
            status=Registration.Status.CONFIRMED,
            seats=1,
        )
        for i in range(n)
    )
    Participant.objects.bulk_create(
        Participant(registration=registration, first_name="P0", age_band="25-59")
        for registration in registrations
    )
    Attendance.objects.bulk_create(
        Attendance(
            registration=registration,
            status=Attendance.Status.ATTENDED if i % 3 else Attendance.Status.NO_SHOW,
        )
        for i, registration in enumerate(registrations)
    )


def _small_plan(territories):
    """A plan covering 2025 with targets on computed and typed indicators, so the dashboard
    reads targets and computes the share of objectives reached."""
    from community.models import (
        Axis,
        IndicatorFigure,
        IndicatorTarget,
        Objective,
        PlanIndicator,
        ServicePlan,
        Stake,
    )

    plan = ServicePlan.objects.create(title="Plan", start_year=2024, end_year=2026)
    axis = Axis.objects.create(stake=Stake.objects.create(plan=plan, title="Enjeu"), title="Axe")
    objective = Objective.objects.create(axis=axis, text="Objectif")
    for key in ("events.participations", "community.interventions", ""):
        indicator = PlanIndicator.objects.create(
            axis=axis, objective=objective, label=key or "saisi", computed_key=key
        )
        IndicatorTarget.objects.create(indicator=indicator, year=2025, value=10)
        IndicatorTarget.objects.create(
            indicator=indicator, year=2025, territory=territories["Lyon 8"], value=4
        )
        if not key:
            IndicatorFigure.objects.create(indicator=indicator, year=2025, value=3, source="x")


def _dashboard_queries(client, django_assert_max_num_queries) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        response = client.get(DASHBOARD, {"period": "year", "year": 2025})
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_the_dashboards_query_count_does_not_grow_with_the_data(
    staff, territories, django_assert_num_queries
):
    client = client_for(staff["manager"])
    _small_plan(territories)
    _registrations(territories, 20)
    client.get(DASHBOARD)  # the admin's first page fills per-process caches (content types)
    with_20 = _dashboard_queries(client, django_assert_num_queries)
    _bulk_registrations(territories, 480)
    from events.models.bookings import Registration

    assert Registration.objects.count() == 500
    # Should building the data take over a minute, the staff session's expiry slides on the
    # next request (a few writes, once a minute). That request is this warm-up, not the one
    # counted.
    client.get(DASHBOARD, {"period": "year", "year": 2025})
    with django_assert_num_queries(with_20):
        client.get(DASHBOARD, {"period": "year", "year": 2025})


def test_the_2015_yearly_report_reproduces_the_annex(staff, territories):
    from community.demo import interventions as demo_interventions
    from community.reporting import reports

    demo_interventions.seed_annex(years=(2015,))
    report = reports.build(2015, None, None)
    conflict = next(s for s in report.sections if s.key == "conflict")
    lines = {line.name: line for line in conflict.kinds}
    assert lines["Gestion de conflits"].total == 1838
    names = [t.name for t in report.territories]
    assert lines["Gestion de conflits"].per_territory[names.index("EMH")] == 703
    assert lines["Table ronde"].total == 31
    assert lines["Gestion de conflit en temps réel"].total == 137
    assert lines["Suivi de conflit en temps différé"].total == 274
    assert lines["Rappel à la règle"].total == 1391
    assert names == ["EMH", "Lyon 7", "Lyon 8", "Lyon 9"]
    assert lines["Sensibilisation"].per_territory == [12, 17, 12, 5]
    partnership = {line.name: line for line in report.sections[1].kinds}
    assert partnership["Mise en relation"].total == 1070
    assert partnership["Mise en relation"].people_by_year[-1] == (2015, 1047, 472, 575)
    assert partnership["Facilitation de projet"].people_by_year[-1][1] == 837
    assistance = {line.name: line.total for line in report.sections[2].kinds}
    assert assistance == {
        "Aide physique": 121,
        "Aide morale": 588,
        "Aide administrative": 121,
        "Écoute active": 8320,
    }
    watch = {line.name: line.total for line in report.sections[3].kinds}
    # The annex's own "Interventions" column of technical watch (15 in 2015), beside its total.
    assert watch == {
        "Veille technique": 232,
        "Veille technique (interventions)": 15,
        "Transmission au bailleur": 204,
        "Sécurisation": 13,
    }

    client = client_for(staff["manager"])
    page = client.get(reverse("indicators:report"), {"year": 2015})
    assert page.status_code == 200
    content = page.content.decode()
    assert "<strong>1838</strong>" in content and "<strong>1070</strong>" in content
    pdf = client.get(reverse("indicators:report_pdf"), {"year": 2015})
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert pdf["Content-Disposition"] == 'attachment; filename="rapport-2015.pdf"'


def test_managers_write_a_comment_per_section_mediators_cannot(staff, territories):
    manager = client_for(staff["manager"])
    response = manager.post(
        reverse("indicators:report_comment"),
        {
            "year": 2015,
            "territory": "",
            "section": "conflict",
            "text": "Une année de tables rondes.",
        },
    )
    assert response.status_code == 302
    assert (
        ReportComment.objects.get(year=2015, territory=None).text == "Une année de tables rondes."
    )
    page = manager.get(reverse("indicators:report"), {"year": 2015})
    assert "Une année de tables rondes." in page.content.decode()
    manager.post(
        reverse("indicators:report_comment"),
        {"year": 2015, "section": "conflict", "text": "Réécrit."},
    )
    assert ReportComment.objects.get().text == "Réécrit."
    bad = manager.post(
        reverse("indicators:report_comment"), {"year": 2015, "section": "nope", "text": "x"}
    )
    assert bad.status_code == 302 and ReportComment.objects.count() == 1

    mediator = client_for(staff["mediator_lyon8"])
    refused = mediator.post(
        reverse("indicators:report_comment"),
        {"year": 2015, "territory": territories["Lyon 8"].pk, "section": "conflict", "text": "x"},
    )
    assert refused.status_code == 403
    # The agency-wide comment is not shown to a mediator.
    assert (
        "Réécrit."
        not in mediator.get(reverse("indicators:report"), {"year": 2015}).content.decode()
    )


@pytest.fixture
def year_2023(territories, kinds):
    """A hand-built year: reminders of the rule 2 in Lyon 7 and 5 in Lyon 9 (and 1 in Lyon 7 in
    2022); 3 referrals in Lyon 8 of 4 people each (3 women, 1 man); a comment on conflicts."""
    for territory, n, year in (("Lyon 7", 2, 2023), ("Lyon 9", 5, 2023), ("Lyon 7", 1, 2022)):
        for i in range(n):
            Intervention.objects.create(
                kind=kinds["rappel-regle"],
                territory=territories[territory],
                date=dt.date(year, 5, 1 + i),
            )
    for i in range(3):
        Intervention.objects.create(
            kind=kinds["mise-en-relation"],
            territory=territories["Lyon 8"],
            date=dt.date(2023, 10, 2 + i),
            people=4,
            women=3,
            men=1,
        )
    ReportComment.objects.create(year=2023, section="conflict", text="Une année de rappels.")


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_the_yearly_report_pdf_carries_the_years_figures(staff, year_2023):
    from pypdf import PdfReader

    response = client_for(staff["manager"]).get(reverse("indicators:report_pdf"), {"year": 2023})
    assert response.status_code == 200
    reader = PdfReader(io.BytesIO(response.content))
    text = _flat(" ".join(page.extract_text() for page in reader.pages))
    assert "Rapport annuel 2023" in text
    # Per territory (EMH, Lyon 7, Lyon 8, Lyon 9) and total; then 2021, 2022, 2023.
    assert "Rappel à la règle 0 2 0 5 7" in text
    assert "Rappel à la règle 0 1 7" in text
    assert "Mise en relation 0 0 3 0 3" in text
    assert "Mise en relation 2023 12 9 3" in text  # people, women, men
    assert "Une année de rappels." in text


def test_the_yearly_report_csv_and_xlsx_carry_the_years_figures(staff, year_2023):
    import csv as csv_module

    client = client_for(staff["manager"])
    content = client.get(reverse("indicators:report_csv"), {"year": 2023}).content
    rows = list(csv_module.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:5] == ["Section", "Ligne", "2021", "2022", "2023"]
    by_line = {row[1]: row[2:5] for row in rows[1:]}
    assert by_line["Rappel à la règle"] == ["0", "1", "7"]
    assert by_line["Mise en relation"] == ["0", "0", "3"]
    workbook = load_workbook(
        io.BytesIO(client.get(reverse("indicators:report_xlsx"), {"year": 2023}).content)
    )
    sheet = list(workbook.active.iter_rows(values_only=True))
    by_line = {row[1]: row[2:5] for row in sheet[1:]}
    assert by_line["Rappel à la règle"] == (0, 1, 7)
    assert by_line["Mise en relation"] == (0, 0, 3)
    # A mediator of Lyon 8 gets Lyon 8's year only.
    mediator = client_for(staff["mediator_lyon8"])
    content = mediator.get(reverse("indicators:report_csv"), {"year": 2023}).content
    rows = list(csv_module.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
    by_line = {row[1]: row[2:5] for row in rows[1:]}
    assert by_line["Rappel à la règle"] == ["0", "0", "0"]
    assert by_line["Mise en relation"] == ["0", "0", "3"]


# The records the indicators count: the dashboard reads each in one aggregation per period
# (the period and the one before), however many indicators rest on it. The registrations are
# read three times per period: who came (with their participants, kinds and young people), who
# had come before, and the satisfaction surveys sent to them; the interventions once more for
# the date they are tracked since.
ONE_PER_PERIOD = {
    "events_participant": 2,
    "events_walkin": 2,
    "events_registration": 6,
    "community_intervention": 3,
    "community_project": 2,
    "community_partnermeeting": 2,
    "community_partnerfollowup": 2,
    "community_communicationaction": 2,
    "community_teamactivity": 2,
    "community_callfortender": 2,
    "community_knowledgesurveyanswer": 2,
}


def test_the_yearly_dashboard_reads_each_table_once_per_period(staff, territories):
    """Every computed indicator is in the plan, as in the seed's: the share of objectives
    reached reuses the dashboard's figures instead of computing them again."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from community.models import Axis, IndicatorTarget, PlanIndicator, ServicePlan, Stake
    from community.registries import indicators

    plan = ServicePlan.objects.create(title="Plan", start_year=2024, end_year=2026)
    axis = Axis.objects.create(stake=Stake.objects.create(plan=plan, title="Enjeu"), title="Axe")
    for key in indicators.items:
        indicator = PlanIndicator.objects.create(axis=axis, label=key, computed_key=key)
        IndicatorTarget.objects.create(indicator=indicator, year=2025, value=10)
    _registrations(territories, 10)
    client = client_for(staff["manager"])
    client.get(DASHBOARD, {"period": "year", "year": 2025})  # per-process caches, session
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(DASHBOARD, {"period": "year", "year": 2025})
    assert response.status_code == 200
    reading = {
        table: sum(f'"{table}"' in query["sql"] for query in ctx.captured_queries)
        for table in ONE_PER_PERIOD
    }
    assert reading == ONE_PER_PERIOD
