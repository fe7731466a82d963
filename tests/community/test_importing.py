"""Importing residences (CSV) and reference tenants (XLSX): the exact rows written, the exact
errors reported by line and column, nothing written twice."""

import datetime as dt
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

import pytest
import time_machine

from community import roles
from community import tasks as community_tasks
from community.importing import rules as importing
from community.models import ImportJob, Person, ReferenceTenant, Residence
from tests import factories

pytestmark = pytest.mark.django_db

RESIDENCES_CSV = """nom;territoire;bailleur;adresse;logements
Albert Laurent;Lyon 8;GLH;Rue Albert Laurent, 69008 Lyon;120
Le Château;Lyon 9;LMH;Montée du Château;beaucoup
Santy;Lyon 42;GLH;;
Mermoz Nord;Lyon 8;Bailleur Inconnu;;
albert laurent;lyon 8;GLH;Rue Albert Laurent, 69008 Lyon;120
Patel;Lyon 9;SACVL;Rue Patel, 69009 Lyon;80
;;;;
Cours Bayard;Lyon 9;;Cours Bayard;
"""


@pytest.fixture
def setting(territories):
    landlords = {name: factories.LandlordFactory(name=name) for name in ("GLH", "LMH", "SACVL")}
    patel = factories.ResidenceFactory(
        name="Patel", territory=territories["Lyon 9"], landlord=landlords["SACVL"], address=""
    )
    manager = factories.StaffFactory(email="direction@exemple.fr", role=roles.MANAGER)
    return {"landlords": landlords, "patel": patel, "manager": manager, "territories": territories}


def _table(text):
    return importing.read_table(text.encode("utf-8"), "residences.csv")


def _errors(report):
    return [
        (row.line, error["letter"], error["column"], error["message"])
        for row in report.rows
        for error in row.errors
    ]


def _residences():
    return sorted(
        Residence.objects.values_list(
            "name", "territory__name", "landlord__name", "address", "homes"
        )
    )


def test_residence_csv_preview_sorts_each_row(setting):
    report = importing.validate("residences", _table(RESIDENCES_CSV), setting["manager"])
    assert [(row.line, row.status) for row in report.rows] == [
        (2, "new"),
        (3, "error"),
        (4, "error"),
        (5, "error"),
        (6, "error"),
        (7, "changed"),
        (9, "new"),
    ]
    assert _errors(report) == [
        (3, "E", "logements", "« beaucoup » n'est pas un nombre de logements."),
        (4, "B", "territoire", "Territoire inconnu : « Lyon 42 »."),
        (5, "C", "bailleur", "Bailleur inconnu : « Bailleur Inconnu »."),
        (
            6,
            "A",
            "nom",
            "Ligne en double : cette résidence est déjà à la ligne 2.",
        ),
    ]
    assert report.rows[5].changes == ["adresse", "nombre de logements"]
    assert Residence.objects.count() == 1  # the preview wrote nothing


def test_residence_csv_import_writes_the_good_rows_once(setting):
    report = importing.apply("residences", _table(RESIDENCES_CSV), setting["manager"])
    assert report.counts == {"new": 2, "changed": 1, "unchanged": 0, "error": 4}
    expected = [
        ("Albert Laurent", "Lyon 8", "GLH", "Rue Albert Laurent, 69008 Lyon", 120),
        ("Cours Bayard", "Lyon 9", None, "Cours Bayard", None),
        ("Patel", "Lyon 9", "SACVL", "Rue Patel, 69009 Lyon", 80),
    ]
    assert _residences() == expected

    again = importing.apply("residences", _table(RESIDENCES_CSV), setting["manager"])
    assert again.counts == {"new": 0, "changed": 0, "unchanged": 3, "error": 4}
    assert _residences() == expected


def test_a_wrong_header_stops_the_whole_file(setting):
    with pytest.raises(importing.ImportFileError) as caught:
        importing.validate("residences", _table("nom;ville\nSanty;Lyon\n"), setting["manager"])
    assert caught.value.messages == [
        "Colonne B : en-tête « ville » inconnu.",
        "Colonne obligatoire « territoire » absente de l'en-tête.",
        "Colonnes attendues : nom, territoire, bailleur, adresse, logements, "
        "projet de réhabilitation, notes.",
    ]
    assert Residence.objects.count() == 1


def test_a_mediator_imports_only_into_their_territories(setting):
    mediator = factories.StaffFactory(
        role=roles.MEDIATOR, territories=[setting["territories"]["Lyon 8"]]
    )
    report = importing.apply("residences", _table(RESIDENCES_CSV), mediator)
    assert (7, "B", "territoire", "Le territoire « Lyon 9 » ne fait pas partie des vôtres.") in (
        _errors(report)
    )
    assert sorted(Residence.objects.values_list("name", flat=True)) == ["Albert Laurent", "Patel"]


# --- Reference tenants, from an XLSX file -------------------------------------------------------

TENANT_HEADER = [
    "Prénom",
    "Nom",
    "Email",
    "Téléphone",
    "Résidence",
    "Territoire",
    "Depuis",
    "Statut",
    "Sensibilisations",
    "Consentement",
    "Date du consentement",
    "Mode de consentement",
]


