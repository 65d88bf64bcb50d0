"""A community board (gnuboard-like) that reposts Daum articles, as the seed page does: the post's content
is the Daum ``div.article_view`` markup shown as *escaped text* (``&lt;div class="article_view"…``); also
the plain-text dump of such a page (the markup literal, "작성일" near the start).

Page: ``#bo_v_title .bo_v_tit`` (title), ``.if_date`` ("작성일 07-03 20": month-day hour, no year).
Listing: ``{base_url}/bbs/board.php?bo_table=news&date=YYYYMMDD&page=N``, 10 posts a page in
``ul.board_list li a.bo_subject``; post URLs are ``/bbs/board.php?…&wr_id=<n>``, the number its id.
"""

from __future__ import annotations

import re

from lxml.etree import _Element

from newsetl.parsing import selectors as S
from newsetl.parsing.body import innermost_article_view
from newsetl.parsing.page import Page, parse_html
from newsetl.parsing.selectors import elements, has_class, text_nodes
from newsetl.parsing.text import first_text
from newsetl.sites.base import HtmlListing, Site

TITLE = elements(f"/descendant::*[@id='bo_v_title']/descendant::*[{has_class('bo_v_tit')}]")
TITLE_BOX = elements("/descendant::*[@id='bo_v_title']")
DATE = elements(f"/descendant::*[{has_class('if_date')}]")
# text nodes holding escaped markup: after parsing, "&lt;div" is the literal text "<div"
TEXT_WITH_ARTICLE_VIEW = text_nodes("/descendant::text()[contains(., 'article_view')]")
_VIEW_MARKUP = re.compile(r"<div[^<>]*?class=[\"'][^\"']*article_view")
_CUT_TAG = re.compile(r"<[^<>]*$")
# The escaped view in the source: "&lt;div" and, within the tag (real <br>s of nl2br boards may cut it),
# "article_view".  Asked of the bytes before the XPath over every text node (0.7 ms on a 380 KB page), which
# then runs only on pages that may be reposts.
_ESCAPED_VIEW = re.compile(rb"&lt;div[\s\S]{0,500}?article_view")
_ESCAPED_VIEW_TEXT = re.compile(r"&lt;div[\s\S]{0,500}?article_view")
_BOARD_DATE = re.compile(r"작성일\s*:?\s*(\d[\d\-.: ]*\d)")


def escaped_view_markup(page: Page) -> str | None:
    """Markup shown as text (``&lt;div class="article_view"…``), from that div to the end of its holder."""
    for node in TEXT_WITH_ARTICLE_VIEW(page.tree):
        holder = node.getparent()
        if holder is None:
            continue
        if not node.is_text and (parent := holder.getparent()) is not None:  # a tail belongs to the parent
            holder = parent
        # string() joins text split by the real <br>s that nl2br boards insert
        markup = S.STRING(holder)
        if match := _VIEW_MARKUP.search(markup):
            return _CUT_TAG.sub("", markup[match.start() :])  # a truncated post ends mid-tag
    return None


def _is_board_dump(text: str | bytes) -> bool:
    """The plain-text dump of a board page: not markup, "작성일" near the start, the view named."""
    if isinstance(text, bytes):  # UTF-8
        if text.lstrip().startswith(b"<"):  # str.lstrip strips these bytes (and more): "<" there too
            return False
        text = text.decode("utf-8", "replace")
    stripped = text.lstrip()
    return not stripped.startswith("<") and "작성일" in stripped[:500] and "article_view" in text


class Board(Site):
    """Board post reposting a Daum article as escaped markup; also its plain-text dump."""

    name = "board"
    priority = 10
    listing = HtmlListing(
        url="{base_url}/bbs/board.php?bo_table=news&date={day:%Y%m%d}&page={page}",
        links="//ul[contains(@class, 'board_list')]/li/a[contains(@class, 'bo_subject')]/@href",
        page_size=10,
    )
    article_id_pattern = re.compile(r"/bbs/board\.php")
    article_id_param = "wr_id"  # the post's number: board.php?bo_table=news&wr_id=4211

    @classmethod
    def recognises(cls, page: Page) -> bool:
        """Escaped article_view markup in the page, or the plain-text dump of a post."""
        source = page.source
        if isinstance(source, bytes):
            escaped = _ESCAPED_VIEW.search(source) is not None
        else:
            escaped = _ESCAPED_VIEW_TEXT.search(source) is not None
        if escaped and page.cached(escaped_view_markup):
            return True
        return _is_board_dump(source)

    def _view(self) -> _Element | None:
        """The escaped article_view found anywhere (lxml unescaped it), parsed; else the literal one."""
        markup = self.page.cached(escaped_view_markup)
        if markup:
            return innermost_article_view(parse_html(markup))
        return innermost_article_view(self.tree)  # the dump: the markup is literal, already parsed

    def title(self) -> str | None:
        """Post title element, else og:title, else the text before "작성일" (the dump)."""
        found = first_text(TITLE(self.tree)) or first_text(TITLE_BOX(self.tree)) or first_text(S.OG_TITLE(self.tree))
        if found:
            return found
        match = re.match(r"\s*(.{1,300}?)\s*작성일", self.page_text)
        return match.group(1).strip() if match else first_text(S.HTML_TITLE(self.tree))

    def date_text(self) -> str | None:
        """ "작성일 07-03 20" without the label."""
        match = _BOARD_DATE.search(first_text(DATE(self.tree)) or "")
        if match is None:  # only then the whole page's text (the dump has no date element)
            match = _BOARD_DATE.search(self.page_text)
        return match.group(1) if match else super().date_text()

    def body_element(self) -> _Element | None:
        """The reposted article_view."""
        return self._view()


SITE = Board
