"""Settings: production refuses to start without what it cannot guess; SQLite runs in WAL mode."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "DJANGO_SECRET_KEY": "a-long-production-secret-used-only-by-this-test-0123456789abcdef",
    "DATABASE_URL": "postgres://u@127.0.0.1:1/db",
    "ALLOWED_HOSTS": "mediation.example.org",
}


def run_django(code: str, env: dict, settings: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in PRODUCTION_ENV and k != "REDIS_URL"}
    clean.update(
        env, DJANGO_SETTINGS_MODULE=settings, VAR_DIR=env.get("VAR_DIR", str(ROOT / "var"))
    )
    return subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize("missing", sorted(PRODUCTION_ENV))
def test_production_refuses_to_start_naming_the_missing_variable(missing):
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != missing}
    result = run_django("print('started')", env, "config.settings.production")
    assert result.returncode != 0
    assert "started" not in result.stdout
    assert "ImproperlyConfigured" in result.stderr
    assert f"The environment variable {missing} is required in production" in result.stderr


def test_production_starts_with_the_required_variables():
    result = run_django(
        "from django.conf import settings; import sentry_sdk; "
        "print(settings.DEBUG, settings.ALLOWED_HOSTS, settings.SECURE_HSTS_SECONDS, "
        "sentry_sdk.get_client().is_active(), settings.LOGGING['handlers']['console']['formatter'])",
        PRODUCTION_ENV,
        "config.settings.production",
    )
    assert result.returncode == 0, result.stderr
    # No SENTRY_DSN: no error reports; no LOG_FORMAT: plain text lines.
    assert result.stdout.strip() == "False ['mediation.example.org'] 31536000 False plain"


@pytest.mark.sqlite_quick
def test_embedded_sqlite_uses_wal_immediate_transactions_and_a_busy_timeout(tmp_path):
    code = (
        "from django.db import connection; c = connection.cursor(); "
        "print(c.execute('PRAGMA journal_mode').fetchone()[0], "
        "c.execute('PRAGMA busy_timeout').fetchone()[0], connection.transaction_mode)"
    )
    result = run_django(
        code,
        {"DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}", "VAR_DIR": str(tmp_path)},
        "config.settings.dev",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["wal", "20000", "IMMEDIATE"]


def import_settings(
    module: str, tmp_path: Path, env_file_text: str = "", code: str = "", env: dict | None = None
):
    """Import a settings module in a fresh interpreter whose `.env` is a file under tmp_path
    (django-environ's reader is pointed there, so the project's own `.env` stays out of it)."""
    env_file = tmp_path / ".env"
    env_file.write_text(env_file_text)
    clean = {
        k: v
        for k, v in os.environ.items()
        if k
        not in ("VAR_DIR", "MEDIA_ROOT", "PRIVATE_MEDIA_ROOT", "REDIS_URL", "CELERY_BROKER_URL")
    }
    clean.update(env or {})
    script = (
        "import environ\n"
        "read_env = environ.Env.read_env.__func__\n"
        "environ.Env.read_env = classmethod(\n"
        f"    lambda cls, env_file=None, **kw: read_env(cls, {str(env_file)!r}, **kw)\n"
        ")\n"
        f"import {module} as s\n"
        f"{code}\n"
    )
    return subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize("module", ["config.settings.dev", "config.settings.test"])
def test_var_dir_from_the_env_file_moves_every_folder_derived_from_it(module, tmp_path):
    var = tmp_path / "elsewhere"
    result = import_settings(
        module,
        tmp_path,
        f"VAR_DIR={var}\n",
        "print(s.STATIC_ROOT, s.MEDIA_ROOT, s.PRIVATE_MEDIA_ROOT, s.CELERY_BEAT_SCHEDULE_FILENAME)",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        str(var / "static"),
        str(var / "media"),
        str(var / "private"),
        str(var / "celerybeat-schedule"),
    ]


@pytest.mark.parametrize("module", ["config.settings.dev", "config.settings.test"])
def test_importing_the_settings_creates_no_folder(module, tmp_path):
    var = tmp_path / "var"
    result = import_settings(
        module, tmp_path, code="print(s.STATIC_ROOT)", env={"VAR_DIR": str(var)}
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(var / "static")
    assert sorted(p.name for p in tmp_path.iterdir()) == [".env"]


def test_the_embedded_default_creates_its_folders_when_started(tmp_path):
    """What dev.py used to create on import, scripts/run.sh creates before migrating: the var
    folder (SQLite), the file broker's folders, the mail and media folders."""
    var = tmp_path / "var"
    result = import_settings(
        "config.settings.dev",
        tmp_path,
        code=(
            "import django; django.setup()\n"
            "from config.folders import create_local_folders; create_local_folders()"
        ),
        env={"VAR_DIR": str(var), "DJANGO_SETTINGS_MODULE": "config.settings.dev"},
    )
    assert result.returncode == 0, result.stderr
    made = sorted(str(p.relative_to(var)) for p in var.rglob("*") if p.is_dir())
    assert made == [
        "broker",
        "broker/control",
        "broker/processed",
        "broker/queue",
        "mail",
        "media",
        "private",
        "static",
    ]
