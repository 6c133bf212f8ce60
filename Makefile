# Two commands on a fresh machine: `make run` and `make test`. Both set everything up first.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install run test test-browser lint messages demo bench clean

install: $(STAMP) messages

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

# Japanese without GNU gettext: the catalogue is compiled with polib.
messages: $(STAMP)
	$(BIN)/python scripts/compile_messages.py

run: install
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py demo_data
	DJANGO_DEBUG=1 $(BIN)/python manage.py runserver $(HOST):$(PORT)

test: install
	$(BIN)/python -m pytest

test-browser: install
	$(BIN)/python -m pytest -m browser -p no:randomly

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python manage.py makemigrations --check --dry-run

bench: install
	$(BIN)/python bench/run_all.py

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache
