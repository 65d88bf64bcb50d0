"""Discover: read each source's listing of the day (its site module's discovery rule) and record every
article URL in news.crawl_url."""

from __future__ import annotations

import logging
from datetime import date

from sqlalchemy.engine import Engine

from newsetl.client import FetchError, SourceClient
from newsetl.config import Source
from newsetl.options import RunOptions
from newsetl.sql import statement

log = logging.getLogger(__name__)


class DiscoveryError(RuntimeError):
    """A source's listing could not be read: the task fails, so Airflow retries it."""


def discover_source(client: SourceClient, day: date) -> list[str]:
    """All article URLs of one source's listing for a day (pages until a short or repeated page)."""
    source = client.source
    listing = source.site_class().listing
    if listing is None:
        raise DiscoveryError(f"site {source.site!r} of source {source.name!r} has no discovery rule")
    found: dict[str, None] = {}
    for page in range(1, source.max_pages + 1):
        url = listing.page_url(source.base_url, day, page)
        links = listing.page_links(client.get(url).body, url)
        new = [link for link in links if link not in found]
        found.update(dict.fromkeys(new))
        log.info("%s page %d: %d links, %d new", source.name, page, len(links), len(new))
        if len(links) < listing.page_size or not new:
            break
    else:
        log.warning("%s: stopped at max_pages=%d; the day may have more", source.name, source.max_pages)
    return list(found)


def discover_day(
    engine: Engine, day: date, sources: list[Source], options: RunOptions = RunOptions()
) -> dict[str, int]:
    """Record the day's URLs of every source in news.crawl_url (existing rows keep their state)."""
    counts: dict[str, int] = {}
    for source in sources:
        with SourceClient(source) as client:
            try:
                urls = discover_source(client, day)
            except FetchError as exc:
                # The listing itself failed: nothing to record; fail the task so Airflow retries it.
                raise DiscoveryError(f"discover {source.name} {day}: {exc.reason}") from exc
        rows = [{"day": day, "source": source.name, "url": u, "source_id": source.article_id(u)} for u in urls]
        with engine.begin() as conn:
            if rows:
                conn.execute(statement("discover_insert"), rows)
            # A URL whose id cannot be read is quarantined at once, so it is never silently lost.
            conn.execute(statement("discover_quarantine_no_id"), {"day": day, "source": source.name})
        counts[source.name] = len(urls)
        log.info("discovered %d URLs for %s on %s", len(urls), source.name, day)
    return counts
