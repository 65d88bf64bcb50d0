"""`make faults`: run one day through the DAG against the sample site with every fault on, report each
fault's outcome, then run the day again with the faults off and check every failed URL is loaded.

Uses its own database beside the warehouse (<db>_faults), emptied first, so the matrix is repeatable. Both
runs use the same port: a URL is its host and port too, and a failed URL is retried where it was found.
"""

from __future__ import annotations

import json
import os
import sys
import time
import urllib.request
from pathlib import Path

import sqlalchemy as sa
from airflow_api import dags_test  # scripts/, beside this file
from local_site import free_port, site

from newsetl.days import read_day
from newsetl.db import empty_tables, sibling_database
from newsetl.db import engine as make_engine
from newsetl.migrate import upgrade
from newsetl_tools.faultreport import fault_table, final_states, outcomes
from newsetl_tools.sample_site.faults import EXPECTED_REASON, EXPECTED_STATE, FAULT_ARTICLES_PER_DAY, FAULT_KINDS

ROOT = Path(__file__).resolve().parents[1]
SOURCE = "sample_daum"
# Both runs serve the fault mode's day size, so an article faulted in run 1 exists in run 2.
ARTICLES = ("--articles-per-day", str(FAULT_ARTICLES_PER_DAY))


def faults_db() -> sa.engine.URL:
    target = sibling_database("_faults")
    upgrade(target)
    return target


def dags_test_env(db_url: sa.engine.URL, site_url: str) -> dict[str, str]:
    """The environment of `airflow dags test` against the fault database and a sample site: read timeout 1 s and
    a 3 s deadline per URL (the drip, Retry-After: 99999999), so the faults cost seconds, not the production
    minutes. The retry budget is all the waits of a task's URLs together: the bursts' legitimate waits (429 and
    503 with Retry-After: 1, 500s with backoff, 2 URLs each) must fit in it, or they would end failed too."""
    return {
        **os.environ,
        "NEWS_SAMPLE_SITE_URL": site_url,
        "NEWS_SAMPLE_READ_TIMEOUT_S": "1",
        "NEWS_SAMPLE_DEADLINE_S": "3",
        "NEWS_SAMPLE_RETRY_BUDGET_S": "60",
        "AIRFLOW_CONN_NEWS_WAREHOUSE": db_url.set(drivername="postgresql").render_as_string(hide_password=False),
    }


def main(argv: list[str]) -> int:
    day = argv[0] if argv else "2025-07-10"
    seed = argv[1] if len(argv) > 1 else "7"
    db_url = faults_db()
    engine = make_engine(db_url)
    empty_tables(engine)
    logs = ROOT / ".airflow" / "logs"
    logs.mkdir(parents=True, exist_ok=True)

    port = free_port()
    with site("--faults", "--fault-seed", seed, "--slow-seconds", "3", *ARTICLES, port=port) as url:
        plan = json.loads(urllib.request.urlopen(f"{url}/__faults?regDate={day.replace('-', '')}").read())["plan"]
        started = time.monotonic()
        dags_test(day, dags_test_env(db_url, url), logs / f"faults-{day}-on.log", [SOURCE])
        print(f"run 1 (faults on, seed {seed}, day {day}): {time.monotonic() - started:.0f}s")
    first = outcomes(engine, read_day(day), SOURCE, plan, EXPECTED_STATE, EXPECTED_REASON)
    text, wrong = fault_table(first, FAULT_KINDS)

    with site(*ARTICLES, port=port) as url:
        started = time.monotonic()
        dags_test(day, dags_test_env(db_url, url), logs / f"faults-{day}-off.log", [SOURCE])
        print(f"run 2 (faults off): {time.monotonic() - started:.0f}s")
    second = final_states(engine, read_day(day), SOURCE)
    retried = [o.url for o in first if o.state == "failed" and o.url]
    still_failed = [url for url in retried if second.get(url) not in ("loaded", "unchanged")]
    print(
        f"run 2: {len(retried)} URLs failed in run 1, {len(retried) - len(still_failed)} now loaded"
        + (f"; still not loaded: {still_failed}" if still_failed else "; every failed URL now loaded")
    )
    print(text)
    return 1 if wrong or still_failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
