"""The sample press site: the four real press pages of data/press/ as templates around the corpus's articles.

Each real page (two sites, three generations of one of them, byte for byte as served, 74-382 KB) keeps its
whole chrome (header, menus, scripts, ads, related-article boxes, footer); its article is cut out
(cutting.py) and the served article is written where the real page had its own: the headline, reporters,
입력/수정 times, 요약 lines, body paragraphs and photos with captions and credits, in the page's own markup,
and in its metadata (OpenGraph, JSON-LD, analytics scripts, Next.js payloads). The specs below say, per page,
which of its strings are the article's (``Swap``) and which parts are generated whole (``Region``, with the
page's own paragraph, figure and byline markup, its ad slots between paragraphs where it had them). Photos
move to the press's own image server (``press_photo``). What no reader takes an article's field from keeps the
real page's values (keywords, section, analytics counters, the editors' extra writer records): a served page
is the real page with its article replaced, not a page any real article had.

Pages are built once per process (``templates``); serving one is a fill and a join (splice.py).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from html import escape

from newsetl_tools.sample_site.corpus import DATA_DIR, CorpusArticle, Photo
from newsetl_tools.sample_site.cutting import CutPage, Region, Swap, cut_page, js_single, jsp_escape, script_json

PRESS_DIR = DATA_DIR / "press"


@dataclass(frozen=True)
class PressArticle:
    """One article as a press page shows it."""

    article_id: str  # the sample site's id (17 digits), also where the real page had its own
    url: str  # the article's address on the press's own site (og:url, canonical)
    title: str
    reporters: tuple[str, ...]
    emails: tuple[str, ...]
    published: dt.datetime
    modified: dt.datetime | None
    summary: tuple[str, ...]
    paragraphs: tuple[str, ...]
    photos: tuple[Photo, ...]

    @property
    def changed(self) -> dt.datetime:
        """The 수정 time, the 입력 time when never modified (pages that always show one)."""
        return self.modified or self.published

    @property
    def description(self) -> str:
        """The meta description: the 요약 lines, else the start of the lead paragraph."""
        return " ".join(self.summary) if self.summary else _clip(self.paragraphs[0], 150)

    @property
    def lead_image(self) -> str:
        """The first photo's URL ("" without photos)."""
        return self.photos[0].image_url if self.photos else ""


def press_article(
    template: str,
    article_id: str,
    url: str,
    article: CorpusArticle,
    when: dt.datetime,
    changed: dt.datetime | None,
    marker: str | None,
) -> PressArticle:
    """The press page's view of a corpus article served under an id in a template; ``marker`` is a copy's
    extra paragraph. Its photos are on the press's own image server, as on the real page."""
    return PressArticle(
        article_id=article_id,
        url=url,
        title=article.title,
        reporters=article.reporters,
        emails=article.emails,
        published=when,
        modified=changed,
        summary=article.summary,
        paragraphs=article.paragraphs + ((marker,) if marker else ()),
        photos=tuple(press_photo(template, photo, when) for photo in article.photos),
    )


# Where each press keeps its photos (the real pages' own forms): a press page never links Daum's image server,
# whose paths name another press (a reader may take the press from an image path).
_IMAGE_URLS = {
    "mk": "https://pimg.mk.co.kr/news/cms/{day:%Y%m}/{day:%d}/news-p.v1.{day:%Y%m%d}.{digest}_R.jpg",
    "hankookilbo": "https://newsimg.hankookilbo.com/cms/articlerelease/{day:%Y/%m/%d}/{uuid}.jpg",
}


def press_photo(template: str, photo: Photo, when: dt.datetime) -> Photo:
    """The photo as the template's press serves it: the same caption and credit, a URL on its image server
    (named after the corpus URL, so each photo keeps one URL)."""
    digest = hashlib.sha256(photo.image_url.encode("utf-8")).hexdigest()[:32]
    uuid = f"{digest[:8]}-{digest[8:12]}-{digest[12:16]}-{digest[16:20]}-{digest[20:32]}"
    form = _IMAGE_URLS[template.split("_")[0]]
    return Photo(form.format(day=when, digest=digest, uuid=uuid), photo.width, photo.caption, photo.credit)


def _clip(text: str, limit: int) -> str:
    """At most ``limit`` characters of a paragraph's first line."""
    line = text.split("\n")[0]
    return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"