def _xlsx(rows):
    import datetime

    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(TENANT_HEADER)
    for row in rows:
        sheet.append(row)
    sheet.append([])
    sheet["A20"] = None
    del datetime
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def tenant_setting(setting):
    import datetime

    territories = setting["territories"]
    albert = factories.ResidenceFactory(name="Albert Laurent", territory=territories["Lyon 8"])
    for name in ("Tri des déchets", "Encombrants", "Gestion de projet"):
        factories.TrainingTopicFactory(name=name)
    known = factories.PersonFactory(
        first_name="Karim",
        last_name="Benali",
        email=None,
        phone="+33478000001",
        territory=territories["Lyon 9"],
    )
    factories.ReferenceTenantFactory(
        person=known,
        residence=setting["patel"],
        status=ReferenceTenant.Status.ACTIVE,
        since=datetime.date(2016, 5, 1),
    )
    return {**setting, "albert": albert, "known": known}


TENANT_ROWS = [
    # 2: new person, new reference tenant
    ["Amina", "Diallo", "Amina@Exemple.fr", "06 12 34 56 78", "Albert Laurent", "Lyon 8",
     "01/09/2017", "actif", "Tri des déchets; Encombrants", "oui", "01/09/2017", "oral"],
    # 3: malformed email
    ["Jean", "Martin", "jean@", "", "Albert Laurent", "Lyon 8", "", "", "", "", "", ""],
    # 4: malformed phone
    ["Lucie", "Bernard", "", "12", "Albert Laurent", "Lyon 8", "", "", "", "", "", ""],
    # 5: unknown residence
    ["Paul", "Petit", "paul@exemple.fr", "", "Santy", "Lyon 8", "", "", "", "", "", ""],
    # 6: the same person and residence as line 2
    ["Amina", "Diallo", "amina@exemple.fr", "", "Albert Laurent", "Lyon 8", "", "", "", "", "",
     ""],
    # 7: consent without its date and method
    ["Sofia", "Rossi", "sofia@exemple.fr", "", "Albert Laurent", "Lyon 8", "", "", "", "oui",
     "", ""],
    # 8: known by phone, already reference tenant at Patel: status and topics change
    ["Karim", "Benali", "", "04 78 00 00 01", "Patel", "Lyon 9", "2016-05-01", "en pause",
     "Gestion de projet", "non", "", ""],
    # 9: unknown training topic
    ["Nour", "Haddad", "nour@exemple.fr", "", "Albert Laurent", "Lyon 8", "", "", "Jardinage",
     "", "", ""],
]  # fmt: skip


def test_tenant_xlsx_preview_reports_each_error_by_line_and_column(tenant_setting):
    table = importing.read_table(_xlsx(TENANT_ROWS), "referents.xlsx")
    report = importing.validate("reference_tenants", table, tenant_setting["manager"])
    assert [(row.line, row.status) for row in report.rows] == [
        (2, "new"),
        (3, "error"),
        (4, "error"),
        (5, "error"),
        (6, "error"),
        (7, "error"),
        (8, "changed"),
        (9, "error"),
    ]
    assert _errors(report) == [
        (3, "C", "email", "Adresse électronique mal formée : « jean@ »."),
        (4, "D", "téléphone", "Ce numéro de téléphone n'est pas valide. (« 12 »)"),
        (5, "E", "résidence", "Résidence inconnue sur ce territoire : « Santy »."),
        (
            6,
            "C",
            "email",
            "Ligne en double : cette personne est déjà à la ligne 2 pour cette résidence.",
        ),
        (
            7,
            "K",
            "date du consentement",
            "Date du consentement manquante ou illisible (attendu JJ/MM/AAAA).",
        ),
        (
            7,
            "L",
            "mode de consentement",
            "Mode de consentement manquant ou inconnu "
            "(oral, téléphone, écrit, en ligne, courriel).",
        ),
        (9, "I", "sensibilisations", "Thème de sensibilisation inconnu : « Jardinage »."),
    ]
    assert report.rows[6].changes == ["statut", "formé ou sensibilisé à"]


def _tenants():
    return sorted(
        (
            tenant.person.first_name,
            tenant.person.email,
            tenant.person.phone,
            tenant.residence.name,
            tenant.status,
            str(tenant.since),
            tenant.contact_consent,
            tenant.contact_consent_method,
            tuple(sorted(topic.name for topic in tenant.topics.all())),
        )
        for tenant in ReferenceTenant.objects.select_related("person", "residence")
    )


