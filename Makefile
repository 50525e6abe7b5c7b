# Cổng Dịch vụ công: the two commands are `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
STAMP := $(VENV)/.installed
MANAGE := $(BIN)/python manage.py
# pytest-xdist processes of `make test` (CI's machine has 2 cores).
TEST_WORKERS ?= 2
# `make run` always uses the embedded default, whatever the environment holds.
EMBEDDED := DJANGO_DEBUG=1 DATABASE_URL=sqlite:///db.sqlite3 REDIS_URL=

.PHONY: help setup run serve test lint typecheck messages clean drills bench screenshots

help:
	@echo "make run    set up (venv, install, migrate, reference data, demo accounts) and serve on SQLite"
	@echo "make setup  everything but serving"
	@echo "make test   ruff, mypy, makemigrations --check, pytest"
	@echo "make serve  production-like: gunicorn + Celery worker + beat on PostgreSQL and Redis"
	@echo "make drills fault drills on private PostgreSQL, Redis, gunicorn, workers (docs/reliability.md)"
	@echo "make bench  hot paths beside their bare baselines (PostgreSQL, Redis, wrk); writes docs/benchmarks.md"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $@

setup: $(STAMP)
	$(EMBEDDED) $(MANAGE) migrate --noinput
	$(EMBEDDED) $(MANAGE) load_units
	$(EMBEDDED) $(MANAGE) load_rules
	$(EMBEDDED) $(MANAGE) load_catalogue
	$(EMBEDDED) $(MANAGE) import_anywhere_list --demo
	$(EMBEDDED) $(MANAGE) seed_demo
	$(EMBEDDED) $(MANAGE) idp_setup
	$(EMBEDDED) $(MANAGE) signing_setup

run: setup
	@echo "Cổng Dịch vụ công: http://127.0.0.1:$(PORT)/ (SQLite, tasks in-process)"
	$(EMBEDDED) $(MANAGE) runserver 127.0.0.1:$(PORT)

serve: $(STAMP)
	@test -n "$$DATABASE_URL" || { echo "make serve needs DATABASE_URL (see .env.example)"; exit 1; }
	@test -n "$$REDIS_URL" || { echo "make serve needs REDIS_URL (see .env.example)"; exit 1; }
	@# With DEBUG off, migrate below refuses any secret left at its development value and names it.
	@test -n "$$SECRET_KEY" || { echo "make serve needs SECRET_KEY (see .env.example)"; exit 1; }
	mkdir -p var && rm -rf var/prometheus && mkdir -p var/prometheus
	$(MANAGE) migrate --noinput
	$(MANAGE) load_units
	$(MANAGE) load_rules
	$(MANAGE) load_catalogue
	STATICFILES_BACKEND=whitenoise.storage.CompressedManifestStaticFilesStorage \
		$(MANAGE) collectstatic --noinput --verbosity 0
	STATICFILES_BACKEND=whitenoise.storage.CompressedManifestStaticFilesStorage \
		PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/honcho start -f Procfile -p $(PORT)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy .

test: lint typecheck
	@# A development check: DEBUG on, so it needs no deployment secrets (portal/checks.py).
	DJANGO_DEBUG=1 $(MANAGE) makemigrations --check --dry-run
	@# The suite on $(TEST_WORKERS) pytest-xdist processes, whole files to each, then the
	@# tests marked serial (workers killed, a browser) alone (docs/decisions.md, 210).
	@# Both parts run even when the first fails; either failing fails the target.
	@status=0; \
	CELERY_QUEUE=test-$$$$ $(BIN)/pytest -n $(TEST_WORKERS) --dist loadfile -m "not serial" || status=$$?; \
	echo "Alone: the tests marked serial"; \
	CELERY_QUEUE=test-$$$$ $(BIN)/pytest -m serial || status=$$?; \
	exit $$status
	@# On PostgreSQL (CI), the tests that must agree across databases run again on SQLite.
	@if [ -n "$$DATABASE_URL" ] && [ "$${DATABASE_URL%%:*}" != "sqlite" ]; then \
		echo "Again on SQLite: the tests marked both_databases"; \
		DATABASE_URL=sqlite:// CELERY_QUEUE=test-$$$$ $(BIN)/pytest -m both_databases -q -p no:cacheprovider; \
	fi

# Refresh docs/screenshots/ from the browser journeys (needs Chromium, PostgreSQL
# and Redis: set DATABASE_URL and REDIS_URL as for the browser suite).
screenshots: $(STAMP)
	SCREENSHOTS_DIR=$(CURDIR)/docs/screenshots CELERY_QUEUE=shots-$$$$ $(BIN)/pytest tests/browser -q -p no:cacheprovider

# Fault drills (docs/reliability.md): worker SIGKILL, Redis flushed, PostgreSQL
# restarted, disk full. They start and stop their own PostgreSQL (5441), Redis
# (6391), gunicorn (8141) and workers; the shared servers are never touched.
drills: $(STAMP)
	$(BIN)/python -m scripts.drills

# Benchmarks (docs/benchmarks.md): PostgreSQL and Redis on this machine, wrk from
# Debian. The bench databases are kept and reused while their schema matches.
bench: $(STAMP)
	@command -v wrk >/dev/null || apt-get install -y wrk || sudo apt-get install -y wrk
	$(BIN)/python -m benchmarks.run $(BENCH_ARGS)

# Update the translation catalogues (Vietnamese source, English translation).
messages: $(STAMP)
	$(MANAGE) translations

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles var .mypy_cache .pytest_cache .ruff_cache *.egg-info
