"""`make backup` / `make restore`: the restore drill. Back up (the scripts the make targets run,
in a child process, as an operator would), wipe the database and the files, restore, and find
the same rows in every table, the same files, and the demo serving again. On PostgreSQL (a
custom-format dump) and on the embedded SQLite default (its online backup)."""

import hashlib
import os
import shutil
import sqlite3
import subprocess
import sys

from django.db import connection

import pytest

from tests.events.signup_helpers import register
from tests.factories import EventFactory
from tests.support.worker import ROOT, database_url_for_tests

# Not serial: each test backs up and restores its own database (the xdist worker's copy, or a
# SQLite file of its own) and its own media folders (tmp_path), so it can run beside others.


def table_counts() -> dict[str, int]:
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        counts = {}
        for table in tables:
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608
            counts[table] = cursor.fetchone()[0]
    return counts


def file_digests(folder) -> dict[str, str]:
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def run(script: str, *args: str, env: dict) -> subprocess.CompletedProcess:
    result = subprocess.run(  # noqa: S603 -- our own scripts, with arguments of the test
        [sys.executable, str(ROOT / "scripts" / script), *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def operator_env(settings, tmp_path, database_url: str) -> dict:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": database_url,
        "BACKUP_DIR": str(tmp_path / "backups"),
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "PRIVATE_MEDIA_ROOT": str(settings.PRIVATE_MEDIA_ROOT),
    }


@pytest.mark.django_db(transaction=True)
def test_restore_drill_on_postgresql(home_page, settings, tmp_path, client):
    assert connection.vendor == "postgresql"
    event = EventFactory(capacity=10)
    for _ in range(3):
        register(event)
    media, private = settings.MEDIA_ROOT, settings.PRIVATE_MEDIA_ROOT
    (media / "images").mkdir(parents=True, exist_ok=True)
    (media / "images" / "affiche.jpg").write_bytes(b"\xff\xd8 une affiche")
    (private / "documents").mkdir(parents=True, exist_ok=True)
    (private / "documents" / "compte-rendu.pdf").write_bytes(b"%PDF-1.4 confidentiel")
    before, media_before, private_before = (
        table_counts(),
        file_digests(media),
        file_digests(private),
    )
    assert before["events_registration"] == 3 and before["wagtailcore_page"] > 1
    env = operator_env(settings, tmp_path, database_url_for_tests())

    backed_up = run("backup.py", env=env)
    [folder] = (tmp_path / "backups").iterdir()
    assert {p.name for p in folder.iterdir()} >= {"database.dump", "media.tar", "private.tar"}
    assert str(folder) in backed_up.stdout

    with connection.cursor() as cursor:  # the wipe: no table, no file left
        cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
    shutil.rmtree(media)
    shutil.rmtree(private)
    assert table_counts() == {}

    restored = run("restore.py", "--yes", str(folder), env=env)

    assert table_counts() == before
    assert file_digests(media) == media_before and file_digests(private) == private_before
    assert client.get("/").status_code == 200  # the demo serves again
    print(
        f"\nrestore drill (PostgreSQL): {len(before)} tables, {sum(before.values())} rows, "
        f"{len(media_before) + len(private_before)} files back\n{restored.stdout}"
    )


def test_restore_drill_on_the_embedded_sqlite_default(settings, tmp_path):
    """The embedded default: SQLite's online backup API (a consistent copy while the demo
    runs), restored in place."""
    path = tmp_path / "db.sqlite3"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE person (id INTEGER PRIMARY KEY, email TEXT)")
        db.executemany(
            "INSERT INTO person (email) VALUES (?)", [(f"p{n}@exemple.fr",) for n in range(250)]
        )
    settings.MEDIA_ROOT.mkdir(parents=True, exist_ok=True)
    (settings.MEDIA_ROOT / "logo.png").write_bytes(b"\x89PNG logo")
    env = operator_env(settings, tmp_path, f"sqlite:///{path}")

    run("backup.py", env=env)
    [folder] = (tmp_path / "backups").iterdir()
    assert (folder / "database.sqlite3").exists()

    with sqlite3.connect(path) as db:  # the wipe
        db.execute("DELETE FROM person")
        db.execute("CREATE TABLE stray (id INTEGER)")
    shutil.rmtree(settings.MEDIA_ROOT)

    run("restore.py", "--yes", str(folder), env=env)

    with sqlite3.connect(path) as db:
        assert db.execute("SELECT COUNT(*) FROM person").fetchone() == (250,)
        tables = {name for (name,) in db.execute("SELECT name FROM sqlite_master")}
    assert "stray" not in tables
    assert (settings.MEDIA_ROOT / "logo.png").read_bytes() == b"\x89PNG logo"


def test_restore_refuses_without_confirmation_and_names_what_it_would_replace(settings, tmp_path):
    path = tmp_path / "db.sqlite3"
    sqlite3.connect(path).close()
    env = operator_env(settings, tmp_path, f"sqlite:///{path}")
    run("backup.py", env=env)
    [folder] = (tmp_path / "backups").iterdir()
    result = subprocess.run(  # noqa: S603
        [sys.executable, str(ROOT / "scripts" / "restore.py"), str(folder)],
        cwd=ROOT,
        env=env,
        input="non\n",
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert str(path) in result.stdout + result.stderr
