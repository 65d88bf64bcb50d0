"""Discover: read each source's listing of the day (its discovery kind, newsetl.listings) and record every
article URL, with the section it was found under, in news.crawl_url.

A source's ``discovery:`` (sources.yaml, config.Discovery) picks the kind: ``listing`` (the site module's
rule: a paginated HTML listing or a cursor listing), ``feed`` (RSS or Atom) or ``sitemap`` (a sitemap, news
sitemap or sitemap index, from its URLs or robots.txt). With ``sections``, each section is read in turn
and its name kept as the section of its URLs; a feed item's category is its section otherwise. Feed and
sitemap entries are kept for the run's KST day by their dates; an entry without a date is skipped and
counted (``undated: true`` keeps it), since it would otherwise belong to every day that reads the feed.

A bad link never stops a day: a link that is no address to follow (longer than the index takes,
unparseable, with userinfo, a backslash or a control character …) is skipped and counted in its page's log
line, and every other link is recorded in its canonical form (newsetl.urls: tracking parameters dropped),
so two spellings of one address are one row.  Caps bound what one listing can make a day do (sources.yaml:
``max_pages``, ``max_links_per_page``, ``max_urls_per_day``, and a sitemap index's depth and children):
past one, discovery stops and warns that the day may have more.  A URL is recorded with the article id its
site reads from it; one with no id, or whose id another URL of the source already holds, is quarantined at
once with its reason (discover_insert.sql).

Listings and feeds are asked again with the validators (ETag, Last-Modified) of their last answer
(staging.listing_cache): a 304 means "unchanged", and the links read from that answer stand.

A listing page that cannot be fetched or read at all (binary, only a comment, not XML) is a one-line
DiscoveryError naming the page: the other sources are recorded all the same, then the task fails and
Airflow retries it.
"""

from __future__ import annotations

import json
import logging
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy.engine import Engine

from newsetl.client import HTML_TYPES, JSON_TYPES, XML_TYPES, FetchError, Response, SourceClient
from newsetl.config import Source
from newsetl.listings import (
    CursorListing,
    HtmlListing,
    ListingPage,
    UnreadableListing,
    format_url,
    read_feed,
    read_sitemap,
)
from newsetl.options import RunOptions
from newsetl.parsing.page import http_charset
from newsetl.parsing.selectors import MAX_DEPTH
from newsetl.quality import link_selector
from newsetl.sql import statement
from newsetl.urls import BadUrl, canonical_url

log = logging.getLogger(__name__)

# Sitemap indexes read for one section at most: a site has one, or one a year under it (max_pages bounds the
# sitemaps of articles, max_sitemap_depth and max_sitemap_children how far and wide an index is followed).
MAX_SITEMAP_INDEXES = 100
# Entries read from one sitemap of articles: the sitemaps protocol's own cap (50,000 URLs a file).  A sitemap
# covers more than the run's day (a month, the site's last thousand articles …) and is kept for the day only
# after reading, so max_links_per_page (500, made for one listing page) would end a month's sitemap before
# its later days: a 1,000-article day found none of its sitemap's entries.
SITEMAP_MAX_ENTRIES = 50_000
# one parse of a fetched listing document into its links
Parse = Callable[[Response], ListingPage]


class DiscoveryError(RuntimeError):
    """A source's listing could not be read: the task fails, so Airflow retries it."""


