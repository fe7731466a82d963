"""Everything a person typed is escaped wherever it is shown: pages, emails, the PDF sheet and
the spreadsheet exports (cells that would run as formulas are written as text); every export
of personal data is in the audit log."""

import csv
import io

from django.core import mail

from wagtail.models import ModelLogEntry

import pytest
from openpyxl import load_workbook

from community import services
from community.models import Voice
from community.privacy import rules as privacy
from tests import factories
from tests.privacy.conftest import sign_up

pytestmark = pytest.mark.django_db
SCRIPT = "<script>alert('x')</script>"
FORMULA = '=HYPERLINK("http://evil.example","clic")'


def test_a_voice_with_a_script_is_escaped_in_the_mediators_email(territories, mediator):
    voice = services.submit_voice(
        text=f"Bonjour {SCRIPT}", territory=territories["Lyon 8"], contact_consent=False
    )
    services.notify_voice(voice.pk)
    html_body = mail.outbox[0].alternatives[0][0]
    assert SCRIPT not in html_body
    assert "&lt;script&gt;" in html_body
    assert Voice.objects.count() == 1


def test_the_sheet_and_exports_neutralise_what_people_typed(client, territories, mediator):
    event = factories.EventFactory(
        territory=territories["Lyon 8"], title=f"Atelier <b>gras</b> {SCRIPT}"
    )
    sign_up(event, email="a@exemple.fr", first_name=FORMULA)
    sign_up(event, email="b@exemple.fr", first_name="@SUM(1+1)")
    client.force_login(mediator)

    pdf = client.get(f"/equipe/evenements/{event.pk}/emargement.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")

    page = client.get(f"/equipe/evenements/{event.pk}/emargement/").content.decode()
    assert SCRIPT not in page and "<b>gras</b>" not in page

    text = client.get(f"/equipe/evenements/{event.pk}/export.csv").content.decode("utf-8-sig")
    cells = [cell for row in csv.reader(io.StringIO(text), delimiter=";") for cell in row]
    cells += [cell for row in csv.reader(io.StringIO(text), delimiter=",") for cell in row]
    assert not any(cell.startswith(("=", "@")) for cell in cells)
    assert any(cell.startswith("'=HYPERLINK") for cell in cells)

    workbook = load_workbook(
        io.BytesIO(client.get(f"/equipe/evenements/{event.pk}/export.xlsx").content)
    )
    values = [c.value for row in workbook.active.iter_rows() for c in row if c.value]
    assert not any(str(v).startswith(("=", "@")) for v in values)
    assert all(c.data_type != "f" for row in workbook.active.iter_rows() for c in row)

    logged = list(
        ModelLogEntry.objects.filter(action=privacy.EXPORT_ACTION).values_list("data", flat=True)
    )
    assert sorted(d["what"] for d in logged) == ["export.csv", "export.xlsx", "sheet.pdf"]


def test_form_submission_exports_write_formulas_as_text_and_are_logged(client, demo_site):
    from cms.models import FormPage, Submission

    page = FormPage.objects.get(kind=FormPage.Kind.CONTACT)
    field = page.form_fields.first().clean_name
    Submission.objects.create(page=page, form_data={field: FORMULA})
    admin = factories.UserFactory(email="admin@exemple.fr", is_staff=True, is_superuser=True)
    client.force_login(admin)
    response = client.get(f"/admin/forms/submissions/{page.pk}/?export=csv")
    assert response.status_code == 200
    body = (
        b"".join(response.streaming_content).decode()
        if response.streaming
        else response.content.decode()
    )
    assert FORMULA not in body.replace("'" + FORMULA, "")
    assert "'=HYPERLINK" in body
    assert [entry.user for entry in privacy.audit_entries()] == [admin]
    audit = client.get("/admin/confidentialite/journal/").content.decode()
    assert "Données exportées" in audit


def test_search_and_forms_echo_what_was_typed_escaped(client, territories):
    body = client.get("/recherche/", {"q": SCRIPT}).content.decode()
    assert SCRIPT not in body
    group = factories.WorkingGroupFactory(territory=territories["Lyon 8"])
    page = client.post(
        group.get_absolute_url(), {"name": SCRIPT, "email": "pas-une-adresse", "consent": "on"}
    ).content.decode()
    assert SCRIPT not in page and "&lt;script&gt;" in page
