"""Daum News (v.daum.net): an article page, and the day's breaking-news listing that names them.

Page: ``div.head_view h3.tit_view`` (title), ``div.info_view`` (``span.txt_info`` byline, ``span.num_date``
date), ``div.news_view div.article_view`` (body: ``p|div[dmcf-ptype=general]`` paragraphs, ``figure``s with
``img[data-org-src]``, ``data-org-width`` and a ``figcaption``), the press in ``og:article:author``.
Listing: ``{base_url}/breakingnews?page=N&regDate=YYYYMMDD``, 15 links a page in
``ul.list_allnews li strong.tit_thumb a.link_txt``; an article's URL path is ``/v/<17 digits>``, its id.
"""

from __future__ import annotations

import re

from lxml.etree import _Element

from newsetl.parsing.body import innermost_article_view
from newsetl.parsing.page import Page
from newsetl.parsing.selectors import OG_URL, elements, has_class
from newsetl.parsing.text import first_text
from newsetl.sites.base import HtmlListing, Site

TITLE = elements(f"/descendant::div[{has_class('head_view')}]/descendant::h3[{has_class('tit_view')}]")
DATE = elements(f"/descendant::div[{has_class('info_view')}]/descendant::span[{has_class('num_date')}]")
BYLINE = elements(
    f"/descendant::div[{has_class('info_view')}]/descendant::span[{has_class('txt_info')}]"
    f"[not(descendant::span[{has_class('num_date')}])]"
)
NEWS_VIEW = elements(f"/descendant::div[{has_class('news_view')}]")
_DAUM_URL = re.compile(r"v\.daum\.net/v/(\d{17})")


class Daum(Site):
    """A v.daum.net article page."""

    name = "daum"
    priority = 20
    listing = HtmlListing(
        url="{base_url}/breakingnews?page={page}&regDate={day:%Y%m%d}",
        links=(
            "//ul[contains(concat(' ', normalize-space(@class), ' '), ' list_allnews ')]/li"
            "//strong[contains(@class, 'tit_thumb')]/a[contains(@class, 'link_txt')]/@href"
        ),
        page_size=15,
    )
    article_id_pattern = re.compile("/v/([0-9]{17})")  # the whole path: v.daum.net/v/20231101064102345

    @classmethod
    def recognises(cls, page: Page) -> bool:
        """Daum's headline box or news view, or a v.daum.net og:url."""
        return bool(
            page.query(TITLE) or page.query(NEWS_VIEW) or _DAUM_URL.search(first_text(page.query(OG_URL)) or "")
        )

    def title(self) -> str | None:
        """h3.tit_view in div.head_view, else og:title."""
        return first_text(self.page.query(TITLE)) or super().title()

    def date_text(self) -> str | None:
        """span.num_date ("2023. 11. 1. 06:41"), else og:regDate ("20231101064102")."""
        return first_text(DATE(self.tree)) or super().date_text()

    def byline_text(self) -> str | None:
        """The span.txt_info that is not the date ("김동윤 기자")."""
        return first_text(BYLINE(self.tree))

    def body_element(self) -> _Element | None:
        """The innermost article_view of the page.

        INNERMOST_ARTICLE_VIEW is an absolute path: started from div.news_view it would search the
        whole page all the same, so that div is not looked up."""
        return innermost_article_view(self.tree)


SITE = Daum
