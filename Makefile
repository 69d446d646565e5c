# Two commands set everything up: `make run` and `make test` (see README).
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
# The database suite runs on the machine's PostgreSQL; pytest-django makes a
# `test_<name>` database from this URL. Redis db 1 is the tests' broker.
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/tracker
TEST_REDIS_URL ?= redis://127.0.0.1:6379/1
PYTEST_ARGS ?=

.PHONY: run test test-fast bench lint services system-deps install clean

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

install: $(VENV)/.installed

system-deps:
	bash scripts/system-deps.sh

services:
	bash scripts/services.sh

run: install
	bash scripts/run.sh $(PORT)

lint: install
	$(VENV)/bin/ruff check .

test: install system-deps services lint
	DATABASE_URL=$(TEST_DATABASE_URL) TEST_REDIS_URL=$(TEST_REDIS_URL) \
		bash scripts/pytest.sh $(PYTEST_ARGS)
	bash scripts/sqlite-path.sh

# The suite without browser, worker and fault tests: for a quick loop while editing.
test-fast: install
	DATABASE_URL=$(TEST_DATABASE_URL) TEST_REDIS_URL=$(TEST_REDIS_URL) \
		bash scripts/pytest.sh -m "not browser and not worker and not fault" $(PYTEST_ARGS)

bench: install system-deps services
	bash scripts/bench.sh

clean:
	rm -rf var/tracker.sqlite3 var/mail var/screenshots var/bench
