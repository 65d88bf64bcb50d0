"""Load: upsert the day's normalized articles into news.article (one transaction); then, as a step of its
own, merge the search index's pending entries into the index tree."""

from __future__ import annotations

import logging
import time
from collections import Counter
from datetime import date

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from newsetl.config import Source
from newsetl.options import RunOptions
from newsetl.sql import statement

log = logging.getLogger(__name__)

# Enough for a day's sorts and hashes in memory (the defaults of 4 MB spill a 5,000-article day to disk).
WORK_MEM = sa.text("SET LOCAL work_mem = '64MB'")


def load_day(engine: Engine, day: date, sources: list[Source], options: RunOptions = RunOptions()) -> dict[str, int]:
    """Insert new, update changed, leave unchanged articles; mark each URL loaded or unchanged.

    news.article.search goes into the GIN index's pending list (migration 0004), which queries scan, so
    search finds the day's articles as soon as this commits; ``index_day`` merges the list into the tree."""
    with engine.begin() as conn:  # statistics of the rows just staged first (see load_analyze.sql)
        conn.execute(statement("load_analyze"))
    with engine.begin() as conn:
        conn.execute(WORK_MEM)
        states = conn.execute(statement("load_articles"), {"day": day, "sources": [s.name for s in sources]})
        counts = dict(Counter(row.state for row in states))
    log.info("load %s: %s", day, counts)
    return counts


def index_day(engine: Engine, day: date, sources: list[Source], options: RunOptions = RunOptions()) -> dict[str, int]:
    """Merge the search index's pending list (the articles loaded since the last merge, by any run) into
    the GIN tree: searches stay correct without it, but each one scans the whole pending list. Idempotent
    (nothing pending: nothing to do); autovacuum does the same on its own schedule."""
    started = time.perf_counter()
    with engine.begin() as conn:
        pages = conn.execute(statement("index_merge")).scalar_one()
    counts = {"merged_pages": int(pages)}
    log.info(
        "search index after the load of %s (%s): %s in %.2fs",
        day,
        [s.name for s in sources],
        counts,
        time.perf_counter() - started,
    )
    return counts
