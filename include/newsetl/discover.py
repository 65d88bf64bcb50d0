"""Discover: walk each source's daily listing pages and record every article URL for the day."""

from __future__ import annotations

import logging
from datetime import date
from urllib.parse import urljoin

import lxml.html
from lxml import etree
from sqlalchemy.engine import Engine

from newsetl.client import FetchError, SourceClient
from newsetl.config import Source
from newsetl.sql import statement

log = logging.getLogger(__name__)
_HTML_PARSER = lxml.html.HTMLParser(no_network=True, remove_comments=True, huge_tree=False)

def listing_links(body: bytes, page_url: str, link_xpath: etree.XPath) -> list[str]:
    """Absolute article links of one listing page, in page order, without repeats."""
    if not body.strip():
        return []
    doc = lxml.html.fromstring(body, parser=_HTML_PARSER)
    seen: dict[str, None] = {}
    for href in link_xpath(doc):
        seen.setdefault(urljoin(page_url, str(href).strip()), None)
    return list(seen)

def discover_source(client: SourceClient, day: date) -> list[str]:
    """All article URLs of one source's listing for a day (pages until a short or repeated page)."""
    source = client.source
    xpath = etree.XPath(source.listing.link_xpath)
    found: dict[str, None] = {}
    for page in range(1, source.listing.max_pages + 1):
        url = source.listing.page_url(source.base_url, day, page)
        links = listing_links(client.get(url).body, url, xpath)
        new = [link for link in links if link not in found]
        found.update(dict.fromkeys(new))
        log.info("%s page %d: %d links, %d new", source.name, page, len(links), len(new))
        if len(links) < source.listing.page_size or not new:
            break
    else:
        log.warning("%s: stopped at max_pages=%d; the day may have more", source.name, source.listing.max_pages)
    return list(found)

def discover_day(engine: Engine, day: date, sources: list[Source]) -> dict[str, int]:
    """Record the day's URLs of every source in news.crawl_url (existing rows keep their state)."""
    counts: dict[str, int] = {}
    for source in sources:
        with SourceClient(source) as client:
            try:
                urls = discover_source(client, day)
            except FetchError as exc:
                # The listing itself failed: nothing to record; fail the task so Airflow retries it.
                raise RuntimeError(f"discover {source.name} {day}: {exc.reason}") from exc
        rows = [{"day": day, "source": source.name, "url": u, "source_id": source.article_id(u)} for u in urls]
        with engine.begin() as conn:
            if rows:
                conn.execute(statement("discover_insert"), rows)
            # A URL whose id cannot be read is quarantined at once, so it is never silently lost.
            conn.execute(statement("discover_quarantine_no_id"), {"day": day, "source": source.name})
        counts[source.name] = len(urls)
        log.info("discovered %d URLs for %s on %s", len(urls), source.name, day)
    return counts

