"""A Daum article page as v.daum.net serves it: 100-200 KB of page chrome around the article.

The article part is what the sample site always served (``div.head_view h3.tit_view``, ``div.info_view``
with the byline ``span.txt_info`` and the 입력 ``span.num_date``, ``div.news_view`` holding the corpus body
byte for byte), plus what a full page shows: the press logo (``em.info_cp img.thumb_g[alt]``), a second
``span.txt_info`` with the 수정 ``span.num_date`` when the article was modified, and the 요약
``strong.summary_view`` first in the body's section (where Daum puts it) when the press gave one. Around it: the header and navigation, inline
scripts (the page's config, the analytics and ads loaders, the client data of the ranking boxes), tools,
reactions, related news, a comment placeholder, the ranking and photo boxes and the footer.

The chrome is the same on every page of a server; it is built once (``_page``) and a page only fills its
slots (splice.py). Rules the chrome keeps, because tests and the pipeline rely on them:
- nothing before the body has a ``<figure`` or a ``</section>`` (tests edit the first of each, in the body);
- no other ``article_view`` (the body is the innermost one) and no ``Copyright``/``저작권자`` line but the
  press's own below the body and Kakao's in the footer (press lines are read from the page's text);
- ``<meta charset="utf-8">`` once, as written: fault mode removes or replaces exactly that string.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from collections.abc import Sequence
from functools import cache
from html import escape

from newsetl_tools.sample_site.corpus import CorpusArticle, corpus
from newsetl_tools.sample_site.splice import Spliced, spliced

_CDN = "https://t1.daumcdn.net"
_THUMB = "https://img1.daumcdn.net/thumb"
# Sections of Daum News: (name, path, tiara id).
_SECTIONS = (
    ("홈", "/", "home"),
    ("사회", "/society", "society"),
    ("정치", "/politics", "politics"),
    ("경제", "/economic", "economic"),
    ("국제", "/foreign", "foreign"),
    ("문화", "/culture", "culture"),
    ("생활", "/life", "life"),
    ("IT", "/digital", "digital"),
    ("연예", "/entertain", "entertain"),
    ("스포츠", "/sports", "sports"),
    ("랭킹", "/ranking", "ranking"),
    ("언론사", "/cp", "cp"),
    ("팩트체크", "/factcheck", "factcheck"),
    ("기획·연재", "/series", "series"),
    ("포토", "/photo", "photo"),
    ("TV", "/tv", "tv"),
)
_SUB_SECTIONS = (
    "사건·사고",
    "교육",
    "미디어",
    "여성·가족",
    "노동",
    "환경",
    "인권·복지",
    "식품·의료",
    "지역",
    "인물",
    "청와대",
    "국회·정당",
    "북한",
    "행정",
    "국방·외교",
    "금융",
    "부동산",
    "산업",
    "취업·직장인",
    "자동차",
    "시황·분석",
    "생활경제",
)
_REACTIONS = (
    ("recommend", "추천해요"),
    ("like", "좋아요"),
    ("impress", "감동이에요"),
    ("angry", "화나요"),
    ("sad", "슬퍼요"),
)
_LANGUAGES = (("en", "English"), ("ja", "日本語"), ("zh-CN", "简体中文"), ("zh-TW", "繁體中文"), ("vi", "Tiếng Việt"))
_FOOT_LINKS = (
    "회사소개",
    "광고안내",
    "제휴문의",
    "인재채용",
    "서비스 약관",
    "위치기반서비스 이용약관",
    "개인정보처리방침",
    "청소년보호정책",
    "운영정책",
    "권리침해신고",
    "고객센터",
    "뉴스 제휴 정책",
    "기사배열 책임자",
    "다음뉴스 배열 정책",
)
# Box name -> (tiara layer, items): the ranking and photo boxes after the article and in the aside.
_BOXES = (
    ("많이 본 뉴스", "ranking_view", 20),
    ("연예 많이 본 뉴스", "ranking_entertain", 15),
    ("스포츠 많이 본 뉴스", "ranking_sports", 15),
    ("댓글 많은 뉴스", "ranking_comment", 10),
    ("포토&TV", "photo_tv", 16),
    ("이 시각 추천뉴스", "recommend", 16),
)


@cache
def _headlines() -> tuple[tuple[str, str, str], ...]:
    """(headline, press, press code) for the chrome's boxes: the corpus titles, then each paragraph's first
    sentence as the headline of another story of that press (real boxes show hundreds of different ones)."""
    items = [(article.title, article.press, article.press_code) for article in corpus()]
    for article in corpus():
        for paragraph in article.paragraphs[1:]:
            sentence = paragraph.split(". ")[0].split("\n")[0].strip()
            if 12 <= len(sentence) <= 60:
                items.append((sentence, article.press, article.press_code))
    return tuple(items)


def _story_ids(rng: random.Random, count: int) -> list[str]:
    """Daum article ids of the boxes' stories (17 digits, the day before the sample days)."""
    return [f"20250702{rng.randrange(600, 2359):04d}{rng.randrange(10**5):05d}" for _ in range(count)]


