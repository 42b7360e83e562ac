# Heard: `make help` lists the targets.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HEARD := $(BIN)/heard
PG_URL ?= postgres://postgres@127.0.0.1:5432/test
export DEBUG ?= 1

.PHONY: help install assets run test test-postgres test-fast check bench demo clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

$(BIN)/heard: pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

heard/static/build/.built: node_modules/.installed $(wildcard heard/static/src/*) scripts/build-assets.mjs
	node scripts/build-assets.mjs
	touch $@

install: $(BIN)/heard heard/static/build/.built ## Install Python and npm dependencies and build the GOV.UK Frontend assets

assets: heard/static/build/.built ## Build the front-end assets

run: install ## Set up a SQLite database with the demo council and start Heard on 127.0.0.1:8000
	$(HEARD) migrate --no-input -v 0
	$(HEARD) demo --if-empty
	$(HEARD) runserver 127.0.0.1:8000

test: install ## Run the whole test suite (SQLite by default; set DATABASE_URL for PostgreSQL)
	$(BIN)/pytest -n 2 --dist loadfile -q

test-postgres: install ## Run the whole test suite against PostgreSQL ($(PG_URL))
	DATABASE_URL=$(PG_URL) $(BIN)/pytest -n 2 --dist loadfile -q

test-fast: install ## The suite without the browser tests
	$(BIN)/pytest -n 2 --dist loadfile -q -m "not browser"

check: install ## ruff (lint and format), mypy, the import contracts, and makemigrations --check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy heard/procedure
	$(BIN)/lint-imports
	$(HEARD) makemigrations --check --dry-run

bench: install ## Benchmarks: figures and ratios against baselines measured in the same run
	$(BIN)/python bench/run_all.py

demo: install ## Load the demo council into the current database
	$(HEARD) migrate --no-input -v 0
	$(HEARD) demo

clean: ## Remove the virtual environment, node_modules and built assets
	rm -rf $(VENV) node_modules heard/static/build staticfiles