@dataclass(slots=True)
class ListingCache:
    """The validators and links of a source's listing documents from their last 200 (staging.listing_cache).

    Read once when a source's discovery starts and written once when it ends; ``hits`` counts the 304s."""

    source: str
    rows: dict[str, tuple[str | None, str | None, ListingPage]] = field(default_factory=dict)
    changed: dict[str, tuple[str | None, str | None, ListingPage]] = field(default_factory=dict)
    hits: int = 0

    @classmethod
    def load(cls, engine: Engine, source: str) -> ListingCache:
        """The source's stored validators and pages."""
        with engine.connect() as conn:
            found = conn.execute(statement("listing_cache_read"), {"source": source}).all()
        return cls(source, {r.url: (r.etag, r.last_modified, ListingPage.from_json(r.page)) for r in found})

    def validators(self, url: str) -> tuple[str | None, str | None]:
        """ETag and Last-Modified of the URL's last answer, if it gave any."""
        etag, modified, _ = self.rows.get(url, (None, None, None))
        return etag, modified

    def page(self, url: str) -> ListingPage | None:
        """What the URL's last answer gave."""
        row = self.rows.get(url)
        return row[2] if row else None

    def store(self, url: str, response: Response, page: ListingPage) -> None:
        """Remember an answer that can be asked about again (one with a validator)."""
        if response.etag or response.last_modified:
            self.rows[url] = self.changed[url] = (response.etag, response.last_modified, page)

    def save(self, engine: Engine) -> None:
        """Write the answers of this run in one statement."""
        if not self.changed:
            return
        # in URL order: concurrent runs of one source (a backfill) share a feed's or sitemap's rows, and
        # upserting them in one order makes them wait for each other rather than deadlock
        urls = sorted(self.changed)
        params = {
            "source": self.source,
            "urls": urls,
            "etags": [self.changed[u][0] for u in urls],
            "modified": [self.changed[u][1] for u in urls],
            "pages": [json.dumps(self.changed[u][2].to_json(), ensure_ascii=False) for u in urls],
        }
        with engine.begin() as conn:
            conn.execute(statement("listing_cache_write"), params)
        self.changed.clear()


@dataclass(slots=True)
class _Found:
    """A source's URLs of the day in discovery order, each with its section, up to max_urls_per_day."""

    limit: int
    urls: dict[str, str | None] = field(default_factory=dict)
    full: bool = False

    def add(self, links: list[str], sections: list[str | None]) -> int:
        """Add the links not seen yet (the first section a URL is found under is its section); how many
        were new, and ``full`` once the cap cut some off."""
        new = [(link, section) for link, section in zip(links, sections, strict=True) if link not in self.urls]
        room = self.limit - len(self.urls)
        self.urls.update(new[:room])
        if len(new) > room:
            self.full = True
        return len(new)


@dataclass(slots=True)
class _Run:
    """One source's discovery of one day: its client, cache, what it found, the documents it may still read."""

    client: SourceClient
    day: date
    cache: ListingCache | None
    found: _Found
    documents: int = 0  # sitemaps of articles read for the current section (bounded by max_pages)
    indexes: int = 0  # sitemap indexes read for it (bounded by MAX_SITEMAP_INDEXES)

    @property
    def source(self) -> Source:
        return self.client.source


def discover_source(client: SourceClient, day: date, cache: ListingCache | None = None) -> list[str]:
    """All article URLs of one source's listing for a day, canonical, in discovery order."""
    return list(discover_links(client, day, cache))


def discover_links(client: SourceClient, day: date, cache: ListingCache | None = None) -> dict[str, str | None]:
    """All article URLs of one source for a day with the section each was found under (None: none given),
    by its discovery kind; DiscoveryError naming the source, the day and the page that could not be read."""
    source = client.source
    run = _Run(client, day, cache, _Found(source.max_urls_per_day))
    try:
        for name, code in source.discovery.sections or ((None, ""),):
            _read_section(run, name, code)
            if run.found.full:
                log.warning(
                    "%s: stopped at max_urls_per_day=%d; the day may have more", source.name, source.max_urls_per_day
                )
                break
    except DiscoveryError as exc:
        raise DiscoveryError(f"discover {source.name} {day}: {exc}") from exc
    return run.found.urls


def _read_section(run: _Run, name: str | None, code: str) -> None:
    """One section (or the whole source, when it names none) by the source's kind."""
    plan = run.source.discovery
    run.documents = run.indexes = 0
    if plan.kind == "listing":
        listing = _site_listing(run.source, code)
        if isinstance(listing, CursorListing):
            _read_cursor(run, listing, name, code)
        else:
            _read_pages(run, listing, name, code)
        return
    urls = [format_url(template, run.source.base_url, run.day, 1, code) for template in plan.urls]
    if plan.kind == "feed":
        for url in urls:
            _read_feed(run, url, name)
        return
    if plan.robots_sitemaps:
        urls += _robots_sitemaps(run.client)
    for url in dict.fromkeys(urls):
        _read_sitemap(run, url, name, depth=1)


