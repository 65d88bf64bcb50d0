"""The day's stages in order, for the CLI and tests (the DAG calls the same functions one per task)."""

from __future__ import annotations

from datetime import date

from sqlalchemy.engine import Engine

from newsetl.config import Source
from newsetl.discover import discover_day
from newsetl.fetch import fetch_day
from newsetl.load import index_day, load_day
from newsetl.media import media_day
from newsetl.quality import check_day
from newsetl.transform import normalize_day, parse_day


def plan_parts(discovered: int, batch_size: int) -> list[list[int]]:
    """Split a day of ``discovered`` URLs into [index, count] batches of about ``batch_size`` URLs each,
    for mapped fetch/parse/normalize tasks (a URL belongs to the batch its hash falls in)."""
    if batch_size < 1:
        raise ValueError(f"batch_size must be at least 1, got {batch_size}")
    count = max(1, -(-discovered // batch_size))
    return [[i, count] for i in range(count)]


def run_day(engine: Engine, day: date, sources: list[Source], *, force_refetch: bool = False,
            reparse: bool = False) -> dict[str, dict[str, int]]:
    """discover -> fetch -> parse -> normalize -> load -> media, index -> check, for one KST day."""
    return {
        "discover": discover_day(engine, day, sources),
        "fetch": fetch_day(engine, day, sources, force_refetch=force_refetch),
        "parse": parse_day(engine, day, sources, reparse=reparse),
        "normalize": normalize_day(engine, day, sources, reparse=reparse),
        "load": load_day(engine, day, sources),
        "media": media_day(engine, day, sources),
        "index": index_day(engine, day, sources),
        "check": check_day(engine, day, sources),
    }