def _reporter_number(name: str) -> int:
    """A stable staff number for a reporter (pages link each to a profile page by number)."""
    return int(hashlib.sha256(name.encode("utf-8")).hexdigest()[:6], 16) % 2000 + 100


def _text(paragraph: str, br: str = "<br>") -> str:
    """A paragraph's text as HTML: escaped, its line breaks as <br>."""
    return br.join(escape(line, quote=False) for line in paragraph.split("\n"))


def _with_credit(photo: Photo, form: str) -> str:
    """The caption as the page writes it, the credit in the page's form ("{}" stands for the credit)."""
    caption = photo.caption or ""  # some photos have no caption, only a credit, or neither
    return f"{caption} {form.format(photo.credit)}".strip() if photo.credit else caption


def _layout(article: PressArticle) -> list[tuple[str, int]]:
    """The body in reading order: ("photo", index) and ("p", index), the lead photo first and the others spread
    evenly through the paragraphs, as the real pages place them."""
    parts: list[tuple[str, int]] = []
    photos, paragraphs = len(article.photos), len(article.paragraphs)
    if photos:
        parts.append(("photo", 0))
    step = paragraphs / photos if photos else 0
    placed = 1
    for index in range(paragraphs):
        parts.append(("p", index))
        while placed < photos and index + 1 >= round(placed * step) and index + 1 < paragraphs:
            parts.append(("photo", placed))
            placed += 1
    parts += [("photo", rest) for rest in range(placed, photos)]
    return parts


# --- 매일경제 (www.mk.co.kr), 2025: server-rendered, several reporters, 요약 lines above the body ---------------


def _mk_body(article: PressArticle) -> str:
    """div.news_cnt_detail_wrap: 요약 box, then figures and paragraphs numbered by refId, then refTotal."""
    parts = []
    if article.summary:
        lines = "<br/>".join(escape(line, quote=False) for line in article.summary)
        parts.append(f'<div class="mid_title">  <div class="midtitle_text">{lines}  </div></div>')
    ref = 0
    for kind, index in _layout(article):
        ref += 1
        if kind == "p":
            parts.append(f'<p refId="{ref}">{_text(article.paragraphs[index], "<br/>")}</p>')
            continue
        photo = article.photos[index]
        caption = escape(_with_credit(photo, "[사진 출처 = {}]"))
        width = photo.width or 640
        src = escape(photo.image_url)
        parts.append(
            f'<div refId="{ref}" class="thumb_area img">  <figure>    <div class="thumb">      <img loading="lazy" '
            f'src="{src}"  orgWidth="{width}" orgHeight="{width * 2 // 3}" alt="{caption}" >      <button class="btn '
            f'btn_ic btn_zoom">        <i class="ic ic_zoom" data-url="{src}" data-width="{width}" '
            f'data-height="{width * 2 // 3}"></i>        <span class="is_blind">사진 확대</span>      </button>    '
            f'</div>    <figcaption>  <span class="thum_figure_txt">{caption}</span>    </figcaption>  </figure></div>'
        )
    return "".join(parts) + f'<div id="refTotal" value="{ref}"></div>'


def _mk_authors(article: PressArticle) -> str:
    """The reporter cards above the body: name, profile link and e-mail."""
    cards = []
    for position, name in enumerate(article.reporters):
        number = _reporter_number(name)
        email = article.emails[position] if position < len(article.emails) else ""
        cards.append(
            f'<dl class="author">\n<a href="//www.mk.co.kr/author/{number}" data-category_1depth="뉴스" '
            f'data-category_2depth="뷰"  data-section="header (inner)" data-label="{escape(name)} {number}">\n'
            f'<dt class="name">{escape(name)} 기자</dt>\n<dd class="email">{escape(email)}</dd>\n</a>\n</dl>\n'
        )
    return "".join(cards)


def _mk_ai_summary(article: PressArticle) -> str:
    """The "뉴스 요약쏙" layer (members only): three sentences of the article."""
    sentences = [paragraph.split(". ")[0].rstrip(".") + "." for paragraph in article.paragraphs[:3]]
    return "\n" + "".join(f'<p class="news_text">{escape(s, quote=False)} </p>' for s in sentences) + "\n"


