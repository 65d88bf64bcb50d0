"""Media: turn each loaded article's images and captions into news.media rows (one transaction)."""

from __future__ import annotations

import logging
from datetime import date

from sqlalchemy.engine import Engine

from newsetl.config import Source
from newsetl.load import WORK_MEM
from newsetl.options import RunOptions
from newsetl.sql import statement

log = logging.getLogger(__name__)


def media_day(engine: Engine, day: date, sources: list[Source], options: RunOptions = RunOptions()) -> dict[str, int]:
    """Upsert one row per image of the day's articles, delete images that are gone."""
    with engine.begin() as conn:
        conn.execute(WORK_MEM)
        row = conn.execute(statement("load_media"), {"day": day, "sources": [s.name for s in sources]}).one()
    counts = dict(row._mapping)
    log.info("media %s: %s", day, counts)
    return counts
