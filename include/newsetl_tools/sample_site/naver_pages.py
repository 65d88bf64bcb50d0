"""The sample site's Naver-style news: a cursor listing per section and article pages sites/naver.py reads.

Paths are Naver's, under the sample's base URL (the ``sample_naver`` source's base_url is the sample site,
so its links are base-relative and the naver module's id rule, which reads the path, holds):
  * ``/breakingnews/section/<sid1>/<sid2>?date=YYYYMMDD``: a section's first page, FIRST_PAGE items
    ``div.sa_item_inner`` with ``strong.sa_text_strong`` and ``.sa_text_press``, and, when the day has more,
    the next cursor in ``data-cursor`` of the ``data-cursor-name="next"`` element;
  * ``/section/template/SECTION_ARTICLE_LIST_FOR_LATEST?sid=&sid2=&pageNo=&date=&next=<cursor>``: JSON whose
    ``renderedComponent.SECTION_ARTICLE_LIST_FOR_LATEST`` holds the next MORE_PAGE items as the same HTML
    (a cursor that is not the one handed out is a 404);
  * ``/mnews/article/<oid>/<aid>``: the article, shaped as n.news.naver.com's (sites/naver.py's docstring).
A day's Naver articles are half the Daum day's (20 by default), newest first, split over SECTIONS in turn;
aid is YYMMDD and a four-digit sequence, oid the press's Naver code where naver.OID_PRESS knows it.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from html import escape

from newsetl_tools.sample_site import site
from newsetl_tools.sample_site.corpus import CorpusArticle, modified, published

SECTIONS = ("100/264", "101/259")  # 정치 일반, 경제 금융 (Naver's sid1/sid2)
FIRST_PAGE = 4
MORE_PAGE = 4
MAX_NAVER_PER_DAY = 9999  # the aid's four digits
_AID = re.compile(r"^(\d{6})(\d{4})$")
_PRESS_OID = {"연합뉴스": "001", "뉴시스": "003", "뉴스1": "421", "머니투데이": "008", "한국경제": "015"}


def naver_per_day(articles_per_day: int) -> int:
    """Naver-style articles a day: half the Daum day's, at least one."""
    return min(MAX_NAVER_PER_DAY, max(1, articles_per_day // 2))


def section_seqs(day_articles: int, section: str) -> list[int]:
    """A section's sequences of the day, newest first."""
    index = SECTIONS.index(section)
    order = site.listing_order(day_articles)
    return [seq for seq in order if (seq - 1) % len(SECTIONS) == index]


def naver_article_path(day: dt.date, seq: int) -> str:
    """Where an article is served: /mnews/article/<oid>/<aid>."""
    article, _ = site.article_for_seq(seq)
    return f"/mnews/article/{_PRESS_OID.get(article.press, '999')}/{day:%y%m%d}{seq:04d}"


def _items(day: dt.date, seqs: list[int]) -> str:
    """Listing items as Naver's breaking news writes them (a thumbnail link and a title link each)."""
    rows = []
    for seq in seqs:
        article, _ = site.article_for_seq(seq)
        path = naver_article_path(day, seq)
        rows.append(
            '<li class="sa_item _SECTION_HEADLINE"><div class="sa_item_inner"><div class="sa_item_flex">'
            f'<div class="sa_thumb"><a href="{path}" class="sa_thumb_link"><img src="/t.jpg" alt=""></a></div>'
            f'<div class="sa_text"><a href="{path}" class="sa_text_title"><strong class="sa_text_strong">'
            f'{escape(article.title)}</strong></a><div class="sa_text_info"><div class="sa_text_press">'
            f"{escape(article.press)}</div></div></div></div></div></li>"
        )
    return "".join(rows)


def _cursor(day: dt.date, section: str, offset: int) -> str:
    """The opaque cursor of the items from ``offset`` on."""
    return f"{day:%Y%m%d}{section.replace('/', '')}{offset:05d}"


def _list_html(day: dt.date, section: str, seqs: list[int], offset: int, count: int) -> str:
    """The items from offset, and the cursor of the rest when there is one."""
    shown = seqs[offset : offset + count]
    end = offset + len(shown)
    cursor = f' data-cursor-name="next" data-cursor="{_cursor(day, section, end)}"' if end < len(seqs) else ""
    return (
        f'<div class="section_latest_article _CONTENT_LIST"{cursor}><ul class="sa_list">{_items(day, shown)}</ul></div>'
    )


def first_page(day: dt.date, sid1: str, sid2: str, articles_per_day: int) -> site.Page:
    """A section's breaking news of a day: the first items and the cursor of the rest."""
    section = f"{sid1}/{sid2}"
    if section not in SECTIONS:
        return site.not_found()
    seqs = section_seqs(naver_per_day(articles_per_day), section)
    headline = '<div class="section_article _TEMPLATE"><a href="/mnews/article/001/0000000009">헤드라인</a></div>'
    more = '<div class="section_more"><a href="#" class="_CONTENT_LIST_LOAD_MORE_BUTTON">기사 더보기</a></div>'
    html = (
        f'<!doctype html><html lang="ko"><head><meta charset="utf-8"><title>속보 : 네이버 뉴스</title></head><body>'
        f"{headline}{_list_html(day, section, seqs, 0, FIRST_PAGE)}{more}</body></html>"
    )
    return site.Page(200, html.encode("utf-8"), modified=published(day, 23, 59))


def more_page(day: dt.date, sid1: str, sid2: str, cursor: str, articles_per_day: int) -> site.Page:
    """The JSON page that follows a cursor (404 for a cursor not handed out)."""
    section = f"{sid1}/{sid2}"
    if section not in SECTIONS:
        return site.not_found()
    seqs = section_seqs(naver_per_day(articles_per_day), section)
    offset = next((o for o in range(FIRST_PAGE, len(seqs)) if _cursor(day, section, o) == cursor), None)
    if offset is None:
        return site.not_found()
    html = _list_html(day, section, seqs, offset, MORE_PAGE)
    body = json.dumps({"renderedComponent": {"SECTION_ARTICLE_LIST_FOR_LATEST": html}}, ensure_ascii=False)
    return site.Page(200, body.encode("utf-8"), "application/json; charset=UTF-8", published(day, 23, 59))


def article_page(oid: str, aid: str, base: str, articles_per_day: int) -> site.Page:
    """An article page shaped as n.news.naver.com's, 404 unless the path is one served."""
    match = _AID.match(aid)
    day = site.compact_day("20" + match.group(1)) if match else None
    if match is None or day is None:
        return site.not_found()
    seq = int(match.group(2))
    if not 1 <= seq <= naver_per_day(articles_per_day) or naver_article_path(day, seq) != f"/mnews/article/{oid}/{aid}":
        return site.not_found()
    article, copy = site.article_for_seq(seq)
    when, changed = published(day, article.hour, article.minute), modified(day, article)
    html = _article_html(article, copy, f"{base}{naver_article_path(day, seq)}", when, changed)
    return site.Page(200, html.encode("utf-8"), modified=changed or when)


def _article_html(article: CorpusArticle, copy: int, url: str, when: dt.datetime, changed: dt.datetime | None) -> str:
    """The parts of a Naver article page the naver module reads, around the corpus article."""
    reporters = "".join(f'<em class="media_end_head_journalist_name">{escape(r)} 기자</em>' for r in article.reporters)
    stamp = f'<span class="media_end_head_info_datestamp_time _ARTICLE_DATE_TIME" data-date-time="{when:%Y-%m-%d %H:%M:%S}">{when:%Y.%m.%d. %H:%M}</span>'
    if changed is not None:
        stamp += (
            '<span class="media_end_head_info_datestamp_time _ARTICLE_MODIFY_DATE_TIME" '
            f'data-modify-date-time="{changed:%Y-%m-%d %H:%M:%S}">{changed:%Y.%m.%d. %H:%M}</span>'
        )
    summary = (
        f'<strong class="media_end_summary">{"<br>".join(escape(line) for line in article.summary)}</strong>'
        if article.summary
        else ""
    )
    photos = "".join(
        f'<span class="end_photo_org"><div class="nbd_im_w"><div class="nbd_a"><img data-src="{escape(p.image_url)}'
        f'?type=w860" alt=""></div></div><em class="img_desc">{escape(_caption(p.caption, p.credit))}</em></span>'
        for p in article.photos
    )
    paragraphs = [escape(p).replace("\n", "<br>") for p in article.paragraphs]
    if copy:
        paragraphs.append(f"(사본 {copy})")
    title = escape(article.title)
    return (
        f'<!doctype html><html lang="ko"><head><meta charset="utf-8"><title>{title}</title>'
        f'<meta property="og:title" content="{title}"><meta property="og:url" content="{escape(url)}">'
        f'<meta property="og:article:author" content="{escape(article.press)} | 네이버"></head><body>'
        f'<div class="media_end_head go_trans"><div class="media_end_head_top"><a class="media_end_head_top_logo" '
        f'href="#"><img class="media_end_head_top_logo_img light_type" title="{escape(article.press)}" '
        f'alt="{escape(article.press)}" src="/logo.png"></a></div><div class="media_end_head_title">'
        f'<h2 id="title_area" class="media_end_head_headline"><span>{title}</span></h2></div>'
        f'<div class="media_end_head_info">{reporters}{stamp}</div></div>'
        f'<article id="dic_area" class="go_trans _article_content">{summary}{photos}{"<br><br>".join(paragraphs)}'
        "</article></body></html>"
    )


def _caption(caption: str | None, credit: str | None) -> str:
    """A photo's caption with its credit, as pages print them."""
    return " ".join(part for part in (caption, f"[{credit}]" if credit else None) if part)
