# The README's two commands are `make run` and `make test`; each sets up what is missing first.
SHELL := /bin/bash
DATE ?= 2025-07-03
ENV := source scripts/env.sh &&

.PHONY: setup run test test-ui test-celery test-compose airflow celery celery-day stop psql lint accuracy faults bench help

help:
	@echo "make run [DATE=YYYY-MM-DD]  run the daily DAG for a KST day (default $(DATE)) and print what landed"
	@echo "make test                   run the whole test suite"
	@echo "make airflow                Airflow 3 in the background, UI on http://127.0.0.1:8080 (admin/admin)"
	@echo "make test-ui                the browser test of a backfill from the UI (part of make test)"
	@echo "make celery [WORKERS=2]     the same Airflow with the CeleryExecutor: Redis and WORKERS Celery workers"
	@echo "make test-celery            a 1,000-article day on two Celery workers, checked against make run (part of make test)"
	@echo "make celery-day [WORKERS=2] time a 1,000-article day on its own Celery stack with WORKERS workers"
	@echo "make test-compose           docker-compose.yaml for real: images, stack, a day on 1 then 2 workers (not in make test)"
	@echo "make stop                   stop Airflow, the sample site and the embedded Postgres"
	@echo "make psql                   open psql on the warehouse"
	@echo "make lint                   ruff check, ruff format --check and mypy (include/, strict)"
	@echo "make faults [DATE=…]        the fault matrix: a day through the DAG with every fault on, then off"
	@echo "make bench                  throughput, end-to-end and memory figures against baselines"
	@echo "make accuracy               extraction accuracy on the golden pages, against trafilatura"

setup:
	@scripts/setup.sh

run: setup
	@scripts/run_day.sh $(DATE)

test: setup
	@$(ENV) .venv/bin/python -m pytest $(PYTEST_ARGS)

test-ui: setup
	@$(ENV) .venv/bin/python -m pytest tests/test_ui_backfill.py $(PYTEST_ARGS)

airflow: setup
	@scripts/airflow.sh start

WORKERS ?= 2
celery: setup
	@AIRFLOW__CORE__EXECUTOR=CeleryExecutor NEWS_CELERY_WORKERS=$(WORKERS) scripts/airflow.sh start

test-celery: setup
	@$(ENV) .venv/bin/python -m pytest tests/test_celery.py $(PYTEST_ARGS)

# Not part of make test: minutes of image builds. Exits 2 (skipped) where Docker cannot run.
test-compose: setup
	@scripts/compose_test.sh $(COMPOSE_ARGS)

celery-day: setup
	@$(ENV) .venv/bin/python scripts/celery_day.py --workers $(WORKERS)

# All three run, and lint fails if any of them does.
lint: setup
	@$(ENV) status=0; \
	.venv/bin/ruff check . || status=1; \
	.venv/bin/ruff format --check . || status=1; \
	.venv/bin/mypy || status=1; \
	exit $$status

accuracy: setup
	@$(ENV) .venv/bin/newsetl-tools accuracy tests/fixtures/pages

faults: setup
	@$(ENV) .venv/bin/python scripts/faults.py $(if $(filter command line,$(origin DATE)),$(DATE),2025-07-10)

bench: setup
	@$(ENV) .venv/bin/python scripts/bench.py

stop:
	@scripts/airflow.sh stop || true
	@scripts/sample_site.sh stop || true
	@scripts/pg.sh stop

psql: setup
	@$(ENV) url=$$(.venv/bin/python -c 'from newsetl.db import warehouse_url; print(warehouse_url().set(drivername="postgresql").render_as_string(hide_password=False))') && exec psql "$$url"
