"""What a site module is made of: a ``Site`` class (how to recognise its pages, one method per field) and,
for a site that is crawled, its discovery rule.

A site module (``newsetl/sites/<name>.py``) defines one ``Site`` subclass and names it ``SITE``.  The
class says:
  * ``name``: the module's name, what ``sources.yaml`` names in ``site:`` and what ``news.article.parser``
    records;
  * ``priority``: where it comes in detection (lower first) when a page's site is not known;
  * ``recognises(page)``: whether a parsed page is one of its pages;
  * ``listing``: its discovery rule (``None`` for a page family that is never crawled on its own), an
    ``HtmlListing`` or a ``CursorListing`` (newsetl.listings), and ``listings``: other rules by name, which a
    source may pick (sources.yaml ``discovery: {listing: <name>}``);
  * ``article_id_pattern`` and ``article_id_param``: where its URLs hold the article's own id, the key of its
    articles (see ``Site.article_id``);
  * one method per field (``title``, ``date_text``, ``byline_text``, ``press_hints``, ``body_element``,
    ``body``), text as shown: the shared rules (parsing/normalize.py) interpret it.
The defaults below read the page's metadata (OpenGraph, article:* meta, the canonical link), so a site
only overrides what its markup does differently.
"""

from __future__ import annotations

import re
from functools import cached_property, lru_cache
from typing import ClassVar
from urllib.parse import SplitResult, parse_qsl, urlsplit

from lxml.etree import _Element

from newsetl.errors import NotAnArticle
from newsetl.listings import CursorListing, HtmlListing, Listing, ListingPage, UnreadableListing
from newsetl.parsing import selectors as S
from newsetl.parsing.body import body_of, innermost_article_view
from newsetl.parsing.page import Page
from newsetl.parsing.text import WS, first_text
from newsetl.records import RawArticle, RawFigure

# the listing kinds, where the site modules have always imported them from
__all__ = ["CursorListing", "HtmlListing", "Listing", "ListingPage", "Site", "UnreadableListing", "split_url"]

# The name in a [Source : …] line is bounded: unbounded, each "[Source:" of a page with many and no "]"
# after them scanned the rest of the page (quadratic); press.MAX_HINT would not read a longer line anyway.
_SOURCE_LINE = re.compile(r"\[\s*Source\s*:\s*[^\]]{1,200}\]", re.I)
_COPYRIGHT_LINE = re.compile(r"(?:Copyright|저작권자)\s*(?:ⓒ|©|\(c\))?[^\n]{0,60}?(?:금지|Reserved)[.>\]]?", re.I)
# Where a _SOURCE_LINE or _COPYRIGHT_LINE match can start, read on the text before whitespace
# collapsing (\s* also spans the runs collapsing would shorten): no match starts before the first.
# One pattern each with a literal first character, which re scans for far faster than for an
# alternation under IGNORECASE (only "c" and "C" match a case-insensitive "c").
_HINT_STARTS = (
    re.compile(r"\[\s*(?i:source)"),
    re.compile(r"C(?i:opyright)"),
    re.compile(r"c(?i:opyright)"),
    re.compile(r"저작권자"),
)


@lru_cache(maxsize=256)
def split_url(url: str) -> SplitResult | None:
    """urlsplit, None for what is no URL at all (an unbalanced IPv6 bracket); remembered, since detection and
    sites.source_id ask every site in turn about the same URL."""
    try:
        return urlsplit(url)
    except ValueError:
        return None


