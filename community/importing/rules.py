"""Import residences and reference tenants from the agency's spreadsheets (CSV or XLSX).

Three steps, each a function the admin view and the Celery tasks call:

1. `read_table()` reads the file into a header and rows (spreadsheet line numbers kept);
2. `validate()` sorts every row into new, changed, unchanged or error, with the reason and the
   column, without writing anything (the preview);
3. `apply()` validates again against the database as it is now and writes every good row in one
   transaction; rows in error are reported and not written, nothing is half-written.

Importing the same file twice changes nothing: the second run finds every row unchanged.
"""

import csv
import datetime
import io
import unicodedata
from collections.abc import Callable
from dataclasses import asdict, dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _

from community import identity, permissions
from community.models import (
    ConsentMethod,
    ImportJob,
    Organisation,
    Person,
    ReferenceTenant,
    Residence,
    Territory,
    TrainingTopic,
)
from community.normalise import normalise_email, normalise_phone

NEW, CHANGED, UNCHANGED, ERROR = "new", "changed", "unchanged", "error"
ProgressCallback = Callable[[int], None] | None


class ImportFileError(Exception):
    """The file cannot be read as a table with the expected header; nothing is imported."""

    def __init__(self, messages: list[str]):
        super().__init__("; ".join(messages))
        self.messages = messages


@dataclass
class Column:
    key: str
    label: str
    required: bool = False
    aliases: tuple[str, ...] = ()


RESIDENCE_COLUMNS = [
    Column("name", "nom", required=True, aliases=("residence", "nom de la residence")),
    Column("territory", "territoire", required=True, aliases=("secteur", "equipe")),
    Column("landlord", "bailleur"),
    Column("address", "adresse"),
    Column("homes", "logements", aliases=("nombre de logements",)),
    Column("renovation_project", "projet de réhabilitation", aliases=("rehabilitation",)),
    Column("notes", "notes"),
]
TENANT_COLUMNS = [
    Column("first_name", "prénom"),
    Column("last_name", "nom", required=True),
    Column("email", "email", aliases=("courriel", "adresse electronique", "e-mail")),
    Column("phone", "téléphone", aliases=("telephone", "tel")),
    Column("residence", "résidence", required=True),
    Column("territory", "territoire", required=True, aliases=("secteur",)),
    Column("since", "depuis", aliases=("referent depuis",)),
    Column("status", "statut"),
    Column("topics", "sensibilisations", aliases=("formations", "sensibilise a")),
    Column("consent", "consentement"),
    Column("consent_date", "date du consentement", aliases=("date consentement",)),
    Column("consent_method", "mode de consentement", aliases=("mode consentement",)),
]
COLUMNS = {
    ImportJob.Kind.RESIDENCES: RESIDENCE_COLUMNS,
    ImportJob.Kind.REFERENCE_TENANTS: TENANT_COLUMNS,
}


def _fold(value: str) -> str:
    """Lower-case, accents removed, spaces collapsed: how headers and names are compared."""
    value = unicodedata.normalize("NFKD", str(value)).encode("ascii", "ignore").decode()
    return " ".join(value.lower().replace("_", " ").split())


def column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


# --- Reading ------------------------------------------------------------------------------------


@dataclass
class Table:
    header: list[str]
    rows: list[tuple[int, list[str]]]  # (spreadsheet line number, cells)


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_table(content: bytes, filename: str) -> Table:
    """Read a CSV (UTF-8 or Windows-1252, `;` or `,`) or an XLSX file's first sheet."""
    name = filename.lower()
    if name.endswith(".xlsx"):
        rows = _read_xlsx(content)
    elif name.endswith(".csv"):
        rows = _read_csv(content)
    else:
        raise ImportFileError([_("Déposez un fichier .csv ou .xlsx.")])
    numbered = [(line, cells) for line, cells in enumerate(rows, start=1)]
    while numbered and not any(numbered[0][1]):
        numbered.pop(0)
    if not numbered:
        raise ImportFileError([_("Le fichier est vide.")])
    (_line, header), *body = numbered
    return Table(
        header=[cell.strip() for cell in header],
        rows=[(line, cells) for line, cells in body if any(cell.strip() for cell in cells)],
    )


