#!/usr/bin/env bash
# `make bench` (or `make bench BENCH=name` for one): every scenario in benchmarks/ against a throwaway PostgreSQL and Redis.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install.sh system
scripts/install.sh python
# shellcheck source=services.sh
source scripts/services.sh
export DJANGO_SETTINGS_MODULE=config.settings.bench
for scenario in benchmarks/[a-z]*.py; do
  name=$(basename "$scenario" .py)
  [ "$name" = harness ] && continue
  if [ -n "${BENCH:-}" ] && [ "$name" != "$BENCH" ]; then continue; fi
  echo "== $name"
  .venv/bin/python -m "benchmarks.$name"
done
