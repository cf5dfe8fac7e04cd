# Brugwijzer: `make demo` runs the app with demo data, `make test` runs the test suite.
# Both set everything up first and may be run again at any time.

VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
PYTEST_WORKERS ?= auto

# The demo runs in debug mode on the embedded SQLite database (unless DATABASE_URL says otherwise).
DEMO_ENV := DEBUG=true
# The test suite runs with production settings except for plain http and unhashed static files.
TEST_ENV := DEBUG=false SECRET_KEY=tests-only-not-a-secret BRUGWIJZER_HTTPS=false BRUGWIJZER_MANIFEST_STATIC=false \
	BRUGWIJZER_FIELD_KEYS=dGVzdHMtb25seS1maWVsZC1rZXktYnJ1Z3dpanplcjA=

.PHONY: setup demo test lint format messages clean backup restore bench bench-data loadtest

setup: $(VENV)/.installed node_modules/.installed locale/nl/LC_MESSAGES/django.mo .env

# This machine's own settings, so `python manage.py …` works here without exporting anything.
.env:
	@printf '# Written by make setup for this development machine; never used in production.\n# See .env.example for every variable.\nDEBUG=true\n' > $@
	@echo "Wrote .env (DEBUG=true) for this machine."

$(VENV)/.installed: pyproject.toml requirements/constraints.txt
	@python=$$(scripts/find-python) || exit 1; \
	  if [ ! -x $(PY) ]; then echo "Creating $(VENV) with $$python"; $$python -m venv $(VENV); fi
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check -c requirements/constraints.txt ".[dev]"
	touch $@

node_modules/.installed: package.json package-lock.json
	@command -v npm >/dev/null || { echo "Brugwijzer needs npm (Node.js) to install Bootstrap from the npm registry." >&2; exit 1; }
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

locale/nl/LC_MESSAGES/django.mo: locale/nl/LC_MESSAGES/django.po $(VENV)/.installed
	@command -v msgfmt >/dev/null || { echo "Compiling translations needs GNU gettext (apt-get install gettext)." >&2; exit 1; }
	$(DEMO_ENV) $(MANAGE) compilemessages --ignore=.venv --ignore=node_modules --verbosity=0
	touch $@

demo: setup
	$(DEMO_ENV) $(MANAGE) migrate --noinput
	$(DEMO_ENV) $(MANAGE) seed_demo
	@echo "Brugwijzer runs at http://127.0.0.1:8000 (stop with Ctrl-C)."
	$(DEMO_ENV) $(MANAGE) runserver 127.0.0.1:8000

test: setup
	$(TEST_ENV) $(VENV)/bin/pytest -n $(PYTEST_WORKERS) $(ARGS)

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(TEST_ENV) $(MANAGE) makemigrations --check --dry-run
	# The floor plan: each app imports only from the floors below it (pyproject's [tool.importlinter]).
	$(VENV)/bin/lint-imports --no-cache

format: setup
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# Refresh the Dutch catalogue after changing texts; translate the new entries, then commit.
messages: setup
	$(DEMO_ENV) $(MANAGE) makemessages --locale=nl --no-obsolete --ignore=.venv --ignore=node_modules --ignore=staticfiles

# A pg_dump -Fc of $$DATABASE_URL into $$BRUGWIJZER_BACKUP_DIR (default ./backups); see docs/deploy.md.
backup:
	scripts/backup

# make restore DUMP=backups/brugwijzer-….dump DATABASE=brugwijzer_restored [FORCE=1]
restore:
	@test -n "$(DUMP)" -a -n "$(DATABASE)" || { echo "usage: make restore DUMP=file.dump DATABASE=name [FORCE=1]" >&2; exit 2; }
	scripts/restore $(if $(FORCE),--force) "$(DUMP)" "$(DATABASE)"

# Benchmarks on PostgreSQL (bench/README.md), never part of `make test` or CI. `make bench-data`
# fills brugwijzer_bench_<scale> (brugwijzer_bench for full) with seed_scale; `make bench` measures
# every scale in BENCH_SCALES and prints the table; `make loadtest` runs 50 people for 60 seconds.
BENCH_SCALES ?= tenth full
BENCH_SERVER ?= postgres://postgres@127.0.0.1:5432
BENCH_DB = brugwijzer_bench$(if $(filter full,$(SCALE)),,_$(SCALE))
bench-data: setup
	@test -n "$(SCALE)" || { echo "usage: make bench-data SCALE=hundredth|tenth|full" >&2; exit 2; }
	psql -q "$(BENCH_SERVER)/postgres" -tc "SELECT 1 FROM pg_database WHERE datname = '$(BENCH_DB)'" | grep -q 1 \
	  || psql -q "$(BENCH_SERVER)/postgres" -c 'CREATE DATABASE "$(BENCH_DB)"'
	$(TEST_ENV) DATABASE_URL=$(BENCH_SERVER)/$(BENCH_DB) $(MANAGE) migrate --noinput
	$(TEST_ENV) DATABASE_URL=$(BENCH_SERVER)/$(BENCH_DB) $(MANAGE) seed_scale --scale $(SCALE) $(if $(FORCE),--force)

bench: setup
	@for scale in $(BENCH_SCALES); do BENCH_DATABASE_SERVER=$(BENCH_SERVER) $(PY) bench/run.py --scale $$scale $(BENCH_ARGS) || exit 1; done
	$(PY) bench/report.py

loadtest: setup
	BENCH_DATABASE_SERVER=$(BENCH_SERVER) $(PY) bench/loadtest.py --scale $(or $(SCALE),full)

clean:
	rm -rf $(VENV) node_modules staticfiles locale/nl/LC_MESSAGES/django.mo