def _thumb(rng: random.Random, code: str, size: str) -> str:
    """A thumbnail URL of Daum's image server, as the boxes write them."""
    name = f"2025070{rng.randrange(1, 3)}{rng.randrange(10**9):09d}{''.join(rng.choices('abcdefghijklmnopqrstuvwxyz', k=4))}"
    return f"{_THUMB}/{size}/?fname={_CDN}/news/202507/02/{code}/{name}.jpg"


def _box(title: str, layer: str, items: Sequence[tuple[str, str, str, str, str]]) -> str:
    """One ranking or photo box: a numbered list of thumbnails, headlines and presses."""
    rows = "".join(
        f'<li><span class="num_rank"><span class="screen_out">순위</span>{rank}</span>'
        f'<a href="https://v.daum.net/v/{story}" class="link_thumb" data-tiara-layer="{layer}" '
        f'data-tiara-id="{story}" data-tiara-type="harmony" data-tiara-ordnum="{rank}">'
        f'<img src="{escape(thumb)}" class="thumb_g" alt="" loading="lazy" width="100" height="64"></a>'
        f'<div class="cont_thumb"><strong class="tit_g"><a href="https://v.daum.net/v/{story}" class="link_txt" '
        f'data-tiara-layer="{layer}" data-tiara-id="{story}" data-tiara-ordnum="{rank}">{escape(headline)}</a>'
        f'</strong><span class="info_thumb"><span class="txt_info">{escape(press)}</span></span></div></li>\n'
        for rank, (story, headline, press, _code, thumb) in enumerate(items, start=1)
    )
    return (
        f'<div class="box_g box_{layer}" data-tiara-layer="{layer}"><h3 class="tit_box">{escape(title)}</h3>'
        f'<ol class="list_ranking list_{layer}">\n{rows}</ol></div>\n'
    )


def _client_data(boxes: dict[str, list[tuple[str, str, str, str, str]]]) -> str:
    """The boxes again as the JSON their client-side modules refresh from (real pages embed such data)."""
    data = {
        layer: [
            {"id": story, "title": headline, "cp": press, "cpCode": code, "thumbnail": thumb, "rank": rank}
            for rank, (story, headline, press, code, thumb) in enumerate(items, start=1)
        ]
        for layer, items in boxes.items()
    }
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("</", "<\\/")  # no "</script>" inside the script


