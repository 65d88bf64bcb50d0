"""HTML templates of the sample site: small functions, every text/attribute escaped."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape

ROBOTS = "User-agent: *\nDisallow: /private/\nAllow: /\n"
# Fault mode adds /blocked/; it must precede "Allow: /" (urllib's parser takes the first match).
ROBOTS_FAULTS = "User-agent: *\nDisallow: /private/\nDisallow: /blocked/\nAllow: /\n"

# (url or None, title): a neighbour link on a board post; None url = plain text.
Link = tuple[str | None, str]


@dataclass(frozen=True)
class ListingItem:
    """One row of the Daum breaking-news listing."""

    url: str
    title: str
    press: str
    time: str  # HH:MM


def _paging(url_for: Callable[[int], str], page: int, pages: int) -> str:
    """Pager in blocks of 10 pages; the current page is an <em class="num_page">."""
    first = (page - 1) // 10 * 10 + 1
    parts = []
    if first > 1:
        parts.append(f'<a class="btn_page btn_prev" href="{escape(url_for(first - 1))}">이전</a>')
    for number in range(first, first + 10):
        if number == page:
            parts.append(f'<em class="num_page">{page}</em>')
        elif number <= pages:
            parts.append(f'<a class="num_page" href="{escape(url_for(number))}">{number}</a>')
    if first + 10 <= pages:
        parts.append(f'<a class="btn_page btn_next" href="{escape(url_for(first + 10))}">다음</a>')
    return '<div class="paging_news"><span class="inner_paging">' + "".join(parts) + "</span></div>"


def _daum_header(base: str) -> str:
    """Daum top navigation (chrome a parser must ignore)."""
    sections = [
        ("홈", "/"),
        ("사회", "/society"),
        ("정치", "/politics"),
        ("경제", "/economic"),
        ("국제", "/foreign"),
        ("문화", "/culture"),
        ("IT", "/digital"),
        ("스포츠", "/sports"),
    ]
    links = "".join(
        f'<li><a class="link_gnb" href="{escape(base + path)}">{escape(name)}</a></li>' for name, path in sections
    )
    return (
        '<header id="kakaoHead"><h1 class="tit_daum"><a href="'
        f'{escape(base)}/">Daum 뉴스</a></h1><nav id="kakaoGnb"><ul class="list_gnb">'
        f"{links}</ul></nav></header>"
    )


def _daum_footer() -> str:
    """Daum footer chrome."""
    return (
        '<footer id="kakaoFoot"><ul class="list_foot"><li><a href="/info">서비스 약관</a></li>'
        '<li><a href="/privacy">개인정보처리방침</a></li><li><a href="/rules">운영정책</a></li></ul>'
        '<small class="txt_copyright">Copyright © <a href="/corp">Kakao Corp.</a> '
        "All rights reserved.</small></footer>"
    )


def daum_listing(day: dt.date, page: int, pages: int, items: Sequence[ListingItem], base: str) -> str:
    """Daum 'breaking news' listing page of one day."""
    rows = "".join(
        "<li>"
        f'<a class="link_thumb" href="{escape(item.url)}"><span class="thumb_g"></span></a>'
        '<div class="cont_thumb">'
        f'<strong class="tit_thumb"><a class="link_txt" href="{escape(item.url)}">'
        f"{escape(item.title)}</a></strong>"
        f'<span class="info_news">{escape(item.press)} · {escape(item.time)}</span>'
        "</div></li>\n"
        for item in items
    )
    reg = f"{day:%Y%m%d}"
    pager = _paging(lambda n: f"{base}/breakingnews?page={n}&regDate={reg}", page, pages)
    return (
        '<!DOCTYPE html><html lang="ko"><head><meta charset="utf-8">'
        f"<title>뉴스 | 배열 이력 {reg} | 다음뉴스</title></head><body>"
        f"{_daum_header(base)}"
        '<main id="kakaoContent"><h2 class="screen_out">전체 뉴스</h2>'
        f'<div class="box_calendar"><span class="screen_out">선택한 날짜</span>'
        f'<strong class="screen_date">{day.year}.{day.month:02d}.{day.day:02d}</strong></div>'
        f'<ul class="list_news2 list_allnews">\n{rows}</ul>'
        f"{pager}</main>{_daum_footer()}</body></html>"
    )


def press_listing(day: dt.date, page: int, pages: int, items: Sequence[ListingItem], base: str) -> str:
    """The press section's list of a day: one row per article, newest first, with its page's press."""
    rows = "".join(
        f'<li><a class="press_link" href="{escape(item.url)}">{escape(item.title)}</a>'
        f'<span class="press_name">{escape(item.press)}</span><span class="press_time">{escape(item.time)}</span></li>\n'
        for item in items
    )
    reg = f"{day:%Y%m%d}"
    pager = _paging(lambda n: f"{base}/press/list?date={reg}&page={n}", page, pages)
    return (
        '<!DOCTYPE html><html lang="ko"><head><meta charset="utf-8">'
        f"<title>언론사 기사 {reg}</title></head><body>"
        f"<h1>언론사 기사 {day.year}.{day.month:02d}.{day.day:02d}</h1>"
        f'<ul class="press_list">\n{rows}</ul>{pager}</body></html>'
    )


def _board_chrome_head(title: str, base: str) -> str:
    """Community site header shared by board pages."""
    return (
        '<!DOCTYPE html><html lang="ko"><head><meta charset="utf-8">'
        f"<title>{escape(title)} | 뉴스 게시판</title></head><body>"
        f'<div id="hd"><h1 id="hd_h1"><a href="{escape(base)}/">커뮤니티</a></h1>'
        '<ul id="gnb_1dul"><li><a href="/bbs/board.php?bo_table=free">자유게시판</a></li>'
        '<li><a href="/bbs/board.php?bo_table=humor">유머</a></li>'
        '<li><a href="/bbs/login.php">로그인</a></li></ul></div>'
    )


_BOARD_FOOT = '<div id="ft"><p>Copyright © 커뮤니티. All rights reserved.</p></div></body></html>'


def board_list(day: dt.date, page: int, pages: int, items: Sequence[tuple[str, str]], base: str) -> str:
    """gnuboard-like list page: one <li> per post of the day."""
    mmdd = f"{day:%m-%d}"
    rows = "".join(
        f'<li><a class="bo_subject" href="{escape(url)}">{escape(title)}</a><span class="bo_date">{mmdd}</span></li>\n'
        for url, title in items
    )
    reg = f"{day:%Y%m%d}"
    pager = _paging(lambda n: f"{base}/bbs/board.php?bo_table=news&date={reg}&page={n}", page, pages)
    return (
        f"{_board_chrome_head('뉴스', base)}"
        '<div id="bo_list"><h2 class="bo_title">뉴스</h2>'
        f'<ul class="board_list">\n{rows}</ul>{pager}</div>'
        f"{_BOARD_FOOT}"
    )


def _neighbour(label: str, link: Link | None, mmdd: str) -> str:
    """One prev/next line of a board post."""
    if link is None:
        return ""
    url, title = link
    anchor = f'<a href="{escape(url)}">' if url else "<a>"
    return f"<li>{label} {anchor}{escape(title)}</a> {mmdd}</li>"


def board_post(
    *,
    day: dt.date,
    title: str,
    hour: int,
    content: str,
    prev_link: Link | None,
    next_link: Link | None,
    base: str,
) -> str:
    """gnuboard-like post page; the reposted article markup is shown escaped, as text."""
    mmdd = f"{day:%m-%d}"
    list_url = f"{base}/bbs/board.php?bo_table=news&date={day:%Y%m%d}"
    return (
        f"{_board_chrome_head(title, base)}"
        '<article id="bo_v">'
        f'<header><h2 id="bo_v_title"><span class="bo_v_tit">{escape(title)}</span></h2></header>'
        f'<section id="bo_v_info"><strong class="if_date">작성일 {mmdd} {hour:02d}</strong></section>'
        f'<ul class="btn_bo_user"><li><a href="{escape(list_url)}">목록</a></li></ul>'
        f'<section id="bo_v_atc"><div id="bo_v_con">{escape(content)}</div></section>'
        '<section id="bo_v_file">관련자료</section>'
        '<ul class="bo_v_nb">'
        f"{_neighbour('이전', prev_link, mmdd)}{_neighbour('다음', next_link, mmdd)}</ul>"
        '<section id="bo_v_comment"><h2>댓글 0</h2>'
        '<p id="bo_vc_empty">등록된 댓글이 없습니다.</p>'
        '<p class="bo_vc_login">로그인한 회원만 댓글 등록이 가능합니다.</p></section>'
        f"</article>{_BOARD_FOOT}"
    )


def index(base: str) -> str:
    """Small index page describing the URL scheme."""
    return (
        '<!DOCTYPE html><html lang="ko"><head><meta charset="utf-8">'
        "<title>sample news site</title></head><body><h1>sample news site</h1><ul>"
        f"<li>{escape(base)}/breakingnews?page=1&amp;regDate=YYYYMMDD</li>"
        f"<li>{escape(base)}/v/{{17-digit id}}</li>"
        f"<li>{escape(base)}/bbs/board.php?bo_table=news&amp;date=YYYYMMDD&amp;page=1</li>"
        f"<li>{escape(base)}/press/list?date=YYYYMMDD&amp;page=1</li>"
        f"<li>{escape(base)}/press/{{template}}/{{17-digit id}}</li>"
        f"<li>{escape(base)}/bbs/board.php?bo_table=news&amp;wr_id={{YYYYMMDD*100+n}}</li>"
        "</ul></body></html>"
    )


def login_wall(base: str) -> str:
    """Daum-looking page with a title and a login box but no article (fault: not_article)."""
    return (
        '<!DOCTYPE html><html lang="ko"><head><meta charset="utf-8">'
        '<title>로그인 | 다음뉴스</title><meta property="og:type" content="website"></head><body>'
        f"{_daum_header(base)}"
        '<main id="kakaoContent"><div class="login_box"><h2 class="tit_login">로그인이 필요합니다</h2>'
        '<form method="post" action="/login"><input type="text" name="id" placeholder="아이디">'
        '<input type="password" name="pw" placeholder="비밀번호">'
        '<button type="submit">로그인</button></form>'
        '<p class="txt_login">회원만 이용할 수 있는 서비스입니다.</p></div></main>'
        f"{_daum_footer()}</body></html>"
    )


def not_found_html() -> str:
    """Short 404 body."""
    return (
        '<!DOCTYPE html><html lang="ko"><head><meta charset="utf-8"><title>404</title></head>'
        "<body><p>페이지를 찾을 수 없습니다. (404 Not Found)</p></body></html>"
    )
