"""Data-quality check of a day: every discovered URL ends in a final state, nothing contradicts."""

from __future__ import annotations

import logging
from datetime import date

from sqlalchemy.engine import Engine

from newsetl.config import Source
from newsetl.options import RunOptions
from newsetl.sql import statement

log = logging.getLogger(__name__)
FINAL_STATES = frozenset({"loaded", "unchanged", "quarantined", "failed"})


class QualityError(AssertionError):
    """The day's data break an invariant; the run must fail."""


def check_day(engine: Engine, day: date, sources: list[Source], options: RunOptions = RunOptions()) -> dict[str, int]:
    """Return URL counts per state; raise QualityError naming what is wrong."""
    params = {"day": day, "sources": [s.name for s in sources]}
    with engine.connect() as conn:
        states = {row.state: int(row.n) for row in conn.execute(statement("quality_states"), params)}
        problems = [f"{row.n} {row.problem}" for row in conn.execute(statement("quality_problems"), params)]
    stuck = {s: n for s, n in states.items() if s not in FINAL_STATES}
    if stuck:
        problems.append(f"URLs in no final state: {stuck}")
    log.info("quality %s: states %s", day, states)
    if problems:
        raise QualityError(f"data quality failed for {day}: " + "; ".join(problems))
    return states
