# Vivre Ensemble — `make help` lists the targets.
.DEFAULT_GOAL := help
SHELL := /bin/bash
PY := .venv/bin/python
export BENCH

.PHONY: help install run test test-quick bench lock messages screenshots clean audit backup restore

help: ## List the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "} {printf "  make %-12s %s\n", $$1, $$2}'

install: ## Create .venv from requirements.lock and compile translations
	@scripts/install.sh python

run: install ## Serve the demo on http://127.0.0.1:8000 with a Celery worker and beat (SQLite)
	@scripts/run.sh

test: ## Install what is missing, start PostgreSQL and Redis, run linters, checks and all tests
	@scripts/test.sh

test-quick: install ## Quick local run on SQLite: no PostgreSQL, Redis, browser or worker tests
	DJANGO_SETTINGS_MODULE=config.settings.test DATABASE_URL=sqlite:///$(CURDIR)/var/test.sqlite3 \
		$(PY) -m pytest -q -m "not serial and not browser" $(ARGS)

bench: ## Run every scenario in benchmarks/ on PostgreSQL and print its figures
	@scripts/bench.sh

audit: ## Audit the pinned dependencies for known vulnerabilities (pip-audit; needs its database online)
	@scripts/audit.sh

lock: ## Regenerate requirements.lock from pyproject.toml
	@scripts/install.sh python >/dev/null
	.venv/bin/uv pip compile pyproject.toml --extra dev --python-version 3.11 -o requirements.lock

messages: install ## Extract translatable strings into locale/ (then edit and `make install`)
	$(PY) manage.py makemessages -l en -l ar --ignore=.venv --ignore=node_modules --ignore=var
	$(PY) manage.py makemessages -d djangojs -l en -l ar --ignore=.venv --ignore=node_modules --ignore=var

screenshots: ## Regenerate the README's screenshots under docs/
	@scripts/install.sh system && scripts/install.sh python
	@DJANGO_ALLOW_ASYNC_UNSAFE=true $(PY) scripts/screenshots.py

backup: ## Back up the database and the media/private files into a dated folder under BACKUP_DIR (var/backups)
	@$(PY) scripts/backup.py

restore: ## Replace the database and files with a backup (FROM=<folder>, the latest by default); asks first
	@$(PY) scripts/restore.py $(FROM)

clean: ## Remove the embedded database, broker, mail and media under var/
	rm -rf var/
