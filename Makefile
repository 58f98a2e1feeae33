# Handover: `make run` to try it, `make test` to check it. See README.md.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat requirements.lock requirements-dev.lock | cksum | cut -d' ' -f1)
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: venv run check test test-fast bench migrate seed worker clean

$(STAMP): requirements.lock requirements-dev.lock
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.lock
	@rm -f $(VENV)/.installed-*
	@touch $(STAMP)

# A local .env makes manage.py usable by hand in the embedded mode (DEBUG on).
.env:
	@printf 'DEBUG=true\n' > .env

venv: $(STAMP) .env

migrate: venv
	$(BIN)/python manage.py migrate --noinput

seed: migrate
	$(BIN)/python manage.py seed_demo

run: seed
	@bin/run-dev

check: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python manage.py check
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/lint-imports

test: check
	$(BIN)/pytest

test-fast: venv
	$(BIN)/pytest -x -q -m "not e2e and not worker and not commands"

bench: venv
	$(BIN)/python -m pytest benchmarks -q -s -p no:randomly

clean:
	rm -rf var/celery var/*.sqlite3* var/celerybeat-schedule*
