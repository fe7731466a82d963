"""Backups and restores of everything that holds state: the database and the files.

`backup()` (make backup) writes one dated folder under BACKUP_DIR (var/backups by default):

- `database.dump`: PostgreSQL's custom format (pg_dump --format=custom), taken in an exported
  snapshot so that the row counts of the manifest are exactly the dump's; or
  `database.sqlite3` in the embedded default: SQLite's online backup API, a consistent copy
  while the demo keeps running;
- `media.tar` and `private.tar`: MEDIA_ROOT and PRIVATE_MEDIA_ROOT (local storage; a bucket on
  S3-compatible storage is backed up by its own versioning);
- `manifest.json`: when, which database, the row count of every table, the files archived.

`restore()` (make restore) replaces the database and the two folders with a backup's, then
counts the rows of every table again and reports any that differs from the manifest.
Redis holds nothing to back up: the cache rebuilds itself and every email waits in a table.
"""

import datetime as dt
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path

from django.conf import settings
from django.db import connection, connections

MANIFEST = "manifest.json"
POSTGRES_DUMP = "database.dump"
SQLITE_COPY = "database.sqlite3"
FILE_ROOTS = {"media": "MEDIA_ROOT", "private": "PRIVATE_MEDIA_ROOT"}


class BackupError(Exception):
    """A backup or a restore that could not be made; the message says why."""


def backup_root() -> Path:
    return Path(settings.BACKUP_DIR)


def folders() -> list[Path]:
    """The backups under BACKUP_DIR, oldest first (their names sort by date)."""
    root = backup_root()
    if not root.is_dir():
        return []
    return sorted(p for p in root.iterdir() if (p / MANIFEST).is_file())


def database_description() -> str:
    """What a restore would replace, in the operator's words."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"the SQLite database {db['NAME']}"
    return f"the PostgreSQL database {db['NAME']} on {db.get('HOST') or 'localhost'}"


def _pg_env() -> dict:
    """libpq's environment for pg_dump / pg_restore: no password on a command line."""
    db = connection.settings_dict
    env = dict(os.environ)
    for key, name in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER")):
        if db.get(key):
            env[name] = str(db[key])
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    if db.get("OPTIONS", {}).get("sslmode"):
        env["PGSSLMODE"] = db["OPTIONS"]["sslmode"]
    env["PGDATABASE"] = db["NAME"]
    return env


def _run(command: list[str], env: dict) -> None:
    try:
        result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    except FileNotFoundError as exc:
        raise BackupError(f"{command[0]} is not installed (PostgreSQL's client tools).") from exc
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed:\n{result.stderr.strip()}")


def _count_rows(cursor, quote) -> dict[str, int]:
    counts = {}
    for table in sorted(connection.introspection.table_names(cursor)):
        cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")  # noqa: S608 -- names from the catalogue
        counts[table] = cursor.fetchone()[0]
    return counts


def table_counts() -> dict[str, int]:
    """The row count of every table of the database, now."""
    with connection.cursor() as cursor:
        return _count_rows(cursor, connection.ops.quote_name)


def _dump_postgresql(target: Path) -> dict[str, int]:
    """pg_dump in the snapshot the rows are counted in: the manifest's counts are the dump's."""
    connection.ensure_connection()
    with connection.cursor() as cursor:
        cursor.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        try:
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            counts = _count_rows(cursor, connection.ops.quote_name)
            _run(
                ["pg_dump", "--format=custom", f"--snapshot={snapshot}", f"--file={target}"],
                _pg_env(),
            )
        finally:
            cursor.execute("COMMIT")
    return counts