def _mk_ld_authors(article: PressArticle) -> str:
    return ",".join(
        f'{{ "@type": "Person", "name": "{script_json(name)}", "url": "https://www.mk.co.kr/author/'
        f'{_reporter_number(name)}"}}'
        for name in article.reporters
    )


# A template: (real page name, its press, its HTML escaping, the regions generated whole, the swapped values).
Spec = tuple[str, str, Callable[[str], str], Sequence[Region[PressArticle]], Sequence[Swap[PressArticle]]]
MK_SPEC: Spec = (
    "mk_2025_06_03",
    "매일경제",
    escape,
    (
        Region(
            '<div class="news_cnt_detail_wrap" itemprop="articleBody">\n',
            '\n</div>\n<div class="ad_contents">',
            _mk_body,
        ),
        Region(
            '<div class="news_write_info_group">\n<div class="info_area">\n', '<div class="time_area">', _mk_authors
        ),
        Region('<div class="news_sum_text">', "</div>", _mk_ai_summary, count=2),
        Region('"image": [ ', " ],", lambda a: ",".join(f'"{script_json(p.image_url)}"' for p in a.photos)),
        Region('"dateModified": "', '"', lambda a: a.changed.isoformat()),
        Region('"author": [ ', " ]\n}", _mk_ld_authors),
        Region(".setTargeting('journalist', [", "])", lambda a: ",".join(f"'{js_single(n)}'" for n in a.reporters)),
        Region("'image_count': ", ",", lambda a: str(len(a.photos))),
        Region("'word_count': ", ",", lambda a: str(sum(len(p) for p in a.paragraphs))),
        Region("'author_department': '", "'", lambda a: ",".join(["디지털뉴스룸"] * len(a.reporters))),
        Region("'author_name': '", "'", lambda a: ",".join(f"{n}({_reporter_number(n)})" for n in a.reporters)),
    ),
    (
        Swap("‘흙수저’ 소년공이 쏘아올린 정치 신화", lambda a: a.title, 10),
        Swap("https://www.mk.co.kr/news/politics/11333783", lambda a: a.url, 4),
        Swap("11333783", lambda a: a.article_id, 15),
        Swap("2025-06-04T02:37:08+09:00", lambda a: a.published.isoformat(), 2),
        Swap("2025-06-04 02:37:08", lambda a: f"{a.published:%Y-%m-%d %H:%M:%S}", 2),
        Swap("배윤경,이상현,한수진,김혜진", lambda a: ",".join(a.reporters), 1),
        Swap(
            "이재명 제21대 대통령선거 당선자 가난에 공장에서 일한 ‘소년공’ 제때 치료받지 못해 장애판정도 "
            "공장관리자 되려 공부…‘인권변호사’로 정치 입문 후 두 번의 대선 거쳐 대통령 당선",
            lambda a: a.description,
            3,
        ),
        Swap(
            "https://pimg.mk.co.kr/news/cms/202506/04/news-p.v1.20250602.a5dac8b442e34905b98a743f723995be_R.png",
            lambda a: a.lead_image,
            4,
        ),
    ),
)


# --- 한국일보 (www.hankookilbo.com), 2025: server-rendered JSP; the body is an HTML document of its own --------


@cache
def _original_piece(name: str, start: str, end: str) -> str:
    """A part of a real page kept as it is (from ``start`` up to and with ``end``), such as an ad slot."""
    text = (PRESS_DIR / f"{name}.html").read_bytes().decode("utf-8")
    first = text.index(start)
    return text[first : text.index(end, first) + len(end)]


def _hankook_figure(photo: Photo) -> str:
    """div.editor-img-box: the image, its caption with the credit after it."""
    caption = escape(_with_credit(photo, "{}"))
    return (
        f'  <div class="editor-img-box"> \n   <div class="img-box">\n    <img src="{escape(photo.image_url)}" '
        f'alt="{caption}"><button type="button" class="img-zoomin">이미지 확대보기</button>\n   </div> \n   '
        f'<div class="caption"> \n    <p>{caption}</p> \n   </div> \n  </div> \n'
    )


