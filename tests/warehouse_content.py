"""The rows of some KST days by natural keys (no surrogate ids, no timestamps): two warehouses that loaded the
same days the same way compare equal, however the runs were executed."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from sqlalchemy.engine import Engine

DAY_CONTENT_SQL = {
    "article": "SELECT source, source_id, url, title, press, reporters, emails, published_at, body_text, "
    "paragraphs, parser, content_hash, day, modified_at, summary, subheads, section FROM news.article WHERE day = ANY(:days) "
    "ORDER BY 1, 2",
    "media": "SELECT a.source, a.source_id, m.position, m.image_url, m.width, m.caption, m.credit FROM news.media m "
    "JOIN news.article a USING (article_id) WHERE a.day = ANY(:days) ORDER BY 1, 2, 3",
    "crawl_url": "SELECT day, source, url, source_id, section, replace(state, 'unchanged', 'loaded') AS state FROM news.crawl_url "
    "WHERE day = ANY(:days) ORDER BY 1, 2, 3",
}


def day_content(engine: Engine, days: list[date]) -> dict[str, list[tuple]]:
    """Articles, media and URL states of the days (a rerun's 'unchanged' counts as 'loaded')."""
    with engine.connect() as conn:
        return {k: [tuple(r) for r in conn.execute(sa.text(q), {"days": days})] for k, q in DAY_CONTENT_SQL.items()}