def _head() -> str:
    """<head>: meta tags, styles, the page config and the loaders (inline scripts)."""
    styles = "".join(
        f'<link rel="stylesheet" type="text/css" href="//t1.daumcdn.net/news/publishing/pc/css/{name}.min.css?v=20250701">\n'
        for name in ("news_common", "news_view", "news_aside", "news_comment", "news_ranking", "news_translate")
    )
    scripts = "".join(
        f'<script src="//t1.daumcdn.net/news/publishing/pc/js/{name}.min.js?v=20250701" defer></script>\n'
        for name in ("vendor", "news_common", "news_view", "alex_comment", "tiara", "adfit", "translate")
    )
    return (
        '<!DOCTYPE html>\n<html lang="ko" class="os_window">\n<head>\n<meta charset="utf-8">\n'
        '<meta http-equiv="X-UA-Compatible" content="IE=edge">\n<meta name="referrer" content="always">\n'
        '<meta name="viewport" content="width=1080">\n'
        "<title>⟪title⟫ | 다음뉴스</title>\n"
        '<meta name="description" content="⟪description⟫">\n'
        '<meta property="og:type" content="article">\n<meta property="og:title" content="⟪title⟫">\n'
        '<meta property="og:url" content="https://v.daum.net/v/⟪article_id⟫">\n'
        '<meta property="og:regDate" content="⟪reg_date⟫">\n<meta property="og:article:author" content="⟪press⟫">\n'
        '<meta property="og:site_name" content="다음뉴스">\n<meta property="og:image" content="⟪image⟫">\n'
        '<meta property="og:description" content="⟪description⟫">\n'
        '<meta name="twitter:card" content="summary_large_image">\n<meta name="twitter:title" content="⟪title⟫">\n'
        '<meta name="twitter:image" content="⟪image⟫">\n<meta property="dg:plink" content="https://v.daum.net/v/⟪article_id⟫">\n'
        '<link rel="canonical" href="https://v.daum.net/v/⟪article_id⟫">\n'
        '<link rel="shortcut icon" href="//m2.daumcdn.net/img-media/2010ci/Daum_favicon.ico">\n'
        f"{styles}"
        "<script>window.__NEWS_CONFIG__ = ⟪config⟫;</script>\n"
        f"<script>{_LOADER_JS}</script>\n{scripts}</head>\n"
    )


# The inline loaders of the head and the foot: what Daum's pages run before their bundles arrive (analytics
# queue, ad slots, lazy images, font size and translation settings kept across pages).
_LOADER_JS = """
(function (w, d) {
  'use strict';
  var cfg = w.__NEWS_CONFIG__ || {};
  w.TiaraTracker = w.TiaraTracker || { q: [], init: function (o) { this.q.push(['init', o]); return this; },
    trackPage: function (n) { this.q.push(['trackPage', n]); return this; },
    customProps: function (p) { this.q.push(['customProps', p]); return this; },
    track: function () { this.q.push(['track']); return this; } };
  w.TiaraTracker.init({ svcDomain: 'v.daum.net', deployment: 'production', enableAutoTracking: true })
    .trackPage('뉴스_본문').customProps({ article_id: cfg.articleId, cp: cfg.cpCode, category: cfg.category })
    .track();
  w.adfit = w.adfit || function () { (w.adfit.q = w.adfit.q || []).push(arguments); };
  var fontSize = 1;
  try { fontSize = parseInt(w.localStorage.getItem('news_view_font_size') || '1', 10) || 1; } catch (e) { fontSize = 1; }
  d.documentElement.className += ' fs_type' + Math.min(Math.max(fontSize, 1), 5);
  w.__lazyImages = function (root) {
    var images = (root || d).querySelectorAll('img[data-src]'), i;
    if (!('IntersectionObserver' in w)) {
      for (i = 0; i < images.length; i += 1) { images[i].src = images[i].getAttribute('data-src'); }
      return;
    }
    var io = new IntersectionObserver(function (entries) {
      entries.forEach(function (entry) {
        if (entry.isIntersecting) { entry.target.src = entry.target.getAttribute('data-src'); io.unobserve(entry.target); }
      });
    }, { rootMargin: '200px 0px' });
    for (i = 0; i < images.length; i += 1) { io.observe(images[i]); }
  };
  d.addEventListener('DOMContentLoaded', function () { w.__lazyImages(d); });
})(window, document);
"""