def _read_csv(content: bytes) -> list[list[str]]:
    text = None
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = content.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    if text is None or "\x00" in text:
        raise ImportFileError([_("Ce fichier .csv ne peut pas être lu : ce n'est pas du texte.")])
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") >= first_line.count(",") else ","
    return [
        [cell.strip() for cell in row] for row in csv.reader(io.StringIO(text), delimiter=delimiter)
    ]


def _read_xlsx(content: bytes) -> list[list[str]]:
    import zipfile

    from django.conf import settings

    from openpyxl import load_workbook

    # An .xlsx is a zip: refuse one that would unpack into far more than a spreadsheet holds
    # (a decompression bomb) before openpyxl reads it.
    try:
        unpacked = sum(info.file_size for info in zipfile.ZipFile(io.BytesIO(content)).infolist())
    except (zipfile.BadZipFile, ValueError) as exc:
        raise ImportFileError([_("Ce fichier .xlsx ne peut pas être lu.")]) from exc
    if unpacked > settings.COMMUNITY_IMPORT_MAX_BYTES * 20:
        raise ImportFileError([_("Ce fichier .xlsx est trop gros une fois décompressé.")])
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on a damaged file
        raise ImportFileError([_("Ce fichier .xlsx ne peut pas être lu.")]) from exc
    try:
        sheet = workbook.worksheets[0]
        return [[_cell(value) for value in row] for row in sheet.iter_rows(values_only=True)]
    finally:
        workbook.close()


def map_header(kind: str, header: list[str]) -> dict[str, int]:
    """Which cell index holds each column; a wrong header stops the whole file."""
    columns = COLUMNS[kind]
    by_name = {}
    for column in columns:
        for name in (column.label, *column.aliases, column.key):
            by_name[_fold(name)] = column
    mapping: dict[str, int] = {}
    errors = []
    for index, title in enumerate(header):
        if not title:
            continue
        column = by_name.get(_fold(title))
        where = column_letter(index)
        if column is None:
            errors.append(
                _("Colonne %(letter)s : en-tête « %(title)s » inconnu.")
                % {"letter": where, "title": title}
            )
        elif column.key in mapping:
            errors.append(
                _("Colonne %(letter)s : la colonne « %(title)s » apparaît deux fois.")
                % {"letter": where, "title": title}
            )
        else:
            mapping[column.key] = index
    for column in columns:
        if column.required and column.key not in mapping:
            errors.append(
                _("Colonne obligatoire « %(label)s » absente de l'en-tête.")
                % {"label": column.label}
            )
    if errors:
        expected = ", ".join(column.label for column in columns)
        errors.append(_("Colonnes attendues : %(expected)s.") % {"expected": expected})
        raise ImportFileError(errors)
    return mapping


# --- Validating ---------------------------------------------------------------------------------


@dataclass
class RowResult:
    line: int
    label: str = ""
    status: str = UNCHANGED
    errors: list[dict] = field(default_factory=list)
    changes: list[str] = field(default_factory=list)
    data: dict = field(default_factory=dict)

    def error(self, column: Column, mapping: dict[str, int], message: str) -> None:
        index = mapping.get(column.key)
        self.errors.append(
            {
                "column": column.label,
                "letter": column_letter(index) if index is not None else "",
                "message": str(message),
            }
        )
        self.status = ERROR


@dataclass
class Report:
    kind: str
    rows: list[RowResult]

    @property
    def counts(self) -> dict[str, int]:
        counts = {NEW: 0, CHANGED: 0, UNCHANGED: 0, ERROR: 0}
        for row in self.rows:
            counts[row.status] += 1
        return counts

    def as_json(self) -> dict:
        return {
            "kind": self.kind,
            "counts": self.counts,
            "rows": [
                {key: value for key, value in asdict(row).items() if key != "data"}
                for row in self.rows
            ],
        }


