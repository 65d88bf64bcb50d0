"""Daum News (v.daum.net): an article page as served (the full page) or its article part alone (the compact
page of the fixtures and the sample site), and the day's breaking-news listing that names them.

The compact page is the article part of the full one, so one module reads both. The markup it reads (what a
page generator such as the sample site must write; everything else is chrome and is never read)::

    <meta property="og:article:author" content="연합뉴스">        the press (meta); og:title, og:url, og:regDate
    <div class="head_view">
      <em class="info_cp"><a class="link_cp" href="…">              the press logo (full pages): its alt, else
        <img class="thumb_g" src="…" alt="연합뉴스"></a></em>         its title, names the press
      <h3 class="tit_view">제목</h3>                                  the title
      <div class="info_view">
        <span class="txt_info">홍길동 기자</span>                      the byline: a txt_info without a num_date
        <span class="txt_info">입력 <span class="num_date">2026. 1. 6. 16:19</span></span>   published
        <span class="txt_info">수정 <span class="num_date">2026. 1. 6. 17:02</span></span>   modified (수정),
      </div>                                                          only on a page edited since; the
    </div>                                                            compact page may put the num_date
                                                                      bare in div.info_view
    <div class="news_view">
      <div class="article_view">                                     the body: its innermost article_view
        <section dmcf-sid="…">
          <strong class="summary_view">요약 한 줄<br>요약 둘째 줄</strong>   the summary (요약), one line per
                                                                      <br>; taken out of the body
          <p dmcf-ptype="general">…</p>  <div dmcf-ptype="general">…</div>   paragraphs
          <figure class="figure_frm"><p class="link_figure"><img class="thumb_g_article"
              data-org-src="…" data-org-width="640" src="…" alt="…"></p>
            <figcaption class="txt_caption">…</figcaption></figure>  figures: data-org-src the image,
        </section>                                                    src its thumbnail
      </div>
    </div>

The header and navigation, the scripts, the related-news and most-read boxes, the comment placeholder and
the footer of a full page sit outside div.head_view and div.article_view. The press comes from the logo,
then og:article:author; the page's ``[Source : …]`` and copyright lines only when neither names one.

Listing: ``{base_url}/breakingnews?page=N&regDate=YYYYMMDD``, 15 links a page in
``ul.list_allnews li strong.tit_thumb a.link_txt``; an article's URL path is ``/v/<17 digits>``, its id.
"""

from __future__ import annotations

import re
from functools import cached_property

from lxml.etree import _Element

from newsetl.parsing.body import body_of, innermost_article_view, lines_taken_out
from newsetl.parsing.page import Page
from newsetl.parsing.selectors import OG_AUTHOR, OG_URL, elements, has_class
from newsetl.parsing.text import first_text
from newsetl.records import RawArticle, RawFigure
from newsetl.sites.base import HtmlListing, Site

# the h3s first, then their ancestors: the same elements in the same order as div.head_view//h3.tit_view, in
# half the time on a full page (a page has a few h3s and hundreds of divs whose class would be tested)
TITLE = elements(f"/descendant::h3[{has_class('tit_view')}][ancestor::div[{has_class('head_view')}]]")
NEWS_VIEW = elements(f"/descendant::div[{has_class('news_view')}]")
INFO = elements(f"/descendant::div[{has_class('info_view')}]")  # only for a page without the headline box
SUMMARY = elements(f"descendant::strong[{has_class('summary_view')}]")  # below the body element
_DAUM_URL = re.compile(r"v\.daum\.net/v/(\d{17})")


