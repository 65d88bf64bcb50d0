"""The fault-matrix report: each faulted URL's final state against the state its fault should cause."""

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
    path: str
    fault: str
    expected: str
    state: str | None
    reason: str | None

    @property
    def lost(self) -> bool:
        """No final state, or not the state the fault should cause ('unchanged' counts as loaded)."""
        if self.state not in FINAL_STATES:
            return True
        state = "loaded" if self.state == "unchanged" else self.state
        return state != self.expected


def _path(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def outcomes(
    engine: Engine, day: date, source: str, plan: dict[str, str], expected_state: dict[str, str]
) -> list[UrlOutcome]:
    """One outcome per URL discovered for the day, plus any planned URL that was never discovered."""
    with engine.connect() as conn:
        rows = conn.execute(
            sa.text("SELECT url, state, reason FROM news.crawl_url WHERE day = :d AND source = :s"),
            {"d": day, "s": source},
        ).all()
    seen = {_path(r.url): r for r in rows}
    result = []
    for path in sorted(set(seen) | set(plan)):
        fault = plan.get(path, NO_FAULT)
        row = seen.get(path)
        result.append(
            UrlOutcome(
                path,
                fault,
                expected_state.get(fault, "loaded"),
                row.state if row else None,
                row.reason if row else "never discovered",
            )
        )
    return result


_COLUMNS = [
    Column("fault", 20),
    Column("urls", 4, right=True),
    Column("loaded", 6, right=True),
    Column("unchanged", 6, right=True, title="unchgd"),
    Column("quarantined", 7, right=True, title="quarant"),
    Column("failed", 6, right=True),
    Column("expected", 11, right=True),
    Column("lost", 4, right=True),
    Column("reason", title="reason"),
]


def fault_table(results: list[UrlOutcome], fault_kinds: tuple[str, ...]) -> tuple[str, int]:
    """The table (fault, URLs, final state counts, expected) and the summary line; returns (text, lost)."""
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
                "reason": "; ".join(reasons)[:80],
            }
        )
    lines = render_table(rows, _COLUMNS, gap=" ")
    total = Counter(r.state for r in results)
    lost = sum(r.lost for r in results)
    kinds = ",".join(k for k in fault_kinds if k in by_fault)
    lines.append(
        f"faults={kinds} urls={len(results)} loaded={total['loaded'] + total['unchanged']} "
        f"quarantined={total['quarantined']} failed={total['failed']} lost={lost}"
    )
    return "\n".join(lines), lost