class _Row:
    """A row's cells by column key, with the columns to report errors against."""

    def __init__(self, columns, mapping, cells):
        self.columns = {column.key: column for column in columns}
        self.mapping = mapping
        self.cells = cells

    def has(self, key) -> bool:
        return key in self.mapping

    def get(self, key) -> str:
        index = self.mapping.get(key)
        if index is None or index >= len(self.cells):
            return ""
        return (self.cells[index] or "").strip()

    def col(self, key) -> Column:
        return self.columns[key]


def _parse_date(value: str) -> datetime.date:
    for pattern in ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d/%m/%y"):
        try:
            return datetime.datetime.strptime(value, pattern).date()
        except ValueError:
            continue
    raise ValueError(value)


def _choice(value: str, choices) -> str | None:
    folded = _fold(value)
    for choice_value, label in choices:
        if folded in (_fold(choice_value), _fold(label)):
            return choice_value
    return None


class _Lookups:
    """Everything a validation needs from the database, read in a few queries."""

    def __init__(self, user):
        self.user = user
        self.territories = {}
        for territory in Territory.objects.all():
            self.territories[_fold(territory.name)] = territory
            self.territories[_fold(territory.slug)] = territory
        self.landlords = {
            _fold(org.name): org
            for org in Organisation.objects.filter(kind=Organisation.Kind.LANDLORD)
        }
        self.residences = {
            (_fold(residence.name), residence.territory_id): residence
            for residence in Residence.objects.all()
        }
        self.topics = {_fold(topic.name): topic for topic in TrainingTopic.objects.all()}

    def territory(self, value):
        return self.territories.get(_fold(value))


def validate(kind: str, table: Table, user, progress: ProgressCallback = None) -> Report:
    """Sort every row into new, changed, unchanged or error; writes nothing."""
    mapping = map_header(kind, table.header)
    lookups = _Lookups(user)
    columns = COLUMNS[kind]
    rows = [(line, _Row(columns, mapping, cells)) for line, cells in table.rows]
    if kind == ImportJob.Kind.RESIDENCES:
        results = _validate_residences(rows, lookups, progress)
    else:
        results = _validate_tenants(rows, lookups, progress)
    return Report(kind=kind, rows=results)


def _check_territory(result, row, lookups):
    value = row.get("territory")
    territory = lookups.territory(value) if value else None
    if not value:
        result.error(row.col("territory"), row.mapping, _("Le territoire est obligatoire."))
    elif territory is None:
        result.error(
            row.col("territory"), row.mapping, _("Territoire inconnu : « %(v)s ».") % {"v": value}
        )
    elif not permissions.can_see_territory(lookups.user, territory):
        result.error(
            row.col("territory"),
            row.mapping,
            _("Le territoire « %(v)s » ne fait pas partie des vôtres.") % {"v": territory.name},
        )
        territory = None
    return territory


def _validate_residences(rows, lookups, progress) -> list[RowResult]:
    results = []
    seen: dict[tuple, int] = {}
    for done, (line, row) in enumerate(rows, start=1):
        result = RowResult(line=line, label=row.get("name"))
        name = row.get("name")
        if not name:
            result.error(row.col("name"), row.mapping, _("Le nom de la résidence est obligatoire."))
        territory = _check_territory(result, row, lookups)
        data = {"name": name, "territory_id": territory.pk if territory else None}
        if row.has("landlord"):
            value = row.get("landlord")
            landlord = lookups.landlords.get(_fold(value)) if value else None
            if value and landlord is None:
                result.error(
                    row.col("landlord"),
                    row.mapping,
                    _("Bailleur inconnu : « %(v)s ».") % {"v": value},
                )
            data["landlord_id"] = landlord.pk if landlord else None
        if row.has("homes"):
            value = row.get("homes").replace(" ", "")
            if value and not value.isdigit():
                result.error(
                    row.col("homes"),
                    row.mapping,
                    _("« %(v)s » n'est pas un nombre de logements.") % {"v": row.get("homes")},
                )
            data["homes"] = int(value) if value.isdigit() else None
        for key in ("address", "renovation_project", "notes"):
            if row.has(key):
                data[key] = row.get(key)
        if name and territory:
            key = (_fold(name), territory.pk)
            if key in seen:
                result.error(
                    row.col("name"),
                    row.mapping,
                    _("Ligne en double : cette résidence est déjà à la ligne %(line)s.")
                    % {"line": seen[key]},
                )
            else:
                seen[key] = line
        if result.status != ERROR:
            existing = lookups.residences.get((_fold(name), territory.pk))
            if existing is None:
                result.status = NEW
            else:
                data["pk"] = existing.pk
                data["name"] = existing.name  # matched case-insensitively; keep its spelling
                keys = [
                    "landlord_id" if column.key == "landlord" else column.key
                    for column in RESIDENCE_COLUMNS
                    if column.key not in ("name", "territory")
                ]
                result.changes = [
                    str(Residence._meta.get_field(key.removesuffix("_id")).verbose_name)
                    for key in keys
                    if key in data and getattr(existing, key) != data[key]
                ]
                result.status = CHANGED if result.changes else UNCHANGED
        result.data = data
        results.append(result)
        if progress and done % 50 == 0:
            progress(done)
    return results