def _site_listing(source: Source, code: str) -> HtmlListing | CursorListing:
    """The site module's listing the source reads (its default, or the one discovery.listing names), if it
    has the section code its URL needs."""
    try:
        listing = source.site_class().listing_named(source.discovery.listing)
    except ValueError as exc:
        raise DiscoveryError(str(exc)) from exc
    if listing is None:
        raise DiscoveryError(f"site {source.site!r} of source {source.name!r} has no discovery rule")
    if not code and "{section}" in listing.url:
        raise DiscoveryError(f"the listing {listing.url} needs sections (sources.yaml discovery: sections)")
    return listing


def _read_pages(run: _Run, listing: HtmlListing, section: str | None, code: str) -> None:
    """A paginated HTML listing: pages until a short page, a page with nothing new, or a cap."""
    source = run.source
    for page in range(1, source.max_pages + 1):
        url = listing.page_url(source.base_url, run.day, page, code)
        read = _fetch(run, url, "listing page", _html_parser(run, listing))
        new = run.found.add(read.links, [section] * len(read.links))
        _log_page(source, page, read, new)
        if run.found.full or read.hrefs < listing.page_size or not new:
            return
    log.warning("%s: stopped at max_pages=%d; the day may have more", source.name, source.max_pages)


def _read_cursor(run: _Run, listing: CursorListing, section: str | None, code: str) -> None:
    """A cursor listing: the first HTML page, then JSON pages while each names a new cursor and gives new links."""
    source = run.source
    followed: set[str] = set()
    cursor = ""
    for page in range(1, source.max_pages + 1):
        url = listing.page_url(source.base_url, run.day, page, code, cursor)
        if page == 1:
            read = _fetch(run, url, "listing page", _html_parser(run, listing))
        else:
            read = _fetch(run, url, "listing page", _json_parser(run, listing), JSON_TYPES)
        new = run.found.add(read.links, [section] * len(read.links))
        _log_page(source, page, read, new)
        if run.found.full or not new or read.cursor is None or read.cursor in followed:
            return
        followed.add(cursor := read.cursor)
    log.warning("%s: stopped at max_pages=%d; the day may have more", source.name, source.max_pages)


def _html_parser(run: _Run, listing: HtmlListing | CursorListing) -> Parse:
    limit = run.source.max_links_per_page
    return lambda r: listing.page_links(r.body, r.url, limit=limit, charset=http_charset(r.content_type))


def _json_parser(run: _Run, listing: CursorListing) -> Parse:
    limit = run.source.max_links_per_page
    return lambda r: listing.json_links(r.body, r.url, limit=limit)


def _read_feed(run: _Run, url: str, section: str | None) -> None:
    """An RSS or Atom feed: its entries of the day."""
    limit = run.source.max_links_per_page
    read = _fetch(run, url, "feed", lambda r: read_feed(r.body, r.url, limit=limit), XML_TYPES)
    _add_dated(run, url, read, section)