def _hankook2025_body(article: PressArticle) -> str:
    """The body document: 요약 h2, then figures and p.editor-p paragraphs with the page's two ad slots after the
    first two paragraphs, the editor's trailing empty paragraphs, then the reporters' lines."""
    ad = _original_piece("hankookilbo_2025_05_15", "<!-- .ad-banner -->", "<!-- // .ad-banner -->")
    parts = []
    if article.summary:
        lines = "<br>".join(escape(line, quote=False) for line in article.summary)
        parts.append(f'                    <h2 class="sub-tit-ll">{lines}</h2>\n')
    parts.append("                                <html> \n <head></head> \n <body> \n")
    for kind, index in _layout(article):
        if kind == "photo":
            parts.append(_hankook_figure(article.photos[index]))
            continue
        text = _text(article.paragraphs[index])
        if index < 2:
            parts.append(f'  <p class="editor-p">{text} </p>{ad}\n                         \n')
        else:
            parts.append(f'  <p class="editor-p">{text} </p> \n')
    parts.append('  <p class="editor-p"><br></p> \n' * 3 + " \n </body>\n</html>\n")
    for position, name in enumerate(article.reporters):
        email = article.emails[position] if position < len(article.emails) else ""
        parts.append(
            f'<div class="writer"><span class="name"> <strong> {escape(name)} </strong> 기자<span class="email"> '
            f"{escape(email)} </span> </span></div>\n"
        )
    return "".join(parts)


def _hankook2025_ld_images(article: PressArticle) -> str:
    return ", ".join(
        '{\n    "@context" : "https://schema.org",\n    "@type" : "ImageObject",\n    "url" : '
        f'"{script_json(photo.image_url)}",\n    "width" : {photo.width or 640},\n    "height" : '
        f"{(photo.width or 640) * 2 // 3}\n  }}"
        for photo in article.photos
    )


def _hankook2025_ld_authors(article: PressArticle) -> str:
    return ", ".join(
        '{\n    "@context" : "https://schema.org",\n    "@type" : "Person",\n    "name" : '
        f'"{script_json(name)}",\n    "url" : "https://hankookilbo.com/jpage/{_reporter_number(name)}"\n  }}'
        for name in article.reporters
    )


def _hankook2025_modified(article: PressArticle) -> str:
    """The 수정 line of the info box, only for a modified article."""
    if article.modified is None:
        return ""
    return f"        <dt>수정</dt>\n            <dd>{article.modified:%Y.%m.%d %H:%M}</dd>\n"


def _jsp_ms(when: dt.datetime) -> str:
    """The page's timestamps: 2025-05-15T20:00:52.000+0900."""
    return f"{when:%Y-%m-%dT%H:%M:%S}.000{when:%z}"


