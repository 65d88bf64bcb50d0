"""Naver News (n.news.naver.com/mnews/article/<oid>/<aid>): an article page as served, and the first page of a
section's breaking-news listing.

The markup it reads (everything else of the page, the header and navigation, scripts, the subscribe and
reaction boxes, the press's other news, the comment module and the footer, is never read)::

    <meta property="og:title" content="…">  <meta property="og:url" content="https://n.news.naver.com/…">
    <div class="media_end_head">
      <a class="media_end_head_top_logo" href="https://media.naver.com/press/001">
        <img class="media_end_head_top_logo_img light_type" title="연합뉴스" alt="연합뉴스" src="…"></a>
                                                                      the press: the logo's title
      <h2 id="title_area" class="media_end_head_headline"><span>제목</span></h2>        the title
      <em class="media_end_head_journalist_name">홍길동 기자</em>     the reporter(s), one em each
      <span class="media_end_head_info_datestamp_time _ARTICLE_DATE_TIME"
            data-date-time="2026-01-06 16:19:31">2026.01.06. 오후 4:19</span>            published
      <span class="media_end_head_info_datestamp_time _ARTICLE_MODIFY_DATE_TIME"
            data-modify-date-time="2026-01-06 17:02:11">…</span>                          modified (수정)
    </div>
    <article id="dic_area" class="go_trans _article_content">       the body
      <strong class="media_end_summary">요약 한 줄<br>요약 둘째 줄</strong>
                                                                      the summary, one line per <br>
      <span class="end_photo_org"><div class="nbd_im_w"><div class="nbd_a"><img data-src="https://
          imgnews.pstatic.net/image/001/2026/01/06/PYH….jpg?type=w860" …></div></div>
        <em class="img_desc">사진 설명 [연합뉴스 자료사진]</em></span>   a photo and its caption
      첫 문단.<br><br>둘째 문단.<br>…                                 paragraphs: text runs between
    </article>                                                        blank lines (<br><br>), or blocks
    <div class="byline"><span class="byline_s">홍길동 기자 (hong@yna.co.kr)</span></div>
                                                                      the byline when no reporter em

The times are read from the data attributes (the text, "오후 4:19", is for people). The press is the logo's
title, then the press of the page's ``oid`` (Naver's code of the press, from the article URL: ``OID_PRESS``),
then og:article:author; the copyright line only when none of those names one. A photo's image URL is its
``data-src`` (or ``src``) without Naver's resize query (``?type=w860``); the URL as served is its thumbnail.

Listing (a cursor listing, newsetl.listings.CursorListing): a section's breaking news of the day,
``{base_url}/breakingnews/section/<sid1>/<sid2>?date=YYYYMMDD``, items ``div.sa_item_inner``, the link the
``a`` holding ``strong.sa_text_strong`` (the title; ``.sa_text_press`` names the press), about 36 of them;
then the rest of the day ("기사 더보기") from
``{base_url}/section/template/SECTION_ARTICLE_LIST_FOR_LATEST?sid=<sid1>&sid2=<sid2>&pageNo=<n>&date=YYYYMMDD&next=<cursor>``,
JSON whose ``renderedComponent`` holds the next items as the same HTML; the next cursor is the
``data-cursor`` of the element whose ``data-cursor-name`` is ``next`` on the last page read. The base URL is
``https://news.naver.com`` and each section a ``sid1/sid2`` code (sources.yaml, naver_live)::

    naver_live:
      base_url: "https://news.naver.com"
      site: naver
      allowed_hosts: ["news.naver.com", "n.news.naver.com"]
      discovery:
        sections: {it_general: "105/230", economy_finance: "101/259"}

The JSON pages' shape is as public crawlers describe it, unverified offline: ``newsetl probe naver_live``
before enabling it (docs/operations.md).
"""

from __future__ import annotations

import re
from functools import cached_property

from lxml.etree import _Element

from newsetl.parsing.body import body_of, lines_taken_out
from newsetl.parsing.page import Page
from newsetl.parsing.selectors import OG_AUTHOR, OG_URL, elements, has_class, strings
from newsetl.parsing.text import first_text
from newsetl.records import RawArticle, RawFigure
from newsetl.sites.base import CursorListing, Site, split_url

