# consult: every target bootstraps what it needs into .venv (and node_modules for
# the accessibility checks), so a fresh machine needs only `make run` or `make test`.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
PG_URL_DEFAULT := postgres://postgres@127.0.0.1:5432/test
export PICCOLO_CONF := consult.piccolo_conf

.PHONY: install lock run migrate demo test test-sqlite test-postgres browser-deps bench bench-load lint format messages translations clean

# Every package, down to the last dependency, comes from requirements.lock, each
# with its hashes: an unchanged commit installs the same code on every machine.
# `make lock` regenerates the lock after a change to pyproject.toml.
$(INSTALLED): requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes --no-deps -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $(INSTALLED)

## lock: resolve pyproject.toml (with the test extra and the build backend) into
## requirements.lock, hashed, for every platform; `make lock UPGRADE=1` takes the
## newest releases the ranges allow, `make lock UPGRADE=name` only that package's
UV_VERSION := 0.13.9
SETUPTOOLS_VERSION := 84.2.1
lock:
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet uv==$(UV_VERSION)
	echo "setuptools==$(SETUPTOOLS_VERSION)" | $(BIN)/uv pip compile pyproject.toml - \
		--extra test --generate-hashes --universal --python-version 3.11 --quiet \
		$(if $(filter 1,$(UPGRADE)),--upgrade,$(if $(UPGRADE),--upgrade-package $(UPGRADE))) \
		--custom-compile-command "make lock" -o requirements.lock

## install: the app and its test tools into .venv, and the compiled translations
install: $(INSTALLED) translations

## translations: compile every catalogue (.po -> .mo; the .mo files are not committed)
# File targets, so that the two suites `make test` runs at once never compile (and
# read) the same catalogue at the same moment: up to date, nothing runs.
PO_FILES := $(wildcard consult/locale/*/LC_MESSAGES/messages.po)
translations: $(PO_FILES:.po=.mo)

%.mo: %.po $(INSTALLED)
	$(BIN)/pybabel -q compile -i $< -o $@

## messages: extract marked strings into the template catalogue and update each language
messages: $(INSTALLED)
	$(BIN)/pybabel extract -F babel.cfg -k N_ -k _ -k gettext -k ngettext:1,2 --no-location --sort-output \
		--project=consult -o consult/locale/messages.pot .
	$(BIN)/pybabel update -i consult/locale/messages.pot -d consult/locale -D messages --no-fuzzy-matching --ignore-obsolete

## migrate: apply the committed migrations (SQLite at var/consult.sqlite3 unless DATABASE_URL)
migrate: install
	$(BIN)/consult migrate

## demo: load the Reykjavik demo consultation (once; running it again changes nothing)
demo: migrate
	$(BIN)/consult demo

## run: install, migrate, load the demo and serve (on CONSULT_HOST:CONSULT_PORT,
## 127.0.0.1:8000 unless set); `consult serve` prints the address it listens on
run: demo
	$(BIN)/consult serve

## browser-deps: Chromium (Debian package) and axe-core (pinned in package-lock.json)
browser-deps:
	@command -v chromium >/dev/null 2>&1 || { \
		if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
		else echo "Chromium is missing: sudo apt-get install chromium"; exit 1; fi; }
	@test -f node_modules/axe-core/axe.min.js || npm ci --silent --no-audit --no-fund

## test: the whole suite on SQLite and, at the same time, on PostgreSQL when one is
## reachable (each run has a database of its own; each prints when it is done)
test: install browser-deps
	@url="$${CONSULT_TEST_POSTGRES_URL:-}"; \
	if [ -z "$$url" ] && command -v pg_isready >/dev/null 2>&1 && pg_isready -q -h 127.0.0.1 -p 5432; then url="$(PG_URL_DEFAULT)"; fi; \
	if [ -n "$$url" ]; then \
		echo "The suite runs on SQLite and on PostgreSQL at once; each prints its report when it ends."; \
		CONSULT_TEST_POSTGRES_URL="$$url" $(MAKE) --no-print-directory -j2 --output-sync=target test-sqlite test-postgres; \
	else echo "PostgreSQL not reachable: set CONSULT_TEST_POSTGRES_URL to run the suite on it too"; \
		$(MAKE) --no-print-directory test-sqlite; fi

test-sqlite: install
	CONSULT_TEST_ENGINE=sqlite $(BIN)/pytest $(PYTEST_ARGS)

test-postgres: install
	CONSULT_TEST_ENGINE=postgres $(BIN)/pytest $(PYTEST_ARGS)

## bench: throughput and latency against baselines measured in the same run, at
## 10,000 and 100,000 stored responses, on SQLite and (when a server answers at
## BENCH_POSTGRES_URL, by default the local one) on PostgreSQL with two workers
bench: install
	$(BIN)/python -m bench

## bench-load: 1,000 residents answering at once for a few minutes (loopback only),
## against one process on SQLite and two workers on PostgreSQL
bench-load: install
	$(BIN)/python -m bench.load_test

## lint: ruff checks and formatting
lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) node_modules var .pytest_cache