HANKOOK_2025_TITLE = "\"왜 경상도, 전라도 나눠서 싸우나\"... DJ 고향에서 '국민 통합' 외친 이재명"
HANKOOK_2025_LEAD = "8b6d3aea-4847-41db-9d0a-a86bd7e55417"
HANKOOK_2025_SPEC: Spec = (
    "hankookilbo_2025_05_15",
    "한국일보",
    jsp_escape,
    (
        Region('<div class="col-main" itemprop="articleBody">\n', "<!-- 해시태그 //-->", _hankook2025_body),
        Region("<dd>2025.05.15 20:00</dd>\n", "        </dl>", _hankook2025_modified),
        Region('"image" : [ ', " ],\n", _hankook2025_ld_images),
        Region('"author" : [ ', " ],\n", _hankook2025_ld_authors),
        Region('"description" : "', '",\n', lambda a: script_json(a.description[:100])),
        Region('<meta name="description" content="', '">', lambda a: " " + escape(jsp_escape(a.description[:100]))),
        Region(
            '<meta property="og:description" content="', '" >', lambda a: " " + escape(jsp_escape(a.description[:100]))
        ),
        Region(
            '<meta name="twitter:description" content="', '" >', lambda a: " " + escape(jsp_escape(a.description[:100]))
        ),
        Region(
            '<input id="articleContents" type="hidden" value="',
            '"/>',
            lambda a: "\n " + jsp_escape("  ".join(a.paragraphs)[:300]),
        ),
        Region('<meta property="dable:author" content="', '">', lambda a: escape(_byline_with_emails(a))),
        Region('"dateModified" : "', '"', lambda a: _jsp_ms(a.changed)),
        Region("lastPubleTime = '", "'", lambda a: f"{a.changed:%H:%M:%S}", count=2),
        Region("firstPubleTime = '", "'", lambda a: f"{a.changed:%H:%M:%S}", count=2),
    ),
    (
        Swap(HANKOOK_2025_TITLE, lambda a: a.title, 16),
        Swap("왜 경상도, 전라도 나눠서 싸우나... DJ 고향에서 '국민 통합' 외친 이재명", lambda a: a.title, 1),
        Swap("https://www.hankookilbo.com/News/Read/A2025051516330004328", lambda a: a.url, 3),
        Swap("2025051516330004328", lambda a: a.article_id, 27),
        Swap(f"https://newsimg.hankookilbo.com/big/2025/05/15/{HANKOOK_2025_LEAD}.jpg", lambda a: a.lead_image, 2),
        Swap(f"https://newsimg-hams.hankookilbo.com/2025/05/15/{HANKOOK_2025_LEAD}_t.jpg", lambda a: a.lead_image, 2),
        Swap(f"https://newsimg-hams.hankookilbo.com/2025/05/15/{HANKOOK_2025_LEAD}.jpg", lambda a: a.lead_image, 1),
        Swap(
            f"https://newsimg.hankookilbo.com/cms/articlerelease/2025/05/15/{HANKOOK_2025_LEAD}.jpg",
            lambda a: a.lead_image,
            1,
        ),
        Swap("2025-05-15T20:00:52.000+0900", lambda a: _jsp_ms(a.published), 3),
        Swap("2025-05-15T16:33:43.000+0900", lambda a: _jsp_ms(a.published), 1),
        Swap("2025.05.15 20:00", lambda a: f"{a.published:%Y.%m.%d %H:%M}", 1),
        Swap("2025/05/15", lambda a: f"{a.published:%Y/%m/%d}", 8, only=("js",)),
        Swap("16:33:43", lambda a: f"{a.published:%H:%M:%S}", 3),
    ),
)


def _byline_with_emails(article: PressArticle) -> str:
    """ "구현모 기자 ninek@hankookilbo.com", for each reporter."""
    return ", ".join(
        f"{name} 기자 {article.emails[position]}" if position < len(article.emails) else f"{name} 기자"
        for position, name in enumerate(article.reporters)
    )


# --- 한국일보, 2026-07: Next.js, server-rendered; the body is in the DOM and again in the flight data ----------


def react_escape(value: str) -> str:
    """HTML as React writes text and attributes (quotes as &quot; and &#x27;)."""
    return escape(value, quote=False).replace('"', "&quot;").replace("'", "&#x27;")


def _hankook2026_content(article: PressArticle) -> str:
    """The article's contentHtml: the 요약 h2, then figures and p.editor-p paragraphs (raw HTML, the editor's)."""
    parts = ["\n      "]
    if article.summary:
        parts.append(
            f'<h2 class="sub-tit-ll">{"<br>".join(escape(line, quote=False) for line in article.summary)}</h2>'
        )
    parts.append("\n    ")
    first = True
    for kind, index in _layout(article):
        if kind == "photo":
            photo = article.photos[index]
            priority = ' fetchpriority="high"' if index == 0 else ""
            parts.append(
                f'<div class="editor-img-box"><div class="img-box"><img src="{escape(photo.image_url)}" alt=""'
                f"{priority} onerror=\"this.onerror=null;this.src='/public-image/default_image.png';\"><button "
                f'type="button" class="img-zoomin no-print" data-idx="{index}" data-ga4="article_image_zoom" '
                'data-ga4-direct="true">이미지 확대보기</button></div><div class="caption"><p> '
                f"{escape(_with_credit(photo, '{}'), quote=False)} </p></div></div>"
            )
            continue
        mark = ' data-ga4="article_first_paragraph"' if first else ""
        first = False
        parts.append(f'<p class="editor-p"{mark}>{_text(article.paragraphs[index])} </p>')
    parts.append('<p class="editor-p"><br></p>')
    return "".join(parts)


def _hankook2026_flight(article: PressArticle) -> str:
    """The flight data's text row of the contentHtml: its length in UTF-8 bytes (hex), then the text."""
    content = _hankook2026_content(article)
    return f'{len(content.encode("utf-8")):x},"])</script><script>self.__next_f.push([1,"{script_json(content)}'


