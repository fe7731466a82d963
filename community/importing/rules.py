"""Import residences and reference tenants from the agency's spreadsheets (CSV or XLSX).

Three steps, each a function the admin view and the Celery tasks call:

1. `read_table()` reads the file into a header and rows (spreadsheet line numbers kept);
2. `validate()` sorts every row into new, changed, unchanged or error, with the reason and the
   column, without writing anything (the preview: django-import-export's dry run, rolled back);
3. `apply()` validates again against the database as it is now and writes every good row in one
   transaction; rows in error are reported and not written, nothing is half-written.

Importing the same file twice changes nothing: the second run finds every row unchanged (the
resources' import keys and `skip_unchanged`, community.importing.resources).
"""

import logging
from collections.abc import Callable
from dataclasses import asdict, dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

import tablib
from import_export.results import RowResult as LibraryRowResult

from community import queue
from community.importing.resources import ReferenceTenantResource, ResidenceResource
from community.importing.table import (
    Column,
    ImportFileError,
    Table,
    column_letter,
    map_header,
    read_table,
)
from community.models import ImportJob
from community.registries import retention

logger = logging.getLogger(__name__)

__all__ = [
    "COLUMNS",
    "ImportFileError",
    "Report",
    "RowResult",
    "Table",
    "apply",
    "apply_job",
    "create_job",
    "read_table",
    "start_import",
    "validate",
]

NEW, CHANGED, UNCHANGED, ERROR = "new", "changed", "unchanged", "error"
ProgressCallback = Callable[[int], None] | None

RESOURCES = {
    ImportJob.Kind.RESIDENCES: ResidenceResource,
    ImportJob.Kind.REFERENCE_TENANTS: ReferenceTenantResource,
}
COLUMNS: dict[str, list[Column]] = {kind: resource.columns for kind, resource in RESOURCES.items()}
STATUSES = {
    LibraryRowResult.IMPORT_TYPE_NEW: NEW,
    LibraryRowResult.IMPORT_TYPE_UPDATE: CHANGED,
    LibraryRowResult.IMPORT_TYPE_SKIP: UNCHANGED,
    LibraryRowResult.IMPORT_TYPE_INVALID: ERROR,
}


@dataclass
class RowResult:
    line: int
    label: str = ""
    status: str = UNCHANGED
    errors: list[dict] = field(default_factory=list)
    changes: list[str] = field(default_factory=list)


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
            "rows": [asdict(row) for row in self.rows],
        }


def check_header(kind: str, header: list[str]) -> dict[str, int]:
    """Which cell index holds each column of this kind of import; ImportFileError otherwise."""
    return map_header(COLUMNS[kind], header)


def _dataset(table: Table, mapping: dict[str, int]) -> tablib.Dataset:
    """The rows under their columns' keys (the resources' column names)."""
    keys = list(mapping)
    dataset = tablib.Dataset(headers=keys)
    for _line, cells in table.rows:
        dataset.append([cells[mapping[key]] if mapping[key] < len(cells) else "" for key in keys])
    return dataset


def _errors(error, columns: dict[str, Column], mapping: dict[str, int]) -> list[dict]:
    """A row's ValidationError as the report's errors: column label and letter, message. Ours
    carry their column as the code; community.identity's are keyed by field."""
    if hasattr(error, "error_dict"):
        pairs = [(key, item) for key, items in error.error_dict.items() for item in items]
    else:
        pairs = [(item.code, item) for item in error.error_list]
    return [
        {
            "column": columns[key].label if key in columns else key,
            "letter": column_letter(mapping[key]) if key in mapping else "",
            "message": str(message),
        }
        for key, item in pairs
        for message in item.messages
    ]


def _run(kind: str, table: Table, user, *, dry_run: bool, progress: ProgressCallback) -> Report:
    mapping = check_header(kind, table.header)
    resource = RESOURCES[kind](user, [line for line, _cells in table.rows], progress=progress)
    result = resource.import_data(_dataset(table, mapping), dry_run=dry_run, use_transactions=True)
    if result.has_errors():
        # A fault, not a bad cell: the library rolled the import back; let it surface.
        failures = [error for _number, errors in result.row_errors() for error in errors]
        raise (failures or result.base_errors)[0].error
    columns = {column.key: column for column in COLUMNS[kind]}
    rows = []
    for index, (line, row_result) in enumerate(zip(resource.lines, result.rows, strict=True)):
        row = RowResult(
            line=line, label=resource.labels[index], status=STATUSES[row_result.import_type]
        )
        if row_result.validation_error is not None:
            row.errors = _errors(row_result.validation_error, columns, mapping)
        elif row.status == CHANGED:
            row.changes = resource.changes.get(index + 1, [])
        rows.append(row)
    return Report(kind=kind, rows=rows)


def validate(kind: str, table: Table, user, progress: ProgressCallback = None) -> Report:
    """Sort every row into new, changed, unchanged or error; writes nothing (a dry run in a
    transaction rolled back)."""
    return _run(kind, table, user, dry_run=True, progress=progress)


def apply(kind: str, table: Table, user, progress: ProgressCallback = None) -> Report:
    """Validate against the database as it is now and write every new or changed row, in one
    transaction. Rows in error are returned in the report and not written."""
    with transaction.atomic():
        return _run(kind, table, user, dry_run=False, progress=progress)


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
    check_header(kind, table.header)
    job = ImportJob(
        kind=kind, original_name=uploaded.name[:255], created_by=user, total_rows=len(table.rows)
    )
    job.file.save(uploaded.name, ContentFile(content), save=False)
    job.save()
    if len(table.rows) > async_threshold():
        queue.after_commit("community.preview_import", job.pk)
    else:
        preview_job(job.pk)
        job.refresh_from_db()
    return job


def preview_job(job_id: int) -> bool:
    """Validate a job's file and store the preview. Safe to run twice: the job's row stays
    locked while it is checked (recovery leaves a locked job alone)."""
    with transaction.atomic():
        job = (
            ImportJob.objects.select_for_update(of=("self",))
            .select_related("created_by")
            .filter(pk=job_id, status=ImportJob.Status.VALIDATING)
            .first()
        )
        if job is None:
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
        ImportJob.objects.filter(pk=job.pk).update(
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
            queue.after_commit("community.apply_import", job.pk)
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


def resume_lost_jobs(now=None) -> int:
    """Check or import the jobs whose task message was lost (the broker was away when it was
    queued): still waiting to be checked or imported, uploaded more than
    UNSENT_EMAIL_GRACE_SECONDS ago, and not locked by a worker running them now. Run by
    recovery (beat, worker start); safe to run twice (each run locks its job)."""
    _since, until = queue.lost_task_window(now or timezone.now())
    runs = {ImportJob.Status.VALIDATING: preview_job, ImportJob.Status.IMPORTING: apply_job}
    with transaction.atomic():
        waiting = list(
            ImportJob.objects.select_for_update(skip_locked=True)
            .filter(status__in=list(runs), created_at__lt=until)
            .values_list("pk", "status")
        )
    for pk, status in waiting:
        logger.warning("import %s %s: its task was lost, run by recovery", pk, status)
        runs[status](pk)
    return len(waiting)


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
