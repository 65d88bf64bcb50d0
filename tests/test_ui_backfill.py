"""A backfill started the way a user starts it: headless Chromium drives the Airflow 3 UI's Backfill dialog
against a running Airflow (api-server, scheduler, dag-processor, triggerer; LocalExecutor), then the rows
of those three KST days are checked in Postgres. Screenshots go to artifacts/ui/ (git-ignored).

Its own Airflow (port 8081, metadata database airflow_uitest, or <db>_airflow_uitest beside your own warehouse;
AIRFLOW_HOME .airflow-uitest) and warehouse (<db>_uitest) keep it apart from `make airflow` and the other tests.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa
from airflow_api import Api, airflow_stack  # scripts/
from sqlalchemy.engine import Engine

from newsetl.config import load_sources
from newsetl.db import engine as make_engine
from newsetl.pipeline import run_pipeline
from tests.debian_tools import installed
from tests.sample_day import DAY_ARTICLES
from tests.warehouse_content import day_content

ROOT = Path(__file__).resolve().parents[1]
SHOTS = ROOT / "artifacts" / "ui"
PORT = 8081
BASE = f"http://127.0.0.1:{PORT}"
DAYS = [date(2025, 7, 1), date(2025, 7, 2), date(2025, 7, 3)]
MAX_ACTIVE = 2
pytestmark = pytest.mark.slow
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-sync",
    "--disable-background-networking",
    "--disable-component-update",
]


def content(engine: Engine) -> dict[str, list[tuple]]:
    """The backfilled days' rows by natural keys (the running Airflow may also make its nightly run)."""
    return day_content(engine, DAYS)


@pytest.fixture(scope="module")
def ui_airflow(sample_site: str) -> Iterator[Engine]:
    with airflow_stack(sample_site, "_uitest", PORT) as stack:
        yield make_engine(stack.warehouse)


def sign_in(page) -> None:
    """Sign in with the local login that scripts/airflow.sh sets up."""
    page.goto(BASE + "/")
    page.get_by_label("Username").fill("admin")
    page.get_by_label("Password").fill("admin")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: "/auth/login" not in url, timeout=30_000)


def start_backfill_in_the_ui(executable: str) -> None:
    from playwright.sync_api import sync_playwright

    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        sign_in(page)
        page.goto(BASE + "/dags/news_daily")
        page.get_by_role("button", name="Trigger").click()
        dialog = page.get_by_role("dialog").first
        dialog.get_by_text("Backfill", exact=True).click()
        # The dialog's dates are in the UI's time zone (UTC, left as the user has it); a person types the days.
        for i, day in enumerate((DAYS[0], DAYS[-1])):
            dialog.get_by_test_id("datetime-input").nth(i).click()
            popover = page.locator("[data-part=content][data-state=open]").last
            popover.get_by_placeholder("YYYY/MM/DD").fill(day.strftime("%Y/%m/%d"))
            popover.get_by_placeholder("HH:mm").fill("00:00")
            page.keyboard.press("Escape")
        dialog.get_by_text("Missing Runs", exact=True).click()
        dialog.locator("input[name=max_active_runs]").fill(str(MAX_ACTIVE))
        dialog.get_by_text("3 runs will be triggered").wait_for(timeout=30_000)
        page.screenshot(path=str(SHOTS / "backfill-dialog.png"))
        dialog.get_by_role("button", name="Run Backfill").click()
        page.wait_for_timeout(2000)
        browser.close()


def screenshot_runs(executable: str) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        sign_in(page)
        page.goto(BASE + "/dags/news_daily/runs")
        page.get_by_text("backfill", exact=False).first.wait_for(timeout=30_000)
        page.wait_for_timeout(1500)
        page.screenshot(path=str(SHOTS / "backfill-runs.png"), full_page=True)
        browser.close()


def test_backfill_from_the_ui_loads_exactly_the_three_kst_days(
    ui_airflow: Engine, clean_db: Engine, sample_site: str
) -> None:
    executable = installed("chromium")
    airflow = Api(BASE)
    airflow.wait_for_dag()
    start_backfill_in_the_ui(executable)

    # Wait for the backfill's runs; never more than MAX_ACTIVE at a time.
    deadline, most_running, runs = time.monotonic() + 600, 0, []
    while time.monotonic() < deadline:
        runs = airflow.call("/api/v2/dags/news_daily/dagRuns?run_type=backfill&limit=50")["dag_runs"]
        most_running = max(most_running, sum(r["state"] == "running" for r in runs))
        if len(runs) == 3 and all(r["state"] in ("success", "failed") for r in runs):
            break
        time.sleep(1)
    assert sorted(r["partition_key"] for r in runs) == [d.isoformat() for d in DAYS]
    assert [r["state"] for r in runs] == ["success"] * 3
    assert most_running <= MAX_ACTIVE
    screenshot_runs(executable)

    # The warehouse holds exactly those days, identical to running them one by one (make run's code path).
    for day in DAYS:
        run_pipeline(clean_db, day, load_sources())
    assert content(ui_airflow) == content(clean_db)
    with ui_airflow.connect() as conn:
        days = dict(
            conn.execute(
                sa.text("SELECT day, count(*) FROM news.article WHERE day = ANY(:d) GROUP BY day"), {"d": DAYS}
            ).all()
        )
        fetched_at = conn.execute(sa.text("SELECT max(fetched_at) FROM staging.raw_page")).scalar_one()
    assert days == {d: DAY_ARTICLES for d in DAYS}
    with ui_airflow.connect() as conn:  # no backfill day spilled onto a neighbour
        edges = conn.execute(sa.text("SELECT count(*) FROM news.article WHERE day IN ('2025-06-30', '2025-07-04')"))
        assert edges.scalar_one() == 0

    # The same range again through the REST API: "none" plans no run at all, "failed" none either,
    # and "completed" reruns the days without fetching anything again.
    body = {"dag_id": "news_daily", "from_date": "2025-07-01T00:00:00Z", "to_date": "2025-07-03T00:00:00Z"}
    for behaviour in ("none", "failed"):
        plan = airflow.call("/api/v2/backfills/dry_run", {**body, "reprocess_behavior": behaviour})
        assert plan["total_entries"] == 0, behaviour
    plan = airflow.call("/api/v2/backfills/dry_run", {**body, "reprocess_behavior": "completed"})
    assert sorted(b["partition_key"] for b in plan["backfills"]) == [d.isoformat() for d in DAYS]
    deadline = time.monotonic() + 120  # one active backfill per DAG: wait until the scheduler closes the first
    while time.monotonic() < deadline:
        backfills = airflow.call("/api/v2/backfills?dag_id=news_daily")["backfills"]
        if backfills and all(b["completed_at"] for b in backfills):
            break
        time.sleep(1)
    second = airflow.call(
        "/api/v2/backfills", {**body, "reprocess_behavior": "completed", "max_active_runs": MAX_ACTIVE}
    )
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline and not airflow.call(f"/api/v2/backfills/{second['id']}")["completed_at"]:
        time.sleep(1)
    runs = airflow.call("/api/v2/dags/news_daily/dagRuns?run_type=backfill&limit=50")["dag_runs"]
    assert len(runs) == 6 and {r["state"] for r in runs} == {"success"}
    with ui_airflow.connect() as conn:
        assert conn.execute(sa.text("SELECT max(fetched_at) FROM staging.raw_page")).scalar_one() == fetched_at
    assert content(ui_airflow)["article"] == content(clean_db)["article"]