def test_tenant_xlsx_import_writes_the_good_rows_once(tenant_setting):
    content = _xlsx(TENANT_ROWS)
    manager = tenant_setting["manager"]
    report = importing.apply("reference_tenants", importing.read_table(content, "r.xlsx"), manager)
    assert report.counts == {"new": 1, "changed": 1, "unchanged": 0, "error": 6}
    expected = [
        (
            "Amina",
            "amina@exemple.fr",
            "+33612345678",
            "Albert Laurent",
            "active",
            "2017-09-01",
            True,
            "oral",
            ("Encombrants", "Tri des déchets"),
        ),
        (
            "Karim",
            None,
            "+33478000001",
            "Patel",
            "paused",
            "2016-05-01",
            False,
            "",
            ("Gestion de projet",),
        ),
    ]
    assert _tenants() == expected
    assert Person.objects.count() == 2

    again = importing.apply("reference_tenants", importing.read_table(content, "r.xlsx"), manager)
    assert again.counts == {"new": 0, "changed": 0, "unchanged": 2, "error": 6}
    assert _tenants() == expected
    assert Person.objects.count() == 2


def test_the_import_page_previews_then_imports(client, tenant_setting):
    client.force_login(tenant_setting["manager"])
    upload = SimpleUploadedFile("residences.csv", RESIDENCES_CSV.encode("utf-8"))
    response = client.post(
        reverse("community_import:upload"), {"kind": "residences", "file": upload}
    )
    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert job.status == ImportJob.Status.PREVIEW
    page = client.get(reverse("community_import:job", args=[job.pk])).content.decode()
    assert 'data-line="4" data-status="error"' in page
    assert "Colonne B « territoire » : Territoire inconnu : « Lyon 42 »." in page
    assert Residence.objects.count() == 2  # Patel and Albert Laurent, nothing imported yet

    response = client.post(reverse("community_import:import", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE
    assert job.result["counts"] == {"new": 1, "changed": 2, "unchanged": 0, "error": 4}
    # A second click on the same job does nothing more.
    client.post(reverse("community_import:import", args=[job.pk]))
    assert Residence.objects.count() == 3


def test_a_wrong_header_is_a_message_on_the_upload_form(client, setting):
    client.force_login(setting["manager"])
    upload = SimpleUploadedFile("residences.csv", b"nom;ville\nSanty;Lyon\n")
    response = client.post(
        reverse("community_import:upload"), {"kind": "residences", "file": upload}
    )
    assert response.status_code == 200
    assert "Colonne B : en-tête « ville » inconnu." in response.content.decode()
    assert not ImportJob.objects.exists()


def test_a_large_file_is_checked_and_imported_by_tasks_with_progress(
    client, setting, settings, django_capture_on_commit_callbacks
):
    settings.COMMUNITY_IMPORT_ASYNC_ROWS = 3
    client.force_login(setting["manager"])
    upload = SimpleUploadedFile("residences.csv", RESIDENCES_CSV.encode("utf-8"))
    with django_capture_on_commit_callbacks(execute=False) as queued:
        client.post(reverse("community_import:upload"), {"kind": "residences", "file": upload})
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.VALIDATING
    page = client.get(reverse("community_import:job", args=[job.pk])).content.decode()
    assert '<meta http-equiv="refresh" content="2">' in page
    assert '<progress id="progression" max="100" value="0">' in page
    for callback in queued:
        callback()  # the Celery task (eager in tests)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.PREVIEW

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("community_import:import", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE
    assert job.result["counts"]["new"] == 2
    assert importing.apply_job(job.pk) is False  # the task run twice: skipped


def test_the_import_page_is_for_mediators_and_managers_only(client, setting):
    communication = factories.StaffFactory(role=roles.COMMUNICATION)
    client.force_login(communication)
    assert client.get(reverse("community_import:upload")).status_code in (302, 403)
    other = factories.StaffFactory(role=roles.MEDIATOR)
    job = ImportJob.objects.create(
        kind="residences", original_name="x.csv", file="x.csv", created_by=setting["manager"]
    )
    client.force_login(other)
    assert client.get(reverse("community_import:upload")).status_code == 200
    assert client.get(reverse("community_import:job", args=[job.pk])).status_code == 404


def test_an_import_whose_task_messages_were_lost_is_checked_and_imported_by_recovery(
    client, setting, settings, django_capture_on_commit_callbacks
):
    settings.COMMUNITY_IMPORT_ASYNC_ROWS = 3
    client.force_login(setting["manager"])
    upload = SimpleUploadedFile("residences.csv", RESIDENCES_CSV.encode("utf-8"))
    with django_capture_on_commit_callbacks(execute=False):  # the broker never got it
        client.post(reverse("community_import:upload"), {"kind": "residences", "file": upload})
    job = ImportJob.objects.get()
    community_tasks.recover_unsent_emails()  # within the grace: the task may be on its way
    job.refresh_from_db()
    assert job.status == ImportJob.Status.VALIDATING

    with time_machine.travel(timezone.now() + dt.timedelta(minutes=10)):
        community_tasks.recover_unsent_emails()
    job.refresh_from_db()
    assert job.status == ImportJob.Status.PREVIEW

    with django_capture_on_commit_callbacks(execute=False):
        client.post(reverse("community_import:import", args=[job.pk]))
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=10)):
        community_tasks.recover_unsent_emails()
        community_tasks.recover_unsent_emails()
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE
    assert job.result["counts"]["new"] == 2
    assert Residence.objects.filter(name="Albert Laurent").count() == 1
