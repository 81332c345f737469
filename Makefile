# cocity: `make demo` runs the platform; `make test` runs every test. Both set everything up.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PYTEST_ARGS ?=
# Two workers match CI's two cores; set JOBS=0 to run in one process.
JOBS ?= 2

.PHONY: demo serve worker test test-sqlite test-postgres test-fast lint install install-test \
        chromium assets lock bench messages clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(VENV)/.base-installed: requirements/base.txt pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -r requirements/base.txt
	$(BIN)/pip install -q --no-deps -e .
	@touch $@

$(VENV)/.test-installed: requirements/test.txt $(VENV)/.base-installed
	$(BIN)/pip install -q -r requirements/test.txt
	@touch $@

install: $(VENV)/.base-installed
install-test: $(VENV)/.test-installed

## demo: migrate an embedded SQLite database, generate the demo territory, serve on :8000
demo: install
	$(BIN)/cocity demo

serve: install
	$(BIN)/cocity serve

worker: install
	$(BIN)/cocity worker

## chromium: Debian's Chromium for the browser tests (Playwright drives it; nothing is downloaded)
chromium:
	@if [ -z "$$(command -v chromium)" ]; then \
	  echo "Installing Debian's chromium for the browser tests"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; \
	fi
	@chromium --version

## test: everything (unit, integration, API, browser) on the embedded SQLite database
test: install-test chromium
	$(BIN)/pytest -n $(JOBS) $(PYTEST_ARGS)

## test-postgres: the same suite against PostgreSQL (DATABASE_URL, default: the local server)
test-postgres: install-test chromium
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/cocity} $(BIN)/pytest -n $(JOBS) $(PYTEST_ARGS)

test-fast: install-test
	$(BIN)/pytest -n $(JOBS) -m "not e2e" $(PYTEST_ARGS)

lint: install-test
	$(BIN)/ruff check cocity tests bench
	$(BIN)/ruff format --check cocity tests bench
	$(BIN)/mypy cocity/analytics

## bench: the benchmarks against their anchor libraries; results in bench/results/*.md
bench: install-test
	for b in bench/*.py; do $(BIN)/python $$b || exit 1; done

## messages: extract and compile translations (needs gettext's msgfmt)
messages: install
	cd cocity && export COCITY_DATA_DIR=../var && ../$(BIN)/cocity makemessages -l sv --no-obsolete --ignore 'analytics/tests/*' --ignore 'demo/names.py' && ../$(BIN)/cocity compilemessages -l sv

## assets: refresh the vendored front-end files from npm (needs Node; the results are committed)
assets:
	cd frontend && npm install --no-audit --no-fund
	cp frontend/node_modules/htmx.org/dist/htmx.min.js cocity/core/static/vendor/htmx/htmx.min.js
	cp frontend/node_modules/axe-core/axe.min.js tests/e2e/vendor/axe.min.js
	cp frontend/node_modules/sigma/dist/sigma.min.js frontend/node_modules/sigma/LICENSE.txt cocity/network/static/network/vendor/sigma/
	cp frontend/node_modules/graphology/dist/graphology.umd.min.js frontend/node_modules/graphology/LICENSE.txt cocity/network/static/network/vendor/graphology/
	sed -i 's#//\# sourceMappingURL=.*$$##' cocity/network/static/network/vendor/*/*.js

## lock: re-pin requirements/*.txt from requirements/*.in
lock: $(BIN)/python
	$(BIN)/pip install -q --dry-run --ignore-installed -r requirements/base.in --report /tmp/cocity-base.json
	$(BIN)/pip install -q --dry-run --ignore-installed -r requirements/base.in -r requirements/test.in --report /tmp/cocity-test.json
	$(BIN)/python requirements/lock.py /tmp/cocity-base.json requirements/base.txt
	$(BIN)/python requirements/lock.py /tmp/cocity-test.json requirements/test.txt

clean:
	rm -rf $(VENV) var .pytest_cache
