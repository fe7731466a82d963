#!/usr/bin/env bash
# The README's test command (`make test`): install what is missing, start a throwaway PostgreSQL
# and Redis, run the linters, Django's checks and the tests, stop the services whatever happens.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install.sh system
scripts/install.sh python
# shellcheck source=services.sh
source scripts/services.sh

export DJANGO_SETTINGS_MODULE=config.settings.test
PY=.venv/bin/python
WORKERS=2

# Migrating takes about a minute of CPU: it runs once, in the background while the linters run,
# into the database the serial pass uses; each xdist worker gets a copy of it (CREATE DATABASE
# ... TEMPLATE, a file copy), and pytest reuses them (--reuse-db) instead of migrating again.
TEST_DB="test_${DATABASE_URL##*/}"
pg() { "$PG_BIN/$1" -h 127.0.0.1 -p "$PG_PORT" -U "$PG_USER" "${@:2}"; }
pg createdb "$TEST_DB"
DATABASE_URL="${DATABASE_URL%/*}/$TEST_DB" $PY manage.py migrate --no-input -v 0 \
  >"$SERVICES_DIR/migrate.log" 2>&1 &
migrate_pid=$!

echo "== ruff"
.venv/bin/ruff check .
.venv/bin/ruff format --check .
echo "== import contracts"
.venv/bin/lint-imports
echo "== django checks"
$PY manage.py check --fail-level WARNING
$PY manage.py makemigrations --check --dry-run
DJANGO_SECRET_KEY=check-only-$(date +%s)-not-used-anywhere-else-abcdefghijklmnopqrstuvwxyz \
  ALLOWED_HOSTS=example.org DJANGO_SETTINGS_MODULE=config.settings.production \
  $PY manage.py check --deploy --fail-level WARNING
# Playwright's sync API runs an event loop in the test thread; Django must allow DB access there.
export DJANGO_ALLOW_ASYNC_UNSAFE=true
echo "== test databases"
if ! wait "$migrate_pid"; then cat "$SERVICES_DIR/migrate.log"; exit 1; fi
for worker in $(seq 0 $((WORKERS - 1))); do pg createdb -T "$TEST_DB" "${TEST_DB}_gw$worker"; done
echo "== tests (parallel)"
# loadgroup: as `load`, but a module marked xdist_group runs on one worker (its module-scoped
# fixture, e.g. the demo seed, built once).
$PY -m pytest -n "$WORKERS" --dist loadgroup --reuse-db -m "not serial" -q --durations=15 "$@"
echo "== tests (serial: concurrency, real workers)"
status=0
$PY -m pytest --reuse-db -m serial -q --durations=10 "$@" || status=$?
# exit 5: no serial test collected for the given selection; not a failure.
if [ "$status" -ne 0 ] && [ "$status" -ne 5 ]; then exit "$status"; fi
