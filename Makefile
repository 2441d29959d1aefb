# cunwu — `make run` serves the demo, `make test` runs every test. `make help` lists the rest.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
VAR := var
PG_URL ?= postgres://postgres@127.0.0.1:5432/cunwu_ci
SYSTEM_PACKAGES := chromium fonts-wqy-microhei zbar-tools poppler-utils
PYTEST_WORKERS ?= 2
export CUNWU_VAR_DIR ?= $(CURDIR)/$(VAR)

.DEFAULT_GOAL := help
.PHONY: help deps venv node_modules services run run-pg migrate seed test test-sqlite test-postgres lint lint-fast format bench clean

help: ## List the targets
	@grep -hE '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  \033[1m%-14s\033[0m %s\n", $$1, $$2}'

deps: ## Install the Debian packages cunwu needs (CJK font, Chromium, zbar, poppler) when missing
	@missing=""; for p in $(SYSTEM_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing system packages:$$missing"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi

$(VENV)/.installed: requirements.txt pyproject.toml
	@# Debian's own python3 ships venv/ensurepip separately (python3-venv).
	@$(PYTHON) -c "import ensurepip, venv" 2>/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq python3-venv >/dev/null; }
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -r requirements.txt
	$(PY) -m pip install -q --no-deps -e .
	@touch $@

venv: $(VENV)/.installed ## Create the virtual environment with the pinned dependencies

# axe-core for the browser tests' accessibility checks, pinned in package-lock.json (npm registry, no CDN).
node_modules/.package-lock.json: package.json package-lock.json
	@command -v npm >/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq npm >/dev/null; }
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

node_modules: node_modules/.package-lock.json ## Install axe-core (npm ci) when node_modules is missing or stale

$(VAR)/secret-key: | venv
	@mkdir -p $(VAR)
	@$(PY) -c "import secrets; print(secrets.token_urlsafe(50))" > $@
	@chmod 600 $@

# The demo encrypts its certificate signing keys at rest like production should (kept beside the secret key).
$(VAR)/key-encryption-key: | venv
	@mkdir -p $(VAR)
	@$(PY) -c "from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())" > $@
	@chmod 600 $@

LOCAL_ENV = CUNWU_SECRET_KEY=$${CUNWU_SECRET_KEY:-$$(cat $(VAR)/secret-key)} \
	CUNWU_KEY_ENCRYPTION_KEY=$${CUNWU_KEY_ENCRYPTION_KEY:-$$(cat $(VAR)/key-encryption-key)}