def _writers_ld(article: PressArticle) -> str:
    """The JSON-LD author list (JSON text)."""
    return ",".join(
        json.dumps(
            {
                "@type": "Person",
                "name": name,
                "url": f"https://www.hankookilbo.com/reporter/r{_reporter_number(name)}",
                "jobTitle": "기자",
            },
            ensure_ascii=False,
            separators=(",", ":"),
        )
        for name in article.reporters
    )


def _writer_display(article: PressArticle) -> str:
    """ "박준석 기자", "박준석 기자 외 1명": the first reporter and how many others."""
    others = len(article.reporters) - 1
    return f"{article.reporters[0]} 기자" + (f" 외 {others}명" if others else "")


def _nth(values: Sequence[str], index: int) -> str:
    """The index-th value, else the last (a page that names two writers names the one twice), else ""."""
    return values[min(index, len(values) - 1)] if values else ""


HANKOOK_2026_07_SPEC: Spec = (
    "hankookilbo_2026_07_12",
    "한국일보",
    react_escape,
    (
        Region(
            '<div id="article-view-content" class="article-view">',
            '</div></div></div></div></section><div class="gtm-article-complete',
            _hankook2026_content,
        ),
        Region('self.__next_f.push([1,"28:T', '"])</script><script>self.__next_f.push([1,"5:[[[', _hankook2026_flight),
        Region('"author":[', '],"citation"', lambda a: script_json(_writers_ld(a), 0)),
        Region('\\"author\\":[', '],\\"citation\\"', lambda a: script_json(_writers_ld(a), 1)),
    ),
    (
        Swap("민주당 '선호투표제' 도입 또다시 불발··· 친청계 \"당규 개정 왜 밀어붙이나\"", lambda a: a.title, 17),
        Swap("민주당 전당대회 선호투표제 도입 논란, 친명-친청계 갈등 격화 이유와 전망", lambda a: a.title, 1),
        Swap("https://www.hankookilbo.com/news/article/A2026071220290000630", lambda a: a.url, 12),
        Swap("A2026071220290000630", lambda a: a.article_id, 9),
        Swap("2026-07-12T22:09:00+09:00", lambda a: a.published.isoformat(), 4),
        Swap("2026-07-12T22:23:00+09:00", lambda a: a.changed.isoformat(), 4),
        Swap("2026.07.12 22:09", lambda a: f"{a.published:%Y.%m.%d %H:%M}", 3),
        Swap("2026.07.12 22:23", lambda a: f"{a.changed:%Y.%m.%d %H:%M}", 2),
        Swap("박준석 기자 외 1명", _writer_display, 6),
        Swap("박준석", lambda a: _nth(a.reporters, 0), 3),
        Swap("김태연", lambda a: _nth(a.reporters, 1), 1),
        Swap("pjs@hankookilbo.com", lambda a: _nth(a.emails, 0), 1),
        Swap("tykim@hankookilbo.com", lambda a: _nth(a.emails, 1), 1),
        Swap(
            "2시간 반 만에 끝난 '빈손' 최고위<br>선호투표제 당규 개정안 상정에<br>친청계 \"명백한 당헌 위반\" 반발<br>"
            "15일 최고위가 사실상 마지노선",
            lambda a: "<br>".join(escape(line, quote=False) for line in a.summary),
            3,
        ),
        Swap(
            "더불어민주당 전당대회 당대표 선거 선호투표제 도입을 두고 친명계와 친청계의 갈등이 격화되고 있다. 당헌당규 "
            "위반 논란과 계파 간 이견으로 결론이 미뤄지며 전대 룰을 둘러싼 진통이 이어지고 있다.",
            lambda a: a.description,
            9,
        ),
        Swap(
            "https://newsimg.hankookilbo.com/2026/07/12/a882fa87-1a94-49bf-aab7-f18f67fb3012.jpg",
            lambda a: a.lead_image,
            10,
        ),
        Swap(
            "https://newsimg.hankookilbo.com/big/2026/07/12/a882fa87-1a94-49bf-aab7-f18f67fb3012.jpg",
            lambda a: a.lead_image,
            2,
        ),
    ),
)


# --- 한국일보, 2026-01: Next.js, client-rendered; the body is only in script payloads -------------------------


