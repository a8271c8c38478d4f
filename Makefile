# The two commands: `make run` (the daemon on ./editwatch.db; a one-minute demo while it has no
# watches) and `make test`.
# Both create the virtualenv in .venv on first use.

PYTHON ?= $(shell for p in python3.13 python3.12 python3.11 python3; do \
	command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' && echo $$p && break; done)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# pywb (the web-archive tests' archive) in a virtualenv of its own: its pins clash with ours.
PYWB := .venv-pywb/bin/wayback

.PHONY: run test lint system-deps clean

$(STAMP): pyproject.toml
	@test -n "$(PYTHON)" || { echo "editwatch needs Python 3.11 or newer"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $(STAMP)

run: $(STAMP)
	$(BIN)/editwatch run --demo-if-empty

# Two pytest processes (pytest-xdist): most tests wait on servers and CLI subprocesses, so one process
# leaves a core idle. Every test uses its own tmp_path and free ports, so they can run side by side.
# loadfile keeps each file on one worker, so a module-scoped fixture (pywb, Chromium) is built once.
test: $(STAMP) $(PYWB) system-deps
	$(BIN)/pytest -q -n 2 --dist loadfile

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

$(PYWB):
	./scripts/pywb-venv $(PYTHON)

# Debian packages the browser and cluster tests need; installed when missing and we may.
system-deps:
	@./scripts/system-deps

clean:
	rm -rf $(VENV) .venv-pywb .pytest_cache .ruff_cache
