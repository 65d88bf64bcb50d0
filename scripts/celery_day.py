"""One KST day through Airflow's CeleryExecutor on this machine: Redis, N Celery workers, a real scheduler.

    python scripts/celery_day.py [--workers 2] [--articles 1000] [--day 2025-07-08] [--batch-size 100]

Starts its own stack with scripts/airflow.sh (api-server, scheduler, dag-processor, triggerer, Redis on a free
port, workers named worker-1 … worker-N), fresh Airflow metadata (<metadata db>_celery: airflow_metadata.py) and
its own warehouse (<warehouse db>_celery, emptied), serves an N-article day from the sample site, triggers news_daily for that
day through the REST API, waits for it, and prints the run's wall time and which worker ran which tasks.
The scheduler creates no nightly run of its own here (use_job_schedule off): only the triggered run is timed.
tests/test_celery.py runs the same code and checks the result against `make run`'s.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

from airflow_api import RunResult, Stack, trigger_day, triggered_stack  # scripts/, beside this file
from console import progress
from local_site import free_port, site

from newsetl.db import engine
from newsetl.report import day_report

ROOT = Path(__file__).resolve().parents[1]


@contextmanager
def celery_stack(site_url: str, workers: int, suffix: str = "_celery") -> Iterator[Stack]:
    """Airflow with the CeleryExecutor, Redis and `workers` workers (triggered_stack), news_daily unpaused."""
    celery = {
        "AIRFLOW__CORE__EXECUTOR": "CeleryExecutor",
        "NEWS_CELERY_WORKERS": str(workers),
        "NEWS_REDIS_PORT": str(free_port()),
        "NEWS_WORKER_LOG_PORT_BASE": str(free_port()),
    }
    progress("celery", f"starting Airflow (CeleryExecutor, {workers} worker(s))")
    with triggered_stack(site_url, suffix, celery) as stack:
        yield stack


def run_celery_day(stack: Stack, day: str, batch_size: int, timeout_s: float = 900) -> RunResult:
    """Trigger news_daily for the KST day through the REST API (batches of batch_size) and wait for it."""
    return trigger_day(stack, day, {"batch_size": batch_size}, "celery", timeout_s)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--articles", type=int, default=1000, help="articles the sample site serves per day")
    parser.add_argument("--day", default="2025-07-08")
    parser.add_argument("--batch-size", type=int, default=100, help="URLs per mapped fetch/extract task")
    args = parser.parse_args(argv)
    with site("--articles-per-day", str(args.articles)) as url, celery_stack(url, args.workers) as stack:
        progress("celery", f"running {args.day} ({args.articles} articles/day, batches of {args.batch_size})")
        result = run_celery_day(stack, args.day, args.batch_size)
        print(
            f"celery: workers={args.workers} day={args.day} state={result.state} wall_s={result.wall_s:.1f} "
            f"task_instances={len(result.task_instances)}"
        )
        for worker, tasks in sorted(result.by_worker().items()):
            print(f"  {worker}: {sum(tasks.values())} task instances {dict(sorted(tasks.items()))}")
        print(day_report(engine(stack.warehouse), date.fromisoformat(args.day), limit=0).split("\n\n")[0])
    return 0 if result.state == "success" else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
