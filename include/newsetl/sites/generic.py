"""Any other page: JSON-LD NewsArticle, OpenGraph and article:* meta, ``<article>``.

The fallback of detection (it recognises every page, and is asked last); a page family, not a crawled
site.
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
            try:
                data = json.loads(script.text or "")
            except json.JSONDecodeError:
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


def _ld_items(data: Any) -> list[dict[str, Any]]:
    """Flatten JSON-LD (object, list, @graph) into its objects."""
    if isinstance(data, list):
        return [item for entry in data for item in _ld_items(entry)]
    if isinstance(data, dict):
        return [data] + _ld_items(data.get("@graph", []))
    return []


def _names_of(value: Any) -> list[str]:
    """Names from a JSON-LD person/organization value (str, object or list)."""
    if isinstance(value, str):
        return [value.strip()]
    if isinstance(value, dict):
        name = value.get("name")
        return [name.strip()] if isinstance(name, str) else []
    if isinstance(value, list):
        return [n for v in value for n in _names_of(v)]
    return []


SITE = Generic
