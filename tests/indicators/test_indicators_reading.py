"""The indicators as a manager reads them: field interventions first with the charts right
after, "Interventions par type" adding up to "Interventions", data never recorded shown as
"non suivi" rather than 0, changes with their percentage, French month abbreviations that fit,
the report's comments saved in one form, and a PDF with its header, date, page numbers and
charts."""

import datetime as dt
import io
import re

from django.test import Client
from django.urls import reverse
from django.utils import timezone

import pytest

from community.models import Intervention, ReportComment
from community.registries import Period
from community.reporting import dashboard

pytestmark = pytest.mark.django_db

DASHBOARD = "/admin/indicateurs/"


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def year_of_interventions(territories, kinds):
    """2025: 3 round tables (a detail of conflict management) and 7 reminders of the rule;
    2024: 1 reminder. Nothing was ever recorded before 2024."""
    for i in range(3):
        Intervention.objects.create(
            kind=kinds["table-ronde"], territory=territories["Lyon 8"], date=dt.date(2025, 6, 1 + i)
        )
    for i in range(7):
        Intervention.objects.create(
            kind=kinds["rappel-regle"],
            territory=territories["Lyon 9"],
            date=dt.date(2025, 7, 1 + i),
        )
    Intervention.objects.create(
        kind=kinds["rappel-regle"], territory=territories["Lyon 8"], date=dt.date(2024, 2, 1)
    )


def test_the_dashboard_reads_in_a_managers_order(staff, year_of_interventions):
    manager = client_for(staff["manager"])
    html = manager.get(DASHBOARD, {"year": 2025}).content.decode()
    headings = re.findall(r"<h2[^>]*>([^<]+)</h2>", html)
    assert headings[0] == "Interventions de terrain", headings
    assert headings[1] == "Graphiques", headings

    # "par type" counts each intervention once (a round table is inside conflict management).
    sections = {s.title: s for s in dashboard.figures(*_years(2025), None)}
    rows = {r.key: r for r in sections["Interventions de terrain"].rows}
    assert rows["community.interventions"].value == 10
    assert rows["community.interventions_by_kind"].value == 10
    assert "dont" in rows["community.interventions_by_kind"].definition

    # A change carries its percentage; a figure never recorded reads "non suivi", not 0.
    row = html[html.index(">Interventions<") :][:900]
    assert "+9 (+900 %)" in row
    previous_year = manager.get(DASHBOARD, {"year": 2024}).content.decode()
    row = previous_year[previous_year.index(">Interventions<") :][:900]
    assert "non suivi" in row
    voices = html[html.index(">Paroles d&#x27;habitants recueillies<") :][:900]
    assert "non suivi" in voices and ">0<" not in voices


def _years(year):
    return Period(dt.date(year, 1, 1), dt.date(year, 12, 31)), Period(
        dt.date(year - 1, 1, 1), dt.date(year - 1, 12, 31)
    )


def test_month_labels_are_french_abbreviations_that_fit(territories):
    charts = dashboard.charts(Period(dt.date(2026, 1, 1), dt.date(2026, 12, 31)), None)
    line = next(c for c in charts if c.kind == "line")
    labels = [point[0] for point in line.points]
    assert labels[5:8] == ["juin 2026", "juil. 2026", "août 2026"]
    assert labels[-1] == "déc. 2026"


def test_the_last_month_label_is_drawn_inside_the_chart(staff, territories):
    html = client_for(staff["manager"]).get(DASHBOARD, {"year": 2026}).content.decode()
    assert re.search(r'text-anchor="end"[^>]*>déc\. 2026</text>', html), html[-3000:]


def test_the_reports_comments_are_saved_in_one_form(staff, territories):
    manager = client_for(staff["manager"])
    page = manager.get(reverse("indicators:report"), {"year": 2015}).content.decode()
    assert len(re.findall(r'<form method="post"', page)) == 1
    assert page.count("Enregistrer les commentaires") == 1
    response = manager.post(
        reverse("indicators:report_comment"),
        {
            "year": 2015,
            "territory": "",
            "comment-conflict": "Une année de tables rondes.",
            "comment-partnership": "Des partenaires nouveaux.",
        },
    )
    assert response.status_code == 302
    saved = dict(ReportComment.objects.values_list("section", "text"))
    assert saved == {
        "conflict": "Une année de tables rondes.",
        "partnership": "Des partenaires nouveaux.",
    }


def test_the_report_pdf_has_a_header_date_page_numbers_and_charts(staff, year_of_interventions):
    from pypdf import PdfReader

    response = client_for(staff["manager"]).get(reverse("indicators:report_pdf"), {"year": 2025})
    reader = PdfReader(io.BytesIO(response.content))
    pages = [" ".join(page.extract_text().split()) for page in reader.pages]
    today = timezone.localdate().strftime("%d/%m/%Y")
    for number, text in enumerate(pages, start=1):
        assert f"Page {number} sur {len(pages)}" in text, text[:300]
        assert "Vivre Ensemble" in text
    assert f"Édité le {today}" in pages[0]
    assert "Interventions par an" in " ".join(pages)
    assert any("/XObject" in str(page.get("/Resources", {})) for page in reader.pages)
