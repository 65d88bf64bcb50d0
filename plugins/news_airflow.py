"""Glue between Airflow and the newsetl library: the run's day, sources and warehouse connection.

Kept out of the DAG file so the DAG only wires tasks, and out of include/ so the library never
imports Airflow. Airflow puts plugins/ on sys.path for the scheduler, the DAG processor and tasks.
"""

from __future__ import annotations

import logging
import os
import resource
import socket
import sys
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from newsetl.config import Source
    from newsetl.options import RunOptions

log = logging.getLogger(__name__)
WAREHOUSE_CONN_ID = "news_warehouse"
# The Airflow Assets other DAGs hang on (docs/operations.md, "Assets for downstream DAGs"). Each event is keyed
# by the KST day it covers (the partition key YYYY-MM-DD) and carries that day's counts in its extra.
ARTICLES_ASSET_NAME = "news_articles"  # news.article (and news.media) of a day: loaded and checked
ARTICLES_ASSET_URI = "newsetl://warehouse/news/article"
STORIES_ASSET_NAME = "news_stories"  # news.story and news.article.story_id of a day's window
STORIES_ASSET_URI = "newsetl://warehouse/news/story"


def warehouse_url_from_connection() -> str:
    """The warehouse SQLAlchemy URL from the Airflow connection ``news_warehouse``."""
    from airflow.providers.postgres.hooks.postgres import PostgresHook

    url = PostgresHook(postgres_conn_id=WAREHOUSE_CONN_ID).sqlalchemy_url
    return url.render_as_string(hide_password=False)


def day_param(description: str) -> Any:
    """The ``day`` param of a DAG that works on one KST day: empty, or YYYY-MM-DD as context_day reads it."""
    from airflow.sdk import Param

    return Param(None, type=["null", "string"], pattern=r"^\d{4}-\d{2}-\d{2}$", description=description)


def context_day(context: dict[str, Any]) -> date:
    """The KST day of the running DAG run (param > partition key > logical date)."""
    from newsetl.days import day_of_run

    dag_run = context["dag_run"]
    return day_of_run(
        param_day=context["params"].get("day"),
        partition_key=getattr(dag_run, "partition_key", None),
        logical_date=dag_run.logical_date,
    )


@dataclass(frozen=True, slots=True)
class ThisRun:
    """What the running task needs of its DAG run: the day, the sources and the params that steer the stages."""

    day: date
    sources: list[Source]
    options: RunOptions
    batch_size: int


def this_run() -> ThisRun:
    """The current task's run, read from its Airflow context (for run_stage and plan_batches alike)."""
    from airflow.sdk import get_current_context

    from newsetl.config import load_sources
    from newsetl.options import RunOptions

    context = get_current_context()
    params = context["params"]
    options = RunOptions(force_refetch=bool(params.get("force_refetch")), reextract=bool(params.get("reextract")))
    return ThisRun(
        day=context_day(context),
        sources=load_sources(params.get("sources") or None),
        options=options,
        batch_size=int(params.get("batch_size") or 1000),
    )


def run_stage(stage: str, part: list[int] | None = None) -> dict[str, int | str]:
    """Run one library stage for the current run's day (or one batch of it, ``part`` = [index, count]);
    returns small counts for XCom."""
    from dataclasses import replace

    from newsetl.db import engine
    from newsetl.options import Batch
    from newsetl.pipeline import STAGES

    run = this_run()
    options = replace(run.options, batch=Batch(*part)) if part else run.options
    log.info("%s: day %s (KST), sources %s, %s", stage, run.day, [s.name for s in run.sources], options)
    counts = STAGES[stage].run(engine(warehouse_url_from_connection()), run.day, run.sources, options)
    rss = peak_rss_mb()
    log.info("%s: peak RSS of this task's process %d MB", stage, rss)
    return {"day": run.day.isoformat(), **_flatten(counts), "peak_rss_mb": rss}


def announce_day(asset: Any, counts: dict[str, int | str]) -> None:
    """Record the asset event of the current task's outlet ``asset`` for the run's day: the day as the event's
    partition key (a backfilled, scheduled or triggered run alike, whatever key the run itself has) and the
    day's counts as its extra."""
    from airflow.sdk import get_current_context

    day = str(counts["day"])
    event = get_current_context()["outlet_events"][asset]
    event.add_partitions(day)
    event.extra = {"day": day, **{k: v for k, v in counts.items() if k not in ("day", "peak_rss_mb")}}


def cluster_stories() -> dict[str, int | str]:
    """news_stories: cluster the run's day (its param, else the partition key of the news_articles event that
    triggered it, else its logical date) into stories; returns small counts for XCom."""
    from dataclasses import asdict

    from airflow.sdk import get_current_context

    from newsetl.db import engine
    from newsetl.stories import cluster_day

    day = context_day(get_current_context())
    counts = asdict(cluster_day(engine(warehouse_url_from_connection()), day))
    log.info("stories %s: %s", day, counts)
    return {"day": day.isoformat(), **_flatten(counts), "peak_rss_mb": peak_rss_mb()}


def peak_rss_mb() -> int:
    """The peak resident memory of this process so far, in MB (what `make bench` reads from each task's XCom)."""
    maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return round(maxrss / (1024 * 1024 if sys.platform == "darwin" else 1024))  # bytes on macOS, KiB on Linux


def plan_batches(discovered: dict[str, Any]) -> list[list[int]]:
    """[index, count] batches for the mapped tasks: as many as the batch_size param gives for the most URLs
    fetch or extract has left to do, so a rerun of a finished day runs one (empty) batch of each instead of
    a batch per thousand URLs of the day."""
    from newsetl.db import engine
    from newsetl.pipeline import pending_work, split_batches

    run = this_run()
    pending = pending_work(engine(warehouse_url_from_connection()), run.day, run.sources, run.options)
    batches = split_batches(max(pending.values()), run.batch_size)
    log.info("plan %s: discovered %s; left to do %s: %d batches", run.day, discovered, pending, len(batches))
    return [[batch.index, batch.count] for batch in batches]


def _flatten(counts: dict[str, Any]) -> dict[str, int]:
    out: dict[str, int] = {}
    for key, value in counts.items():
        if isinstance(value, dict):
            out.update({f"{key}.{k}": int(v) for k, v in value.items()})
        else:
            out[key] = int(value)
    return out


def worker_hostname() -> str:
    """The name a task instance records as its hostname: NEWS_WORKER_NAME when set, else the machine's name.

    Set as ``[core] hostname_callable`` for the Celery workers that scripts/airflow.sh starts side by side on
    one machine, so the task instances show which worker ran them (the machine name is the same for all)."""
    return os.environ.get("NEWS_WORKER_NAME") or socket.getfqdn()
