"""What django-import-export now gives the spreadsheet import: CSV and XLSX previewed row by
row, a second import of the same file that changes nothing, a preview that writes nothing (not
even a person), a fault that rolls the whole import back, persons found by community.identity."""

import io

from django.db.models.signals import m2m_changed, post_delete, post_save

from wagtail.models import ModelLogEntry

import pytest
from openpyxl import Workbook

from community import roles
from community.importing import resources
from community.importing import rules as importing
from community.models import Person, ReferenceTenant, Residence
from tests import factories

pytestmark = pytest.mark.django_db

RESIDENCE_ROWS = [
    ["Nom", "Territoire", "Bailleur", "Adresse", "Logements"],
    ["Albert Laurent", "Lyon 8", "GLH", "Rue Albert Laurent", "120"],
    ["Patel", "Lyon 9", "SACVL", "Rue Patel", "80"],
    ["Santy", "Lyon 42", "", "", ""],
    ["Cours Bayard", "Lyon 9", "", "Cours Bayard", "douze"],
]
TENANT_ROWS = [
    ["Prénom", "Nom", "Courriel", "Tél", "Résidence", "Secteur", "Statut", "Formations",
     "Consentement", "Date consentement", "Mode consentement"],
    ["Amina", "Diallo", "amina@exemple.fr", "0612345678", "Patel", "Lyon 9", "actif",
     "Tri des déchets", "oui", "01/09/2017", "oral"],
    ["Karim", "Benali", "karim@exemple.fr", "0478000001", "Patel", "Lyon 9", "en pause",
     "Encombrants; Tri des déchets", "non", "", ""],
    ["Nour", "Haddad", "nour@exemple.fr", "", "Patel", "Lyon 9", "actif", "", "oui", "hier",
     "oral"],
]  # fmt: skip


def _csv(rows) -> bytes:
    return "\n".join(";".join(row) for row in rows).encode("cp1252")


def _xlsx(rows) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def setting(territories):
    for name in ("GLH", "SACVL"):
        factories.LandlordFactory(name=name)
    for name in ("Tri des déchets", "Encombrants"):
        factories.TrainingTopicFactory(name=name)
    patel = factories.ResidenceFactory(name="Patel", territory=territories["Lyon 9"], homes=80)
    manager = factories.StaffFactory(role=roles.MANAGER)
    return {"patel": patel, "manager": manager, "territories": territories}


def _statuses(report):
    return [(row.line, row.status) for row in report.rows]


@pytest.mark.parametrize(("name", "content"), [("r.csv", _csv), ("r.xlsx", _xlsx)])
def test_csv_and_xlsx_are_previewed_row_by_row(setting, name, content):
    table = importing.read_table(content(RESIDENCE_ROWS), name)
    report = importing.validate("residences", table, setting["manager"])
    assert _statuses(report) == [(2, "new"), (3, "changed"), (4, "error"), (5, "error")]
    assert report.rows[1].changes == ["bailleur", "adresse"]
    assert [row.errors for row in report.rows[2:]] == [
        [{"column": "territoire", "letter": "B", "message": "Territoire inconnu : « Lyon 42 »."}],
        [
            {
                "column": "logements",
                "letter": "E",
                "message": "« douze » n'est pas un nombre de logements.",
            }
        ],
    ]
    assert Residence.objects.count() == 1


def _snapshot():
    return (
        sorted(Residence.objects.values_list()),
        sorted(ReferenceTenant.objects.values_list()),
        sorted(
            ReferenceTenant.topics.through.objects.values_list("referencetenant", "trainingtopic")
        ),
        sorted(Person.objects.values_list()),
        ModelLogEntry.objects.count(),
    )


@pytest.fixture
def writes():
    """Every save, delete and many-to-many change made while the test runs."""
    seen = []

    def record(sender, **kwargs):
        seen.append((sender.__name__, kwargs.get("signal")))

    signals = (post_save, post_delete, m2m_changed)
    for signal in signals:
        signal.connect(record, weak=False, dispatch_uid="import-writes")
    seen.clear()
    yield seen
    for signal in signals:
        signal.disconnect(dispatch_uid="import-writes")