def _backup_sqlite(target: Path) -> dict[str, int]:
    source = sqlite3.connect(connection.settings_dict["NAME"])
    copy = sqlite3.connect(target)
    try:
        source.backup(copy)  # the online backup API: consistent while others write
        names = [
            name
            for (name,) in copy.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        return {
            name: copy.execute(f'SELECT COUNT(*) FROM "{name}"').fetchone()[0]  # noqa: S608
            for name in sorted(names)
        }
    finally:
        copy.close()
        source.close()


def _archive(root: Path, target: Path) -> int:
    """The folder as an uncompressed tar (images and PDFs are compressed already)."""
    count = 0
    with tarfile.open(target, "w") as tar:
        if root.is_dir():
            for path in sorted(root.rglob("*")):
                if path.is_file():
                    tar.add(path, arcname=str(path.relative_to(root)), recursive=False)
                    count += 1
    return count


def backup(now: dt.datetime | None = None) -> Path:
    """Write a new dated backup folder under BACKUP_DIR and return it."""
    now = now or dt.datetime.now(dt.UTC)
    folder = backup_root() / now.strftime("%Y-%m-%d-%H%M%S")
    folder.mkdir(parents=True, exist_ok=False)
    if connection.vendor == "postgresql":
        database, counts = POSTGRES_DUMP, _dump_postgresql(folder / POSTGRES_DUMP)
    elif connection.vendor == "sqlite":
        database, counts = SQLITE_COPY, _backup_sqlite(folder / SQLITE_COPY)
    else:
        raise BackupError(f"No backup for a {connection.vendor} database.")
    files = {
        name: _archive(Path(getattr(settings, setting)), folder / f"{name}.tar")
        for name, setting in FILE_ROOTS.items()
    }
    manifest = {
        "created_at": now.isoformat(),
        "database": connection.vendor,
        "database_file": database,
        "tables": counts,
        "files": files,
    }
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True))
    return folder


def _restore_postgresql(source: Path) -> None:
    connections.close_all()
    _run(
        [
            "pg_restore",
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
            f"--dbname={connection.settings_dict['NAME']}",
            str(source),
        ],
        _pg_env(),
    )


def _restore_sqlite(source: Path) -> None:
    connections.close_all()
    copy = sqlite3.connect(source)
    database = sqlite3.connect(connection.settings_dict["NAME"])
    try:
        copy.backup(database)  # replaces every page: tables made since are gone too
    finally:
        database.close()
        copy.close()


def _unpack(archive: Path, root: Path) -> None:
    """Replace the folder by the archive's content, swapping it in once it is complete."""
    root.parent.mkdir(parents=True, exist_ok=True)
    fresh = Path(tempfile.mkdtemp(prefix=f".{root.name}-restore-", dir=root.parent))
    with tarfile.open(archive) as tar:
        tar.extractall(fresh, filter="data")  # no absolute path, link or device gets out
    old = root.with_name(f".{root.name}-replaced")
    shutil.rmtree(old, ignore_errors=True)
    if root.exists():
        root.rename(old)
    fresh.rename(root)
    shutil.rmtree(old, ignore_errors=True)


def restore(folder: Path) -> dict[str, tuple[int, int]]:
    """Replace the database and the files with the backup in `folder`. Returns the tables
    whose row count differs from the manifest's ({table: (expected, found)}): none when the
    restore is complete."""
    folder = Path(folder)
    try:
        manifest = json.loads((folder / MANIFEST).read_text())
    except (OSError, ValueError) as exc:
        raise BackupError(f"{folder} is not a backup folder (no readable {MANIFEST}).") from exc
    if manifest["database"] != connection.vendor:
        raise BackupError(
            f"This backup is of a {manifest['database']} database; "
            f"the settings point at a {connection.vendor} one."
        )
    source = folder / manifest["database_file"]
    if connection.vendor == "postgresql":
        _restore_postgresql(source)
    else:
        _restore_sqlite(source)
    for name, setting in FILE_ROOTS.items():
        archive = folder / f"{name}.tar"
        if archive.is_file():
            _unpack(archive, Path(getattr(settings, setting)))
    found = table_counts()
    expected = manifest["tables"]
    return {
        table: (expected.get(table, 0), found.get(table, 0))
        for table in sorted(set(expected) | set(found))
        if expected.get(table, 0) != found.get(table, 0)
    }
