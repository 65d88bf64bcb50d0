"""The day's stages in order, how a day splits into batches, and how much of it is left to do.

``STAGES`` is the one table of the stages, for ``run_pipeline``, the DAG's tasks (news_airflow.run_stage)
and the bench: every stage is a function ``(engine, day, sources, options) -> counts`` (small counts only:
they go to XCom).  ``mapped`` stages run once per batch of the day's URLs in the DAG.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from newsetl.config import Source
from newsetl.discover import discover_day
from newsetl.extract import extract_day, extractor_version
from newsetl.fetch import fetch_day
from newsetl.load import index_day, load_day
from newsetl.media import media_day
from newsetl.options import Batch, RunOptions
from newsetl.quality import check_day
from newsetl.sql import statement

StageFunction = Callable[[Engine, date, list[Source], RunOptions], dict[str, Any]]


@dataclass(frozen=True, slots=True)
class Stage:
    """One stage of a day: its name (the DAG's task id), its function, and whether it runs per batch."""

    name: str
    run: StageFunction
    mapped: bool = False


STAGES: dict[str, Stage] = {
    stage.name: stage
    for stage in (
        Stage("discover", discover_day),
        Stage("fetch", fetch_day, mapped=True),
        Stage("extract", extract_day, mapped=True),
        Stage("load", load_day),
        Stage("media", media_day),
        Stage("index", index_day),
        Stage("check", check_day),
    )
}


def split_batches(urls: int, batch_size: int) -> list[Batch]:
    """Split ``urls`` URLs to work on into batches of about ``batch_size`` URLs each; at least one."""
    if batch_size < 1:
        raise ValueError(f"batch_size must be at least 1, got {batch_size}")
    count = max(1, -(-urls // batch_size))
    return [Batch(i, count) for i in range(count)]


def pending_work(
    engine: Engine, day: date, sources: list[Source], options: RunOptions = RunOptions()
) -> dict[str, int]:
    """How many URLs of the day fetch and extract would each work on now (their own todo queries, counted over
    the whole day): the plan task sizes the batches by the larger (both zero on a rerun of a finished day)."""
    whole_day = {"day": day, "batch": 0, "batches": 1, "version": extractor_version()}
    names = [source.name for source in sources]
    with engine.connect() as conn:
        return {
            "fetch": sum(
                _count(conn, "fetch_todo", {**whole_day, "source": name, "force": options.force_refetch})
                for name in names
            ),
            "extract": _count(conn, "extract_todo", {**whole_day, "sources": names, "force": options.reextract}),
        }


def _count(conn: sa.Connection, todo: str, params: dict[str, object]) -> int:
    """Rows the todo query ``todo`` would return."""
    counted = sa.select(sa.func.count()).select_from(statement(todo).columns().subquery("todo"))
    return int(conn.execute(counted, params).scalar_one())


def run_pipeline(
    engine: Engine, day: date, sources: list[Source], options: RunOptions = RunOptions()
) -> dict[str, dict[str, Any]]:
    """Every stage in order for one KST day, in this process (no Airflow): discover -> fetch -> extract ->
    load -> media, index -> check."""
    return {name: stage.run(engine, day, sources, options) for name, stage in STAGES.items()}
