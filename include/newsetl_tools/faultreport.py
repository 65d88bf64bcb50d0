"""The fault-matrix report: each faulted URL's final state against the state its fault should cause.

URLs are matched to the plan by path and query only: the plan does not know the server's port, and a fault
may link its articles on another origin of the same server (robots_unavailable: http://localhost:<port>).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date
from urllib.parse import urlsplit

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from newsetl.quality import FINAL_STATES
from newsetl.textable import Column, render_table

NO_FAULT = "none"


@dataclass(frozen=True, slots=True)
class UrlOutcome:
    """One URL of the day: its fault, the state (and reason) it should end in, and the one it ended in."""

    path: str
    fault: str
    expected: str
    state: str | None
    reason: str | None
    url: str | None = None  # as discovered (None: never discovered)
    expected_reason: str | None = None  # a substring the reason must have, where the fault's reason is agreed

    @property
    def lost(self) -> bool:
        """No final state, or not the state the fault should cause ('unchanged' counts as loaded)."""
        if self.state not in FINAL_STATES:
            return True
        state = "loaded" if self.state == "unchanged" else self.state
        return state != self.expected

    @property
    def wrong_reason(self) -> bool:
        """In the expected state, but for another reason than the agreed one (say, "HTTP 500" where robots.txt
        being unavailable was meant): the behaviour under test did not happen, so it must not pass."""
        if self.lost or self.expected_reason is None:
            return False
        return self.expected_reason not in (self.reason or "")


def _path(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _rows(engine: Engine, day: date, source: str) -> list[tuple[str, str, str | None]]:
    """(url, state, reason) of every URL of a source's day."""
    with engine.connect() as conn:
        rows = conn.execute(
            sa.text("SELECT url, state, reason FROM news.crawl_url WHERE day = :d AND source = :s ORDER BY url"),
            {"d": day, "s": source},
        )
        return [(row.url, row.state, row.reason) for row in rows]


def outcomes(
    engine: Engine,
    day: date,
    source: str,
    plan: dict[str, str],
    expected_state: dict[str, str],
    expected_reason: dict[str, str] | None = None,
) -> list[UrlOutcome]:
    """One outcome per URL discovered for the day, plus any planned URL that was never discovered."""
    rows = _rows(engine, day, source)
    seen = {_path(url): (url, state, reason) for url, state, reason in rows}
    if len(seen) < len(rows):
        raise ValueError(f"{source} {day}: two URLs with the same path; match them by URL (final_states)")
    reasons = expected_reason or {}
    result = []
    for path in sorted(set(seen) | set(plan)):
        fault = plan.get(path, NO_FAULT)
        url, state, reason = seen.get(path, (None, None, "never discovered"))
        result.append(
            UrlOutcome(path, fault, expected_state.get(fault, "loaded"), state, reason, url, reasons.get(fault))
        )
    return result


def final_states(engine: Engine, day: date, source: str) -> dict[str, str]:
    """URL -> state for every URL of a source's day (a rerun on the same port finds the same URLs)."""
    return {url: state for url, state, _ in _rows(engine, day, source)}


_COLUMNS = [
    Column("fault", 20),
    Column("urls", 4, right=True),
    Column("loaded", 6, right=True),
    Column("unchanged", 6, right=True, title="unchgd"),
    Column("quarantined", 7, right=True, title="quarant"),
    Column("failed", 6, right=True),
    Column("expected", 11, right=True),
    Column("lost", 4, right=True),
    Column("wrong_reason", 5, right=True, title="wrong"),
    Column("reason", title="reason"),
]


def fault_table(results: list[UrlOutcome], fault_kinds: tuple[str, ...]) -> tuple[str, int]:
    """The table (fault, URLs, final state counts, expected, lost, wrong reason) and the summary line; returns
    (text, lost + wrong reasons): both mean a fault did not end as it should."""
    by_fault: dict[str, list[UrlOutcome]] = defaultdict(list)
    for r in results:
        by_fault[r.fault].append(r)
    rows = []
    for fault in (*fault_kinds, NO_FAULT):
        group = by_fault.get(fault, [])
        if not group:
            continue
        states = Counter(r.state for r in group)
        reasons = sorted({r.reason for r in group if r.reason})
        rows.append(
            {
                "fault": fault,
                "urls": len(group),
                "loaded": states["loaded"],
                "unchanged": states["unchanged"],
                "quarantined": states["quarantined"],
                "failed": states["failed"],
                "expected": group[0].expected,
                "lost": sum(r.lost for r in group),
                "wrong_reason": sum(r.wrong_reason for r in group),
                "reason": "; ".join(reasons)[:80],
            }
        )
    lines = render_table(rows, _COLUMNS, gap=" ")
    total = Counter(r.state for r in results)
    lost = sum(r.lost for r in results)
    wrong = sum(r.wrong_reason for r in results)
    kinds = [k for k in fault_kinds if k in by_fault]
    lines.append(
        f"faults={len(kinds)} kinds urls={len(results)} loaded={total['loaded'] + total['unchanged']} "
        f"quarantined={total['quarantined']} failed={total['failed']} lost={lost} wrong_reason={wrong}"
    )
    return "\n".join(lines), lost + wrong
