"""`make faults`: run one day through the DAG against the sample site with every fault on, report each
fault's outcome, then run the day again with the faults off and check every failed URL is loaded.

Uses its own database beside the warehouse (<db>_faults), emptied first, so the matrix is repeatable.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import sqlalchemy as sa
from local_site import site  # scripts/, beside this file

from newsetl.days import parse_day
from newsetl.db import empty_tables, sibling_database
from newsetl.db import engine as make_engine
from newsetl.faultreport import outcomes, render
from newsetl.migrate import upgrade
from newsetl.sample_site.faults import EXPECTED_STATE, FAULT_KINDS

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
SOURCE = "sample_daum"


def faults_db() -> sa.engine.URL:
    target = sibling_database("_faults")
    upgrade(target)
    return target


def run_dag(day: str, db_url: sa.engine.URL, site_url: str, log: Path) -> None:
    env = {**os.environ, "NEWS_SAMPLE_SITE_URL": site_url, "NEWS_SAMPLE_READ_TIMEOUT_S": "1",
           "AIRFLOW_CONN_NEWS_WAREHOUSE": db_url.set(drivername="postgresql").render_as_string(hide_password=False)}
    conf = json.dumps({"day": day, "sources": [SOURCE]})
    with log.open("w") as out:
        proc = subprocess.run([str(BIN / "airflow"), "dags", "test", "news_daily", day, "-c", conf],
                              env=env, stdout=out, stderr=subprocess.STDOUT, cwd=ROOT)
    if proc.returncode != 0 or "state=success" not in log.read_text(errors="replace"):
        sys.exit(f"faults: the DAG run failed; see {log}")


def main(argv: list[str]) -> int:
    day = argv[0] if argv else "2025-07-10"
    seed = argv[1] if len(argv) > 1 else "7"
    db_url = faults_db()
    engine = make_engine(db_url)
    empty_tables(engine)
    logs = ROOT / ".airflow" / "logs"
    logs.mkdir(parents=True, exist_ok=True)

    with site("--faults", "--fault-seed", seed, "--slow-seconds", "3") as url:
        plan = json.loads(urllib.request.urlopen(f"{url}/__faults?regDate={day.replace('-', '')}").read())["plan"]
        started = time.monotonic()
        run_dag(day, db_url, url, logs / f"faults-{day}-on.log")
        print(f"run 1 (faults on, seed {seed}, day {day}): {time.monotonic() - started:.0f}s")
    first = outcomes(engine, parse_day(day), SOURCE, plan, EXPECTED_STATE)
    text, lost = render(first, FAULT_KINDS)

    with site() as url:
        started = time.monotonic()
        run_dag(day, db_url, url, logs / f"faults-{day}-off.log")
        print(f"run 2 (faults off): {time.monotonic() - started:.0f}s")
    second = {o.path: o for o in outcomes(engine, parse_day(day), SOURCE, {}, {})}
    retried = [o for o in first if o.state == "failed"]
    still_failed = [o.path for o in retried if second[o.path].state not in ("loaded", "unchanged")]
    print(f"run 2: {len(retried)} URLs failed in run 1, {len(retried) - len(still_failed)} now loaded"
          + (f"; still not loaded: {still_failed}" if still_failed else ""))
    print(text)
    return 1 if lost or still_failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