migrate: venv $(VAR)/secret-key $(VAR)/key-encryption-key ## Apply database migrations (SQLite under var/ unless DATABASE_URL is set)
	@$(LOCAL_ENV) $(PY) manage.py migrate --noinput -v 0
	@chmod 700 $(VAR); for f in $(VAR)/*.sqlite3 $(VAR)/*.sqlite3-wal $(VAR)/*.sqlite3-shm; do [ ! -e "$$f" ] || chmod 600 "$$f"; done

seed: migrate ## Load the divisions, the demo county, demo accounts and example catalogs (idempotent)
	@$(LOCAL_ENV) $(PY) manage.py seed --scale demo
	@$(LOCAL_ENV) $(PY) manage.py ledger checkpoint >/dev/null

run: deps seed ## Set everything up and serve the demo at http://127.0.0.1:$(PORT)
	@$(LOCAL_ENV) $(PY) manage.py collectstatic --noinput -v 0
	@$(LOCAL_ENV) $(PY) manage.py demo_accounts
	@echo "Serving http://127.0.0.1:$(PORT)  (Ctrl-C to stop)"
	@$(LOCAL_ENV) CUNWU_BASE_URL=$${CUNWU_BASE_URL:-http://127.0.0.1:$(PORT)} \
	  $(VENV)/bin/granian --interface wsgi --host 127.0.0.1 --port $(PORT) --workers 1 --blocking-threads 4 \
	  --log-level warning cunwu.wsgi:application

RUN_PG_URL ?= postgres://postgres@127.0.0.1:5432/cunwu
REDIS_URL ?= redis://127.0.0.1:6379/0
PG_ENV = DATABASE_URL=$(RUN_PG_URL) CUNWU_REDIS_URL=$(REDIS_URL)

services: ## Start the local PostgreSQL and Redis when they are not running (installs them when missing)
	@pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null || { \
	  command -v pg_ctlcluster >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null; }; \
	  pg_ctlcluster --skip-systemctl-redirect "$$(ls /etc/postgresql | head -n1)" main start; }
	@(exec 3<>/dev/tcp/127.0.0.1/6379) 2>/dev/null || { \
	  command -v redis-server >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null; }; \
	  redis-server --bind 127.0.0.1 --port 6379 --daemonize yes >/dev/null; }

run-pg: deps venv services $(VAR)/secret-key $(VAR)/key-encryption-key ## The province stack on one machine: PostgreSQL, Redis, two app processes
	@$(PY) -c "import psycopg; u='$(RUN_PG_URL)'; c=psycopg.connect(u.rsplit('/',1)[0]+'/postgres', autocommit=True); n=u.rsplit('/',1)[1]; c.execute('SELECT 1 FROM pg_database WHERE datname=%s',(n,)).fetchone() or c.execute('CREATE DATABASE \"%s\"' % n)"
	@$(LOCAL_ENV) $(PG_ENV) $(PY) manage.py migrate --noinput -v 0
	@$(LOCAL_ENV) $(PG_ENV) $(PY) manage.py seed --scale demo
	@$(LOCAL_ENV) $(PG_ENV) $(PY) manage.py ledger checkpoint >/dev/null
	@$(LOCAL_ENV) $(PG_ENV) $(PY) manage.py collectstatic --noinput -v 0
	@$(LOCAL_ENV) $(PG_ENV) $(PY) manage.py demo_accounts
	@echo "Serving http://127.0.0.1:$(PORT) from PostgreSQL ($(RUN_PG_URL)) and Redis, two app processes (Ctrl-C to stop)"
	@$(LOCAL_ENV) $(PG_ENV) CUNWU_BASE_URL=$${CUNWU_BASE_URL:-http://127.0.0.1:$(PORT)} \
	  $(VENV)/bin/granian --interface wsgi --host 127.0.0.1 --port $(PORT) --workers 2 --blocking-threads 4 \
	  --log-level warning cunwu.wsgi:application

test: deps venv node_modules ## Run every test: lint (ruff, mypy), migration check, the suite on SQLite and on PostgreSQL, browser tests
	@$(MAKE) --no-print-directory lint
	@CUNWU_SECRET_KEY=check CUNWU_DEBUG=0 $(PY) manage.py makemigrations --check --dry-run -v 1
	@$(MAKE) --no-print-directory test-sqlite
	@$(MAKE) --no-print-directory test-postgres

test-sqlite: venv node_modules ## The whole suite on SQLite, browser tests included
	@echo "=== tests on SQLite (with browser tests) ==="
	$(PY) -m pytest -q -n $(PYTEST_WORKERS) --dist loadfile

test-postgres: venv ## The suite on PostgreSQL (browser tests run on SQLite only)
	@if $(PY) -c "import psycopg,sys; psycopg.connect('$(PG_URL)'.rsplit('/',1)[0]+'/postgres', connect_timeout=3).close()" 2>/dev/null; then \
	  echo "=== tests on PostgreSQL ($(PG_URL)) ==="; \
	  DATABASE_URL=$(PG_URL) $(PY) -m pytest -q -n $(PYTEST_WORKERS) --dist loadfile -m "not browser"; \
	else \
	  echo ""; echo "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!"; \
	  echo "!!! PostgreSQL is NOT reachable at $(PG_URL): the PostgreSQL run is SKIPPED."; \
	  echo "!!! Only SQLite was tested. Start PostgreSQL (pg_ctlcluster 15 main start) and rerun."; \
	  echo "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!"; echo ""; \
	fi

lint-fast: venv
	@$(VENV)/bin/ruff check cunwu bench conftest.py
	@$(VENV)/bin/ruff format --check cunwu bench conftest.py

lint: lint-fast ## ruff (lint and format check) and mypy
	@CUNWU_SECRET_KEY=lint $(VENV)/bin/mypy cunwu

format: venv ## Format the code with ruff
	@$(VENV)/bin/ruff format cunwu bench conftest.py
	@$(VENV)/bin/ruff check --fix cunwu bench conftest.py

bench: deps venv ## Run the benchmarks and rewrite docs/benchmarks.md
	@dpkg -s wrk >/dev/null 2>&1 || (apt-get install -y -qq wrk >/dev/null 2>&1 || echo "wrk not installed: the verify benchmark falls back to a Python load client")
	@$(PY) bench/run.py

clean: ## Remove the virtual environment and local data (var/)
	rm -rf $(VENV) $(VAR)
