"""Load: upsert the day's normalized articles into news.article (one transaction)."""

from __future__ import annotations

import logging
from collections import Counter
from datetime import date

from sqlalchemy.engine import Engine

from newsetl.config import Source
from newsetl.sql import statement

log = logging.getLogger(__name__)


def load_day(engine: Engine, day: date, sources: list[Source]) -> dict[str, int]:
    """Insert new, update changed, leave unchanged articles; mark each URL loaded or unchanged."""
    with engine.begin() as conn:
        states = conn.execute(statement("load_articles"), {"day": day, "sources": [s.name for s in sources]})
        counts = dict(Counter(row.state for row in states))
    log.info("load %s: %s", day, counts)
    return counts
