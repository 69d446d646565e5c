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

.PHONY: run test test-fast test-scale bench lint services system-deps install clean

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

# Browser libraries from the npm registry (package-lock.json), copied into static/vendor/ so
# the pages serve them from our own origin: Leaflet, topojson-client, Natural Earth (world-atlas).
VENDOR := static/vendor
$(VENDOR)/.installed: package.json package-lock.json
	command -v npm >/dev/null || bash scripts/system-deps.sh
	npm ci --ignore-scripts --no-audit --no-fund --silent
	rm -rf $(VENDOR) && mkdir -p $(VENDOR)/leaflet $(VENDOR)/world-atlas
	cp -r node_modules/leaflet/dist/leaflet.js node_modules/leaflet/dist/leaflet.css \
		node_modules/leaflet/dist/images node_modules/leaflet/LICENSE $(VENDOR)/leaflet/
	cp node_modules/topojson-client/dist/topojson-client.min.js $(VENDOR)/
	cp node_modules/world-atlas/countries-50m.json node_modules/world-atlas/LICENSE $(VENDOR)/world-atlas/
	touch $@

install: $(VENV)/.installed $(VENDOR)/.installed

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

# The scale-out run alone (it is in `make test` too): two web nodes, Varnish, Pushpins and
# workers, one of each SIGKILLed mid-run (tests/reliability/test_scale_out.py).
test-scale: install system-deps services
	DATABASE_URL=$(TEST_DATABASE_URL) TEST_REDIS_URL=$(TEST_REDIS_URL) \
		bash scripts/pytest.sh -m scale -s $(PYTEST_ARGS)

bench: install system-deps services
	bash scripts/bench.sh

clean:
	rm -rf var/tracker.sqlite3 var/mail var/screenshots var/bench node_modules $(VENDOR)