class Daum(Site):
    """A v.daum.net article page, full or compact."""

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
    # Daum's sections since its 2024-11 redesign (news.daum.net/<section>, 70+ of them): the headline list
    # and the basic list of the section's latest articles, one page each (unverified offline)
    listings = {
        "sections": HtmlListing(
            url="{base_url}/{section}",
            links=(
                f"//ul[{has_class('list_newsheadline2')}]//a[{has_class('item_newsheadline2')}]"
                f"[descendant::strong[{has_class('tit_txt')}]]/@href"
                f" | //ul[{has_class('list_newsbasic')}]//a[{has_class('item_newsbasic')}]/@href"
            ),
            page_size=1_000_000,  # one page: a section page is not paginated
        ),
    }
    article_id_pattern = re.compile("/v/([0-9]{17})")  # the whole path: v.daum.net/v/20231101064102345

    @classmethod
    def recognises(cls, page: Page) -> bool:
        """Daum's headline box or news view, or a v.daum.net og:url."""
        return bool(
            page.query(TITLE) or page.query(NEWS_VIEW) or _DAUM_URL.search(first_text(page.query(OG_URL)) or "")
        )

    @cached_property
    def _head(self) -> _Element | None:
        """div.head_view, found from the title (detection has looked that up already): no search of the page."""
        titles = self.page.query(TITLE)
        if not titles:
            return None
        parent = titles[0].getparent()  # the h3 is a child of div.head_view on every Daum page seen
        if parent is not None and "head_view" in _classes(parent):
            return parent
        return next((div for div in titles[0].iterancestors("div") if "head_view" in _classes(div)), None)

    @cached_property
    def _info(self) -> tuple[str | None, str | None, str | None]:
        """(byline, published, modified) as shown, read from div.info_view in one pass (see the docstring)."""
        info = None
        if self._head is not None:
            info = next((div for div in self._head.iter("div") if "info_view" in _classes(div)), None)
        if info is None:
            found = INFO(self.tree)
            info = found[0] if found else None
        return _info_items(info) if info is not None else (None, None, None)

    def title(self) -> str | None:
        """h3.tit_view in div.head_view, else og:title."""
        return first_text(self.page.query(TITLE)) or super().title()

    def date_text(self) -> str | None:
        """The 입력 span.num_date ("2023. 11. 1. 06:41"), else og:regDate ("20231101064102")."""
        return self._info[1] or super().date_text()

    def modified_text(self) -> str | None:
        """The span.num_date of the txt_info that says 수정 ("2026. 1. 6. 17:02"); None on a page never edited."""
        return self._info[2]

    def byline_text(self) -> str | None:
        """The span.txt_info that is not a time ("김동윤 기자")."""
        return self._info[0]

    def press_hints(self) -> list[str]:
        """The press logo's alt or title (full pages), then og:article:author; the page's ``[Source : …]``
        and copyright lines only when neither names one: finding those reads the text of the whole page,
        scripts included, a fifth of the extraction time of a full page, for a press the page has named."""
        own = self._logo_names() + [name.strip() for name in OG_AUTHOR(self.tree) if name.strip()]
        return own or super().press_hints()

    def _logo_names(self) -> list[str]:
        """alt, else title, of the images in a.link_cp of div.head_view (the press logo)."""
        if self._head is None:
            return []
        names = []
        for link in self._head.iter("a"):
            if "link_cp" in _classes(link):
                for img in link.iter("img"):
                    name = (img.get("alt") or "").strip() or (img.get("title") or "").strip()
                    if name:
                        names.append(name)
        return names

    def body_element(self) -> _Element | None:
        """The innermost article_view of the page.

        INNERMOST_ARTICLE_VIEW is an absolute path: started from div.news_view it would search the
        whole page all the same, so that div is not looked up."""
        return self._view

    @cached_property
    def _view(self) -> _Element | None:
        """The body element, looked up once (the summary and the walk both start from it)."""
        return innermost_article_view(self.tree)

    @cached_property
    def _summary(self) -> list[str]:
        """The lines of strong.summary_view, which is then taken out of the body (it is no paragraph)."""
        view = self._view
        if view is None:
            return []
        return lines_taken_out(SUMMARY(view))

    def summary(self) -> list[str]:
        """The summary lines (요약) above the body, as shown."""
        return self._summary

    def body(self) -> tuple[list[str], list[RawFigure]]:
        """Paragraphs and figures of the article_view, the summary box left out."""
        _ = self._summary  # read, and taken out of the tree, before the walk
        return body_of(self._view)

    def parse(self) -> RawArticle:
        """The shared fields, plus the modified time and the summary."""
        raw = super().parse()
        raw.modified_text = self.modified_text()
        raw.summary = self.summary()
        return raw


def _classes(el: _Element) -> list[str]:
    """The element's class names."""
    return (el.get("class") or "").split()


def _info_items(info: _Element) -> tuple[str | None, str | None, str | None]:
    """(byline, published, modified) of div.info_view: a num_date whose txt_info's label says 수정 is the
    modified time, any other the published one; a txt_info without a num_date is the byline. The first
    non-empty of each (a walk over the few spans of the box, cheaper than an XPath per field)."""
    byline = published = modified = None
    for span in info.iter("span"):
        classes = _classes(span)
        if "num_date" in classes:
            parent = span.getparent()
            label = (parent.text or "") if parent is not None and "txt_info" in _classes(parent) else ""
            if "수정" in label:
                modified = modified or first_text([span])
            else:
                published = published or first_text([span])
        elif "txt_info" in classes and byline is None:
            if not any("num_date" in _classes(inner) for inner in span.iter("span") if inner is not span):
                byline = first_text([span])
    return byline, published, modified


SITE = Daum