HEAD = elements(f"/descendant::div[{has_class('media_end_head')}]")  # only when the headline is missing
HEADLINE = elements("/descendant::h2[@id='title_area']")  # by tag and id: a fifth of the time of HEAD
BODY = elements("/descendant::article[@id='dic_area']")  # by tag: testing every element's id took 10x longer
# below div.media_end_head
TITLE = elements("descendant::span")  # below the headline h2
PUBLISHED = strings(f"descendant::span[{has_class('_ARTICLE_DATE_TIME')}]/@data-date-time")
MODIFIED = strings(f"descendant::span[{has_class('_ARTICLE_MODIFY_DATE_TIME')}]/@data-modify-date-time")
JOURNALISTS = elements(f"descendant::em[{has_class('media_end_head_journalist_name')}]")
LOGO = strings(f"descendant::img[{has_class('media_end_head_top_logo_img')}]/@title")
# below the body
SUMMARY = elements(f"descendant::strong[{has_class('media_end_summary')}]")
PHOTOS = elements(f"descendant::span[{has_class('end_photo_org')}]")
# anywhere
BYLINE_LINE = elements(f"/descendant::span[{has_class('byline_s')}]")
_NAVER_URL = re.compile(r"^https?://n\.news\.naver\.com/(?:mnews/)?article/\d{3}/\d{10}")
_OID = re.compile(r"/article/(\d{3})/\d{10}")
_RESIZE = re.compile(r"\?type=[\w.]{1,20}$")  # Naver's resize query, "?type=w860": the original has none

# Naver's press codes (the oid of article URLs, media.naver.com/press/<oid>) of the presses seen most; a
# page names its press in its logo, this is only for a page whose logo has no title.
OID_PRESS = {
    "001": "연합뉴스",
    "002": "프레시안",
    "003": "뉴시스",
    "005": "국민일보",
    "008": "머니투데이",
    "009": "매일경제",
    "011": "서울경제",
    "014": "파이낸셜뉴스",
    "015": "한국경제",
    "016": "헤럴드경제",
    "018": "이데일리",
    "020": "동아일보",
    "021": "문화일보",
    "022": "세계일보",
    "023": "조선일보",
    "025": "중앙일보",
    "028": "한겨레",
    "032": "경향신문",
    "047": "오마이뉴스",
    "052": "YTN",
    "055": "SBS",
    "056": "KBS",
    "079": "노컷뉴스",
    "081": "서울신문",
    "214": "MBC",
    "277": "아시아경제",
    "421": "뉴스1",
    "437": "JTBC",
    "469": "한국일보",
}


