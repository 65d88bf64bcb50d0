"""A Daum ``div.article_view`` inside another site's template: an h3 title outside the body, an h6 with the
byline and date ("김동윤 기자 2023-11-01 06:41"), and a ``[Source : …]`` line naming the press.

A page family, not a crawled site: it has no discovery rule of its own.
"""

from __future__ import annotations

import re
from functools import cached_property

from newsetl.parsing.page import Page
from newsetl.parsing.selectors import ARTICLE_VIEW, elements, has_class
from newsetl.parsing.text import first_text
from newsetl.sites.base import Site

TITLE = elements(f"/descendant::h3[not(ancestor::div[{has_class('article_view')}])]")
H6 = elements(f"/descendant::h6[not(ancestor::div[{has_class('article_view')}])]")
_DATE_IN_TEXT = re.compile(r"\d{4}\s*[-./]\s*\d{1,2}\s*[-./]\s*\d{1,2}\.?(?:[ T]+\d{1,2}:\d{2}(?::\d{2})?)?")


class ArticleView(Site):
    """A Daum article_view nested inside another site's template (h3 title, h6 byline+date)."""

    name = "article_view"
    priority = 30

    @classmethod
    def recognises(cls, page: Page) -> bool:
        """Any div.article_view (the Daum page and the board repost are asked first)."""
        return bool(ARTICLE_VIEW(page.tree))

    @cached_property
    def _h6(self) -> str:
        """The h6 line holding byline and date ("김동윤 기자 2023-11-01 06:41")."""
        return first_text(H6(self.tree)) or ""

    def title(self) -> str | None:
        """First h3 outside the article body, else og:title / <title>."""
        return first_text(TITLE(self.tree)) or super().title()

    def date_text(self) -> str | None:
        """The date inside the h6, else meta dates."""
        match = _DATE_IN_TEXT.search(self._h6)
        return match.group(0) if match else super().date_text()

    def byline_text(self) -> str | None:
        """The h6 without its date."""
        return _DATE_IN_TEXT.sub("", self._h6).strip() or None


SITE = ArticleView
