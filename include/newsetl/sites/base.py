"""What a site module is made of: a ``Site`` class (how to recognise its pages, one method per field) and,
for a site that is crawled, its discovery rule.

A site module (``newsetl/sites/<name>.py``) defines one ``Site`` subclass and names it ``SITE``.  The
class says:
  * ``name``: the module's name, what ``sources.yaml`` names in ``site:`` and what ``news.article.parser``
    records;
  * ``priority``: where it comes in detection (lower first) when a page's site is not known;
  * ``recognises(page)``: whether a parsed page is one of its pages;
  * ``listing``: its discovery rule (``None`` for a page family that is never crawled on its own);
  * ``article_id_pattern``: the article's own id in its URLs (group 1);
  * one method per field (``title``, ``date_text``, ``byline_text``, ``press_hints``, ``body_element``,
    ``body``), text as shown: the shared rules (parsing/normalize.py) interpret it.
The defaults below read the page's metadata (OpenGraph, article:* meta, the canonical link), so a site
only overrides what its markup does differently.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from typing import ClassVar
from urllib.parse import urljoin

import lxml.html
from lxml.etree import _Element

from newsetl.errors import NotAnArticle
from newsetl.parsing import selectors as S
from newsetl.parsing.body import body_of, innermost_article_view
from newsetl.parsing.page import Page
from newsetl.parsing.text import WS, first_text
from newsetl.records import RawArticle, RawFigure

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
_LISTING_PARSER = lxml.html.HTMLParser(no_network=True, remove_comments=True, huge_tree=False)


@dataclass(frozen=True, slots=True)
class HtmlListing:
    """Discovery from the day's paginated HTML listing: the page URL, the link selector, the page size.

    ``url`` is a template of ``{base_url}`` (the source's, from sources.yaml), ``{page}`` (1, 2, …) and
    ``{day:%Y%m%d}`` (any strftime format of the KST day).  A page with fewer than ``page_size`` links,
    or with no link not seen before, is the last."""

    url: str
    links: str  # XPath selecting the article links' href attributes
    page_size: int

    def page_url(self, base_url: str, day: date, page: int) -> str:
        """The listing URL of one page of one day."""
        return self.url.format(base_url=base_url.rstrip("/"), page=page, day=day)

    def page_links(self, body: bytes, page_url: str) -> list[str]:
        """Absolute article links of one listing page, in page order, without repeats."""
        if not body.strip():
            return []
        tree = lxml.html.fromstring(body, parser=_LISTING_PARSER)
        seen: dict[str, None] = {}
        for href in _compiled(self.links)(tree):
            seen.setdefault(urljoin(page_url, str(href).strip()), None)
        return list(seen)


_XPATHS: dict[str, S.Strings] = {}


def _compiled(xpath: str) -> S.Strings:
    """A link selector compiled once per process."""
    if xpath not in _XPATHS:
        _XPATHS[xpath] = S.strings(xpath)
    return _XPATHS[xpath]


class Site:
    """One site or page family: recognising its pages, and one method per field of its article."""

    name: ClassVar[str] = ""
    priority: ClassVar[int] = 100
    listing: ClassVar[HtmlListing | None] = None
    article_id_pattern: ClassVar[re.Pattern[str] | None] = None

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
    def article_id(cls, url: str) -> str | None:
        """The article's own id at this site, read from its URL (None when the URL holds none)."""
        if cls.article_id_pattern is None:
            return None
        match = cls.article_id_pattern.search(url)
        return match.group(1) if match else None

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
