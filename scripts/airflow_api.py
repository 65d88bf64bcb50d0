"""A local Airflow stack of its own (scripts/airflow.sh with its own metadata, warehouse, home and port), its
Airflow 3 REST API with the local admin login, and a triggered day run through it: for scripts/celery_day.py,
scripts/bench.py (each task's memory under a real scheduler) and the end-to-end UI test."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy.engine import URL

ROOT = Path(__file__).resolve().parents[1]
DAG_ID = "news_daily"


class Api:
    """The Airflow 3 REST API of a stack; the login defaults to the local admin scripts/airflow.sh sets up."""

    def __init__(self, base: str, username: str = "admin", password: str = "admin") -> None:
        self.base = base
        self._login = {"username": username, "password": password}
        self._token: str | None = None

    def call(self, path: str, body: dict[str, Any] | None = None, method: str | None = None) -> dict[str, Any]:
        headers = {"Content-Type": "application/json"}
        if path != "/auth/token":
            self._token = self._token or self.call("/auth/token", self._login)["access_token"]
            headers["Authorization"] = f"Bearer {self._token}"
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(
            self.base + path, data=data, headers=headers, method=method or ("POST" if body is not None else "GET")
        )
        with urllib.request.urlopen(req, timeout=30) as resp:
            return json.loads(resp.read())

    def wait_for_dag(self, timeout_s: float = 180) -> None:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            try:
                if self.call(f"/api/v2/dags/{DAG_ID}")["dag_id"] == DAG_ID:
                    return
            except urllib.error.HTTPError:
                pass
            time.sleep(1)
        raise RuntimeError(f"the DAG processor never registered {DAG_ID}")


@dataclass(slots=True)
class Stack:
    api: Api
    warehouse: URL
    env: dict[str, str]


@contextmanager
def airflow_stack(site_url: str, suffix: str, port: int, extra_env: dict[str, str] | None = None) -> Iterator[Stack]:
    """scripts/airflow.sh on `port` with fresh metadata (<metadata db><suffix> beside Airflow's metadata database,
    airflow_metadata.metadata_url: no run left from an earlier stack) and its own emptied warehouse
    (<warehouse db><suffix>), home and run folder; stopped on exit."""
    from airflow_metadata import metadata_url  # scripts/, beside this file

    from newsetl.db import empty_tables, engine, sibling_database
    from newsetl.migrate import upgrade

    warehouse = sibling_database(suffix)
    upgrade(warehouse)
    empty_tables(engine(warehouse))
    metadata = metadata_url(suffix, fresh=True)
    name = f"airflow{suffix.replace('_', '-')}"
    env = {
        **os.environ,
        "NEWS_WAREHOUSE_URL": warehouse.render_as_string(hide_password=False),
        "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": metadata.render_as_string(hide_password=False),
        "NEWS_AIRFLOW_HOME": str(ROOT / f".{name}"),
        "NEWS_AIRFLOW_RUN": f".run/{name}",
        "AIRFLOW_PORT": str(port),
        "NEWS_SAMPLE_SITE_URL": site_url,
        **(extra_env or {}),
    }
    print(f"[airflow] metadata {metadata.database}, warehouse {warehouse.database}, port {port}", file=sys.stderr)
    setup = subprocess.run([str(ROOT / "scripts/setup.sh")], env=env, capture_output=True, text=True, timeout=900)
    if setup.returncode:
        raise RuntimeError(f"setup failed: {setup.stderr[-3000:]}")
    start = subprocess.run(
        [str(ROOT / "scripts/airflow.sh"), "start"], env=env, capture_output=True, text=True, timeout=300
    )
    try:
        if start.returncode:
            raise RuntimeError(f"airflow.sh start failed: {start.stdout}{start.stderr}")
        yield Stack(Api(f"http://127.0.0.1:{port}"), warehouse, env)
    finally:
        subprocess.run([str(ROOT / "scripts/airflow.sh"), "stop"], env=env, capture_output=True, timeout=180)


@contextmanager
def triggered_stack(site_url: str, suffix: str, extra_env: dict[str, str] | None = None) -> Iterator[Stack]:
    """airflow_stack on a free port that runs only what is triggered (no scheduled run of its own), with
    news_daily registered and unpaused (the DAG processor creates it paused): for trigger_day."""
    from local_site import free_port  # scripts/, beside this file

    only_triggered = {"AIRFLOW__SCHEDULER__USE_JOB_SCHEDULE": "False", **(extra_env or {})}
    with airflow_stack(site_url, suffix, free_port(), only_triggered) as stack:
        stack.api.wait_for_dag()
        stack.api.call(f"/api/v2/dags/{DAG_ID}", {"is_paused": False}, method="PATCH")
        yield stack


@dataclass(slots=True)
class RunResult:
    run_id: str
    state: str
    wall_s: float  # the run's start to end, as Airflow recorded it
    task_instances: list[dict[str, Any]]

    def by_worker(self) -> dict[str, Counter]:
        """worker (task instance hostname) -> task_id -> count of task instances it ran."""
        out: dict[str, Counter] = {}
        for ti in self.task_instances:
            if ti["state"] == "success":
                out.setdefault(ti["hostname"] or "?", Counter())[ti["task_id"]] += 1
        return out


def _stamp(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def trigger_day(stack: Stack, day: str, conf: dict[str, Any], prefix: str, timeout_s: float = 900) -> RunResult:
    """Trigger news_daily for the KST day (plus ``conf``) through the REST API and wait for the run to end."""
    return trigger_day_on(stack.api, day, conf, prefix, timeout_s)


def trigger_day_on(api: Api, day: str, conf: dict[str, Any], prefix: str, timeout_s: float = 900) -> RunResult:
    """trigger_day through any stack's API (docker compose's too)."""
    run_id = f"{prefix}_{day}_{int(time.time())}"
    api.call(
        f"/api/v2/dags/{DAG_ID}/dagRuns", {"dag_run_id": run_id, "logical_date": None, "conf": {"day": day, **conf}}
    )
    deadline = time.monotonic() + timeout_s
    run: dict[str, Any] = {}
    while time.monotonic() < deadline:
        run = api.call(f"/api/v2/dags/{DAG_ID}/dagRuns/{run_id}")
        if run["state"] in ("success", "failed"):
            break
        time.sleep(1)
    else:
        raise RuntimeError(f"run {run_id} did not finish in {timeout_s}s (state {run.get('state')})")
    tis = api.call(f"/api/v2/dags/{DAG_ID}/dagRuns/{run_id}/taskInstances?limit=1000")["task_instances"]
    wall = (_stamp(run["end_date"]) - _stamp(run["start_date"])).total_seconds()
    return RunResult(run_id, run["state"], wall, tis)


def task_return_value(stack: Stack, run_id: str, task_id: str, map_index: int = -1) -> Any:
    """What a task instance of the run returned (its return_value XCom), as JSON."""
    query = urllib.parse.urlencode({"map_index": map_index, "deserialize": "true", "stringify": "false"})
    entry = stack.api.call(
        f"/api/v2/dags/{DAG_ID}/dagRuns/{urllib.parse.quote(run_id)}/taskInstances/{task_id}"
        f"/xcomEntries/return_value?{query}"
    )
    return entry["value"]


def dags_test(day: str, env: dict[str, str], log: Path, sources: list[str]) -> str:
    """`airflow dags test news_daily DAY` for that day and only those sources, in-process (no scheduler), its
    output in ``log``; exits the script naming the log when the run fails, else returns the log's text."""
    conf = json.dumps({"day": day, "sources": sources})
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("w") as out:
        proc = subprocess.run(
            [str(Path(sys.executable).parent / "airflow"), "dags", "test", DAG_ID, day, "-c", conf],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            cwd=ROOT,
        )
    text = log.read_text(errors="replace")
    if proc.returncode != 0 or "state=success" not in text:
        sys.exit(f"{Path(sys.argv[0]).name}: the DAG run of {day} failed; see {log}")
    return text