def _validate_tenants(rows, lookups, progress) -> list[RowResult]:
    # People and tenancies already known, fetched in two queries for the whole file.
    emails, phones = set(), set()
    for _line, row in rows:
        email = normalise_email(row.get("email"))
        if email:
            emails.add(email)
        try:
            phone = normalise_phone(row.get("phone"))
        except ValidationError:
            phone = None
        if phone:
            phones.add(phone)
    persons_by_email, persons_by_phone = {}, {}
    for person in Person.objects.annotate(email_lower=Lower("email")).filter(
        Q(email_lower__in=emails) | Q(phone__in=phones)
    ):
        if person.email:
            persons_by_email[person.email.lower()] = person
        if person.phone:
            persons_by_phone[person.phone] = person
    person_ids = {p.pk for p in (*persons_by_email.values(), *persons_by_phone.values())}
    tenancies = {
        (tenant.person_id, tenant.residence_id): tenant
        for tenant in ReferenceTenant.objects.filter(person_id__in=person_ids).prefetch_related(
            "topics"
        )
    }

    results = []
    seen: dict[tuple, int] = {}
    for done, (line, row) in enumerate(rows, start=1):
        label = f"{row.get('first_name')} {row.get('last_name')}".strip()
        result = RowResult(line=line, label=label)
        if not row.get("last_name"):
            result.error(row.col("last_name"), row.mapping, _("Le nom est obligatoire."))
        email = row.get("email")
        if email:
            try:
                validate_email(email)
                email = normalise_email(email)
            except ValidationError:
                result.error(
                    row.col("email"),
                    row.mapping,
                    _("Adresse électronique mal formée : « %(v)s ».") % {"v": email},
                )
                email = None
        phone = row.get("phone")
        if phone:
            try:
                phone = normalise_phone(phone)
            except ValidationError as exc:
                result.error(
                    row.col("phone"),
                    row.mapping,
                    _("%(reason)s (« %(v)s »)")
                    % {"reason": exc.messages[0], "v": row.get("phone")},
                )
                phone = None
        if not row.get("email") and not row.get("phone"):
            result.error(
                row.col("email"),
                row.mapping,
                _(
                    "Une adresse électronique ou un téléphone est nécessaire pour reconnaître la personne."
                ),
            )
        territory = _check_territory(result, row, lookups)
        residence = None
        residence_name = row.get("residence")
        if not residence_name:
            result.error(row.col("residence"), row.mapping, _("La résidence est obligatoire."))
        elif territory is not None:
            residence = lookups.residences.get((_fold(residence_name), territory.pk))
            if residence is None:
                result.error(
                    row.col("residence"),
                    row.mapping,
                    _("Résidence inconnue sur ce territoire : « %(v)s ».") % {"v": residence_name},
                )
        data: dict = {}
        if row.get("since"):
            try:
                data["since"] = _parse_date(row.get("since"))
            except ValueError:
                result.error(
                    row.col("since"),
                    row.mapping,
                    _("Date illisible : « %(v)s » (attendu JJ/MM/AAAA).") % {"v": row.get("since")},
                )
        if row.get("status"):
            status = _choice(row.get("status"), ReferenceTenant.Status.choices)
            if status is None:
                result.error(
                    row.col("status"),
                    row.mapping,
                    _("Statut inconnu : « %(v)s » (actif, en pause ou arrêté).")
                    % {"v": row.get("status")},
                )
            data["status"] = status
        if row.has("topics"):
            topic_ids = set()
            for name in row.get("topics").replace(",", ";").split(";"):
                if not name.strip():
                    continue
                topic = lookups.topics.get(_fold(name))
                if topic is None:
                    result.error(
                        row.col("topics"),
                        row.mapping,
                        _("Thème de sensibilisation inconnu : « %(v)s ».") % {"v": name.strip()},
                    )
                else:
                    topic_ids.add(topic.pk)
            data["topic_ids"] = sorted(topic_ids)
        if row.has("consent"):
            consent_value = _fold(row.get("consent"))
            if consent_value in ("oui", "o", "yes", "1", "vrai", "x"):
                data["contact_consent"] = True
            elif consent_value in ("", "non", "n", "no", "0", "faux"):
                data["contact_consent"] = False
            else:
                result.error(row.col("consent"), row.mapping, _("Répondez « oui » ou « non »."))
            if data.get("contact_consent"):
                try:
                    data["contact_consent_date"] = _parse_date(row.get("consent_date"))
                except ValueError:
                    result.error(
                        row.col("consent_date"),
                        row.mapping,
                        _("Date du consentement manquante ou illisible (attendu JJ/MM/AAAA)."),
                    )
                method = _choice(row.get("consent_method"), ConsentMethod.choices) or _choice(
                    row.get("consent_method"), [(v, v) for v, _label in ConsentMethod.choices]
                )
                if method is None:
                    result.error(
                        row.col("consent_method"),
                        row.mapping,
                        _(
                            "Mode de consentement manquant ou inconnu (oral, téléphone, écrit, en ligne, courriel)."
                        ),
                    )
                data["contact_consent_method"] = method
            elif "contact_consent" in data:
                data["contact_consent_date"] = None
                data["contact_consent_method"] = ""

        # Who is it? Matched on the agency's own identifiers: email, then phone.
        person = None
        if result.status != ERROR:
            by_email = persons_by_email.get(email) if email else None
            by_phone = persons_by_phone.get(phone) if phone else None
            if by_email and by_phone and by_email.pk != by_phone.pk:
                result.error(
                    row.col("phone"),
                    row.mapping,
                    _("L'adresse et le téléphone désignent deux personnes différentes."),
                )
            person = by_email or by_phone
        identity = email or phone
        if identity and residence is not None:
            key = (identity, residence.pk)
            if key in seen:
                result.error(
                    row.col("email") if email else row.col("phone"),
                    row.mapping,
                    _(
                        "Ligne en double : cette personne est déjà à la ligne %(line)s pour cette résidence."
                    )
                    % {"line": seen[key]},
                )
            else:
                seen[key] = line
        data.update(
            {
                "first_name": row.get("first_name"),
                "last_name": row.get("last_name"),
                "email": email,
                "phone": phone,
                "territory_id": territory.pk if territory else None,
                "residence_id": residence.pk if residence else None,
                "person_id": person.pk if person else None,
            }
        )
        if result.status != ERROR:
            tenant = tenancies.get((person.pk, residence.pk)) if person else None
            if tenant is None:
                result.status = NEW
            else:
                data["pk"] = tenant.pk
                changes = []
                for key in (
                    "since",
                    "status",
                    "contact_consent",
                    "contact_consent_date",
                    "contact_consent_method",
                ):
                    if key in data and getattr(tenant, key) != data[key]:
                        changes.append(str(ReferenceTenant._meta.get_field(key).verbose_name))
                if (
                    "topic_ids" in data
                    and sorted(t.pk for t in tenant.topics.all()) != data["topic_ids"]
                ):
                    changes.append(str(ReferenceTenant._meta.get_field("topics").verbose_name))
                result.changes = changes
                result.status = CHANGED if changes else UNCHANGED
        result.data = data
        results.append(result)
        if progress and done % 50 == 0:
            progress(done)
    return results


