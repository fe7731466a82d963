#!/usr/bin/env bash
# The embedded default: SQLite, a Celery worker and beat on kombu's file broker under var/,
# and Django's server, started and stopped together (Ctrl-C stops all three).
set -euo pipefail
cd "$(dirname "$0")/.."
export DJANGO_SETTINGS_MODULE=config.settings.dev
PY=.venv/bin/python
mkdir -p var/log
# Create the folders, migrate and seed in one Python process: Django and Wagtail take seconds to
# load. The settings create no folder on import; the database, mail and broker folders are made
# here, wherever VAR_DIR points.
$PY manage.py shell -v0 -c "from django.core.management import call_command
from config.folders import create_local_folders
create_local_folders()
call_command('migrate', interactive=False, verbosity=0)
call_command('seed_demo')" | tail -n 1 > var/log/login.txt

pids=()
cleanup() { trap - INT TERM EXIT; kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true; }
trap cleanup INT TERM EXIT

.venv/bin/celery -A config worker --loglevel=INFO --concurrency=2 --pool=prefork >var/log/worker.log 2>&1 &
pids+=($!)
.venv/bin/celery -A config beat --loglevel=INFO --schedule="$PWD/var/celerybeat-schedule" >var/log/beat.log 2>&1 &
pids+=($!)
$PY manage.py runserver 127.0.0.1:8000 --noreload >var/log/web.log 2>&1 &
pids+=($!)


for _ in $(seq 100); do
  curl -fsS -o /dev/null http://127.0.0.1:8000/health/ 2>/dev/null && break
  sleep 0.2
done
cat <<MSG

  Vivre Ensemble runs on http://127.0.0.1:8000  (admin: http://127.0.0.1:8000/admin/)
  $(cat var/log/login.txt)
  Emails are written to var/mail/, logs to var/log/. Ctrl-C stops the site, the worker and beat.

MSG
wait -n "${pids[@]}"
