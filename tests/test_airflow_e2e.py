"""End to end through Airflow: `airflow dags test news_daily` against the sample site and a real Postgres."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import URL, Engine

from tests.sample_day import DAY_ARTICLES
from tests.test_pipeline import snapshot

ROOT = Path(__file__).resolve().parents[1]
AIRFLOW = str(Path(sys.executable).parent / "airflow")
pytestmark = pytest.mark.slow


def dags_test(db_url: URL, site: str, *args: str) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "AIRFLOW_CONN_NEWS_WAREHOUSE": db_url.set(drivername="postgresql").render_as_string(hide_password=False),
        "NEWS_SAMPLE_SITE_URL": site,
    }
    proc = subprocess.run(
        [AIRFLOW, "dags", "test", "news_daily", *args], env=env, cwd=ROOT, capture_output=True, text=True, timeout=600
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    assert "state=success" in proc.stdout + proc.stderr, (proc.stdout + proc.stderr)[-3000:]
    return proc


def days_in_warehouse(db: Engine) -> dict[date, int]:
    with db.connect() as conn:
        return dict(conn.execute(sa.text("SELECT day, count(*) FROM news.article GROUP BY day")).all())


def test_dag_run_loads_the_named_day_and_reruns_change_nothing(
    clean_db: Engine, test_db_url: URL, sample_site: str
) -> None:
    # The day named by the `day` param (what `make run DATE=...` does).
    dags_test(test_db_url, sample_site, "2025-07-03", "-c", json.dumps({"day": "2025-07-03"}))
    assert days_in_warehouse(clean_db) == {date(2025, 7, 3): DAY_ARTICLES}
    with clean_db.connect() as conn:
        seed = conn.execute(
            sa.text(
                "SELECT a.press, a.reporters, count(m.*) AS images FROM news.article a "
                "JOIN news.media m USING (article_id) WHERE a.source_id = '2025070301' "
                "GROUP BY a.article_id"
            )
        ).one()
        states = dict(conn.execute(sa.text("SELECT state, count(*) FROM news.crawl_url GROUP BY state")).all())
    assert tuple(seed) == ("헤럴드경제", ["고재우"], 3)
    assert states == {"loaded": DAY_ARTICLES}

    # The day named by the logical date alone (`airflow dags test news_daily 2025-07-04`).
    dags_test(test_db_url, sample_site, "2025-07-04")
    assert days_in_warehouse(clean_db) == {date(2025, 7, 3): DAY_ARTICLES, date(2025, 7, 4): DAY_ARTICLES}

    # Re-running a day through Airflow rewrites nothing.
    before = snapshot(clean_db)
    rerun = dags_test(test_db_url, sample_site, "2025-07-03", "-c", json.dumps({"day": "2025-07-03"}))
    assert snapshot(clean_db) == before
    # Nothing was left to fetch or extract: plan gave one batch, and each stage ran once.
    started = re.findall(r"\[DAG TEST\] starting task_id=(\w+)", rerun.stdout + rerun.stderr)
    assert sorted(started) == sorted(["discover", "plan", "fetch", "extract", "load", "media", "index", "check"]), (
        started
    )
    # Every stage task reports its process's peak memory with its counts (what `make bench` reads).
    returned = re.findall(r"Returned value was: (\{'day'.*?\})", rerun.stdout + rerun.stderr)
    assert len(returned) == 7 and all(int(re.search(r"'peak_rss_mb': (\d+)", r).group(1)) > 0 for r in returned), (
        returned
    )
    with clean_db.connect() as conn:
        states = dict(
            conn.execute(
                sa.text("SELECT state, count(*) FROM news.crawl_url WHERE day = '2025-07-03' GROUP BY state")
            ).all()
        )
    assert states == {"unchanged": DAY_ARTICLES}
