# Qorgau: the front door. `make demo` and `make test` work on a fresh machine.
SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
STAMP := $(VENV)/.installed
PORT ?= 8000
DEMO_ENV := DEBUG=true DATABASE_URL=sqlite:///var/demo.sqlite3 SECRET_KEY=demo-only-not-secret-$(shell hostname)
PG_URL ?= postgres://postgres@127.0.0.1:5432/qorgau

# The first interpreter of 3.12 or newer: PATH, then pyenv's versions. Never downloaded.
PYTHON_BIN := $(shell for c in python3.13 python3.12 python3 $$(ls -d $$HOME/.pyenv/versions/3.1[2-9]*/bin/python3 2>/dev/null | sort -rV); do \
	if command -v $$c >/dev/null 2>&1 && $$c -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then command -v $$c; break; fi; done)

.PHONY: install demo run test lint types pytest pytest-pg messages compilemessages migrations-check browser ci clean fuzz serve bench bench-load wrk

$(STAMP): pyproject.toml requirements/constraints.txt
	@test -n "$(PYTHON_BIN)" || { echo "Python 3.12 or newer is required and none was found"; exit 1; }
	@test -x $(PY) || $(PYTHON_BIN) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -c requirements/constraints.txt -e '.[dev]'
	@mkdir -p var
	@touch $(STAMP)

install: $(STAMP) compilemessages

compilemessages: $(STAMP)
	$(PY) -m qorgau.core.i18n_compile

demo: install
	@mkdir -p var
	$(DEMO_ENV) $(PY) manage.py migrate --noinput -v0
	$(DEMO_ENV) $(PY) manage.py load_demo
	$(DEMO_ENV) $(PY) manage.py runserver --noreload 127.0.0.1:$(PORT)

run: install
	$(DEMO_ENV) $(PY) manage.py runserver 127.0.0.1:$(PORT)

# Debian's Chromium for the browser tests; Playwright's own browser download cannot work here.
browser:
	@test -x /usr/bin/chromium || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

# The production server: gunicorn with the settings of the environment (docs/configuration.md).
serve: install
	$(BIN)/qorgau serve

# Benchmarks (docs/performance.md): the database BENCH_DATABASE_URL names, else qorgau_scale_N.
SCALE ?= 1
bench: install
	$(PY) -m bench.run --scale $(SCALE) $(BENCH_ARGS)

# wrk for the mixed load; like Chromium, installed with apt-get when missing.
wrk:
	@command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }

bench-load: install wrk
	$(PY) -m bench.load --scale $(SCALE) $(BENCH_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

types: $(STAMP)
	$(BIN)/mypy qorgau

migrations-check: $(STAMP)
	DJANGO_SETTINGS_MODULE=qorgau.test_settings $(PY) manage.py makemigrations --check --dry-run

# The suite runs on every core (pytest-xdist; TEST_JOBS=1 for one process). Browser tests flush
# the database after each live-server test, so they run in a session of their own.
TEST_JOBS ?= auto
PYTEST := $(BIN)/pytest -q -n $(TEST_JOBS) -m "not browser" && DJANGO_ALLOW_ASYNC_UNSAFE=true $(BIN)/pytest -q -m browser

pytest: install browser
	$(PYTEST)

# PostgreSQL when a server answers; .ci/run insists that it does.
pytest-pg: install browser
	@if $(PY) -c "import psycopg; psycopg.connect('$(PG_URL)'.rsplit('/',1)[0] + '/postgres', connect_timeout=3).close()" 2>/dev/null; then \
		echo "== PostgreSQL"; export DATABASE_URL=$(PG_URL); $(PYTEST); \
	else echo "== PostgreSQL not reachable at $(PG_URL): suite ran on SQLite only"; fi

test: install lint types migrations-check pytest pytest-pg

# Needs GNU gettext (xgettext); the build itself compiles with Babel and does not.
messages: $(STAMP)
	DJANGO_SETTINGS_MODULE=qorgau.test_settings $(PY) manage.py makemessages -l kk -l ru -l en --no-location --no-obsolete \
		--ignore='.venv/*' --ignore='frontend/*' --ignore='var/*' --ignore='tests/*' --ignore='bench/*'
	$(PY) -m qorgau.core.i18n_compile

ci: test

# The full schemathesis run against a server already serving the demo data on PORT.
FUZZ_ARGS ?= --max-examples 100
fuzz: $(STAMP)
	$(PY) bench/fuzz.py --url http://127.0.0.1:$(PORT) $(FUZZ_ARGS)

clean:
	rm -rf $(VENV) var