_FOOT_JS = """
(function (w, d) {
  'use strict';
  var data = w.__NEWS_BOXES__ || {};
  function render(layer) {
    var box = d.querySelector('.box_' + layer + ' ol');
    if (!box || !data[layer]) { return; }
    box.setAttribute('data-count', String(data[layer].length));
  }
  Object.keys(data).forEach(render);
  var translate = d.querySelector('.layer_translate');
  if (translate) {
    translate.addEventListener('click', function (event) {
      var lang = event.target && event.target.getAttribute('data-lang');
      if (lang) { w.location.hash = 'translate=' + lang; }
    });
  }
  var buttons = d.querySelectorAll('.btn_font');
  Array.prototype.forEach.call(buttons, function (button) {
    button.addEventListener('click', function () {
      var size = parseInt(button.getAttribute('data-size'), 10);
      d.documentElement.className = d.documentElement.className.replace(/fs_type\\d/, 'fs_type' + size);
      try { w.localStorage.setItem('news_view_font_size', String(size)); } catch (e) { return; }
    });
  });
})(window, document);
"""


def _header() -> str:
    """The top of the page: skip links, logo, search, login, the section menus."""
    sections = "".join(
        f'<li><a href="⟪base⟫{path}" class="link_gnb" data-tiara-layer="gnb {tid}">'
        f'<span class="ir_wa">{escape(name)}</span></a></li>'
        for name, path, tid in _SECTIONS
    )
    subs = "".join(
        f'<li><a href="⟪base⟫/society?section={index}" class="link_sub" data-tiara-layer="lnb {index}">'
        f"{escape(name)}</a></li>"
        for index, name in enumerate(_SUB_SECTIONS)
    )
    return (
        '<body class="news_view">\n<div id="kakaoIndex"><a href="#kakaoBody">본문 바로가기</a>'
        '<a href="#kakaoGnb">메뉴 바로가기</a></div>\n<div id="kakaoWrap" class="wrap_news">\n'
        '<header id="kakaoHead" class="head_news" role="banner"><div class="inner_head">'
        '<h1 class="tit_daum"><a href="⟪base⟫/" class="link_daum" data-tiara-layer="gnb logo">Daum 뉴스</a></h1>'
        '<form class="search_news" action="https://search.daum.net/search" method="get" role="search">'
        '<input type="hidden" name="w" value="news"><input type="hidden" name="nil_profile" value="newsview">'
        '<label for="q" class="screen_out">검색어 입력</label><input type="search" id="q" name="q" class="tf_keyword" '
        'autocomplete="off" placeholder="뉴스 검색"><button type="submit" class="btn_search">검색</button></form>'
        '<div class="util_head"><a href="https://logins.daum.net/accounts/signinform.do" class="link_login">로그인</a>'
        '<a href="⟪base⟫/settings" class="link_setting">설정</a></div></div>\n'
        f'<nav id="kakaoGnb" role="navigation"><h2 class="screen_out">뉴스 메인메뉴</h2><ul class="list_gnb">{sections}</ul>'
        f'<ul class="list_sub">{subs}</ul></nav></header>\n<hr class="hide">\n'
    )


def _tools() -> str:
    """Share, font size, print and translation buttons under the headline."""
    fonts = "".join(
        f'<button type="button" class="btn_font" data-size="{size}"><span class="ir_wa">글씨 크기 {size}단계</span></button>'
        for size in range(1, 6)
    )
    languages = "".join(
        f'<li><button type="button" class="btn_lang" data-lang="{code}">{escape(name)}</button></li>'
        for code, name in _LANGUAGES
    )
    return (
        '<div class="util_view"><button type="button" class="btn_share" data-tiara-layer="share">'
        '<span class="ir_wa">공유하기</span></button><div class="layer_font">'
        f"{fonts}</div>"
        '<button type="button" class="btn_print" onclick="window.print()"><span class="ir_wa">인쇄하기</span></button>'
        '<div class="layer_translate"><button type="button" class="btn_translate">번역 설정</button>'
        f'<ul class="list_lang">{languages}</ul></div></div>\n'
    )