def test_importing_the_same_file_twice_changes_nothing_the_second_time(setting, writes):
    manager = setting["manager"]
    residences = importing.read_table(_csv(RESIDENCE_ROWS), "r.csv")
    tenants = importing.read_table(_xlsx(TENANT_ROWS), "t.xlsx")
    first = importing.apply("residences", residences, manager)
    assert first.counts == {"new": 1, "changed": 1, "unchanged": 0, "error": 2}
    assert importing.apply("reference_tenants", tenants, manager).counts == {
        "new": 2, "changed": 0, "unchanged": 0, "error": 1,
    }  # fmt: skip
    before = _snapshot()
    assert (len(before[0]), len(before[1]), len(before[2]), len(before[3])) == (2, 2, 3, 2)
    writes.clear()

    again = importing.apply("residences", residences, manager)
    assert _statuses(again) == [(2, "unchanged"), (3, "unchanged"), (4, "error"), (5, "error")]
    tenants_again = importing.apply("reference_tenants", tenants, manager)
    assert _statuses(tenants_again) == [(2, "unchanged"), (3, "unchanged"), (4, "error")]
    assert all(not row.changes for row in (*again.rows, *tenants_again.rows))
    assert writes == []
    assert _snapshot() == before


def test_the_preview_writes_nothing_not_even_a_person(setting):
    before = _snapshot()
    table = importing.read_table(_xlsx(TENANT_ROWS), "t.xlsx")
    report = importing.validate("reference_tenants", table, setting["manager"])
    assert _statuses(report) == [(2, "new"), (3, "new"), (4, "error")]
    assert report.rows[2].errors == [
        {
            "column": "date du consentement",
            "letter": "J",
            "message": "Date du consentement manquante ou illisible (attendu JJ/MM/AAAA).",
        }
    ]
    # community.identity made the two persons inside the dry run's transaction, rolled back.
    assert _snapshot() == before


def test_a_row_in_error_creates_no_person(setting):
    importing.apply(
        "reference_tenants",
        importing.read_table(_xlsx(TENANT_ROWS), "t.xlsx"),
        setting["manager"],
    )
    assert sorted(Person.objects.values_list("email", flat=True)) == [
        "amina@exemple.fr",
        "karim@exemple.fr",
    ]


def test_persons_are_found_by_community_identity(setting):
    """A person staff know by email gains the phone the file gives (a staff entry's rule in
    community.identity), and is not duplicated."""
    known = factories.PersonFactory(email="karim@exemple.fr", phone=None, first_name="K.")
    importing.apply(
        "reference_tenants",
        importing.read_table(_xlsx(TENANT_ROWS), "t.xlsx"),
        setting["manager"],
    )
    known.refresh_from_db()
    assert (known.first_name, known.phone) == ("K.", "+33478000001")
    assert ReferenceTenant.objects.get(person=known).status == ReferenceTenant.Status.PAUSED
    assert Person.objects.filter(email="karim@exemple.fr").count() == 1


def test_a_fault_while_writing_rolls_the_whole_import_back(setting, monkeypatch):
    saved = []

    def save_then_fail(self, instance, is_create):
        if saved:
            raise RuntimeError("disk full")
        saved.append(instance.name)
        instance.save(force_insert=is_create)

    monkeypatch.setattr(resources.ResidenceResource, "do_instance_save", save_then_fail)
    before = _snapshot()
    with pytest.raises(RuntimeError):
        importing.apply(
            "residences", importing.read_table(_csv(RESIDENCE_ROWS), "r.csv"), setting["manager"]
        )
    assert saved == ["Albert Laurent"]
    assert _snapshot() == before


def test_a_mediator_cannot_import_a_tenant_outside_their_territories(setting):
    mediator = factories.StaffFactory(
        role=roles.MEDIATOR, territories=[setting["territories"]["Lyon 8"]]
    )
    report = importing.apply(
        "reference_tenants", importing.read_table(_xlsx(TENANT_ROWS[:2]), "t.xlsx"), mediator
    )
    assert [error["message"] for error in report.rows[0].errors] == [
        "Le territoire « Lyon 9 » ne fait pas partie des vôtres."
    ]
    assert not Person.objects.filter(email="amina@exemple.fr").exists()
    assert ReferenceTenant.objects.count() == 0
