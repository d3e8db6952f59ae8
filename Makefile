# mentorship — developer commands. `make run` starts everything; `make test` runs the suite.
SHELL := /bin/bash
.DEFAULT_GOAL := help

# Find a Python >= 3.12: $PYTHON if given, else the usual names, else pyenv's installs.
PYTHON ?= $(shell for c in python3.13 python3.12 python3 python; do \
	  p=$$(command -v $$c 2>/dev/null) || continue; \
	  $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null && { echo $$p; exit 0; }; \
	done; \
	for v in 3.13 3.12; do \
	  p=$$(PYENV_VERSION=$$(pyenv versions --bare 2>/dev/null | grep "^$$v" | tail -1) pyenv which python$$v 2>/dev/null) && [ -n "$$p" ] && { echo $$p; exit 0; }; \
	done)
VENV := .venv
PY := $(VENV)/bin/python
UV := $(VENV)/bin/uv
LOCK := requirements/dev.lock

.PHONY: help venv install lock run test lint fmt migrate check-python browser-deps

help:
	@echo "make run    start the whole platform (web, worker, beat; embedded PostgreSQL/Redis when unset)"
	@echo "make test   lint, layer contract, migration check and the full test suite"
	@echo "make lock   re-resolve pinned dependencies after editing pyproject.toml"

check-python:
	@if [ -z "$(PYTHON)" ]; then \
	  echo "error: Python 3.12 or newer is required and none was found."; \
	  echo "Install it (e.g. from python.org or pyenv) or run: make PYTHON=/path/to/python3.12 ..."; \
	  exit 1; fi

# The virtualenv is rebuilt whenever the lock changes.
$(VENV)/.installed: $(LOCK) | check-python
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@test -x $(UV) || $(PY) -m pip install --quiet --disable-pip-version-check uv==0.13.9
	$(UV) pip sync --quiet --python $(PY) --require-hashes $(LOCK)
	@touch $@

install: $(VENV)/.installed

lock: | check-python
	@test -x $(UV) || { $(PYTHON) -m venv $(VENV) && $(PY) -m pip install --quiet uv==0.13.9; }
	$(UV) pip compile pyproject.toml --python-version 3.12 --generate-hashes --no-header -q \
	  --extra embedded --group dev -o requirements/dev.lock
	$(UV) pip compile pyproject.toml --python-version 3.12 --generate-hashes --no-header -q \
	  -o requirements/prod.lock

# Embedded PostgreSQL and Redis under .data/ unless DATABASE_URL / REDIS_URL are set; Ctrl-C stops all.
run: install
	$(PY) -m mentorship.devrun run

# Also the layers of DESIGN.md (import-linter, configured in pyproject.toml).
lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-cache

fmt: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

migrate: install
	$(PY) manage.py migrate

# makemigrations --check needs settings (DEBUG=true spares a SECRET_KEY) but no database server:
# without one it merely warns that it could not check the migration history.
# The suite runs against DATABASE_URL, else PostgreSQL on 127.0.0.1:5432, else an embedded one.
test: install lint
	DEBUG=true $(PY) manage.py makemigrations --check --dry-run
	$(PY) -m mentorship.devrun test -n 2 $(PYTEST_ARGS)
