"""The day's stages in order (STAGES: one table for run_day, the DAG's tasks and the bench), how a day splits into
batches, and how much of it is left to do."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from newsetl.config import Source
from newsetl.discover import discover_day
from newsetl.fetch import fetch_day
from newsetl.load import index_day, load_day
from newsetl.media import media_day
from newsetl.quality import check_day
from newsetl.sql import statement
from newsetl.transform import normalize_day, parse_day, parser_version


def plan_parts(urls: int, batch_size: int) -> list[list[int]]:
    """Split ``urls`` URLs to work on into [index, count] batches of about ``batch_size`` URLs each, for
    mapped fetch/parse/normalize tasks (a URL belongs to the batch its hash falls in); at least one."""
    if batch_size < 1:
        raise ValueError(f"batch_size must be at least 1, got {batch_size}")
    count = max(1, -(-urls // batch_size))
    return [[i, count] for i in range(count)]


def pending_work(engine: Engine, day: date, sources: list[Source], *, force_refetch: bool = False,
                 reparse: bool = False) -> dict[str, int]:
    """How many URLs of the day fetch, parse and normalize would each work on now (their own todo queries,
    counted over the whole day): the plan task sizes the batches by the largest (all zero on a rerun)."""
    whole_day = {"day": day, "batch": 0, "batches": 1, "version": parser_version()}
    names = [source.name for source in sources]
    with engine.connect() as conn:
        return {
            "fetch": sum(_count(conn, "fetch_todo", {**whole_day, "source": name, "force": force_refetch})
                         for name in names),
            "parse": _count(conn, "parse_todo", {**whole_day, "sources": names, "force": reparse}),
            "normalize": _count(conn, "normalize_todo", {**whole_day, "sources": names, "force": reparse}),
        }


def _count(conn: sa.Connection, todo: str, params: dict[str, object]) -> int:
    """Rows the todo query ``todo`` would return."""
    counted = sa.select(sa.func.count()).select_from(statement(todo).columns().subquery("todo"))
    return int(conn.execute(counted, params).scalar_one())


# Every stage by name, in the order of a day's run: one table for run_day, the DAG's tasks (news_airflow.run_stage)
# and the bench's per-stage processes.  Each takes (engine, day, sources) and returns small counts.
STAGES: dict[str, Callable[..., dict[str, Any]]] = {
    "discover": discover_day,
    "fetch": fetch_day,
    "parse": parse_day,
    "normalize": normalize_day,
    "load": load_day,
    "media": media_day,
    "index": index_day,
    "check": check_day,
}


def stage_options(stage: str, *, force_refetch: bool = False, reparse: bool = False,
                  part: tuple[int, int] | None = None) -> dict[str, Any]:
    """The keyword arguments ``stage`` takes of these (the flags, and the batch of the mapped stages)."""
    options: dict[str, Any] = {}
    if stage == "fetch":
        options["force_refetch"] = force_refetch
    if stage in ("parse", "normalize"):
        options["reparse"] = reparse
    if part is not None and stage in ("fetch", "parse", "normalize"):
        options["part"] = part
    return options


def run_day(engine: Engine, day: date, sources: list[Source], *, force_refetch: bool = False,
            reparse: bool = False) -> dict[str, dict[str, int]]:
    """discover -> fetch -> parse -> normalize -> load -> media, index -> check, for one KST day."""
    return {name: stage(engine, day, sources, **stage_options(name, force_refetch=force_refetch, reparse=reparse))
            for name, stage in STAGES.items()}
