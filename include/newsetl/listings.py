"""Discovery kinds: how a source's day of article links is read from what its site publishes.

* ``HtmlListing``: a paginated HTML listing of the day (an XPath over each page), as Daum and the board serve.
* ``CursorListing``: a first HTML page, then JSON pages whose ``renderedComponent`` holds the next items as
  HTML and whose last page names the next cursor (``data-cursor``), as Naver's breaking news serves.
* feeds (``read_feed``: RSS 2.0 and Atom) and sitemaps (``read_sitemap``: a urlset, a news sitemap with
  ``news:publication_date``, or a sitemap index naming other sitemaps). Their entries carry dates, and
  discovery keeps those of the run's KST day.

Every reader is bounded like the HTML listing always was: at most ``limit`` links a document (the rest is
not read, ``capped``), a link that is no address to follow skipped and counted by why. XML is parsed with no
entity expansion, no DTD, no network and libxml2's default size and depth limits, so a billion-laughs feed
or an external entity is an error, never a fetch or a blow-up; what is not XML at all is an
``UnreadableListing`` with a one-line reason, which discovery turns into a DiscoveryError naming the URL.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import quote

from lxml import etree
from lxml.etree import _Element

from newsetl.errors import PageTooDeep, QuarantineError
from newsetl.parsing import selectors as S
from newsetl.parsing.page import read_page
from newsetl.urls import BadUrl, canonical_url

KST = timezone(timedelta(hours=9))
# Only for a listing nested too deep for read_page: the same options, so libxml2 reads what it can of it.
_DEEP_LISTING_PARSER = etree.HTMLParser(no_network=True, remove_comments=True, remove_pis=True, huge_tree=False)
# Feeds and sitemaps: no entities expanded, no DTD loaded, nothing fetched, libxml2's size and depth limits.
_XML_PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False, remove_comments=True, remove_pis=True
)
_W3C_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


class UnreadableListing(ValueError):
    """A listing page with no readable content in it (binary, only a comment, nested too deep, not XML or JSON
    where XML or JSON is read): one-line reason."""


@dataclass(slots=True)
class ListingPage:
    """What one listing page, feed or sitemap gave: its article links, and what of it was not followed or read.

    ``days`` and ``sections`` run beside ``links`` where the document gives them (a feed's or sitemap's
    dates, a feed item's category); an HTML listing leaves them empty."""

    links: list[str] = field(default_factory=list)  # canonical URLs, in page order, without repeats
    hrefs: int = 0  # links the selector found, good or bad (a full page has page_size of them)
    skipped: Counter[str] = field(default_factory=Counter)  # links not followed, by why (BadUrl.kind)
    capped: bool = False  # more links than the page's cap: the rest were not read
    cut: bool = False  # nested deeper than libxml2 reads: it stopped there, the links after that are lost
    days: list[date | None] = field(default_factory=list)  # the KST day of each link's entry, if dated
    sections: list[str | None] = field(default_factory=list)  # each link's category, if the document names one
    cursor: str | None = None  # a cursor listing's next cursor (None: the last page)
    children: list[tuple[str, date | None]] = field(default_factory=list)  # a sitemap index's sitemaps, lastmod

    def to_json(self) -> dict[str, Any]:
        """What a rerun needs of the page when the server answers 304 (the skip counts are logged once)."""
        return {
            "links": self.links,
            "hrefs": self.hrefs,
            "days": [d.isoformat() if d else None for d in self.days],
            "sections": self.sections,
            "cursor": self.cursor,
            "children": [[url, d.isoformat() if d else None] for url, d in self.children],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ListingPage:
        """The page as to_json stored it."""
        return cls(
            links=list(data["links"]),
            hrefs=int(data["hrefs"]),
            days=[date.fromisoformat(d) if d else None for d in data["days"]],
            sections=list(data["sections"]),
            cursor=data["cursor"],
            children=[(url, date.fromisoformat(d) if d else None) for url, d in data["children"]],
        )


def format_url(template: str, base_url: str, day: date, page: int, section: str, cursor: str = "") -> str:
    """A listing URL template filled in: ``{base_url}``, ``{day:%Y%m%d}``, ``{page}``, ``{section}`` (the
    section's code), ``{sid1}``/``{sid2}`` (the two parts of a ``sid1/sid2`` code, as Naver's) and
    ``{cursor}`` (URL-quoted)."""
    sid1, _, sid2 = section.partition("/")
    return template.format(
        base_url=base_url.rstrip("/"), day=day, page=page, section=section, sid1=sid1, sid2=sid2, cursor=quote(cursor)
    )


@dataclass(frozen=True, slots=True)
class HtmlListing:
    """Discovery from the day's paginated HTML listing: the page URL, the link selector, the page size.

    ``url`` is a template of ``{base_url}`` (the source's, from sources.yaml), ``{page}`` (1, 2, …),
    ``{day:%Y%m%d}`` (any strftime format of the KST day) and ``{section}`` (a section's code, when the
    source names sections).  A page with fewer than ``page_size`` links, or with no link not seen before,
    is the last."""

    url: str
    links: str  # XPath selecting the article links' href attributes
    page_size: int

    def page_url(self, base_url: str, day: date, page: int, section: str = "") -> str:
        """The listing URL of one page of one day (of one section)."""
        return format_url(self.url, base_url, day, page, section)

    def page_links(self, body: bytes, page_url: str, *, limit: int, charset: str | None = None) -> ListingPage:
        """The canonical article links of one listing page (``page_url``: where it was read, for relative
        links; ``charset``: the one the server declared), at most ``limit``; a link that is no address to
        follow is skipped and counted.  UnreadableListing when the page holds no readable HTML."""
        found = ListingPage()
        if not body.strip():
            return found  # an empty page: the listing has ended
        tree, found.cut = _listing_tree(body, charset)
        hrefs = _compiled(self.links)(tree)
        if found.cut and not hrefs:
            raise UnreadableListing(f"nested deeper than libxml2 reads before any link ({S.MAX_DEPTH} levels)")
        _collect(found, [str(h) for h in hrefs], page_url, limit)
        return found


@dataclass(frozen=True, slots=True)
class CursorListing:
    """A first HTML page of the day, then JSON pages carrying the next items as HTML, chained by a cursor.

    ``url`` is the first page's template and ``next_url`` the JSON pages' (both as HtmlListing's, plus
    ``{cursor}`` and ``{sid1}``/``{sid2}``); ``links`` selects the article links in the first page and in
    each JSON page's HTML, ``cursor`` the next cursor there (the last value found is taken). The listing
    ends at a page with no cursor, a cursor already followed, or no link not seen before."""

    url: str
    next_url: str
    links: str
    cursor: str  # XPath of the next cursor's value, e.g. //*[@data-cursor-name='next']/@data-cursor
    page_size: int = 1  # pages end by their cursor, not by their size

    def page_url(self, base_url: str, day: date, page: int, section: str = "", cursor: str = "") -> str:
        """The first page (``page`` 1), or the JSON page ``page`` that follows ``cursor``."""
        template = self.url if page == 1 else self.next_url
        return format_url(template, base_url, day, page, section, cursor)

    def page_links(self, body: bytes, page_url: str, *, limit: int, charset: str | None = None) -> ListingPage:
        """The first page's links and next cursor, as HtmlListing reads a page."""
        found = ListingPage()
        if not body.strip():
            return found
        tree, found.cut = _listing_tree(body, charset)
        self._read(tree, page_url, limit, found)
        return found

    def json_links(self, body: bytes, page_url: str, *, limit: int) -> ListingPage:
        """A JSON page's links and next cursor: the HTML of its ``renderedComponent`` (a string, or an object
        of strings, as Naver nests it), read like the first page."""
        found = ListingPage()
        html = _rendered_component(body)
        if not html.strip():
            return found  # nothing more: the day has ended
        tree, found.cut = _listing_tree(html.encode("utf-8"), "utf-8")
        self._read(tree, page_url, limit, found)
        return found

    def _read(self, tree: _Element, page_url: str, limit: int, found: ListingPage) -> None:
        hrefs = _compiled(self.links)(tree)
        if found.cut and not hrefs:
            raise UnreadableListing(f"nested deeper than libxml2 reads before any link ({S.MAX_DEPTH} levels)")
        _collect(found, [str(h) for h in hrefs], page_url, limit)
        cursors = [c.strip() for c in _compiled(self.cursor)(tree) if c.strip()]
        # a cursor is one query value: a longer one is no cursor (and would make a URL past MAX_URL_CHARS)
        found.cursor = cursors[-1] if cursors and len(cursors[-1]) <= 500 else None


Listing = HtmlListing | CursorListing


def _rendered_component(body: bytes) -> str:
    """The HTML a JSON page carries in ``renderedComponent``; UnreadableListing when it is no such JSON."""
    try:
        document = json.loads(body)
    except (ValueError, RecursionError) as exc:  # not JSON, bad UTF-8, nested past Python's recursion limit
        raise UnreadableListing(f"not JSON: {_one_line(exc)}") from exc
    component = document.get("renderedComponent") if isinstance(document, dict) else None
    if isinstance(component, str):
        return component
    if isinstance(component, dict):
        return "".join(value for value in component.values() if isinstance(value, str))
    raise UnreadableListing("JSON without a renderedComponent")


def _collect(found: ListingPage, hrefs: list[str], page_url: str, limit: int) -> None:
    """Canonical links of ``hrefs`` into ``found``, at most ``limit``, bad ones counted by why."""
    found.links = list(_unique_links(found, hrefs, page_url, limit))


def _unique_links(found: ListingPage, hrefs: list[str], base: str, limit: int) -> dict[str, int]:
    """Each canonical link of ``hrefs`` once, in order, with the index of its first href; at most ``limit``
    (``found.capped`` past it); bad links counted in ``found.skipped`` by why, ``found.hrefs`` set."""
    found.hrefs = len(hrefs)
    seen: dict[str, int] = {}
    for index, href in enumerate(hrefs):
        try:
            url = canonical_url(href, base)
        except BadUrl as bad:
            found.skipped[bad.kind] += 1
            continue
        if url not in seen:
            if len(seen) == limit:
                found.capped = True
                break
            seen[url] = index
    return seen


def _listing_tree(body: bytes, charset: str | None) -> tuple[_Element, bool]:
    """A listing's tree, read with the guards of a page, and whether libxml2 stopped at its depth limit."""
    try:
        return read_page(body, charset).tree, False
    except PageTooDeep:
        # libxml2 stops at depth 256 and keeps what it read before: the links up to there are still good
        return etree.fromstring(body, parser=_DEEP_LISTING_PARSER), True
    except QuarantineError as exc:  # binary, only a comment, unreadable bytes
        raise UnreadableListing(exc.reason) from exc


_XPATHS: dict[str, S.Strings] = {}


def _compiled(xpath: str) -> S.Strings:
    """A link selector compiled once per process."""
    if xpath not in _XPATHS:
        _XPATHS[xpath] = S.strings(xpath)
    return _XPATHS[xpath]


# --- feeds and sitemaps ------------------------------------------------------------------------------------


def xml_root(body: bytes) -> _Element:
    """The root element of a feed or sitemap, parsed safely; UnreadableListing (one line) when it is no XML."""
    try:
        root = etree.fromstring(body.strip(), parser=_XML_PARSER)
    except etree.XMLSyntaxError as exc:  # also a document past libxml2's depth or size limits
        raise UnreadableListing(f"not XML: {_one_line(exc)}") from exc
    if root is None:
        raise UnreadableListing("not XML: no root element")
    return root


def _local(element: _Element) -> str:
    """An element's name without its namespace ("" for what is no element)."""
    tag = element.tag
    return etree.QName(tag).localname if isinstance(tag, str) else ""


def _text(element: _Element) -> str:
    """An element's own text, stripped, at most 2,000 characters (a URL's longest, a date's many times over)."""
    return (element.text or "").strip()[:2000]


def read_feed(body: bytes, feed_url: str, *, limit: int) -> ListingPage:
    """An RSS 2.0 or Atom feed's article links with the KST day of each entry (``pubDate``, ``dc:date``,
    ``published`` or ``updated``) and its first category; at most ``limit`` links."""
    root = xml_root(body)
    found = ListingPage()
    kind = _local(root)
    if kind == "rss":
        entries = [
            item for channel in root if _local(channel) == "channel" for item in channel if _local(item) == "item"
        ]
    elif kind == "feed":
        entries = [entry for entry in root if _local(entry) == "entry"]
    else:
        raise UnreadableListing(f"not an RSS or Atom feed: root element {kind or '?'}")
    hrefs: list[str] = []
    meta: list[tuple[date | None, str | None]] = []
    for entry in entries:
        link, when, category = _feed_entry(entry)
        if link is not None:
            hrefs.append(link)
            meta.append((when, category))
    _collect_dated(found, hrefs, meta, feed_url, limit)
    return found


def _feed_entry(entry: _Element) -> tuple[str | None, date | None, str | None]:
    """An RSS item's or Atom entry's link, day and first category."""
    link = guid = when = category = None
    for child in entry:
        name = _local(child)
        if name == "link":
            href = child.get("href")  # Atom: the alternate link (no rel is alternate)
            if href is not None:
                if child.get("rel", "alternate") == "alternate" and link is None:
                    link = href
            elif link is None:
                link = _text(child)
        elif name == "guid" and child.get("isPermaLink", "true") != "false":
            guid = _text(child)
        elif name in ("pubDate", "date", "published") or (name == "updated" and when is None):
            when = feed_day(_text(child)) or when
        elif name == "category" and category is None:
            category = (child.get("term") or child.get("label") or _text(child))[:100] or None
    return link or guid or None, when, category


def read_sitemap(body: bytes, sitemap_url: str, *, limit: int) -> ListingPage:
    """A sitemap's article links with their KST days (``news:publication_date``, else ``lastmod``), or, for a
    sitemap index, the sitemaps it names (``children``, with their ``lastmod``); at most ``limit`` of either."""
    root = xml_root(body)
    kind = _local(root)
    if kind not in ("urlset", "sitemapindex"):
        raise UnreadableListing(f"not a sitemap: root element {kind or '?'}")
    found = ListingPage()
    hrefs: list[str] = []
    meta: list[tuple[date | None, str | None]] = []
    for entry in root:
        loc, when = _sitemap_entry(entry)
        if loc is not None:
            hrefs.append(loc)
            meta.append((when, None))
    _collect_dated(found, hrefs, meta, sitemap_url, limit)
    if kind == "sitemapindex":
        found.children = list(zip(found.links, found.days, strict=True))
        found.links, found.days, found.sections = [], [], []
    return found


def _sitemap_entry(entry: _Element) -> tuple[str | None, date | None]:
    """A <url> or <sitemap> entry's location and day (a news sitemap's publication date before lastmod)."""
    loc = lastmod = published = None
    for child in entry:
        name = _local(child)
        if name == "loc":
            loc = _text(child)
        elif name == "lastmod":
            lastmod = w3c_day(_text(child))
        elif name == "news":
            for item in child:
                if _local(item) == "publication_date":
                    published = w3c_day(_text(item))
    return loc or None, published or lastmod


def _collect_dated(
    found: ListingPage, hrefs: list[str], meta: list[tuple[date | None, str | None]], base: str, limit: int
) -> None:
    """Canonical links of a feed or sitemap into ``found`` with their days and categories (the first
    entry of a repeated link wins), at most ``limit``."""
    seen = _unique_links(found, hrefs, base, limit)
    found.links = list(seen)
    found.days = [meta[index][0] for index in seen.values()]
    found.sections = [meta[index][1] for index in seen.values()]


def feed_day(text: str) -> date | None:
    """The KST day of a feed date: RFC 822 (RSS's ``pubDate``) or W3C/ISO 8601 (Atom, ``dc:date``)."""
    if not text:
        return None
    if text[:1].isdigit():
        return w3c_day(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):  # what email.utils raises for what is no date
        return None
    return _kst_day(when)


def w3c_day(text: str) -> date | None:
    """The KST day of a W3C datetime (``2025-07-03``, ``2025-07-03T08:46:00+09:00``, ``…Z``); a time without
    a zone is taken as Korean time, which the sites publish in."""
    match = _W3C_DATE.match(text)
    if match is None:
        return None
    if len(text) == 10:
        try:
            return date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
        except ValueError:
            return None
    try:
        when = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return _kst_day(when)


def _kst_day(when: datetime) -> date | None:
    """The day in Seoul of an aware datetime (naive: already Seoul time)."""
    if when.tzinfo is None:
        return when.date()
    try:
        return when.astimezone(KST).date()
    except (OverflowError, ValueError):  # year 1 or 9999 shifted out of range
        return None


def _one_line(value: object) -> str:
    """str(value) with whitespace folded, at most 200 characters."""
    return " ".join(str(value).split())[:200]


__all__ = [
    "KST",
    "CursorListing",
    "HtmlListing",
    "Listing",
    "ListingPage",
    "UnreadableListing",
    "feed_day",
    "read_feed",
    "read_sitemap",
    "w3c_day",
    "xml_root",
]
