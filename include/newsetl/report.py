"""What landed for a day: counts of URLs by state, articles and media, a few rows, and the top stories."""

from __future__ import annotations

from datetime import date

from sqlalchemy.engine import Engine

from newsetl.days import day_bounds
from newsetl.sql import statement
from newsetl.textable import Column, render_table

_ARTICLE_COLUMNS = [
    Column("source", 12),
    Column("source_id", 17),
    Column("press", 12),
    Column("reporters", 14),
    Column("published_kst", 16),
    Column("images", 6),
    Column("title", 60),
]
_MEDIA_COLUMNS = [
    Column("source_id", 17),
    Column("position", 8),
    Column("width", 5),
    Column("credit", 12),
    Column("caption", 40),
    Column("image_url", 40),
]

_STORY_COLUMNS = [
    Column("presses", 7, right=True),
    Column("articles", 8, right=True),
    Column("first_press", 12),
    Column("first_published_kst", 19),
    Column("title", 60),
]


def day_report(engine: Engine, day: date, limit: int = 5) -> str:
    """A short, human-readable report of the day in the warehouse."""
    start, end = day_bounds(day)
    with engine.connect() as conn:
        counts = conn.execute(statement("report_counts"), {"day": day, "start": start, "end": end}).one()
        states = conn.execute(statement("report_states"), {"day": day}).all()
        articles = [dict(r._mapping) for r in conn.execute(statement("report_articles"), {"day": day, "limit": limit})]
        media = [dict(r._mapping) for r in conn.execute(statement("report_media"), {"day": day, "limit": limit})]
        top = [dict(r._mapping) for r in conn.execute(statement("report_stories"), {"day": day, "limit": limit})]
    state_text = ", ".join(f"{r.state}={r.n}" for r in states) or "none"
    lines = [
        f"== {day} (KST) in the warehouse ==",
        f"articles={counts.articles} media={counts.media} (published that day: {counts.published_that_day})",
        f"URL states: {state_text}",
        "",
        f"-- latest {len(articles)} articles (news.article)",
        *render_table(articles, _ARTICLE_COLUMNS),
        "",
        f"-- first {len(media)} media (news.media)",
        *render_table(media, _MEDIA_COLUMNS),
    ]
    if top:  # only once stories are clustered (newsetl stories DAY, the news_stories DAG) and span presses
        lines += ["", f"-- top {len(top)} stories by presses (news.story)", *render_table(top, _STORY_COLUMNS)]
    return "\n".join(lines)