def _read_sitemap(run: _Run, url: str, section: str | None, depth: int) -> None:
    """A sitemap's entries of the day, or an index's sitemaps in turn (those modified on or after the day:
    one last modified before it cannot hold the day's articles), within the depth and children caps; at most
    max_pages sitemaps of articles (so max_pages 1 still reads down an index to its first one)."""
    source, plan = run.source, run.source.discovery
    if run.documents >= source.max_pages or run.indexes >= MAX_SITEMAP_INDEXES:
        log.warning(
            "%s: stopped at max_pages=%d sitemaps (or %d indexes); the day may have more",
            source.name,
            source.max_pages,
            MAX_SITEMAP_INDEXES,
        )
        return
    limit = max(source.max_links_per_page, plan.max_sitemap_children, SITEMAP_MAX_ENTRIES)
    read = _fetch(run, url, "sitemap", lambda r: read_sitemap(r.body, r.url, limit=limit), XML_TYPES)
    if not read.children:
        run.documents += 1
        _add_dated(run, url, read, section)
        return
    run.indexes += 1
    if depth >= plan.max_sitemap_depth:
        log.warning(
            "%s: sitemap index %s past max_sitemap_depth=%d: not read", source.name, url, plan.max_sitemap_depth
        )
        return
    children = read.children[: plan.max_sitemap_children]
    if len(read.children) > len(children) or read.capped:
        log.warning(
            "%s: sitemap index %s names more than max_sitemap_children=%d sitemaps; the rest are not read",
            source.name,
            url,
            plan.max_sitemap_children,
        )
    for child, modified in children:
        if modified is None or modified >= run.day:
            _read_sitemap(run, child, section, depth + 1)
            if run.found.full or run.documents >= source.max_pages:
                return


def _add_dated(run: _Run, url: str, read: ListingPage, section: str | None) -> None:
    """Keep a feed's or sitemap's entries of the run's day (undated ones only when the source says so)."""
    keep_undated = run.source.discovery.undated
    links: list[str] = []
    sections: list[str | None] = []
    undated = 0
    for index, link in enumerate(read.links):
        when = read.days[index]
        undated += when is None
        if when == run.day or (when is None and keep_undated):
            links.append(link)
            sections.append(section or read.sections[index])
    new = run.found.add(links, sections)
    line = f"{run.source.name} {url}: {len(read.links)} entries, {len(links)} of {run.day}, {new} new"
    if undated and not keep_undated:
        log.warning("%s; %d without a date skipped (undated: true keeps them)", line, undated)
    else:
        log.info("%s", line)
    if read.skipped:
        reasons = ", ".join(f"{kind} {count}" for kind, count in sorted(read.skipped.items()))
        log.warning("%s %s: skipped %d links: %s", run.source.name, url, sum(read.skipped.values()), reasons)
    if read.capped:
        log.warning(
            "%s %s: more than max_links_per_page=%d entries; the rest is not read",
            run.source.name,
            url,
            run.source.max_links_per_page,
        )


def _robots_sitemaps(client: SourceClient) -> list[str]:
    """The sitemaps robots.txt lists, canonical (one that is no URL to follow is skipped)."""
    try:
        listed = client.robots_sitemaps()
    except FetchError as exc:
        raise DiscoveryError(f"robots.txt of {client.source.base_url}: {exc.reason}") from exc
    urls = []
    for url in listed:
        try:
            urls.append(canonical_url(url))
        except BadUrl as bad:
            log.warning("%s: robots.txt sitemap %.200r skipped: %s", client.source.name, url, bad.kind)
    if not listed:
        log.warning("%s: robots.txt of %s lists no sitemap", client.source.name, client.source.base_url)
    return urls


def _fetch(run: _Run, url: str, what: str, parse: Parse, types: frozenset[str] = HTML_TYPES) -> ListingPage:
    """One listing document's links, asked with the validators of its last answer (a 304 gives what that
    answer gave); DiscoveryError naming the document when it cannot be fetched or read."""
    cache = run.cache
    etag, modified = cache.validators(url) if cache is not None else (None, None)
    try:
        response = run.client.get(url, etag=etag, last_modified=modified, types=types)
    except FetchError as exc:
        raise DiscoveryError(f"{what} {url}: {exc.reason}") from exc
    if response.status == 304:
        return _unchanged(cache, url, what)
    try:
        # links are relative to where the document was read, after any redirect
        page = parse(response)
    except UnreadableListing as exc:
        raise DiscoveryError(f"{what} {url}: {exc}") from exc
    if cache is not None:
        cache.store(url, response, page)
    return page


def _unchanged(cache: ListingCache | None, url: str, what: str) -> ListingPage:
    """What the document gave when it last changed; DiscoveryError for a 304 to a request that named no
    version (nothing stored to stand for it)."""
    stored = cache.page(url) if cache is not None else None
    if cache is None or stored is None:
        raise DiscoveryError(f"{what} {url}: HTTP 304 without a stored answer")
    cache.hits += 1
    return stored