def _reactions() -> str:
    """The reaction buttons under the article (counts are filled in by a script)."""
    buttons = "".join(
        f'<li><button type="button" class="btn_reaction" data-reaction="{key}"><span class="ico_reaction '
        f'ico_{key}"></span><span class="txt_reaction">{escape(name)}</span><span class="num_reaction">0</span>'
        "</button></li>"
        for key, name in _REACTIONS
    )
    return (
        '<div class="box_reaction" data-tiara-layer="reaction"><h4 class="screen_out">이 기사에 대한 반응</h4>'
        f'<ul class="list_reaction">{buttons}</ul></div>\n'
    )


def _comments() -> str:
    """Where the comment module mounts: a placeholder the page's script fills after load."""
    return (
        '<div class="cmt_view" id="alex-area" data-alex-post-id="⟪article_id⟫" data-alex-client-id="news-pc" '
        'data-alex-sort="recommend"><h4 class="tit_cmt">댓글 <span class="num_cmt">0</span></h4>'
        '<div class="alex_single"><p class="txt_loading">댓글을 불러오는 중입니다.</p>'
        '<p class="txt_notice">댓글 서비스 운영정책에 따라 욕설, 비방, 광고성 댓글은 삭제될 수 있습니다.</p>'
        "</div></div>\n"
    )


def _footer() -> str:
    """Kakao's footer: links and the company's line."""
    links = "".join(
        f'<li><a href="https://policy.daum.net/news/{index}" class="link_foot">{escape(name)}</a></li>'
        for index, name in enumerate(_FOOT_LINKS)
    )
    return (
        f'<footer id="kakaoFoot" role="contentinfo"><ul class="list_foot">{links}</ul>'
        '<p class="txt_corp">(주)카카오 · 대표 정신아 · 제주특별자치도 제주시 첨단로 242 · 사업자등록번호 120-81-47521 · '
        "통신판매업신고 제2015-제주아라-0032호</p>"
        '<small class="txt_copyright">Copyright © <a href="/corp">Kakao Corp.</a> All rights reserved.</small>'
        "</footer>\n"
    )


def _boxes() -> dict[str, list[tuple[str, str, str, str, str]]]:
    """The ranking and photo boxes' items: (story id, headline, press, press code, thumbnail), fixed per seed."""
    rng = random.Random("daum-boxes")
    pool = _headlines()
    boxes = {}
    for _title, layer, count in _BOXES:
        chosen = rng.sample(pool, count)
        ids = _story_ids(rng, count)
        boxes[layer] = [
            (story, headline, press, code, _thumb(rng, code, "S200x130ht.u"))
            for story, (headline, press, code) in zip(ids, chosen, strict=True)
        ]
    return boxes


