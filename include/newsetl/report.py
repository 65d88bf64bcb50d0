"""What landed for a day: counts of URLs by state, articles and media, and a few rows."""

from __future__ import annotations

import unicodedata
from datetime import date

from sqlalchemy.engine import Engine

from newsetl.days import day_bounds
from newsetl.sql import statement


def _cells(text: str) -> int:
    """Terminal columns of a string: Hangul and other wide characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _cell(value: object, width: int) -> str:
    """The value clipped and padded to ``width`` terminal columns."""
    text = "" if value is None else str(value)
    if _cells(text) > width:
        while _cells(text) > width - 1:
            text = text[:-1]
        text += "…"
    return text + " " * (width - _cells(text))


def _table(rows: list[dict], widths: dict[str, int]) -> list[str]:
    lines = ["  ".join(_cell(k, w) for k, w in widths.items())]
    lines += ["  ".join(_cell(r[k], w) for k, w in widths.items()).rstrip() for r in rows]
    return lines


def day_report(engine: Engine, day: date, limit: int = 5) -> str:
    """A short, human-readable report of the day in the warehouse."""
    start, end = day_bounds(day)
    with engine.connect() as conn:
        counts = conn.execute(statement("report_counts"), {"day": day, "start": start, "end": end}).one()
        states = conn.execute(statement("report_states"), {"day": day}).all()
        articles = [dict(r._mapping) for r in conn.execute(statement("report_articles"), {"day": day, "limit": limit})]
        media = [dict(r._mapping) for r in conn.execute(statement("report_media"), {"day": day, "limit": limit})]
    state_text = ", ".join(f"{r.state}={r.n}" for r in states) or "none"
    lines = [
        f"== {day} (KST) in the warehouse ==",
        f"articles={counts.articles} media={counts.media} (published that day: {counts.published_that_day})",
        f"URL states: {state_text}",
        "",
        f"-- latest {len(articles)} articles (news.article)",
        *_table(articles, {"source": 12, "source_id": 17, "press": 12, "reporters": 14, "published_kst": 16,
                           "images": 6, "title": 60}),
        "",
        f"-- first {len(media)} media (news.media)",
        *_table(media, {"source_id": 17, "position": 8, "width": 5, "credit": 12, "caption": 40, "image_url": 40}),
    ]
    return "\n".join(lines)