def _hankook2026_01_content(article: PressArticle) -> str:
    """contentHtml as this generation wrote it: figures and p.editor-p paragraphs, the ad marker after the lead
    figure, the editor's trailing empty paragraphs, then the reporters' lines (no 요약: that is subTypeContents)."""
    parts = []
    for kind, index in _layout(article):
        if kind == "p":
            parts.append(f'<p class="editor-p">{_text(article.paragraphs[index])} </p>')
            continue
        photo = article.photos[index]
        parts.append(
            f'<div class="editor-img-box"><img src="{escape(photo.image_url)}" ><div class="caption"><p>'
            f"{escape(_with_credit(photo, '{}'), quote=False)}</p></div></div>"
        )
        if index == 0:
            parts.append("$$ARTICLEAD$$")
    parts.append('<p class="editor-p"><br></p>' * 8)
    for position, name in enumerate(article.reporters):
        email = article.emails[position] if position < len(article.emails) else ""
        parts.append(
            f'<div class="writer"><span class="name"> <strong> {escape(name, quote=False)} </strong> 기자'
            f'<span class="email"> {escape(email, quote=False)} </span> </span></div>'
        )
    return "".join(parts)


def _hankook2026_01_flight(article: PressArticle) -> str:
    """The flight data's text row of the contentHtml: its length in UTF-8 bytes (hex), then the text."""
    content = _hankook2026_01_content(article)
    return f'{len(content.encode("utf-8")):x},"])</script><script>self.__next_f.push([1,"{script_json(content)}'


HANKOOK_2026_01_SPEC: Spec = (
    "hankookilbo_2026_01_29",
    "한국일보",
    react_escape,
    (
        Region('"contentHtml":"', '","writerDisplay"', lambda a: script_json(_hankook2026_01_content(a))),
        Region("\\n24:T", '"])</script><script>self.__next_f.push([1,"5:[', _hankook2026_01_flight),
    ),
    (
        Swap("장동혁, 한동훈 제명했지만…\xa0'윤 어게인' 절연 ·외연 확장 부담 커졌다", lambda a: a.title, 11),
        Swap("https://www.hankookilbo.com/news/article/A2026012914320005196", lambda a: a.url, 2),
        Swap("A2026012914320005196", lambda a: a.article_id, 14),
        Swap("2026.01.29 18:40", lambda a: f"{a.published:%Y.%m.%d %H:%M}", 3),
        Swap("2026.01.29 18:49", lambda a: f"{a.changed:%Y.%m.%d %H:%M}", 3),
        Swap("신현주 기자", _writer_display, 4),
        Swap("신현주", lambda a: _nth(a.reporters, 0), 3),
        Swap("spicy@hankookilbo.com", lambda a: _nth(a.emails, 0), 2),
        Swap(
            "한동훈 제명한 국힘, '지선 모드' 돌입…시선 돌리기<br>지선 패배 시 책임 불가피…당대표직 유지 불투명<br>"
            "다음 달 윤석열 내란 1심 선고 후 노선 변화 가능성",
            lambda a: "<br>".join(escape(line, quote=False) for line in a.summary),
            4,
        ),
        Swap(
            "장동혁 국민의힘 대표가 한동훈 제명 후 보수 쇄신과 지방선거 승리를 위해 중도 확장과 강성 지지층 관리라는 "
            "정치적 과제에 직면했다는 내용입니다.",
            lambda a: a.description,
            8,
        ),
        Swap(
            "https://newsimg.hankookilbo.com/2026/01/29/8d23917b-5557-4ac1-9300-3786dc34a55a.jpg",
            lambda a: a.lead_image,
            12,
        ),
    ),
)


@cache
def templates() -> dict[str, tuple[str, CutPage[PressArticle]]]:
    """Template name -> (press, the cut page), built once per process."""
    built = {}
    for name, press, html_escape, regions, swaps in SPECS:
        text = (PRESS_DIR / f"{name}.html").read_bytes().decode("utf-8")
        built[name] = (press, cut_page(text, regions, swaps, html_escape))
    return built


SPECS: tuple[Spec, ...] = (MK_SPEC, HANKOOK_2025_SPEC, HANKOOK_2026_07_SPEC, HANKOOK_2026_01_SPEC)
