"""Daum and Naver article pages as served (issue 15 items 3 and 4): the full Daum page and Naver News read by
their site modules, the modified time (수정) through the stages, and Naver as a source.

The golden fixtures (tests/fixtures/pages/daumfull_*, naver_*) are reconstructions from the selectors of
the issue around real Daum bodies; here each rule is checked on its own by editing one of them."""

from __future__ import annotations

import html
import json
import random
import re
import threading
import time
from collections.abc import Callable, Iterator
from datetime import date, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from newsetl.config import load_sources
from newsetl.days import KST
from newsetl.errors import QuarantineError
from newsetl.extract import extract_day
from newsetl.load import load_day
from newsetl.parsing.normalize import normalize
from newsetl.pipeline import run_pipeline
from newsetl.records import Article
from newsetl.sites import get_site, parse_page
from tests.test_hostile_pages import _hostile_text, extract_or_reason

PAGES = Path(__file__).parent / "fixtures" / "pages"
DAY = date(2023, 11, 1)


def page(name: str) -> str:
    return (PAGES / f"{name}.html").read_text(encoding="utf-8")


def article(html: str, site: str | None = None) -> Article:
    return normalize(parse_page(html.encode("utf-8"), site=site))


def edited(html: str, old: str, new: str) -> str:
    """The page with one piece of markup replaced (it must be there exactly once)."""
    assert html.count(old) == 1, old
    return html.replace(old, new)


# --- Daum: the full page -------------------------------------------------------------------------------


def test_full_daum_pages_are_of_real_size_and_read_as_daum() -> None:
    for name in ("daumfull_yonhap_006", "daumfull_starnews_001", "daumfull_news1_017"):
        html = page(name)
        assert 100_000 <= len(html.encode("utf-8")) <= 200_000, name
        for chrome in ("<script", "<nav", "box_news_related", "alex-area", "<footer"):
            assert chrome in html, (name, chrome)
        expected = json.loads((PAGES / f"{name}.json").read_text(encoding="utf-8"))
        assert expected["provenance"].startswith("reconstruction from the selectors of issue 15, not a capture")
        assert article(html).parser == "daum"


def test_full_daum_page_reads_modified_time_and_summary() -> None:
    got = article(page("daumfull_yonhap_006"))
    assert got.published_at == datetime(2023, 10, 31, 14, 28, tzinfo=KST)
    assert got.modified_at == datetime(2023, 10, 31, 15, 2, tzinfo=KST)
    assert got.summary == [
        "전현지, LPGA '최고의 지도자 50인'에 4회 연속 선정",
        "미국 밖 지도자로는 유일…한국인으로는 처음",
    ]
    assert not any(line in p for line in got.summary for p in got.paragraphs)  # the summary is no paragraph
    assert got.reporters == ["권훈"] and got.press == "연합뉴스"
    # the related news, the most-read list and the comment placeholder stay out of the body
    assert not any(word in got.body_text for word in ("주요 뉴스", "많이 본 뉴스", "댓글을 불러오는 중"))


def test_a_daum_page_never_edited_has_no_modified_time() -> None:
    assert article(page("daumfull_starnews_001")).modified_at is None
    assert article(page("daum_yonhap_006")).modified_at is None  # the compact page: 입력 only


def test_modified_time_is_read_from_the_txt_info_that_says_수정_wherever_it_stands() -> None:
    html = page("daumfull_news1_017")
    published = re.search(r'입력 <span class="num_date">([^<]+)</span>', html)
    modified = re.search(r'수정 <span class="num_date">([^<]+)</span>', html)
    assert published and modified
    first, second = published.group(0), modified.group(0)
    swapped = html.replace(first, "\0").replace(second, first).replace("\0", second)  # 수정 before 입력
    before, after = article(html), article(swapped)
    assert after.published_at == before.published_at and after.modified_at == before.modified_at
    assert before.modified_at is not None and before.modified_at > before.published_at  # type: ignore[operator]


def test_summary_box_is_taken_out_with_the_text_after_it_kept() -> None:
    """lxml's remove() drops an element's tail: text written right after the box must stay in the body."""
    html = edited(
        page("daumfull_yonhap_006"),
        "한국인으로는 처음</strong>",
        "한국인으로는 처음</strong>상자 바로 뒤의 본문 문장이다.",
    )
    got = article(html)
    assert got.paragraphs[0] == "상자 바로 뒤의 본문 문장이다."
    assert got.summary == article(page("daumfull_yonhap_006")).summary