@dataclass(frozen=True, slots=True)
class FirstPage:
    """The first listing document of a source's day (``newsetl probe``): where it was read, its section, what
    it gave, and the links of the day with their sections (for a feed or sitemap: its entries of the day)."""

    url: str
    section: str | None
    page: ListingPage
    links: dict[str, str | None]


def first_listing_page(client: SourceClient, day: date) -> FirstPage:
    """Read ONE listing document of a source: the first page of its first section (a feed's first URL; a
    sitemap's first document that lists articles, down its index's first sitemap not older than the day).
    Nothing is cached or recorded. DiscoveryError naming the document when it cannot be read."""
    source = client.source
    name, code = (source.discovery.sections or ((None, ""),))[0]
    run = _Run(client, day, None, _Found(source.max_urls_per_day))
    plan = source.discovery
    try:
        if plan.kind == "listing":
            listing = _site_listing(source, code)
            url = listing.page_url(source.base_url, day, 1, code)
            page = _fetch(run, url, "listing page", _html_parser(run, listing))
            return FirstPage(url, name, page, dict.fromkeys(page.links, name))
        urls = [format_url(template, source.base_url, day, 1, code) for template in plan.urls]
        if plan.kind == "feed":
            url = urls[0]
            limit = source.max_links_per_page
            page = _fetch(run, url, "feed", lambda r: read_feed(r.body, r.url, limit=limit), XML_TYPES)
        else:
            url, page = _first_sitemap(run, (urls + (_robots_sitemaps(client) if plan.robots_sitemaps else []))[:1])
        _add_dated(run, url, page, name)
        return FirstPage(url, name, page, run.found.urls)
    except DiscoveryError as exc:
        raise DiscoveryError(f"discover {source.name} {day}: {exc}") from exc


def _first_sitemap(run: _Run, urls: list[str]) -> tuple[str, ListingPage]:
    """The first sitemap that lists articles, down the first child not older than the day of each index."""
    plan = run.source.discovery
    limit = max(run.source.max_links_per_page, plan.max_sitemap_children)
    if not urls:
        raise DiscoveryError("no sitemap configured or listed in robots.txt")
    url = urls[0]
    for _ in range(plan.max_sitemap_depth):
        page = _fetch(run, url, "sitemap", lambda r: read_sitemap(r.body, r.url, limit=limit), XML_TYPES)
        later = [child for child, modified in page.children if modified is None or modified >= run.day]
        if not later:
            return url, page
        url = later[0]
    raise DiscoveryError(f"sitemap {url}: past max_sitemap_depth={plan.max_sitemap_depth}")


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
        cache = ListingCache.load(engine, source.name)
        with SourceClient(source) as client:
            try:
                found = discover_links(client, day, cache)
            except DiscoveryError as exc:
                log.error("%s", exc)
                failures.append(str(exc))
                continue
        if not found:  # a redesign, most likely: the other sources go on, and the check fails the run
            log.error("%s %s: the listing named no links; selector %s", source.name, day, link_selector(source))
        record_urls(engine, day, source, list(found), list(found.values()))
        cache.save(engine)
        if cache.hits:
            log.info("%s: %d listing documents unchanged since the last run (HTTP 304)", source.name, cache.hits)
        counts[source.name] = len(found)
    if failures:
        raise DiscoveryError("; ".join(failures))
    return counts


def record_urls(
    engine: Engine, day: date, source: Source, urls: list[str], sections: list[str | None] | None = None
) -> None:
    """Record one source's URLs of the day (canonical, as discover_source gives them) with their sections in
    one statement, under the source's discovery lock; each with the id its site reads from it."""
    site = source.site_class()
    params = {
        "day": day,
        "source": source.name,
        "urls": urls,
        "ids": [site.article_id(url) for url in urls],
        "sections": sections if sections is not None else [None] * len(urls),
    }
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
