# The commands people type. `make run` and `make test` are all a newcomer needs.
PY ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test test-sqlite test-postgres test-browser lint format messages bench clean

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

run: $(VENV)/.installed
	$(BIN)/coproduce serve --host $(HOST) --port $(PORT)

test: $(VENV)/.installed-test
	$(BIN)/python tests/run_all.py

test-sqlite: $(VENV)/.installed-test
	$(BIN)/python tests/run_all.py --only sqlite

test-postgres: $(VENV)/.installed-test
	$(BIN)/python tests/run_all.py --only postgres

test-browser: $(VENV)/.installed-test
	$(BIN)/python tests/run_all.py --only browser

lint: $(VENV)/.installed-test
	$(BIN)/python tests/run_all.py --only lint

format: $(VENV)/.installed-test
	$(BIN)/ruff format src tests bench
	$(BIN)/ruff check --fix src tests bench

# The translation catalogues brought up to date with the source and compiled (needs GNU gettext).
messages: $(VENV)/.installed
	$(BIN)/coproduce messages

bench: $(VENV)/.installed-test
	$(BIN)/python bench/pb.py

clean:
	rm -rf $(VENV) build src/*.egg-info