class Naver(Site):
    """An n.news.naver.com article page."""

    name = "naver"
    # before Daum: asking Naver first costs a Daum page two lookups by tag and id (~10 us), asking Daum first
    # cost a Naver page Daum's two by class (~40 us); no page of the other has either's markup
    priority = 15
    listing = CursorListing(
        url="{base_url}/breakingnews/section/{section}?date={day:%Y%m%d}",
        next_url=(
            "{base_url}/section/template/SECTION_ARTICLE_LIST_FOR_LATEST"
            "?sid={sid1}&sid2={sid2}&pageNo={page}&date={day:%Y%m%d}&next={cursor}"
        ),
        links=(f"//div[{has_class('sa_item_inner')}]//a[descendant::strong[{has_class('sa_text_strong')}]]/@href"),
        cursor="//*[@data-cursor-name='next']/@data-cursor",
    )
    # the whole path: /mnews/article/001/0015123456 (older links: /article/001/0015123456); the id is
    # oid/aid, since an aid is only unique within its press
    article_id_pattern = re.compile(r"/(?:mnews/)?article/([0-9]{3}/[0-9]{10})")

    @classmethod
    def recognises(cls, page: Page) -> bool:
        """An n.news.naver.com og:url (read once for every site), or Naver's article body or headline."""
        return bool(_NAVER_URL.match(first_text(page.query(OG_URL)) or "") or page.query(BODY) or page.query(HEADLINE))

    @cached_property
    def _headline(self) -> _Element | None:
        """h2#title_area, the headline."""
        found = self.page.query(HEADLINE)
        return found[0] if found else None

    @cached_property
    def _head(self) -> _Element | None:
        """div.media_end_head, the box of the title, the times, the reporters and the logo: an ancestor of the
        headline (a few steps up), else looked up in the page."""
        if self._headline is not None:
            for div in self._headline.iterancestors("div"):
                if "media_end_head" in (div.get("class") or "").split():
                    return div
        found = self.page.query(HEAD)
        return found[0] if found else None

    @cached_property
    def _view(self) -> _Element | None:
        """article#dic_area, the body."""
        found = self.page.query(BODY)
        return found[0] if found else None

    def title(self) -> str | None:
        """The span of h2#title_area, else og:title."""
        return (first_text(TITLE(self._headline)) if self._headline is not None else None) or super().title()

    def date_text(self) -> str | None:
        """data-date-time ("2026-01-06 16:19:31"), else the page's meta dates."""
        return (first_text(PUBLISHED(self._head)) if self._head is not None else None) or super().date_text()

    def modified_text(self) -> str | None:
        """data-modify-date-time; None on a page never edited."""
        return first_text(MODIFIED(self._head)) if self._head is not None else None

    def byline_text(self) -> str | None:
        """The reporters' names ("홍길동 기자, 김철수 기자"), else the byline line under the body."""
        names = [text for el in JOURNALISTS(self._head) if (text := first_text([el]))] if self._head is not None else []
        return ", ".join(names) if names else first_text(BYLINE_LINE(self.tree))

    def press_hints(self) -> list[str]:
        """The logo's title, the press of the URL's oid, og:article:author ("연합뉴스 | 네이버"); the page's
        copyright line only when none of them names one (finding it reads the text of the whole page)."""
        hints = [name.strip() for name in LOGO(self._head) if name.strip()] if self._head is not None else []
        parts = split_url(self.url() or "")  # None for what is no URL (og:url "http://[": urlsplit raises)
        oid = _OID.search(parts.path) if parts is not None else None
        if oid and oid.group(1) in OID_PRESS:
            hints.append(OID_PRESS[oid.group(1)])
        hints += [name.strip() for name in OG_AUTHOR(self.tree) if name.strip()]
        return hints or super().press_hints()

    @cached_property
    def _summary(self) -> list[str]:
        """The lines of strong.media_end_summary, which is then taken out of the body (it is no paragraph)."""
        if self._view is None:
            return []
        return lines_taken_out(SUMMARY(self._view))

    def summary(self) -> list[str]:
        """The summary lines (요약) at the top of the body, as shown."""
        return self._summary

    def body(self) -> tuple[list[str], list[RawFigure]]:
        """Paragraphs (text runs split at blank lines) and photos of article#dic_area, the summary left out."""
        _ = self._summary  # read, and taken out of the tree, before the walk
        if self._view is None:
            return [], []
        _photos_as_figures(PHOTOS(self._view))
        paragraphs, figures = body_of(self._view)
        return _split_at_blank_lines(paragraphs), _originals(figures)

    def parse(self) -> RawArticle:
        """The shared fields, plus the modified time and the summary."""
        raw = super().parse()
        raw.modified_text = self.modified_text()
        raw.summary = self.summary()
        return raw


def _photos_as_figures(photos: list[_Element]) -> None:
    """Make each span.end_photo_org a figure the shared walker reads: the span becomes a ``figure`` and its
    em.img_desc the ``figcaption``.

    Renaming a few elements is cheaper than a walker of Naver's own, and the walker then keeps the photo's
    caption out of the paragraphs as it does for every figure. A lazy-loaded image's URL is its
    ``data-src``: a ``src`` beside it (a placeholder until the page's script runs) is taken off, so the
    walker reads ``data-src``. Only tags are set and attributes removed: a text or attribute value copied
    from the page may hold characters lxml refuses to set."""
    for photo in photos:
        photo.tag = "figure"
        for em in photo.iter("em"):
            if "img_desc" in (em.get("class") or "").split():
                em.tag = "figcaption"
        for img in photo.iter("img"):
            if img.get("data-src") and "src" in img.attrib:
                del img.attrib["src"]


def _originals(figures: list[RawFigure]) -> list[RawFigure]:
    """Each image's original: its URL as served (``data-src``) without Naver's resize query, which stays on
    the thumbnail."""
    for figure in figures:
        figure.image_url = _RESIZE.sub("", figure.image_url)
    return figures


def _split_at_blank_lines(runs: list[str]) -> list[str]:
    """Naver writes most bodies as text with ``<br><br>`` between paragraphs: the walker gives each run of
    text between blocks as one paragraph with its line breaks kept, so a run is split at its blank lines
    (a single ``<br>`` stays a line break inside its paragraph)."""
    paragraphs: list[str] = []
    for run in runs:
        if "\n" not in run:
            paragraphs.append(run)
            continue
        lines: list[str] = []
        for line in run.split("\n"):
            if line.strip():
                lines.append(line)
            elif lines:
                paragraphs.append("\n".join(lines))
                lines = []
        if lines:
            paragraphs.append("\n".join(lines))
    return paragraphs


SITE = Naver