# --- Applying -----------------------------------------------------------------------------------


def apply(kind: str, table: Table, user, progress: ProgressCallback = None) -> Report:
    """Validate against the database as it is now and write every new or changed row, in one
    transaction. Rows in error are returned in the report and not written."""
    with transaction.atomic():
        report = validate(kind, table, user, progress=progress)
        good = [row for row in report.rows if row.status in (NEW, CHANGED)]
        for row in good:
            if kind == ImportJob.Kind.RESIDENCES:
                _write_residence(row.data)
            else:
                _write_tenant(row.data, user)
    return report


def _write_residence(data: dict) -> None:
    values = {k: v for k, v in data.items() if k not in ("pk",)}
    if "pk" in data:
        Residence.objects.filter(pk=data["pk"]).update(**values)
    else:
        Residence.objects.create(**values)


def _write_tenant(data: dict, user) -> None:
    person_id = data["person_id"]
    if person_id is None:
        # A staff entry: the one rule decides (community.identity), as for every other path.
        person = identity.identify(
            identity.Contact(
                data["first_name"] or "",
                data["last_name"] or "",
                data["email"] or "",
                data["phone"] or "",
            ),
            entered_by=user,
            territory=Territory.objects.filter(pk=data["territory_id"]).first(),
            require_names=False,
        )
        person_id = person.pk
    fields = {
        key: data[key]
        for key in (
            "since",
            "status",
            "contact_consent",
            "contact_consent_date",
            "contact_consent_method",
        )
        if key in data
    }
    if "pk" in data:
        ReferenceTenant.objects.filter(pk=data["pk"]).update(**fields)
        tenant = ReferenceTenant.objects.get(pk=data["pk"])
    else:
        tenant = ReferenceTenant.objects.create(
            person_id=person_id, residence_id=data["residence_id"], **fields
        )
    if "topic_ids" in data:
        tenant.topics.set(data["topic_ids"])