class Site:
    """One site or page family: recognising its pages, and one method per field of its article."""

    name: ClassVar[str] = ""
    priority: ClassVar[int] = 100
    listing: ClassVar[Listing | None] = None
    # other listings of the site a source may choose by name (sources.yaml discovery.listing)
    listings: ClassVar[dict[str, Listing]] = {}
    article_id_pattern: ClassVar[re.Pattern[str] | None] = None
    article_id_param: ClassVar[str | None] = None
    article_id_value: ClassVar[re.Pattern[str]] = re.compile("[0-9]{1,20}")

    def __init__(self, page: Page, url: str | None = None) -> None:
        self.page = page
        self.tree = page.tree
        self.given_url = url

    # --- which pages, which ids -----------------------------------------------------------------------
    @classmethod
    def recognises(cls, page: Page) -> bool:
        """Whether the page is one of this site's (detection asks the sites in priority order)."""
        return False

    @classmethod
    def listing_named(cls, name: str | None) -> Listing | None:
        """The site's listing of that name (``None``: its default); ValueError naming the ones it has."""
        if name is None:
            return cls.listing
        if name not in cls.listings:
            known = ", ".join(sorted(cls.listings)) or "none"
            raise ValueError(f"site {cls.name!r} has no listing {name!r}; its named listings: {known}")
        return cls.listings[name]

    @classmethod
    def article_id(cls, url: str) -> str | None:
        """The article's own id at this site, read from its (canonical) URL; None when the URL is no article's.

        ``article_id_pattern`` must match the URL's whole path, never a part of it (so ``/aaa/v/<id>`` or a
        ``?//v.daum.net/v/<id>`` query is no Daum article's URL); its group 1 is the id.  A site keyed by a
        query parameter (``board.php?wr_id=<n>``) names it in ``article_id_param``: the pattern then only
        matches the path, and the id is the parameter's value, given once and matching ``article_id_value``
        whole (digits by default)."""
        if cls.article_id_pattern is None:
            return None
        parts = split_url(url)
        if parts is None:
            return None
        match = cls.article_id_pattern.fullmatch(parts.path)
        if match is None:
            return None
        if cls.article_id_param is None:
            return match.group(1)
        values = [
            value for name, value in parse_qsl(parts.query, keep_blank_values=True) if name == cls.article_id_param
        ]
        return values[0] if len(values) == 1 and cls.article_id_value.fullmatch(values[0]) else None

    # --- fields, text as shown --------------------------------------------------------------------------
    @cached_property
    def page_text(self) -> str:
        """All text of the page, whitespace collapsed (for line-level searches)."""
        return WS.sub(" ", S.ALL_TEXT(self.tree))

    def url(self) -> str | None:
        """Given URL, else og:url, else the canonical link."""
        return self.given_url or first_text(self.page.query(S.OG_URL)) or first_text(S.CANONICAL(self.tree))

    def title(self) -> str | None:
        """Headline as shown."""
        return first_text(S.OG_TITLE(self.tree)) or first_text(S.HTML_TITLE(self.tree))

    def date_text(self) -> str | None:
        """Publication date as shown."""
        return first_text(S.OG_REGDATE(self.tree)) or first_text(S.META_PUBLISHED(self.tree))

    def byline_text(self) -> str | None:
        """Reporter line of the page chrome, if any."""
        return None

    def press_hints(self) -> list[str]:
        """Strings naming the press, most trusted first."""
        hints = [a.strip() for a in S.OG_AUTHOR(self.tree) if a.strip()]
        text = self._hint_text
        if text:
            hints += _SOURCE_LINE.findall(text)
            hints += [m.strip() for m in _COPYRIGHT_LINE.findall(text)]
        return hints

    @cached_property
    def _hint_text(self) -> str:
        """The end of page_text from the first place a press line could start ("" if none).

        The lines sit at the bottom of the page, so only that end is collapsed and searched.  It
        is cut at a non-space character, so collapsing it gives exactly that end of page_text, and
        the searches find the same matches as on the whole of it.  string(/) is still taken of
        the whole page: a line may sit anywhere (in the body, split over elements), so the text
        after the body alone is not provably the same."""
        text = S.ALL_TEXT(self.tree)
        starts = [match.start() for match in (p.search(text) for p in _HINT_STARTS) if match]
        return WS.sub(" ", text[min(starts) :]) if starts else ""

    def body_element(self) -> _Element | None:
        """The element holding the article body (the innermost Daum article_view by default)."""
        return innermost_article_view(self.tree)

    def body(self) -> tuple[list[str], list[RawFigure]]:
        """Paragraphs (raw, <br> as newline) and figures in document order."""
        return body_of(self.body_element())

    def parse(self) -> RawArticle:
        """Assemble the fields; no title or no body is NotAnArticle."""
        from newsetl.sites import source_id  # the registry imports every site module, this one included

        title = self.title()
        if not title:
            raise NotAnArticle(f"no title ({self.name} layout)")
        paragraphs, figures = self.body()
        if not paragraphs:
            raise NotAnArticle(f"no article body ({self.name} layout)")
        url = self.url()
        return RawArticle(
            parser=self.name,
            url=url,
            source_id=source_id(url),
            title=title,
            date_text=self.date_text(),
            byline_text=self.byline_text(),
            press_hints=self.press_hints(),
            paragraphs=paragraphs,
            figures=figures,
        )