@cache
def _page() -> Spliced:
    """The full page with slots, built once per process."""
    boxes = _boxes()
    rendered = "".join(_box(title, layer, boxes[layer]) for title, layer, _count in _BOXES)
    article = (
        '<main id="kakaoContent" class="cont_view" role="main"><h2 id="kakaoBody" class="screen_out">뉴스 본문</h2>\n'
        '<div id="mArticle"><div class="main-content">\n'
        '<div class="head_view"><em class="info_cp"><a href="⟪base⟫/cp/⟪press_code⟫" class="link_cp" '
        'data-tiara-layer="head cp"><img src="https://t1.daumcdn.net/media/news/news2016/cp/cp_⟪press_code⟫.gif" '
        'width="84" height="24" class="thumb_g" alt="⟪press⟫"></a></em>'
        '<h3 class="tit_view" data-translation="true">⟪title⟫</h3>'
        '<div class="info_view"><span class="txt_info">⟪byline⟫</span>'
        '<span class="txt_info">입력 <span class="num_date">⟪published⟫</span></span>⟪modified⟫</div>\n'
        f"{_tools()}</div>\n"
        '<div class="news_view fs_type1">\n⟪body⟫\n</div>\n'
        '<div class="foot_view"><p class="txt_copyright">Copyright © ⟪press⟫. 무단전재 및 재배포 금지.</p></div>\n'
        f"{_reactions()}"
        '<div class="box_related"><h4 class="tit_related">관련 뉴스</h4><ul class="list_related">⟪related⟫</ul></div>\n'
        f"{_comments()}</div></div>\n"
        f'<aside id="mAside" role="complementary"><h2 class="screen_out">주요 뉴스</h2>{rendered}'
        '<div class="box_ad" id="adfit-aside"><ins class="kakao_ad_area" data-ad-unit="DAN-news-pc-aside" '
        'data-ad-width="300" data-ad-height="250"></ins></div></aside></main>\n'
    )
    tail = (
        f"<script>window.__NEWS_BOXES__ = {_client_data(boxes)};</script>\n<script>{_FOOT_JS}</script>\n"
        "</div>\n</body></html>"
    )
    return spliced(_head() + _header() + article + _footer() + tail)


def shown_date(when: dt.datetime) -> str:
    """Daum's on-page date format: 'YYYY. M. D. HH:MM'."""
    return f"{when.year}. {when.month}. {when.day}. {when:%H:%M}"


def with_summary(body: str, lines: Sequence[str]) -> str:
    """The body with the 요약 box first in its section, where Daum puts it (the body itself is unchanged)."""
    if not lines:
        return body
    cut = body.index(">", body.index("<section")) + 1
    return f"{body[:cut]}\n{summary_markup(lines).rstrip()}{body[cut:]}"


def summary_markup(lines: Sequence[str]) -> str:
    """The 요약 box above the body, or nothing when the article has no summary."""
    if not lines:
        return ""
    return (
        '<strong class="summary_view" data-translation="true">'
        + "<br>".join(escape(line) for line in lines)
        + "</strong>\n"
    )


def _config(article_id: str, article: CorpusArticle, when: dt.datetime) -> str:
    """The page's config object (a script reads it; the article's identity as the client knows it)."""
    config = {
        "articleId": article_id,
        "title": article.title,
        "cp": article.press,
        "cpCode": article.press_code,
        "category": "news",
        "regDate": f"{when:%Y%m%d%H%M%S}",
        "service": "news",
        "device": "pc",
    }
    return json.dumps(config, ensure_ascii=False).replace("<", "\\u003c")


def render_daum_page(
    *,
    article_id: str,
    article: CorpusArticle,
    when: dt.datetime,
    changed: dt.datetime | None,
    body: str,
    related: Sequence[tuple[str, str]],
    base: str,
) -> bytes:
    """The article's full page; ``body`` is inserted verbatim (the corpus's real markup)."""
    photo = article.photos[0].image_url if article.photos else ""
    lead = article.paragraphs[0] if article.paragraphs else article.title
    modified = (
        f'<span class="txt_info">수정 <span class="num_date">{escape(shown_date(changed))}</span></span>'
        if changed
        else ""
    )
    values = {
        "title": escape(article.title),
        "description": escape(lead[:150]),
        "article_id": article_id,
        "reg_date": f"{when:%Y%m%d%H%M%S}",
        "press": escape(article.press),
        "press_code": escape(article.press_code),
        "image": escape(photo),
        "config": _config(article_id, article, when),
        "base": escape(base),
        "byline": escape(article.byline),
        "published": escape(shown_date(when)),
        "modified": modified,
        "body": with_summary(body, article.summary),
        "related": "".join(
            f'<li><a class="link_related" href="{escape(url)}">{escape(text)}</a></li>' for url, text in related
        ),
    }
    return _page().fill(values)