# --- Jobs: the uploaded file, its preview and its import, with progress ------------------------


def async_threshold() -> int:
    return getattr(settings, "COMMUNITY_IMPORT_ASYNC_ROWS", 200)


def _progress_key(job_id: int) -> str:
    return f"community:import:{job_id}:progress"


def job_progress(job: ImportJob) -> int:
    """Rows processed so far (from the cache while the import's transaction is open)."""
    if job.status in (ImportJob.Status.VALIDATING, ImportJob.Status.IMPORTING):
        return cache.get(_progress_key(job.pk), 0)
    return job.total_rows


def job_percent(job: ImportJob) -> int:
    if not job.total_rows:
        return 100 if job.status in (ImportJob.Status.PREVIEW, ImportJob.Status.DONE) else 0
    return min(100, round(100 * job_progress(job) / job.total_rows))


def _table_of(job: ImportJob) -> Table:
    with job.file.open("rb") as handle:
        return read_table(handle.read(), job.original_name)


def create_job(user, kind: str, uploaded) -> ImportJob:
    """Store the uploaded file and check it: at once for a small file, in a Celery task for a
    large one (the page then shows a progress bar). Raises ImportFileError on an unreadable file
    or a wrong header."""
    from django.conf import settings

    limit = settings.COMMUNITY_IMPORT_MAX_BYTES
    if uploaded.size is not None and uploaded.size > limit:
        raise ImportFileError(
            [
                _("Ce fichier est trop gros (%(size)s Mo au plus).")
                % {"size": round(limit / 1024 / 1024, 1)}
            ]
        )
    content = uploaded.read(limit + 1)
    if len(content) > limit:
        raise ImportFileError(
            [
                _("Ce fichier est trop gros (%(size)s Mo au plus).")
                % {"size": round(limit / 1024 / 1024, 1)}
            ]
        )
    table = read_table(content, uploaded.name)
    map_header(kind, table.header)
    from django.core.files.base import ContentFile

    job = ImportJob(
        kind=kind, original_name=uploaded.name[:255], created_by=user, total_rows=len(table.rows)
    )
    job.file.save(uploaded.name, ContentFile(content), save=False)
    job.save()
    if len(table.rows) > async_threshold():
        from community import tasks

        tasks.preview_import.delay_on_commit(job.pk)
    else:
        preview_job(job.pk)
        job.refresh_from_db()
    return job


