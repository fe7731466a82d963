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
echo "== tests (parallel)"
$PY -m pytest -n 2 -m "not serial" -q --durations=15 "$@"
echo "== tests (serial: concurrency, real workers)"
status=0
$PY -m pytest -m serial -q --durations=10 "$@" || status=$?
# exit 5: no serial test collected for the given selection; not a failure.
if [ "$status" -ne 0 ] && [ "$status" -ne 5 ]; then exit "$status"; fi
