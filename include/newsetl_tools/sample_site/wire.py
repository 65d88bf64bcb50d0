"""The sample site's wire desk: a day's agency stories (연합뉴스, 뉴스1, 뉴시스) and the presses' syndicated copies.

In Korean news one agency dispatch is republished by many presses with small edits; story clustering must
group those copies across presses. The desk serves, each day, ``STORIES_PER_DAY`` stories, each the agency
original and ``COPIES[k]`` copies, 15 pages a day whatever the Daum day's size (a handful of stories is what
clustering needs, and a 20,000-article bench day must not be made of copies). Each page is a plain ND소프트-like
press page (the CMS many Korean presses run: ``articleView.html?idxno=``) read by the generic press reader:
the press is the page's own ``og:site_name``, JSON-LD publisher and copyright line, so every copy is read with
the press that republished it, not the agency its text credits.

A story is a corpus article's body. The original opens with the agency's dateline ("(서울=연합뉴스) 권훈 기자
= …") and is published first; a copy is published 6-44 minutes later under another title, its lead
rewritten (dateline dropped, the lead sentence re-framed), its last one or two paragraphs trimmed, its own
reporter and the press's boilerplate line. Everything is a function of the day (same day, same bytes).

Routes: ``/wire/rss.xml?date=YYYYMMDD`` (the day's pages, newest first: the ``sample_wire`` source reads it)
and ``/wire/<press code>/news/articleView.html?idxno=<id>``. ``wire_pairs(day)`` gives a near-duplicate
detector's quality test the day's bodies in labelled pairs (same story or not).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from dataclasses import dataclass
from email.utils import format_datetime
from functools import lru_cache
from html import escape
from itertools import combinations
from xml.sax.saxutils import escape as xml_escape

from newsetl_tools.sample_site.corpus import CorpusArticle, corpus, published

STORIES_PER_DAY = 3
COPIES = (4, 3, 5)  # copies of the day's stories, in turn: 3-5 presses a story
PAGES_PER_DAY = STORIES_PER_DAY + sum(COPIES[k % len(COPIES)] for k in range(STORIES_PER_DAY))
RSS_PATH = "/wire/rss.xml"
# (name, code in URLs and e-mail domains): the agencies, then the presses that republish them
AGENCIES = (("연합뉴스", "yna"), ("뉴스1", "news1"), ("뉴시스", "newsis"))
PRESSES = (
    ("아시아경제", "asiae"),
    ("이데일리", "edaily"),
    ("헤럴드경제", "heraldcorp"),
    ("문화일보", "munhwa"),
    ("쿠키뉴스", "kukinews"),
    ("서울신문", "seoul"),
    ("국민일보", "kmib"),
    ("세계일보", "segye"),
)
_CODES = {code: name for name, code in AGENCIES + PRESSES}
_SECTIONS = ("정치", "경제", "사회", "국제", "문화", "스포츠")  # the press menu's sections
# A story's body: corpus articles of 6-15 paragraphs and 400-3,500 characters (one-paragraph or magazine-length
# ones would make a copy either nothing like its original once trimmed, or a page unlike a wire story).
_MIN_PARAGRAPHS, _MAX_PARAGRAPHS, _MIN_CHARS, _MAX_CHARS = 6, 15, 400, 3500
# The dateline's city and the copies' reframed leads, headline edits and reporters (deterministic choices)
_CITIES = ("서울", "세종", "부산", "인천")
# every reframing changes the lead as a reader takes it (a reader drops an agency dateline, so dropping it
# alone would leave the original's lead)
_LEADS = (
    "{agency}에 따르면 {lead}",
    "{agency} 취재를 종합하면 {lead}",
    "이와 관련해 {lead}",
    "{day}일 {agency} 보도에 따르면 {lead}",
)
_TITLES = ("[종합] {t}", "{t}…관심 집중", "[이슈] {t}", "{t} (종합2보)", "[오늘의 뉴스] {t}")
_SURNAMES = "김이박최정강조윤장임"
_GIVEN = ("민준", "서연", "도윤", "하은", "지호", "수빈", "현우", "지민", "예준", "채원")
_DATELINE = re.compile(r"^\([^()=]{1,10}=[^()]{1,12}\)[^=]{0,40}=\s*")


@dataclass(frozen=True)
class WirePage:
    """One page of the wire desk: the agency original (copy 0) or a press's copy of it."""

    story: int  # 0..STORIES_PER_DAY-1
    copy: int  # 0: the agency original
    press: str
    code: str  # the press's code in the URL and its reporters' e-mail
    agency: str
    idxno: str  # the CMS id: YYYYMMDD, story, copy
    title: str
    reporter: str
    published: dt.datetime
    paragraphs: tuple[str, ...]
    boilerplate: str  # the press's line under the body
    photo: str  # the agency's photo as this press hosts it (its URL on the press's image server)
    caption: str  # the caption, the agency credited at its end

    def path(self) -> str:
        """Where the desk serves the page."""
        return f"/wire/{self.code}/news/articleView.html?idxno={self.idxno}"

    @property
    def body_text(self) -> str:
        """The body as a reader gets it: the paragraphs, a blank line between them."""
        return "\n\n".join(self.paragraphs)


