# Two commands on a fresh machine: `make run` and `make test`. Both set everything up first.
#
#   make run           install, migrate, load the demo data, serve http://127.0.0.1:8000 (SQLite)
#                      with the task worker beside it (it sends the e-mails); Ctrl-C stops both
#   make test          install, run the whole suite (browser tests skip without /usr/bin/chromium)
#   make test-browser  only the browser tests (Playwright + Debian's Chromium)
#   make css           rewrite the trimmed Bootstrap the pages load (after adding a class)
#   make lint          ruff check, ruff format --check, makemigrations --check
#   make bench         the benchmarks under bench/
#   make smoke         the deploy smoke test: nginx + TLS, two app servers, PostgreSQL (deploy/)
#   make lock          regenerate requirements/production.txt from pyproject.toml (needs PyPI)
#
# Python 3.11 is required (pyproject.toml); on Debian it needs the python3-venv package.
# The app's dependencies come from the lock file (the versions production installs, with their
# hashes); the dev tools (pytest, Playwright, ruff, hypothesis) from pyproject.toml's `dev` extra.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install messages css db demo run test test-browser lint bench smoke lock clean

install: $(STAMP) messages

# Rebuilt only when pyproject.toml or the lock changes: running `make install` again does nothing.
$(STAMP): pyproject.toml requirements/production.txt
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' || \
		{ echo "Python 3.11 is needed; found $(PYTHON). Set PYTHON=/path/to/python3.11."; exit 1; }
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV) || \
		{ rm -rf $(VENV); echo "Could not create $(VENV): on Debian, apt-get install python3-venv"; exit 1; }
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes \
		-r requirements/production.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e ".[dev]"
	touch $(STAMP)

# Japanese without GNU gettext: the catalogue is compiled with polib (.mo files are not committed).
messages: $(STAMP)
	$(BIN)/python scripts/compile_messages.py

# Bootstrap's rules that the templates can use (tests/test_trim_css.py checks it is up to date).
css: $(STAMP)
	$(BIN)/python scripts/trim_css.py

db: install
	$(BIN)/python manage.py migrate --no-input

demo: db
	$(BIN)/python manage.py demo_data --base-url http://$(HOST):$(PORT)

# The development server and the task worker (manage.py db_worker), stopped together by Ctrl-C.
# E-mails are printed on this console (EMAIL_URL is console:// unless set).
run: demo
	DJANGO_DEBUG=1 $(BIN)/python scripts/run_dev.py $(HOST):$(PORT)

test: install
	$(BIN)/python -m pytest

test-browser: install
	$(BIN)/python -m pytest -m browser

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python manage.py makemigrations --check --dry-run

bench: install
	$(BIN)/python bench/run_all.py

# Two app servers behind nginx over HTTPS on PostgreSQL, Chromium, the daily jobs, a backup and its
# restore check; installs nginx and age from Debian when missing. Needs root (see deploy/smoke-test).
smoke: install
	deploy/smoke-test

# Production's pins with hashes, resolved by pip-tools in a throwaway venv (nothing else changes).
lock:
	rm -rf .lock-venv
	$(PYTHON) -m venv .lock-venv
	.lock-venv/bin/python -m pip install --quiet --disable-pip-version-check pip-tools
	.lock-venv/bin/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras \
		--no-emit-index-url --output-file requirements/production.txt pyproject.toml
	rm -rf .lock-venv

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache .hypothesis
