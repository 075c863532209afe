# The two commands of the README: `make run` (the site with demo data) and `make test` (the suite).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test serve setup lint format browser bench bench-admin bench-oai bench-browse bench-search bench-http bench-stats bench-import bench-lighthouse bench-faults clean

# A fresh virtualenv, refreshed whenever pyproject.toml changes.
$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed; set PYTHON=python3.11")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@ $(VENV)/.installed

setup: $(VENV)/.installed
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py load_demo
	$(BIN)/python manage.py extract_text --missing-only -v0
	$(BIN)/python manage.py rebuild_thumbnails --missing-only -v0
	$(BIN)/python manage.py ensure_demo_admin

run: setup
	@echo "Serving http://$(HOST):$(PORT)/ (Ctrl-C stops it)"
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

# The site as it is deployed: gunicorn (threaded workers, gunicorn.conf.py), WhiteNoise, DEBUG off.
serve: setup
	@test -s var/secret_key || $(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(50))' > var/secret_key
	DEBUG=0 SECRET_KEY="$${SECRET_KEY:-$$(cat var/secret_key)}" $(BIN)/python manage.py collectstatic --no-input -v0
	DEBUG=0 SECRET_KEY="$${SECRET_KEY:-$$(cat var/secret_key)}" $(BIN)/gunicorn repository.wsgi \
		--config gunicorn.conf.py --bind $(HOST):$(PORT) --workers $${WEB_CONCURRENCY:-2} --access-logfile -

test: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/python -m pytest -n auto $(PYTEST_ARGS)

# Debian's Chromium for the browser tests (needs root; .ci/run calls it).
browser:
	scripts/install-browser

lint:
	$(BIN)/ruff check .

format:
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) var staticfiles

# Benchmarks (figures printed; see bench/). BENCH_DATABASE_URL runs them on PostgreSQL.
bench: bench-admin bench-oai bench-browse bench-search bench-http bench-stats bench-import bench-lighthouse

bench-admin: $(VENV)/.installed-dev
	$(BIN)/python bench/admin_list.py

bench-oai: $(VENV)/.installed-dev
	$(BIN)/python bench/oai_harvest.py

bench-browse: $(VENV)/.installed-dev
	$(BIN)/python bench/browse.py

bench-search: $(VENV)/.installed-dev
	$(BIN)/python bench/search.py

bench-http: $(VENV)/.installed-dev
	$(BIN)/python bench/http.py

# Importing an EPrints export of 10,000 records with embedded files (issue #14).
bench-import: $(VENV)/.installed-dev
	$(BIN)/python bench/import_records.py

# Item page and download throughput with usage statistics counted, against not (issue #15).
bench-stats: $(VENV)/.installed-dev
	$(BIN)/python bench/stats_overhead.py

# The item page's Lighthouse scores, desktop and mobile (issue #13): Lighthouse is installed by npm
# into var/node/; without Node.js, npm or Chromium it says so and exits 0.
bench-lighthouse: $(VENV)/.installed-dev
	$(BIN)/python bench/lighthouse.py

# Not part of `bench`: it needs PostgreSQL (127.0.0.1:5432 unless BENCH_DATABASE_URL says), whose
# connections it cuts off for a few seconds through a proxy of its own.
bench-faults: $(VENV)/.installed-dev
	$(BIN)/python bench/faults.py
