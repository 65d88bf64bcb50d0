"""Airflow Assets for downstream DAGs, under a real scheduler (scripts/airflow.sh, LocalExecutor): news_daily's
check records a `news_articles` event keyed by its KST day with the day's counts, and news_stories, scheduled
on that asset with a PartitionedAssetTimetable, runs once for the same day. A backfill started through the
REST API (what the UI's Backfill dialog posts, tests/test_ui_backfill.py) clusters every backfilled day, and
a triggered day is clustered too.

Its own Airflow (port 8082, metadata <metadata db>_assets) and warehouse (<warehouse db>_assets)."""

from __future__ import annotations

import time
import urllib.error
from collections.abc import Iterator
from datetime import date, datetime

import pytest
import sqlalchemy as sa
from airflow_api import Stack, airflow_stack, trigger_day  # scripts/

from newsetl.db import engine as make_engine

PORT = 8082
DAYS = [date(2025, 7, 1), date(2025, 7, 2)]
TRIGGERED = date(2025, 7, 5)
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def stack(sample_site: str) -> Iterator[Stack]:
    with airflow_stack(sample_site, "_assets", PORT) as stack:
        stack.api.wait_for_dag()
        for dag_id in ("news_daily", "news_stories"):  # created paused; news_stories must be on to be scheduled
            deadline = time.monotonic() + 120
            while True:
                try:
                    stack.api.call(f"/api/v2/dags/{dag_id}", {"is_paused": False}, method="PATCH")
                    break
                except urllib.error.HTTPError:  # 404: the DAG processor has not registered it yet
                    if time.monotonic() > deadline:
                        raise
                    time.sleep(1)
        yield stack


def _stories_runs(stack: Stack, keys: set[str], timeout_s: float = 600) -> list[dict]:
    """news_stories' runs for those partition keys, once each has ended."""
    deadline = time.monotonic() + timeout_s
    runs: list[dict] = []
    while time.monotonic() < deadline:
        runs = stack.api.call("/api/v2/dags/news_stories/dagRuns?limit=100")["dag_runs"]
        mine = [r for r in runs if r["partition_key"] in keys]
        if {r["partition_key"] for r in mine} == keys and all(r["state"] in ("success", "failed") for r in mine):
            return mine
        time.sleep(2)
    raise AssertionError(
        f"news_stories did not run for {sorted(keys)}: {[(r['partition_key'], r['state']) for r in runs]}"
    )


def _stamp(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def _article_events(stack: Stack) -> list[dict]:
    assets = stack.api.call("/api/v2/assets?name_pattern=news_articles")["assets"]
    (asset,) = [a for a in assets if a["name"] == "news_articles"]
    return stack.api.call(f"/api/v2/assets/events?asset_id={asset['id']}&limit=100")["asset_events"]


def test_a_backfill_clusters_every_backfilled_day(stack: Stack) -> None:
    body = {
        "dag_id": "news_daily",
        "from_date": f"{DAYS[0].isoformat()}T00:00:00Z",
        "to_date": f"{DAYS[-1].isoformat()}T00:00:00Z",
        "reprocess_behavior": "none",
        "max_active_runs": 2,
    }
    backfill = stack.api.call("/api/v2/backfills", body)
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline and not stack.api.call(f"/api/v2/backfills/{backfill['id']}")["completed_at"]:
        time.sleep(2)
    daily = stack.api.call("/api/v2/dags/news_daily/dagRuns?run_type=backfill&limit=50")["dag_runs"]
    assert sorted((r["partition_key"], r["state"]) for r in daily) == [(d.isoformat(), "success") for d in DAYS]

    keys = {d.isoformat() for d in DAYS}
    runs = _stories_runs(stack, keys)
    assert sorted((r["partition_key"], r["state"]) for r in runs) == [(k, "success") for k in sorted(keys)]
    assert {r["run_type"] for r in runs} == {"asset_triggered"}

    # each day's event names its day and carries that day's URL counts (what a downstream DAG reads)
    events = {e["partition_key"]: e for e in _article_events(stack) if e["partition_key"] in keys}
    assert set(events) == keys
    lags = sorted(
        (_stamp(r["start_date"]) - _stamp(events[r["partition_key"]]["timestamp"])).total_seconds() for r in runs
    )
    print(f"\nassets: news_stories started {lags[0]:.1f}–{lags[-1]:.1f} s after each day's news_articles event")
    with make_engine(stack.warehouse).connect() as conn:
        for key, event in events.items():
            assert event["extra"]["day"] == key and event["source_dag_id"] == "news_daily"
            loaded = conn.execute(
                sa.text("SELECT count(*) FROM news.crawl_url WHERE day = :d AND state IN ('loaded', 'unchanged')"),
                {"d": date.fromisoformat(key)},
            ).scalar_one()
            assert event["extra"]["loaded"] + event["extra"].get("unchanged", 0) == loaded > 0
        # and news_stories did cluster each backfilled day: stories spanning presses (the wire desk's copies)
        for key in keys:
            spanning = conn.execute(
                sa.text(
                    "SELECT count(DISTINCT s.story_id) FROM news.article a JOIN news.story s USING (story_id) "
                    "WHERE a.day = :d AND s.n_presses >= 2"
                ),
                {"d": date.fromisoformat(key)},
            ).scalar_one()
            assert spanning > 0, key


def test_a_triggered_day_is_clustered_for_that_day(stack: Stack) -> None:
    result = trigger_day(stack, TRIGGERED.isoformat(), {}, "assets")
    assert result.state == "success"
    (run,) = _stories_runs(stack, {TRIGGERED.isoformat()})
    assert run["state"] == "success"
    cluster = stack.api.call(f"/api/v2/dags/news_stories/dagRuns/{run['dag_run_id']}/taskInstances/cluster")
    assert cluster["state"] == "success"