def test_daum_press_comes_from_the_logo_before_the_meta() -> None:
    html = page("daumfull_starnews_001")
    logo = re.search(r'class="thumb_g" alt="([^"]+)"', html)
    assert logo and logo.group(1) == "스타뉴스"
    html = html.replace('content="스타뉴스"', 'content="연합뉴스"')  # og:article:author and media_name
    assert parse_page(html.encode("utf-8")).press_hints[0] == "스타뉴스"
    assert article(html).press == "스타뉴스"
    # the logo's title when it has no alt
    titled = edited(html, logo.group(0), 'class="thumb_g" alt="" title="스포츠조선"')
    assert parse_page(titled.encode("utf-8")).press_hints[0] == "스포츠조선"
    # without the logo, the page's meta names the press
    no_logo = edited(html, logo.group(0), 'class="thumb_g" alt=""')
    assert parse_page(no_logo.encode("utf-8")).press_hints[0] == "연합뉴스"


def test_compact_and_full_pages_of_one_body_give_one_article() -> None:
    """The compact page is the article part of the full one: every field but the URL, the modified time and
    the summary is the same."""
    compact, full = article(page("daum_news1_017")).to_json(), article(page("daumfull_news1_017")).to_json()
    for key in ("url", "source_id", "modified_at", "summary"):
        compact.pop(key), full.pop(key)
    assert compact == full


# --- Naver News ------------------------------------------------------------------------------------------


def test_naver_page_fields() -> None:
    got = article(page("naver_newsis_002"))
    assert got.parser == "naver" and got.source_id == "003/0012214567"
    assert got.published_at == datetime(2023, 11, 1, 9, 34, 5, tzinfo=KST)
    assert got.modified_at == datetime(2023, 11, 1, 11, 10, 52, tzinfo=KST)
    assert got.reporters == ["김예진", "남빛나라"] and got.press == "뉴시스"
    for chrome in ("주요뉴스", "랭킹뉴스", "댓글을 불러오는 중", "기사의 섹션 정보"):
        assert chrome not in got.body_text


def test_naver_press_is_the_logo_then_the_oid() -> None:
    html = page("naver_news1_018")
    assert article(html).press == "뉴스1"
    html = html.replace('title="뉴스1"', 'title=""').replace('alt="뉴스1"', 'alt=""')
    html = html.replace('content="뉴스1 | 네이버"', 'content="네이버"')
    assert 'title="뉴스1"' not in html
    raw = parse_page(html.encode("utf-8"))
    assert raw.press_hints[0] == "뉴스1"  # the press of oid 421, from the URL
    # a logo naming another press wins over the oid
    raw = parse_page(page("naver_news1_018").replace('title="뉴스1"', 'title="연합뉴스"').encode("utf-8"))
    assert raw.press_hints[0] == "연합뉴스"


def test_naver_body_is_split_at_blank_lines_and_photos_are_figures() -> None:
    got = article(page("naver_yonhap_021"))
    assert got.summary == [
        "호주 연구팀 임상시험…인공 무릎 관절 환자 4천239명 대상",
        "항생제 추가 투여, 수술 후 감염 예방 효과 없어",
    ]
    assert not any(line in p for line in got.summary for p in got.paragraphs)
    assert all("\n\n" not in p for p in got.paragraphs) and len(got.paragraphs) > 5
    first = got.media[0]
    assert first.image_url == "https://imgnews.pstatic.net/image/001/2023/11/01/20231101092401969bwhf.jpg"
    assert first.thumbnail_url == first.image_url + "?type=w860"
    assert first.caption == "인공관절 치환술" and first.credit == "게티이미지뱅크 제공"
    assert "게티이미지뱅크" not in got.body_text  # the caption is no paragraph
    # a lazy-loaded photo's placeholder src is not the image
    placeholder = page("naver_yonhap_021").replace('<img id="img1" data-src=', '<img id="img1" src="data:," data-src=')
    assert article(placeholder).media[0] == first
    # a single <br> is a line break inside its paragraph, two end it
    html = edited(
        page("naver_news1_018"),
        "승객 50명을 태울 수 있는",
        "첫 줄<br>둘째 줄<br><br>승객 50명을 태울 수 있는",
    )
    paragraphs = article(html).paragraphs
    assert paragraphs[-2] == "첫 줄\n둘째 줄" and paragraphs[-1].startswith("승객 50명을 태울 수 있는")


