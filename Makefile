# Two commands for a fresh machine: `make run` (demo on SQLite, tasks inline) and `make test` (PostgreSQL + Redis).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
TEST_WORKERS ?= 2

.PHONY: run test install install-dev assets messages migrate demo lint format bench worker

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

install: $(BIN)/python assets
	$(BIN)/pip install -q -r requirements.txt
	$(MAKE) messages

install-dev: $(BIN)/python assets
	$(BIN)/pip install -q -r requirements-dev.txt
	$(MAKE) messages

assets:
	npm ci --no-audit --no-fund --loglevel=error

messages:
	$(BIN)/pybabel -q compile -d locale -D django

migrate:
	$(BIN)/python manage.py migrate --noinput

demo: migrate
	$(BIN)/python manage.py load_demo

run: install demo
	@echo ""
	@echo "KOS platform: http://$(HOST):$(PORT)/   API docs: http://$(HOST):$(PORT)/api/docs/"
	@echo "Embedded default: SQLite (db.sqlite3), local files (media/), DEBUG off (\`DEBUG=true make run\` for Django's debug pages)."
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

test: install-dev
	DJANGO_SETTINGS_MODULE=kos_platform.settings.test $(BIN)/pytest -n $(TEST_WORKERS) --dist load

lint:
	$(BIN)/ruff check .
	$(BIN)/python manage.py check
	$(BIN)/python manage.py makemigrations --check --dry-run

format:
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

worker:
	$(BIN)/celery -A kos_platform worker -B -l info

# Benchmarks (not part of `make test`): BENCH_ARGS="--skip-generate" reuses the last generated data.
bench:
	$(BIN)/python bench/run.py $(BENCH_ARGS)
