"""Discover: read each source's listing of the day (its site module's discovery rule) and record every
article URL in news.crawl_url.

A bad link never stops a day: a link that is no address to follow (longer than the index takes,
unparseable, with userinfo, a backslash or a control character …) is skipped and counted in its page's log
line, and every other link is recorded in its canonical form (newsetl.urls), so two spellings of one
address are one row.  Caps bound what one listing can make a day do (sources.yaml: ``max_pages``,
``max_links_per_page``, ``max_urls_per_day``): past one, discovery stops and warns that the day may have
more.  A URL is recorded with the article id its site reads from it; one with no id, or whose id another
URL of the source already holds, is quarantined at once with its reason (discover_insert.sql).

A listing page that cannot be fetched or read at all (binary, only a comment) is a one-line DiscoveryError
naming the page: the other sources are recorded all the same, then the task fails and Airflow retries it.
"""

from __future__ import annotations

import logging
from collections import Counter
from datetime import date

from sqlalchemy.engine import Engine

from newsetl.client import FetchError, SourceClient
from newsetl.config import Source
from newsetl.options import RunOptions
from newsetl.parsing.page import http_charset
from newsetl.parsing.selectors import MAX_DEPTH
from newsetl.quality import link_selector
from newsetl.sites.base import HtmlListing, ListingPage, UnreadableListing
from newsetl.sql import statement

log = logging.getLogger(__name__)


class DiscoveryError(RuntimeError):
    """A source's listing could not be read: the task fails, so Airflow retries it."""


def discover_source(client: SourceClient, day: date) -> list[str]:
    """All article URLs of one source's listing for a day, canonical, in listing order: pages until a short
    page, a page with nothing new, or a cap."""
    source = client.source
    listing = source.site_class().listing
    if listing is None:
        raise DiscoveryError(f"site {source.site!r} of source {source.name!r} has no discovery rule")
    found: dict[str, None] = {}
    for page in range(1, source.max_pages + 1):
        try:
            read = _listing_page(client, listing, listing.page_url(source.base_url, day, page))
        except DiscoveryError as exc:
            raise DiscoveryError(f"discover {source.name} {day}: {exc}") from exc
        new = [link for link in read.links if link not in found]
        room = source.max_urls_per_day - len(found)
        found.update(dict.fromkeys(new[:room]))
        _log_page(source, page, read, len(new))
        if len(new) > room:
            log.warning(
                "%s: stopped at max_urls_per_day=%d; the day may have more", source.name, source.max_urls_per_day
            )
            break
        if read.hrefs < listing.page_size or not new:
            break
    else:
        log.warning("%s: stopped at max_pages=%d; the day may have more", source.name, source.max_pages)
    return list(found)


def _listing_page(client: SourceClient, listing: HtmlListing, url: str) -> ListingPage:
    """One listing page's links; DiscoveryError naming the page when it cannot be fetched or read."""
    try:
        response = client.get(url)
    except FetchError as exc:
        raise DiscoveryError(f"listing page {url}: {exc.reason}") from exc
    try:
        # links are relative to where the page was read, after any redirect
        return listing.page_links(
            response.body,
            response.url,
            limit=client.source.max_links_per_page,
            charset=http_charset(response.content_type),
        )
    except UnreadableListing as exc:
        raise DiscoveryError(f"listing page {url}: {exc}") from exc


def _log_page(source: Source, page: int, read: ListingPage, new: int) -> None:
    """One line for a listing page (a warning when links were skipped), and one for each cap or cut it hit."""
    line = f"{source.name} page {page}: {len(read.links)} links, {new} new"
    if read.skipped:
        reasons = ", ".join(f"{kind} {count}" for kind, count in sorted(read.skipped.items()))
        log.warning("%s; skipped %d links: %s", line, sum(read.skipped.values()), reasons)
    else:
        log.info("%s", line)
    if read.capped:
        log.warning(
            "%s page %d: more than max_links_per_page=%d links; the rest of the page is not read",
            source.name,
            page,
            source.max_links_per_page,
        )
    if read.cut:
        log.warning(
            "%s page %d: nested deeper than the HTML parser reads (about %d levels); the links after that are lost",
            source.name,
            page,
            MAX_DEPTH,
        )


def discover_day(
    engine: Engine, day: date, sources: list[Source], options: RunOptions = RunOptions()
) -> dict[str, int]:
    """Record the day's URLs of every source in news.crawl_url (existing rows keep their state); then a
    DiscoveryError naming every source whose listing could not be read."""
    counts: dict[str, int] = {}
    failures: list[str] = []
    for source in sources:
        with SourceClient(source) as client:
            try:
                urls = discover_source(client, day)
            except DiscoveryError as exc:
                log.error("%s", exc)
                failures.append(str(exc))
                continue
        if not urls:  # a redesign, most likely: the other sources go on, and the check fails the run
            log.error("%s %s: the listing named no links; selector %s", source.name, day, link_selector(source))
        record_urls(engine, day, source, urls)
        counts[source.name] = len(urls)
    if failures:
        raise DiscoveryError("; ".join(failures))
    return counts


def record_urls(engine: Engine, day: date, source: Source, urls: list[str]) -> None:
    """Record one source's URLs of the day (canonical, as discover_source gives them) in one statement, under
    the source's discovery lock; each with the id its site reads from it."""
    site = source.site_class()
    params = {"day": day, "source": source.name, "urls": urls, "ids": [site.article_id(url) for url in urls]}
    with engine.begin() as conn:
        conn.execute(statement("discover_lock"), {"source": source.name})
        rows = conn.execute(statement("discover_insert"), params).all()
    # "same article id as <url>" counts as one kind
    quarantined = Counter((row.reason or "").split(" as ")[0] for row in rows if row.state == "quarantined")
    line = f"discovered {len(urls)} URLs for {source.name} on {day}: {len(rows)} new"
    if quarantined:
        log.warning("%s, quarantined: %s", line, ", ".join(f"{why} {n}" for why, n in sorted(quarantined.items())))
    else:
        log.info("%s", line)