def _pick(day: dt.date, *salt: object) -> int:
    """A stable number for a day and a choice (hash, not random: same day, same pages in every process)."""
    key = "|".join([day.isoformat(), *map(str, salt)]).encode("utf-8")
    return int(hashlib.sha256(key).hexdigest()[:12], 16)


def _pool() -> tuple[CorpusArticle, ...]:
    """The corpus articles a story may be made of."""
    return tuple(
        a
        for a in corpus()
        if _MIN_PARAGRAPHS <= len(a.paragraphs) <= _MAX_PARAGRAPHS
        and _MIN_CHARS <= sum(len(p) for p in a.paragraphs) <= _MAX_CHARS
    )


def _reporter(day: dt.date, story: int, copy: int) -> str:
    """A copy's own desk reporter."""
    pick = _pick(day, "reporter", story, copy)
    return _SURNAMES[pick % len(_SURNAMES)] + _GIVEN[(pick // 16) % len(_GIVEN)]


def _lead_sentence(paragraph: str) -> tuple[str, str]:
    """The first sentence of a paragraph and the rest (a sentence ends with "다." or a full stop and a space)."""
    cut = paragraph.find("다. ")
    return (paragraph, "") if cut < 0 else (paragraph[: cut + 2], paragraph[cut + 3 :])


def _photo(article: CorpusArticle, agency: str, code: str, idxno: str, when: dt.datetime) -> tuple[str, str]:
    """The story's photo on a press's own image server (each press re-hosts the agency's photo, as ND소프트
    sites do under /news/photo/), its caption credited to the agency."""
    photo = article.photos[0] if article.photos else None
    caption = (photo.caption if photo and photo.caption else article.title).split("\n")[0]
    return f"https://cdn.{code}.co.kr/news/photo/{when:%Y%m}/{idxno}_1_{when:%H%M}.jpg", f"{caption} [사진={agency}]"


@lru_cache(maxsize=64)
def day_pages(day: dt.date) -> tuple[WirePage, ...]:
    """The day's pages: per story the agency original, then its copies by number (their times are staggered
    after the original's, not in that order)."""
    pool = _pool()
    start = _pick(day, "stories") % len(pool)
    pages: list[WirePage] = []
    for story in range(STORIES_PER_DAY):
        # stories spread over the pool: three different articles, a different three each day
        article = pool[(start + story * (len(pool) // STORIES_PER_DAY)) % len(pool)]
        agency, agency_code = AGENCIES[_pick(day, "agency", story) % len(AGENCIES)]
        # the original before 22:00, so its copies (at most 44 minutes later) are on the same day
        minutes = min(article.hour * 60 + article.minute + story * 7, 22 * 60 - 1)
        first = published(day, minutes // 60, minutes % 60)
        lead = _DATELINE.sub("", article.paragraphs[0])
        reporter = article.reporters[0] if article.reporters else _reporter(day, story, 0)
        city = _CITIES[_pick(day, "city", story) % len(_CITIES)]
        photo, caption = _photo(article, agency, agency_code, f"{day:%Y%m%d}{story}00", first)
        pages.append(
            WirePage(
                story=story,
                copy=0,
                press=agency,
                code=agency_code,
                agency=agency,
                idxno=f"{day:%Y%m%d}{story}00",
                title=article.title,
                reporter=reporter,
                published=first,
                paragraphs=(f"({city}={agency}) {reporter} 기자 = {lead}", *article.paragraphs[1:]),
                boilerplate=f"<저작권자(c) {agency}, 무단 전재-재배포, AI 학습 및 활용 금지>",
                photo=photo,
                caption=caption,
            )
        )
        offset = _pick(day, "presses", story)
        # a step of 3, prime to the 8 presses: 3-5 different presses a story
        chosen = [PRESSES[(offset + step * 3) % len(PRESSES)] for step in range(COPIES[story % len(COPIES)])]
        for copy, (press, code) in enumerate(chosen, start=1):
            pick = _pick(day, "copy", story, copy)
            sentence, rest = _lead_sentence(lead)
            reframed = _LEADS[pick % len(_LEADS)].format(agency=agency, lead=sentence, day=day.day)
            new_lead = f"{reframed} {rest}".strip()
            # one or two trailing paragraphs cut, as desks trim a dispatch to their space; at least four kept
            keep = max(4, len(article.paragraphs) - 1 - (pick // 7) % 2)
            idxno = f"{day:%Y%m%d}{story}{copy:02d}"
            # staggered after the original: copy k 6k to 6k+14 minutes later, so who published first has an
            # answer (the agency) and the copies' order is not simply their numbering
            when = first + dt.timedelta(minutes=copy * 6 + (pick // 11) % 15)
            photo, caption = _photo(article, agency, code, idxno, when)
            pages.append(
                WirePage(
                    story=story,
                    copy=copy,
                    press=press,
                    code=code,
                    agency=agency,
                    idxno=idxno,
                    title=_TITLES[(pick // 3 + copy) % len(_TITLES)].format(t=article.title),
                    reporter=_reporter(day, story, copy),
                    published=when,
                    paragraphs=(new_lead, *article.paragraphs[1:keep]),
                    boilerplate=f"ⓒ {press}, 무단전재 및 재배포 금지",
                    photo=photo,
                    caption=caption,
                )
            )
    return tuple(pages)


def page_for(code: str, idxno: str) -> WirePage | None:
    """The page a URL's press code and id name, None unless the desk serves exactly that."""
    match = re.fullmatch(r"(\d{8})(\d)(\d{2})", idxno)
    if match is None or code not in _CODES:
        return None
    try:
        day = dt.datetime.strptime(match.group(1), "%Y%m%d").date()
    except ValueError:
        return None
    for page in day_pages(day):
        if page.idxno == idxno and page.code == code:
            return page
    return None


def _ld(page: WirePage, url: str) -> str:
    """The page's JSON-LD NewsArticle (``</`` escaped so it cannot end the script)."""
    document = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": page.title,
        "url": url,
        "datePublished": page.published.isoformat(),
        "author": [{"@type": "Person", "name": page.reporter, "jobTitle": "기자"}],
        "publisher": {"@type": "Organization", "name": page.press},
        "description": page.paragraphs[0][:120],
        "image": [page.photo],
    }
    return json.dumps(document, ensure_ascii=False).replace("</", "<\\/")


def render_page(page: WirePage, base: str) -> bytes:
    """The press page of a wire page: the press's header and menu, the article, its boilerplate and footer."""
    url = base + page.path()
    title, press = escape(page.title), escape(page.press)
    body = "".join(
        "<p>" + "<br>".join(escape(line, quote=False) for line in p.split("\n")) + "</p>\n" for p in page.paragraphs
    )
    shown = f"{page.published:%Y.%m.%d %H:%M}"
    menu = "".join(f'<li><a href="/wire/{page.code}/news/articleList.html?sc={s}">{s}</a></li>' for s in _SECTIONS)
    html = (
        f'<!DOCTYPE html>\n<html lang="ko"><head><meta charset="utf-8">\n<title>{title} - {press}</title>\n'
        f'<meta property="og:type" content="article">\n<meta property="og:site_name" content="{press}">\n'
        f'<meta property="og:title" content="{title}">\n<meta property="og:url" content="{escape(url)}">\n'
        f'<meta property="og:description" content="{escape(page.paragraphs[0][:120])}">\n'
        f'<meta property="article:published_time" content="{page.published.isoformat()}">\n'
        f'<meta name="copyright" content="Copyright © {press}. All rights reserved.">\n'
        f'<link rel="canonical" href="{escape(url)}">\n'
        f'<script type="application/ld+json">{_ld(page, url)}</script>\n</head>\n<body>\n'
        f'<header id="user-header"><h1 class="logo"><a href="/wire/{page.code}/">{press}</a></h1>\n'
        f'<nav><ul class="nav-menu">{menu}</ul></nav></header>\n'
        f'<article id="article-view"><header class="article-view-header"><h3 class="heading">{title}</h3>\n'
        f'<ul class="infomation"><li><i class="icon-user"></i> {escape(page.reporter)} 기자</li>'
        f'<li><i class="icon-clock"></i> 입력 {shown}</li></ul></header>\n'
        f'<div id="article-view-content-div" itemprop="articleBody">\n<figure class="photo-layout image">'
        f'<img src="{escape(page.photo)}" alt="{escape(page.caption)}"><figcaption>{escape(page.caption)}'
        f"</figcaption></figure>\n{body}</div>\n"
        f'<div class="writer">{escape(page.reporter)} 기자 {escape(_email(page))}</div>\n'
        f'<p class="article-copy">{escape(page.boilerplate)}</p>\n</article>\n'
        f'<footer id="user-footer"><p>{press} | 등록번호 서울 아 0{_pick(page.published.date(), page.code) % 9000 + 1000}'
        f"</p><p>Copyright © {press}. All rights reserved.</p></footer>\n</body></html>\n"
    )
    return html.encode("utf-8")


def _email(page: WirePage) -> str:
    """The reporter's e-mail at the press's domain."""
    return f"{page.code}{int(page.idxno[-3:]) + 100}@{page.code}.co.kr"


def wire_feed(day: dt.date, base: str) -> tuple[bytes, dt.datetime]:
    """The desk's RSS feed of a day, newest first; and its newest time."""
    pages = sorted(day_pages(day), key=lambda p: (p.published, p.idxno), reverse=True)
    items = "".join(
        f"<item><title>{xml_escape(p.title)}</title><link>{xml_escape(base + p.path())}</link>"
        f'<guid isPermaLink="false">{p.code}-{p.idxno}</guid><author>{xml_escape(p.press)}</author>'
        f"<pubDate>{format_datetime(p.published)}</pubDate></item>"
        for p in pages
    )
    body = (
        '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel><title>샘플 통신 전재 기사</title>'
        f"<link>{base}{RSS_PATH}</link><description>sample wire desk</description>{items}</channel></rss>"
    )
    return body.encode("utf-8"), pages[0].published


def wire_pairs(day: dt.date) -> list[tuple[str, str, bool]]:
    """Labelled pairs of the day's bodies for a near-duplicate detector's quality test: every pair of the
    day's wire pages as (body_a, body_b, same_story), the bodies as the pages serve them (paragraphs joined by
    a blank line). Of the 15 pages' 105 pairs, 31 are the same story (an original and a copy, or two copies)
    and 74 are not."""
    return [(a.body_text, b.body_text, a.story == b.story) for a, b in combinations(day_pages(day), 2)]
