"""A real distributed run: Airflow with the CeleryExecutor, Redis as the broker and two Celery workers on this
machine (scripts/celery_day.py, through scripts/airflow.sh) load a 1,000-article day from the sample site.

Checked: the run succeeds, both workers ran task instances, including batches of the mapped fetch stage (their
names come from news_airflow.worker_hostname), and the warehouse holds exactly what `make run`
(scripts/run_day.sh: `airflow dags test`, no executor) loads for the same day from the same site.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa
from airflow_metadata import metadata_url  # scripts/
from celery_day import RunResult, Stack, celery_stack, run_celery_day  # scripts/
from local_site import site  # scripts/
from sqlalchemy.engine import Engine

from newsetl.db import empty_tables, sibling_database
from newsetl.db import engine as make_engine
from newsetl.migrate import upgrade
from newsetl.pipeline import split_batches
from tests.debian_tools import installed
from tests.warehouse_content import day_content

ROOT = Path(__file__).resolve().parents[1]
DAY = "2025-07-08"
ARTICLES = 1000
BATCH = 100  # 1,000-odd URLs: 11 batches of each mapped stage, enough for both workers
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def thousand_site() -> Iterator[str]:
    with site("--articles-per-day", str(ARTICLES)) as url:
        yield url


@pytest.fixture(scope="module")
def celery_run(thousand_site: str) -> Iterator[tuple[Stack, RunResult]]:
    installed("redis-server")
    with celery_stack(thousand_site, workers=2) as stack:
        yield stack, run_celery_day(stack, DAY, BATCH)


@pytest.fixture(scope="module")
def make_run_warehouse(thousand_site: str) -> Engine:
    """The same day loaded by `make run`'s script into a warehouse of its own."""
    url = sibling_database("_celeryref")
    upgrade(url)
    engine = make_engine(url)
    empty_tables(engine)
    env = {
        **os.environ,
        "NEWS_WAREHOUSE_URL": url.render_as_string(hide_password=False),
        "NEWS_SAMPLE_SITE_URL": thousand_site,
        # make run's own metadata database (env.sh would derive <db>_celeryref_airflow, never migrated)
        "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": metadata_url().render_as_string(hide_password=False),
    }
    done = subprocess.run([str(ROOT / "scripts/run_day.sh"), DAY], env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    return engine


def test_the_run_succeeds_on_two_celery_workers(celery_run: tuple[Stack, RunResult]) -> None:
    stack, result = celery_run
    assert result.state == "success", result.task_instances
    by_worker = result.by_worker()
    print(
        f"\ncelery: 2 workers, {DAY}: wall {result.wall_s:.1f}s; "
        + "; ".join(f"{w}: {dict(t)}" for w, t in sorted(by_worker.items()))
    )
    assert set(by_worker) == {"worker-1", "worker-2"}
    # the mapped batches spread over both workers (not only the odd single task)
    for worker, tasks in by_worker.items():
        assert tasks["fetch"] + tasks["extract"] >= 2, (worker, tasks)
    mapped = [ti for ti in result.task_instances if ti["task_id"] == "fetch"]
    with make_engine(stack.warehouse).connect() as conn:
        urls = conn.execute(sa.text("SELECT count(*) FROM news.crawl_url WHERE day = :day"), {"day": DAY}).scalar_one()
    assert len(mapped) == len(split_batches(urls, BATCH)) > 1 and {ti["state"] for ti in mapped} == {"success"}


def test_the_warehouse_equals_make_run(celery_run: tuple[Stack, RunResult], make_run_warehouse: Engine) -> None:
    stack, _ = celery_run
    days = [date.fromisoformat(DAY)]
    distributed = day_content(make_engine(stack.warehouse), days)
    reference = day_content(make_run_warehouse, days)
    assert len(reference["article"]) >= ARTICLES
    assert {row[-1] for row in reference["crawl_url"]} == {"loaded"}
    assert distributed == reference