def preview_job(job_id: int) -> bool:
    """Validate a job's file and store the preview. Safe to run twice."""
    job = ImportJob.objects.select_related("created_by").filter(pk=job_id).first()
    if job is None or job.status != ImportJob.Status.VALIDATING:
        return False
    try:
        report = validate(
            job.kind,
            _table_of(job),
            job.created_by,
            progress=lambda done: cache.set(_progress_key(job.pk), done, 3600),
        )
    except ImportFileError as exc:
        ImportJob.objects.filter(pk=job.pk).update(
            status=ImportJob.Status.FAILED, result={"file_errors": exc.messages}
        )
        return False
    ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.VALIDATING).update(
        status=ImportJob.Status.PREVIEW, preview=report.as_json()
    )
    return True


def start_import(job: ImportJob) -> ImportJob:
    """Import a previewed job: at once when small, in a Celery task when large."""
    updated = ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.PREVIEW).update(
        status=ImportJob.Status.IMPORTING
    )
    if updated:
        if job.total_rows > async_threshold():
            from community import tasks

            tasks.apply_import.delay_on_commit(job.pk)
        else:
            apply_job(job.pk)
    job.refresh_from_db()
    return job


def apply_job(job_id: int) -> bool:
    """Write a job's good rows in one transaction and store the report. Safe to run twice: a
    job already imported is skipped."""
    with transaction.atomic():
        job = (
            ImportJob.objects.select_for_update(of=("self",))
            .select_related("created_by")
            .filter(pk=job_id, status=ImportJob.Status.IMPORTING)
            .first()
        )
        if job is None:
            return False
        try:
            report = apply(
                job.kind,
                _table_of(job),
                job.created_by,
                progress=lambda done: cache.set(_progress_key(job.pk), done, 3600),
            )
        except ImportFileError as exc:
            job.status = ImportJob.Status.FAILED
            job.result = {"file_errors": exc.messages}
        else:
            job.status = ImportJob.Status.DONE
            job.result = report.as_json()
        job.finished_at = timezone.now()
        discard_file(job)
        job.save(update_fields=["status", "result", "finished_at", "file"])
    return job.status == ImportJob.Status.DONE


def discard_file(job: ImportJob) -> None:
    """Forget the job's file and delete it once the transaction commits: an imported (or
    unreadable) spreadsheet has no further use, and it holds residents' names and phones.
    The caller saves the job."""
    if not job.file:
        return
    storage, name = job.file.storage, job.file.name
    job.file = ""
    transaction.on_commit(lambda: storage.delete(name))


def _abandoned_imports(now):
    from community.registries import retention

    cutoff = retention.get("community.import_files").cutoff(now)
    return ImportJob.objects.filter(created_at__lt=cutoff).exclude(status=ImportJob.Status.DONE)


def preview_abandoned_imports(now) -> int:
    return _abandoned_imports(now).count()


def delete_abandoned_imports(now) -> int:
    """Uploads never imported within RETENTION_IMPORT_DAYS: the job (its preview lists the
    rows) and its file go. Safe to run twice."""
    jobs = list(_abandoned_imports(now).only("pk", "file"))
    names = [job.file.name for job in jobs if job.file]
    ImportJob.objects.filter(pk__in=[job.pk for job in jobs]).delete()
    storage = ImportJob._meta.get_field("file").storage
    transaction.on_commit(lambda: [storage.delete(name) for name in names])
    return len(jobs)