def test_naver_reporter_falls_back_to_the_byline_under_the_body() -> None:
    html = re.sub(r'<em class="media_end_head_journalist_name">[^<]*</em>', "", page("naver_yonhap_021"))
    assert article(html).reporters == ["한성간"]


@pytest.mark.parametrize(
    "og_url", ["http://[bad", "", "https://n.news.naver.com/mnews/article/999/1234567890", "가" * 5000]
)
def test_naver_page_with_an_unreadable_url_still_reads(og_url: str) -> None:
    """The press code is read from the URL: an og:url that is no URL (urlsplit raises on "http://[") or names
    an unknown press leaves the logo to name it, and the page is read."""
    html = page("naver_news1_018").replace("https://n.news.naver.com/mnews/article/421/0007212345", og_url)
    got = article(html)
    assert got.press == "뉴스1" and got.title.startswith("울산공항")


def test_naver_page_without_its_body_is_quarantined_in_one_line() -> None:
    html = re.sub(r'<article id="dic_area".*?</article>', "", page("naver_news1_018"), flags=re.S)
    with pytest.raises(QuarantineError) as caught:
        parse_page(html.encode("utf-8"))
    assert caught.value.reason == "no article body (naver layout)"


# --- Naver as a source: its listing, the pipeline, and the modified time through the stages ----------------

LISTING_PATH = "/breakingnews/section/102/249"
NAVER_PAGES = {
    "/mnews/article/421/0007212345": "naver_news1_018",
    "/mnews/article/003/0012214567": "naver_newsis_002",
    "/mnews/article/001/0014312345": "naver_yonhap_021",
}


def naver_listing() -> bytes:
    """The first page of a section's breaking news, shaped as Naver's: items div.sa_item_inner, a thumbnail
    link and a title link each, and a headline box above whose links are not the day's list."""
    items = "".join(
        f'<li class="sa_item _SECTION_HEADLINE"><div class="sa_item_inner"><div class="sa_item_flex">'
        f'<div class="sa_thumb"><a href="{path}" class="sa_thumb_link"><img src="/t.jpg" alt=""></a></div>'
        f'<div class="sa_text"><a href="{path}" class="sa_text_title"><strong class="sa_text_strong">기사 {i}</strong>'
        f'</a><div class="sa_text_info"><div class="sa_text_info_left"><div class="sa_text_press">언론사</div>'
        f"</div></div></div></div></div></li>"
        for i, path in enumerate(NAVER_PAGES)
    )
    headline = '<div class="section_article _TEMPLATE"><a href="/mnews/article/001/0000000009">헤드라인</a></div>'
    more = '<div class="section_more"><a href="#" class="section_more_inner _CONTENT_LIST_LOAD_MORE_BUTTON">기사 더보기</a></div>'
    return f'<html><body>{headline}<ul class="sa_list">{items}</ul>{more}</body></html>'.encode()


