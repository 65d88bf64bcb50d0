"""Crash safety: a killed load, a Postgres restart mid-run and 8 concurrent backfills of overlapping days
all end with the warehouse a clean run gives. Slow by nature; part of `make test`."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import URL, Engine

from newsetl.config import load_sources
from newsetl.db import empty_tables
from newsetl.discover import discover_day
from newsetl.extract import extract_day
from newsetl.fetch import fetch_day
from newsetl.media import media_day
from newsetl.pipeline import run_pipeline

ROOT = Path(__file__).resolve().parents[1]
NEWSETL = str(Path(sys.executable).parent / "newsetl")
DAY = date(2025, 7, 3)
pytestmark = pytest.mark.slow

# Content of the warehouse by natural keys: what must be identical whatever crashed on the way.
CONTENT_SQL = {
    "article": "SELECT source, source_id, url, title, press, reporters, emails, published_at, body_text, "
    "paragraphs, parser, content_hash, day FROM news.article ORDER BY source, source_id",
    "media": "SELECT a.source, a.source_id, m.position, m.image_url, m.thumbnail_url, m.width, m.alt, m.caption, "
    "m.credit FROM news.media m JOIN news.article a USING (article_id) ORDER BY 1, 2, 3",
    "crawl_url": "SELECT day, source, url, source_id, state, reason FROM news.crawl_url ORDER BY 1, 2, 3",
    "duplicates": "SELECT source, source_id, count(*) FROM news.article GROUP BY 1, 2 HAVING count(*) > 1",
}


def content(engine: Engine) -> dict[str, list[tuple]]:
    with engine.connect() as conn:
        return {name: [tuple(r) for r in conn.execute(sa.text(sql))] for name, sql in CONTENT_SQL.items()}


def newsetl_env(site: str, **extra: str) -> dict[str, str]:
    return {**os.environ, "NEWS_SAMPLE_SITE_URL": site, **extra}


def url_arg(db_url: URL) -> str:
    return db_url.render_as_string(hide_password=False)


def test_killed_load_leaves_no_half_written_articles(clean_db: Engine, test_db_url: URL, sample_site: str) -> None:
    sources = load_sources()
    run_pipeline(clean_db, DAY, sources)
    reference = content(clean_db)
    empty_tables(clean_db)
    for stage in (discover_day, fetch_day, extract_day):
        stage(clean_db, DAY, sources)

    code = (
        "import sys; from datetime import date; from newsetl.config import load_sources; "
        "from newsetl.db import engine; from newsetl.load import load_day; "
        "load_day(engine(sys.argv[1]), date(2025, 7, 3), load_sources())"
    )
    blocker = clean_db.connect()
    tx = blocker.begin()
    # Hold the day's URL rows: the load statement inserts every article, then waits to mark the URLs.
    blocker.execute(sa.text("SELECT 1 FROM news.crawl_url WHERE day = :d FOR UPDATE"), {"d": DAY})
    proc = subprocess.Popen([sys.executable, "-c", code, url_arg(test_db_url)], env=newsetl_env(sample_site))
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            with clean_db.connect() as probe:  # a fresh transaction sees a fresh pg_stat_activity
                waiting = probe.execute(
                    sa.text(
                        "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                        "AND wait_event_type = 'Lock' AND query LIKE '-- Upsert the day''s normalized articles%'"
                    )
                ).scalar_one()  # the statement's first line: pg_stat_activity keeps only 1 kB of it
            if waiting:
                break
            time.sleep(0.1)
        else:
            pytest.fail("the load never reached its halfway point")
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        tx.rollback()
        blocker.close()
    assert proc.returncode == -signal.SIGKILL
    time.sleep(0.5)  # the server notices the dead client and rolls its transaction back
    with clean_db.connect() as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM news.article")).scalar_one() == 0
        assert conn.execute(sa.text("SELECT count(*) FROM news.crawl_url WHERE state = 'loaded'")).scalar_one() == 0
    # The task's retry: load and media again.
    from newsetl.load import load_day

    load_day(clean_db, DAY, sources)
    media_day(clean_db, DAY, sources)
    assert content(clean_db) == reference


def test_eight_concurrent_backfills_of_overlapping_days(clean_db: Engine, test_db_url: URL, sample_site: str) -> None:
    days = [date(2025, 7, 1) + timedelta(days=i) for i in range(4)]
    sequential = []
    for day in days:
        run_pipeline(clean_db, day, load_sources())
    sequential = content(clean_db)
    empty_tables(clean_db)

    # 8 runs at once: every day twice, in an interleaved order, like two overlapping backfills.
    order = days + days[::-1]
    procs = [
        subprocess.Popen(
            [NEWSETL, "run-day", d.isoformat(), "--url", url_arg(test_db_url)],
            env=newsetl_env(sample_site),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for d in order
    ]
    outputs = [p.communicate(timeout=600) for p in procs]
    failures = [err[-2000:] for p, (_, err) in zip(procs, outputs, strict=True) if p.returncode != 0]
    assert failures == []  # no deadlock, no unique violation
    parallel = content(clean_db)
    assert parallel["duplicates"] == []
    # The second run of a day may find its URLs 'unchanged' instead of 'loaded'; all else is equal.
    assert parallel["article"] == sequential["article"]
    assert parallel["media"] == sequential["media"]
    norm = [(d, s, u, i, "loaded" if st == "unchanged" else st, r) for d, s, u, i, st, r in parallel["crawl_url"]]
    assert norm == sequential["crawl_url"]


def test_postgres_restart_mid_run_then_retry_completes_the_day(
    clean_db: Engine, test_db_url: URL, sample_site: str
) -> None:
    if os.environ.get("NEWS_WAREHOUSE_URL") or os.environ.get("NEWS_TEST_WAREHOUSE_URL"):
        pytest.skip("restarts only the project's own embedded cluster, never a server it did not start")
    run_pipeline(clean_db, DAY, load_sources())
    reference = content(clean_db)
    empty_tables(clean_db)

    # A slow fetch (rate-limited) gives time to restart the server under the running process.
    env = newsetl_env(sample_site, NEWS_SAMPLE_RPS="15")
    proc = subprocess.Popen(
        [NEWSETL, "run-day", DAY.isoformat(), "--url", url_arg(test_db_url)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        with clean_db.connect() as conn:
            if conn.execute(sa.text("SELECT count(*) FROM staging.raw_page")).scalar_one() >= 10:
                break
        time.sleep(0.1)
    restart = subprocess.run([str(ROOT / "scripts" / "pg.sh"), "restart"], capture_output=True, text=True, timeout=120)
    assert restart.returncode == 0, restart.stderr
    _, err = proc.communicate(timeout=300)
    # Either the process failed (then Airflow retries the task) or its pooled connections recovered.
    if proc.returncode != 0:
        assert "OperationalError" in err or "terminating connection" in err or "server closed" in err, err[-2000:]
        retry = subprocess.run(
            [NEWSETL, "run-day", DAY.isoformat(), "--url", url_arg(test_db_url)],
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert retry.returncode == 0, retry.stderr[-2000:]
    got = content(clean_db)
    assert got["article"] == reference["article"]
    assert got["media"] == reference["media"]
    assert {row[4] for row in got["crawl_url"]} <= {"loaded", "unchanged"}
