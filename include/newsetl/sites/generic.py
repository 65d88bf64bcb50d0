"""Any other page: JSON-LD NewsArticle, OpenGraph and article:* meta, ``<article>``.

The fallback of detection (it recognises every page, and is asked last); a page family, not a crawled
site.

JSON-LD is page input like any other: a block that is not JSON, over ``MAX_LD_CHARS``, or nested deeper
than the json module decodes (a RecursionError) is skipped, and the page's other metadata still works;
an integer too long to be a count or a size (``int()`` refuses 4,300 digits and is quadratic below) is
read as null; lists and ``@graph`` are walked without recursion, to ``LD_DEPTH`` levels.  The strings
are taken as they are: NULs, other controls and lone surrogates (``"\\ud800"``) are dropped by the
shared rules (text.clean_text, text.strip_controls) like those of any other field.
"""

from __future__ import annotations

import json
import re
from functools import cached_property
from typing import Any

from newsetl.parsing import selectors as S
from newsetl.parsing.body import body_of, innermost_article_view
from newsetl.parsing.page import Page
from newsetl.parsing.text import WS, first_text
from newsetl.records import RawFigure
from newsetl.sites.base import Site

_ARTICLE_TYPES = frozenset({"NewsArticle", "Article", "ReportageNewsArticle", "AnalysisNewsArticle"})
MAX_LD_CHARS = 1 << 20  # a bigger JSON-LD block is skipped (real ones are a few KiB)
LD_DEPTH = 8  # nested lists and @graph looked into (real pages nest two or three)
_NAME_DEPTH = 3  # nested lists of authors or publishers looked into
_LD_INT_DIGITS = 20  # longer integers (no count or size has that many digits) are read as null


class Generic(Site):
    """Fallback: JSON-LD NewsArticle, OpenGraph, <article>."""

    name = "generic"
    priority = 1000

    @classmethod
    def recognises(cls, page: Page) -> bool:
        """Every page: this is the fallback."""
        return True

    @cached_property
    def _ld(self) -> dict[str, Any]:
        """The first JSON-LD object typed as a news article ({} if none)."""
        for script in S.JSON_LD(self.tree):
            data = _load_ld(script.text or "")
            if data is None:
                continue  # broken JSON-LD is common; the other sources still work
            for item in _ld_items(data):
                types = item.get("@type")
                types = types if isinstance(types, list) else [types]
                if _ARTICLE_TYPES.intersection(t for t in types if isinstance(t, str)):
                    return item
        return {}

    def url(self) -> str | None:
        """Given URL, og:url, canonical, else JSON-LD url."""
        ld_url = self._ld.get("url")
        return super().url() or (ld_url if isinstance(ld_url, str) else None)

    def title(self) -> str | None:
        """JSON-LD headline, og:title, h1, <title>."""
        headline = self._ld.get("headline")
        if isinstance(headline, str) and headline.strip():
            return WS.sub(" ", headline).strip()
        return first_text(S.OG_TITLE(self.tree)) or first_text(S.H1(self.tree)) or super().title()

    def date_text(self) -> str | None:
        """JSON-LD datePublished, meta dates, <time datetime>."""
        published = self._ld.get("datePublished")
        if isinstance(published, str) and published.strip():
            return published.strip()
        return super().date_text() or first_text(S.TIME_DATETIME(self.tree))

    def byline_text(self) -> str | None:
        """JSON-LD author name(s)."""
        names = [n for n in _names_of(self._ld.get("author")) if n]
        return ", ".join(names) or None

    def press_hints(self) -> list[str]:
        """og:article:author, JSON-LD publisher, then the usual lines, then og:site_name."""
        hints = super().press_hints()
        publisher = _names_of(self._ld.get("publisher"))
        site = [s.strip() for s in S.OG_SITE_NAME(self.tree) if s.strip()]
        return hints[:1] + publisher + hints[1:] + site if hints else publisher + site

    def body(self) -> tuple[list[str], list[RawFigure]]:
        """<article> (or a nested article_view), else JSON-LD articleBody split on newlines."""
        view = innermost_article_view(self.tree)
        articles = S.ARTICLE(self.tree)
        paragraphs, figures = body_of(view if view is not None else (articles[0] if articles else None))
        if not paragraphs:
            text = self._ld.get("articleBody")
            if isinstance(text, str):
                paragraphs = [p.strip() for p in re.split(r"\n\s*\n|\n", text) if p.strip()]
        return paragraphs, figures


def _ld_int(digits: str) -> int | None:
    """A JSON integer, or None when it is too long to be one a page means (see _LD_INT_DIGITS)."""
    return int(digits) if len(digits) <= _LD_INT_DIGITS else None


def _load_ld(text: str) -> Any:
    """The value of a JSON-LD block; None when it is not JSON, too big or nested too deep to decode."""
    if len(text) > MAX_LD_CHARS:
        return None
    try:
        return json.loads(text, parse_int=_ld_int)
    except (ValueError, RecursionError):  # ValueError: JSONDecodeError; RecursionError: [[[[… deep
        return None


def _ld_items(data: Any) -> list[dict[str, Any]]:
    """Flatten JSON-LD (object, list, @graph) into its objects, in document order.

    An explicit stack, not recursion: a block the json module decodes can still be nested nearly as
    deep as the recursion limit, and lists or graphs below LD_DEPTH levels are not looked into."""
    items: list[dict[str, Any]] = []
    stack: list[tuple[Any, int]] = [(data, 0)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict):
            items.append(value)
            children = [value.get("@graph")]
        elif isinstance(value, list):
            children = value
        else:
            continue
        if depth < LD_DEPTH:
            stack.extend((child, depth + 1) for child in reversed(children))
    return items


def _names_of(value: Any, depth: int = 0) -> list[str]:
    """Names from a JSON-LD person/organization value (str, object or list, lists _NAME_DEPTH deep)."""
    if isinstance(value, str):
        return [value.strip()]
    if isinstance(value, dict):
        name = value.get("name")
        return [name.strip()] if isinstance(name, str) else []
    if isinstance(value, list) and depth < _NAME_DEPTH:
        return [n for v in value for n in _names_of(v, depth + 1)]
    return []


SITE = Generic
