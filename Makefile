# Padu: every target bootstraps .venv from requirements.lock when needed.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test check bench messages setup demo clean-db schema

$(STAMP): requirements.lock
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Padu needs Python 3.11 or newer"'
	@./.ci/os-deps
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.lock
	@touch $(STAMP)

setup: $(STAMP)
	@mkdir -p var
	$(PY) manage.py compilepo
	$(PY) manage.py migrate --noinput -v 0
	$(PY) manage.py import_regions
	$(PY) manage.py load_reference

demo: setup
	$(PY) manage.py seed_demo

# The development server plus one worker for every queue and the scheduler; Ctrl-C stops all.
run: demo
	@$(PY) manage.py db_worker --queue-name '*' --no-startup-delay & worker=$$!; \
	$(PY) manage.py scheduler & scheduler=$$!; \
	trap 'kill $$worker $$scheduler 2>/dev/null' EXIT INT TERM; \
	DEBUG=1 $(PY) manage.py runserver $(HOST):$(PORT)

test: $(STAMP)
	$(PY) manage.py compilepo
	$(PY) -m pytest $(PYTEST_ARGS)

check: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy .
	$(BIN)/djlint templates --check
	$(BIN)/djlint templates --lint
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) manage.py compilepo --check
	$(PY) manage.py spectacular --lang en --file /tmp/padu-openapi.yaml --validate && diff -q /tmp/padu-openapi.yaml docs/openapi.yaml
	DEBUG=0 SECRET_KEY=check-deploy-$$(date +%s)-a-long-random-production-like-secret-key \
	  ALLOWED_HOSTS=padu.example.go.id SECURE_COOKIES=1 SECURE_SSL_REDIRECT=1 SECURE_HSTS_SECONDS=31536000 SECURE_HSTS_PRELOAD=1 \
	  $(PY) manage.py check --deploy --fail-level WARNING

schema: $(STAMP)
	$(PY) manage.py spectacular --lang en --file docs/openapi.yaml --validate

bench: $(STAMP)
	@for b in bench/bench_*.py; do echo "== $$b"; $(PY) $$b || exit 1; done

messages: $(STAMP)
	$(PY) manage.py makemessages --locale id --no-location --ignore '.venv/*' --ignore 'var/*'
	$(PY) manage.py compilepo

clean-db:
	rm -f var/padu.sqlite3 var/padu.sqlite3-wal var/padu.sqlite3-shm