@pytest.fixture
def naver_server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Naver's listing and article pages on 127.0.0.1, and a sources.yaml naming it a naver source."""
    asked: list[str] = []
    listing = naver_listing()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (http.server's name)
            asked.append(self.path)
            if self.path == f"{LISTING_PATH}?date={DAY:%Y%m%d}":
                body, status = listing, 200
            elif self.path in NAVER_PAGES:
                body, status = (PAGES / f"{NAVER_PAGES[self.path]}.html").read_bytes(), 200
            else:
                body, status = b"not found", 404
            self.send_response(status)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{httpd.server_address[1]}"
    sources = tmp_path / "sources.yaml"
    sources.write_text(
        f'sources:\n  naver_local:\n    enabled: true\n    base_url: "{base}"\n    site: naver\n'
        "    allow_private_addresses: true\n    requests_per_second: 0\n    concurrency: 2\n"
        '    discovery:\n      sections: {society: "102/249"}\n',
        encoding="utf-8",
    )
    monkeypatch.setenv("NEWS_SOURCES_FILE", str(sources))
    try:
        yield asked
    finally:
        httpd.shutdown()
        httpd.server_close()


def rows(db: Engine) -> dict[str, dict[str, object]]:
    """news.article by source_id, every column."""
    with db.connect() as conn:
        found = conn.execute(sa.text("SELECT * FROM news.article ORDER BY source_id")).mappings().all()
    return {str(r["source_id"]): dict(r) for r in found}


def test_naver_listing_reads_the_first_page_then_stops_without_a_cursor() -> None:
    listing = get_site("naver").listing
    assert listing is not None
    base = "https://news.naver.com"
    assert listing.page_url(base, DAY, 1, "101/259") == base + "/breakingnews/section/101/259?date=20231101"
    found = listing.page_links(naver_listing(), "https://news.naver.com" + LISTING_PATH, limit=500)
    assert found.links == ["https://news.naver.com" + path for path in NAVER_PAGES]  # no headline, no repeats
    assert found.cursor is None  # so discovery ends after the first page (the cursor pages: test_discovery_kinds)


def test_naver_source_loads_its_day_and_a_changed_modified_time_updates_the_row_in_place(
    clean_db: Engine, naver_server: list[str]
) -> None:
    db, sources = clean_db, load_sources()
    run_pipeline(db, DAY, sources)
    assert [p for p in naver_server if "breakingnews" in p] == [f"{LISTING_PATH}?date=20231101"]  # one page
    before = rows(db)
    assert sorted(before) == ["001/0014312345", "003/0012214567", "421/0007212345"]
    assert {k: (r["parser"], r["press"]) for k, r in before.items()} == {
        "001/0014312345": ("naver", "연합뉴스"),
        "003/0012214567": ("naver", "뉴시스"),
        "421/0007212345": ("naver", "뉴스1"),
    }
    target = before["001/0014312345"]
    assert target["modified_at"] == datetime(2023, 11, 1, 10, 2, 33, tzinfo=KST)
    assert before["421/0007212345"]["modified_at"] is None

    # The press edits the article again: only its 수정 time changes.
    with db.begin() as conn:
        url = str(target["url"])
        body = bytes(conn.execute(sa.text("SELECT body FROM staging.raw_page WHERE url = :u"), {"u": url}).scalar_one())
        text = edited(
            body.decode("utf-8"),
            'data-modify-date-time="2023-11-01 10:02:33"',
            'data-modify-date-time="2023-11-01 13:45:00"',
        )
        conn.execute(
            sa.text("UPDATE staging.raw_page SET body = :b, body_sha256 = 'edited' WHERE url = :u"),
            {"b": text.encode("utf-8"), "u": url},
        )
    assert extract_day(db, DAY, sources) == {"extracted": 1}
    assert load_day(db, DAY, sources) == {"loaded": 1, "unchanged": 2}
    after = rows(db)
    changed = after["001/0014312345"]
    assert changed["article_id"] == target["article_id"]  # the same row, updated in place
    assert changed["modified_at"] == datetime(2023, 11, 1, 13, 45, tzinfo=KST)
    assert changed["content_hash"] != target["content_hash"]
    assert changed["updated_at"] > target["updated_at"]  # type: ignore[operator]
    same = {"modified_at", "content_hash", "updated_at"}
    assert {k: v for k, v in changed.items() if k not in same} == {k: v for k, v in target.items() if k not in same}
    assert {k: after[k] for k in after if k != "001/0014312345"} == {
        k: before[k] for k in before if k != "001/0014312345"
    }


# --- hostile shapes in the portal markup: linear time, a storable article ------------------------------

NAVER_MINI = """<html><head><meta charset="utf-8">
<meta property="og:url" content="https://n.news.naver.com/mnews/article/001/0014312345"></head><body>
<div class="media_end_head"><img class="media_end_head_top_logo_img" title="연합뉴스" src="l.png">
<h2 id="title_area"><span>제목</span></h2>{head}
<span class="_ARTICLE_DATE_TIME" data-date-time="2023-11-01 09:24:17">오전 9:24</span></div>
<article id="dic_area">{body}</article></body></html>"""
DAUM_MINI = """<html><head><meta charset="utf-8"><meta property="og:article:author" content="연합뉴스"></head><body>
<div class="head_view"><h3 class="tit_view">제목</h3><div class="info_view">{info}
<span class="txt_info">입력 <span class="num_date">2023. 11. 1. 06:41</span></span></div></div>
<div class="news_view"><div class="article_view"><section>{summary}<p>본문.</p></section></div></div></body></html>"""
_PORTAL_SHAPES: dict[str, tuple[str, Callable[[int], str]]] = {
    "naver_lines": ("naver", lambda n: NAVER_MINI.format(head="", body="가<br>" * n)),
    "naver_blank_lines": ("naver", lambda n: NAVER_MINI.format(head="", body="가" + "<br>" * n + "나")),
    "naver_photos": (
        "naver",
        lambda n: NAVER_MINI.format(
            head="",
            body='<span class="end_photo_org"><img data-src="p.jpg?type=w860"><em class="img_desc">설명</em></span>' * n
            + "본문.",
        ),
    ),
    "naver_reporters": (
        "naver",
        lambda n: NAVER_MINI.format(head='<em class="media_end_head_journalist_name">홍 기자</em>' * n, body="본문."),
    ),
    "daum_info_spans": (
        "daum",
        lambda n: DAUM_MINI.format(
            info='<span class="txt_info">수정 <span class="num_date">x</span></span>' * n, summary=""
        ),
    ),
    "daum_summary_lines": (
        "daum",
        lambda n: DAUM_MINI.format(info="", summary='<strong class="summary_view">' + "가<br>" * n + "</strong>"),
    ),
}


def _cpu(content: bytes, site: str) -> float:
    start = time.process_time()
    try:
        normalize(parse_page(content, site=site))
    except QuarantineError:
        pass
    return time.process_time() - start


@pytest.mark.parametrize("shape", list(_PORTAL_SHAPES))
def test_portal_markup_repeated_is_linear_and_storable(shape: str) -> None:
    """A 32x longer repeat takes about 32x longer, not 1024x (CPU time of this process, best of three,
    against a page of plain text of about the small size as a floor)."""
    site, make = _PORTAL_SHAPES[shape]
    small, big = (make(n).encode() for n in (500, 16_000))
    plain = NAVER_MINI.format(head="", body="가나다라 " * 2_000).encode()
    floor = small_s = big_s = float("inf")
    for _ in range(3):
        floor = min(floor, _cpu(plain, "naver"))
        small_s = min(small_s, _cpu(small, site))
        big_s = min(big_s, _cpu(big, site))
    assert big_s < 80 * max(small_s, floor), (small_s, big_s, floor)
    try:
        json.dumps(normalize(parse_page(big, site=site)).to_json(), ensure_ascii=False)
    except QuarantineError as exc:
        assert exc.reason and "\n" not in exc.reason


def _hostile_portal_page(rng: random.Random) -> tuple[str, str]:
    """A Naver or full Daum page with hostile text in every field the modules read (escaped, or raw so the
    markup breaks too), and the site to read it with."""
    quote = html.escape if rng.random() < 0.7 else str

    def text() -> str:
        return quote(_hostile_text(rng))

    if rng.random() < 0.5:
        head = (
            f'<img class="media_end_head_top_logo_img" title="{text()}">'
            f'<em class="media_end_head_journalist_name">{text()}</em>'
            f'<span class="_ARTICLE_MODIFY_DATE_TIME" data-modify-date-time="{text()}">x</span>'
        )
        body = (
            f'<strong class="media_end_summary">{text()}<br>{text()}</strong>{text()}<br><br>'
            f'<span class="end_photo_org"><img data-src="{text()}?type=w860"><em class="img_desc">{text()}</em></span>'
            f"{text()}<br>{text()}"
        )
        naver = NAVER_MINI.replace("https://n.news.naver.com/mnews/article/001/0014312345", text())
        return naver.replace("<span>제목</span>", f"<span>{text()}</span>").format(head=head, body=body), "naver"
    info = f'<span class="txt_info">{text()}</span><span class="txt_info">수정 <span class="num_date">{text()}</span></span>'
    summary = f'<strong class="summary_view">{text()}<br>{text()}</strong>{text()}'
    daum = DAUM_MINI.replace(
        '<div class="head_view">', f'<div class="head_view"><a class="link_cp"><img alt="{text()}"></a>'
    )
    return daum.format(info=info, summary=summary), "daum"


def test_random_hostile_portal_pages_give_a_storable_article_or_a_one_line_reason() -> None:
    rng = random.Random(15)
    outcomes: dict[str, int] = {"article": 0, "quarantined": 0}
    for _ in range(300):
        content, site = _hostile_portal_page(rng)
        result = extract_or_reason(content.encode("utf-8", "surrogatepass"), "text/html", site=site)
        outcomes["article" if isinstance(result, Article) else "quarantined"] += 1
    assert outcomes["article"] > 100, outcomes
