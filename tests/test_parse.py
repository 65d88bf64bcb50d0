"""Parser tests: layout detection, body walking, and the golden pages in tests/fixtures/pages."""

from __future__ import annotations

import argparse
import json
import random
import time
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from newsetl import cli_parse
from newsetl.errors import BinaryPage, NotAnArticle, PageTooDeep, PageTooLarge, QuarantineError
from newsetl.parsing.normalize import normalize
from newsetl.parsing.page import MAX_PAGE_BYTES, decode
from newsetl.sites import parse_page, source_id
from newsetl_tools.accuracy import char_f1

PAGES = Path(__file__).parent / "fixtures" / "pages"
EXPECTED = sorted(p for p in PAGES.glob("*.json"))  # NAME.json beside NAME.html / NAME.txt

DAUM_PAGE = """<html><head><meta charset="utf-8">
<meta property="og:url" content="https://v.daum.net/v/20231101064102972">
<meta property="og:article:author" content="스타뉴스"></head><body>
<div class="head_view"><h3 class="tit_view">제목 &amp; 부제</h3>
<div class="info_view"><span class="txt_info">김동윤 기자</span>
<span class="txt_info">입력 <span class="num_date">2023. 11. 1. 06:41</span></span></div></div>
<div class="news_view"><div class="article_view"><section>{body}</section></div></div>
</body></html>"""


def _daum(body: str) -> str:
    """A minimal Daum article page around a body."""
    return DAUM_PAGE.format(body=body)


# --- fields of one layout --------------------------------------------------------------------


def test_daum_fields() -> None:
    raw = parse_page(_daum('<p dmcf-ptype="general">본문 첫 문단.</p>'))
    assert raw.parser == "daum"
    assert raw.title == "제목 & 부제"
    assert raw.date_text == "2023. 11. 1. 06:41"
    assert raw.byline_text == "김동윤 기자"
    assert raw.press_hints[0] == "스타뉴스"
    assert raw.url == "https://v.daum.net/v/20231101064102972"
    assert raw.source_id == "20231101064102972"


def test_br_becomes_newline_inside_paragraph() -> None:
    raw = parse_page(_daum('<p dmcf-ptype="general">첫 줄<br/>\n   둘째   줄</p><p>다음</p>'))
    assert raw.paragraphs == ["첫 줄\n둘째 줄", "다음"]


def test_div_paragraphs_and_nested_blocks_are_split() -> None:
    body = (
        '<div dmcf-ptype="general">\n   가 문단  \n</div>'
        '<div dmcf-ptype="general"><div>\n</div></div>'
        '<div dmcf-ptype="general"><p>나 문단</p><br/><p>다 문단</p></div>'
    )
    assert parse_page(_daum(body)).paragraphs == ["가 문단", "나 문단", "다 문단"]


def test_figures_never_become_paragraphs() -> None:
    body = (
        '<figure><p class="link_figure"><img src="t.jpg" data-org-src="o.jpg" data-org-width="600" '
        'alt="대체"></p><figcaption>캡션 [KT 제공]</figcaption></figure>'
        "<figure><iframe src='https://tv.example/v'></iframe></figure>"  # video, no image
        '<figure><img src="only.jpg"></figure>'
        "<p>본문</p>"
    )
    raw = parse_page(_daum(body))
    assert raw.paragraphs == ["본문"]
    assert [f.image_url for f in raw.figures] == ["o.jpg", "only.jpg"]
    first, second = raw.figures
    assert (first.thumbnail_url, first.width, first.alt) == ("t.jpg", "600", "대체")
    assert "캡션" in (first.caption or "")
    assert second.caption is None and second.width is None


def test_nested_article_view_taken_once() -> None:
    page = (
        "<html><body><h3>제목</h3><h6>김동윤 기자 2023-11-01 06:41</h6>"
        '<div class="article_view"><div class="article_view"><p>한 번만</p></div>'
        "<p>[Source : 스타뉴스]</p></div></body></html>"
    )
    raw = parse_page(page)
    assert raw.parser == "article_view"
    assert raw.paragraphs == ["한 번만"]
    assert raw.date_text == "2023-11-01 06:41"
    assert raw.byline_text == "김동윤 기자"
    assert "[Source : 스타뉴스]" in raw.press_hints


@pytest.mark.parametrize("quote", ['"', "&quot;"])
def test_board_finds_escaped_markup_split_by_br(quote: str) -> None:
    view = f"&lt;div class={quote}article_view{quote}&gt;"
    escaped = f"{view}&lt;p&gt;첫 문단&lt;/p&gt;<br>&lt;p&gt;둘째&lt;/p&gt;&lt;/div&gt;"
    page = (
        '<html><body><h2 id="bo_v_title"><span class="bo_v_tit">글 제목</span></h2>'
        f'<strong class="if_date">작성일 07-03 20</strong><div id="bo_v_con">{escaped}</div>'
        "<div>댓글 0</div></body></html>"
    )
    raw = parse_page(page, url="https://b.example/bbs/board.php?bo_table=n&wr_id=77")
    assert (raw.parser, raw.title, raw.date_text) == ("board", "글 제목", "07-03 20")
    assert raw.paragraphs == ["첫 문단", "둘째"]
    assert raw.source_id == "77"


def test_generic_fallback_and_forced_parser() -> None:
    page = "<html><head><title>t</title></head><body><article><h2>소제목</h2><p>본문</p></article></body></html>"
    raw = parse_page(page)
    assert raw.parser == "generic"
    assert raw.paragraphs == ["본문"]
    assert raw.summary == ["소제목"]  # a heading above the first paragraph is the summary, not body text
    assert parse_page(page, site="generic").parser == "generic"
    with pytest.raises(ValueError):
        parse_page(page, site="nope")


@pytest.mark.parametrize(
    "page",
    [
        "",
        "<html><body><p>제목 없는 글</p></body></html>",
        "<html><head><title>빈 글</title></head><body></body></html>",
    ],
)
def test_not_an_article(page: str) -> None:
    with pytest.raises(NotAnArticle) as info:
        parse_page(page)
    assert "\n" not in info.value.reason


def test_decode_charsets() -> None:
    page = '<html><head><meta charset="euc-kr"></head><body>한글</body></html>'
    assert "한글" in decode(page.encode("euc-kr"))
    assert decode("\ufeff<p>x</p>".encode()) == "<p>x</p>"
    assert "한글" in decode(page.replace("euc-kr", "utf-8").encode())


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://v.daum.net/v/20250703184142565", "20250703184142565"),
        ("https://b.example/bbs/board.php?bo_table=news&wr_id=4211", "4211"),
        ("https://news.example.com/a/b/kt-ai-model/", "kt-ai-model"),
        (None, None),
    ],
)
def test_source_id(url: str | None, expected: str | None) -> None:
    assert source_id(url) == expected


# --- bad input: one-line QuarantineError, never a crash ------------------------------------------

GOOD_PAGE = PAGES / "daum_yonhap_006.html"


def _reason(content: str | bytes) -> QuarantineError:
    """The error extract raises for bad content (its reason is one line)."""
    with pytest.raises(QuarantineError) as info:
        parse_page(content)
    assert info.value.reason and "\n" not in info.value.reason
    return info.value


@pytest.mark.parametrize("content", [b"", "", b"  \r\n\t ", "\ufeff"])
def test_empty_page(content: str | bytes) -> None:
    assert isinstance(_reason(content), NotAnArticle)


@pytest.mark.parametrize(
    "content",
    [
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8,
        random.Random(7).randbytes(20_000),
        b"<html>" + b"\x00" * 50 + b"</html>",
        "<html>\x00\x01\x02\x03 text</html>" * 3,
    ],
    ids=["png", "random", "nul-bytes", "control-str"],
)
def test_binary_content(content: str | bytes) -> None:
    error = _reason(content)
    assert isinstance(error, BinaryPage) and "binary content" in error.reason


@pytest.mark.parametrize("codec", ["euc-kr", "cp949"])
def test_korean_legacy_encoding_without_declared_charset(codec: str) -> None:
    page = GOOD_PAGE.read_text(encoding="utf-8").replace('<meta charset="utf-8">', "")
    page = page.replace("©", "(c)")  # not in EUC-KR
    raw = parse_page(page.encode(codec))
    assert raw.title == "전현지, 4회 연속 LPGA 선정 최고지도자 50인"
    assert raw.paragraphs[1].startswith("전현지는 LPGA가 31일(한국시간)")


def test_declared_euc_kr_page_written_in_cp949() -> None:
    page = '<html><head><meta charset="euc-kr"><title>똠양꿍</title></head><body><article><p>햏 본문</p></article></body></html>'
    raw = parse_page(page.encode("cp949"))  # 똠 and 햏 exist in CP949 only
    assert (raw.title, raw.paragraphs) == ("똠양꿍", ["햏 본문"])


def test_truncated_page_keeps_what_is_there() -> None:
    content = (PAGES / "daum_xportsnews_009.html").read_bytes()
    whole = parse_page(content).paragraphs
    cut = content[: len(content) // 2]
    cut = cut[: cut.rindex("다".encode()) + 2]  # also cut inside a UTF-8 character
    part = parse_page(cut)
    assert part.title == parse_page(content).title
    assert 0 < len(part.paragraphs) < len(whole)
    assert part.paragraphs[:-1] == whole[: len(part.paragraphs) - 1]
    assert "\ufffd" not in "".join(part.paragraphs)


def test_truncated_board_post_drops_the_cut_tag() -> None:
    content = (PAGES / "seed_board.html").read_bytes()
    part = parse_page(content[: len(content) // 2])
    assert part.parser == "board" and part.paragraphs
    assert not part.paragraphs[-1].rstrip().endswith("<")


def test_truncated_before_the_body_is_not_an_article() -> None:
    content = GOOD_PAGE.read_bytes()
    head = content[: content.index(b"article_view") - 20]
    error = _reason(head)
    assert isinstance(error, NotAnArticle) and error.reason.startswith("no article body")


def test_page_too_large_is_refused_before_parsing() -> None:
    big = b"<html><body><article><p>" + b"x" * (20 * 1024 * 1024) + b"</p></article></body></html>"
    start = time.perf_counter()
    error = _reason(big)
    assert isinstance(error, PageTooLarge)
    assert error.reason == f"page too large: {len(big)} bytes > {MAX_PAGE_BYTES}"
    assert time.perf_counter() - start < 0.5
    assert isinstance(_reason(big.decode()), PageTooLarge)  # the fetch stage may pass str


@pytest.mark.parametrize("depth", [300, 10_000])
def test_deep_nesting_is_a_clean_error(depth: int) -> None:
    page = "<html><head><title>t</title></head><body><article>" + "<div>" * depth + "<p>x</p>" + "</div>" * depth
    start = time.perf_counter()
    error = _reason(page + "</article></body></html>")
    assert isinstance(error, PageTooDeep) and "nested too deep" in error.reason
    assert time.perf_counter() - start < 1


def test_moderate_nesting_still_parses() -> None:
    page = "<html><head><title>t</title></head><body><article>" + "<div>" * 200 + "<p>x</p>" + "</div>" * 200
    assert parse_page(page + "</article></body></html>").paragraphs == ["x"]


def test_page_without_article() -> None:
    page = "<html><head><title>회사 소개</title></head><body><nav>홈</nav><footer>ⓒ 회사</footer></body></html>"
    assert isinstance(_reason(page), NotAnArticle)


def test_caption_with_br_and_different_alt_keep_each_as_written() -> None:
    body = (
        '<figure><img src="t.jpg" data-org-src="o.jpg" alt="대체 텍스트 [AP=연합뉴스]">'
        "<figcaption>첫 줄 설명<br>둘째 줄 설명. [AP=연합뉴스]</figcaption></figure><p>본문</p>"
    )
    media = normalize(parse_page(_daum(body))).media
    assert media[0].alt == "대체 텍스트 [AP=연합뉴스]"
    assert (media[0].caption, media[0].credit) == ("첫 줄 설명\n둘째 줄 설명.", "AP=연합뉴스")


def test_cli_bad_pages_give_one_line_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "a_empty.html").write_bytes(b"")
    (tmp_path / "b_image.html").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    (tmp_path / "c_deep.html").write_text("<html><body>" + "<div>" * 10_000, encoding="utf-8")
    (tmp_path / "d_good.html").write_bytes(GOOD_PAGE.read_bytes())
    (tmp_path / "e_random.txt").write_bytes(random.Random(3).randbytes(4096))
    parser = argparse.ArgumentParser()
    cli_parse.add_arguments(parser)
    assert cli_parse.run(parser.parse_args([str(tmp_path)])) == 1
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    by_name = {Path(line["path"]).name: line for line in lines}
    assert list(by_name) == ["a_empty.html", "b_image.html", "c_deep.html", "d_good.html", "e_random.txt"]
    for name in ("a_empty.html", "b_image.html", "c_deep.html", "e_random.txt"):
        assert set(by_name[name]) == {"path", "error"}
        assert by_name[name]["error"] and "\n" not in by_name[name]["error"]
    assert by_name["d_good.html"]["title"] == "전현지, 4회 연속 LPGA 선정 최고지도자 50인"


# --- golden pages ----------------------------------------------------------------------------

# Keys that are no expectation: what the page is read with (day, given_url), and notes for people: where a
# page comes from (provenance: a reconstruction or a capture; captured_from, captured_at: `newsetl capture`;
# notes: where the values come from).
_RESERVED = {"day", "given_url", "provenance", "captured_from", "captured_at", "notes"}


def _page_for(expected_path: Path) -> Path:
    """The page file next to NAME.json (NAME.html or NAME.txt)."""
    return next(p for p in PAGES.glob(f"{expected_path.stem}.*") if p.suffix != ".json")


def _check(key: str, want: Any, got: dict[str, Any]) -> None:
    """Compare one expectation key with the normalized article."""
    paragraphs: list[str] = got["paragraphs"]
    if key == "paragraph_count":
        assert len(paragraphs) == want
    elif key == "first_paragraph":
        assert paragraphs[0] == want
    elif key == "first_paragraph_startswith":
        assert paragraphs[0].startswith(want)
    elif key == "last_paragraph":
        assert paragraphs[-1] == want
    elif key == "last_paragraph_endswith":
        assert paragraphs[-1].endswith(want)
    elif key == "body_contains":
        for text in want:
            assert text in got["body_text"]
    elif key == "body_not_contains":
        for text in want:
            assert text not in got["body_text"], text
    elif key == "body_f1":  # a real page's body, scored as make accuracy scores it: {"min": …, "paragraphs": […]}
        score = char_f1(got["body_text"], "\n\n".join(want["paragraphs"]))
        assert score >= want["min"], f"body F1 {score:.4f} < {want['min']}"
    elif key == "media_count":
        assert len(got["media"]) == want
    elif key == "media_subset":
        by_position = {m["position"]: m for m in got["media"]}
        for item in want:
            actual = by_position[item["position"]]
            assert {k: actual[k] for k in item} == item
    else:
        assert got[key] == want, key


@pytest.mark.parametrize("expected_path", EXPECTED, ids=lambda p: p.stem)
def test_golden_page(expected_path: Path) -> None:
    expected = json.loads(expected_path.read_text(encoding="utf-8"))
    assert "draft" not in expected, "a draft of `newsetl capture`: review every field, then remove draft"
    day = date.fromisoformat(expected["day"]) if "day" in expected else None
    raw = parse_page(_page_for(expected_path).read_bytes(), url=expected.get("given_url"))
    got = normalize(raw, day).to_json()
    assert got["body_text"] == "\n\n".join(got["paragraphs"])
    for key, want in expected.items():
        if key not in _RESERVED:
            _check(key, want, got)


def test_every_fixture_page_has_expectations() -> None:
    pages = [p for p in PAGES.iterdir() if p.suffix != ".json"]
    assert sorted(p.stem for p in pages) == sorted(p.stem for p in EXPECTED)
    layouts = [json.loads(p.read_text(encoding="utf-8"))["parser"] for p in EXPECTED]
    assert {name: layouts.count(name) >= 3 for name in ("daum", "article_view", "board")} == {
        "daum": True,
        "article_view": True,
        "board": True,
    }


def test_every_corpus_body_has_a_daum_fixture() -> None:
    corpus = Path(__file__).parents[1] / "include" / "newsetl_tools" / "sample_site" / "data" / "daum"
    numbers = {p.stem for p in corpus.glob("*.html")}
    covered = {p.stem.rsplit("_", 1)[-1] for p in PAGES.glob("daum_*.html")}
    assert numbers and numbers <= covered


_CONTRACT = {
    "title",
    "url",
    "source_id",
    "press",
    "reporters",
    "emails",
    "published_at",
    "body_text",
    "paragraphs",
    "media",
    "parser",
}


@pytest.mark.parametrize(
    "expected_path",
    [p for p in EXPECTED if not p.stem.startswith(("seed_", "generic_", "press_"))],
    ids=lambda p: p.stem,
)
def test_expectation_is_complete(expected_path: Path) -> None:
    expected = json.loads(expected_path.read_text(encoding="utf-8"))
    assert _CONTRACT <= set(expected)
    for item in expected["media"]:
        assert set(item) == {"position", "image_url", "thumbnail_url", "width", "alt", "caption", "credit"}


# --- command line ----------------------------------------------------------------------------


def test_cli_prints_one_json_line_per_page(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "a_empty.html").write_text("<html><body></body></html>", encoding="utf-8")
    (tmp_path / "b_seed.txt").write_bytes((PAGES / "seed_board_dump.txt").read_bytes())
    (tmp_path / "c_ignored.json").write_text("{}", encoding="utf-8")
    parser = argparse.ArgumentParser()
    cli_parse.add_arguments(parser)
    args = parser.parse_args([str(tmp_path), "--url", "https://b.example/bbs/board.php?wr_id=9", "--day", "2025-07-03"])
    assert cli_parse.run(args) == 1  # the empty page failed
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [Path(line["path"]).name for line in lines] == ["a_empty.html", "b_seed.txt"]
    assert set(lines[0]) == {"path", "error"}
    seed = lines[1]
    assert (seed["source_id"], seed["press"], seed["published_at"]) == ("9", "헤럴드경제", "2025-07-03T20:00:00+09:00")
    assert len(seed["paragraphs"]) == 16 and len(seed["media"]) == 3


def test_cli_without_day_leaves_yearless_date_null(capsys: pytest.CaptureFixture[str]) -> None:
    parser = argparse.ArgumentParser()
    cli_parse.add_arguments(parser)
    assert cli_parse.run(parser.parse_args([str(PAGES / "seed_board_dump.txt")])) == 0
    seed = json.loads(capsys.readouterr().out)
    assert seed["published_at"] is None and seed["warnings"]


def test_whitespace_collapse_matches_the_plain_regex() -> None:
    import re

    from newsetl.parsing.text import WS as _WS
    from newsetl.parsing.text import collapse as _collapse

    plain = re.compile(r"[ \t\n\r\f\v]+")
    rng = random.Random(11)
    for _ in range(5000):
        text = "".join(rng.choice(" \t\n\r\f\vab가\xa0") for _ in range(rng.randint(0, 10)))
        assert _WS.sub(" ", text) == plain.sub(" ", text), repr(text)
        assert _collapse(text) == plain.sub(" ", text), repr(text)


def test_press_hints_read_on_the_page_end_match_the_whole_page() -> None:
    import re

    from newsetl.parsing import page as P
    from newsetl.parsing import selectors as X
    from newsetl.sites import base as B
    from newsetl.sites.generic import Generic

    pages = [p.read_bytes() for p in sorted(PAGES.glob("*.html"))]
    pages.append(
        "<html><body><p>[\n Source : X뉴스]</p><p>COPYRIGHT ⓒ Y일보 무단 금지.</p>"
        "<p>[source: Z]</p><p>ⓒ 저작권자 W 금지</p></body></html>".encode()
    )
    for body in pages:
        text = P.decode(body)
        tree = P.parse_html(text)
        parser = Generic(P.Page(tree, text))
        whole = re.sub(r"[ \t\n\r\f\v]+", " ", X.ALL_TEXT(tree))
        expected = [a.strip() for a in X.OG_AUTHOR(tree) if a.strip()]
        expected += B._SOURCE_LINE.findall(whole) + [m.strip() for m in B._COPYRIGHT_LINE.findall(whole)]
        assert B.Site.press_hints(parser) == expected


def _variants(body: bytes) -> list[bytes]:
    """A page and the variants that take extract's other decoding routes (or must not take the fast one)."""
    return [
        body,
        b"\xef\xbb\xbf" + body,  # BOM
        b'<?xml version="1.0" encoding="utf-8"?>\n' + body,
        b"  \n" + body,
        body.replace(b'charset="utf-8"', b'charset="euc-kr"'),
        body.replace(b'charset="utf-8"', b'charset="iso-8859-1"'),  # decodes, as something else
        body.replace(b"</body>", b'<meta charset="euc-kr"></body>'),
        body.replace(b"</p>", b"\xb0\xa1</p>", 1),  # not UTF-8
        body[: len(body) // 2 + 1],  # maybe cut inside a character
    ]


def test_utf8_fast_path_gives_what_decoding_first_gives(monkeypatch: pytest.MonkeyPatch) -> None:
    from newsetl.parsing import page as P

    def outcome(content: str | bytes) -> Any:
        try:
            return normalize(parse_page(content, url="https://v.daum.net/v/20231101064102972")).to_json()
        except QuarantineError as exc:
            return type(exc).__name__, exc.reason

    pages: list[str | bytes] = []
    for path in sorted(PAGES.iterdir()):
        if path.suffix != ".json":
            pages += _variants(path.read_bytes())
            text = path.read_bytes().decode("utf-8", "replace")  # the fetch stage may pass str
            pages += [text, "\ufeff\ufeff" + text, "\u3000" + text, '<?xml version="1.0"?>' + text, text + "\ud800"]
    fast = [outcome(page) for page in pages]
    monkeypatch.setattr(P, "_parse_fast", lambda content, utf8_declared=False: None)  # always decode, then parse
    assert [outcome(page) for page in pages] == fast


@pytest.mark.parametrize("as_bytes", [True, False])
def test_depth_check_around_the_limit(as_bytes: bool) -> None:
    from newsetl.parsing import page as P
    from newsetl.parsing import selectors as X

    for depth in range(P.MAX_DEPTH - 12, P.MAX_DEPTH + 3):
        # libxml2 adds html and body itself: the bare <b> page is deeper than its count of "<"
        for page in ("<b>" * depth + "x", "<title>t</title><article>" + "<b>" * depth + "x</article>"):
            deep = X.TOO_DEEP(etree.fromstring(page, P._HTML_PARSER))
            try:
                parse_page(page.encode() if as_bytes else page)
                refused = False
            except PageTooDeep:
                refused = True
            except QuarantineError:
                refused = False
            assert refused == deep, (depth, page[:30])


@pytest.mark.parametrize(
    "content",
    ["", b"", " \t\n\r\f\v", b" \t\n\r\f\v", "\u3000\xa0\x1c\u2028", " \u3000 a", b" \t a", "\u200b", b"\xa0"],
)
def test_empty_page_is_what_strip_leaves_empty(content: str | bytes) -> None:
    """The whitespace-only test (isspace, no copy of the page) agrees with `not content.strip()`."""
    try:
        parse_page(content)
    except QuarantineError as exc:
        assert (str(exc) == "empty page") == (not content.strip()), repr(content)
    else:
        assert content.strip(), repr(content)


def test_a_utf8_page_goes_to_lxml_as_bytes(monkeypatch: pytest.MonkeyPatch) -> None:
    """A page the server (or its meta tag) declares UTF-8 is parsed from its bytes: nothing decodes it to text
    and encodes it back; a page declared in another charset is decoded first, as that charset calls for."""
    from newsetl.parsing import page as P

    body = GOOD_PAGE.read_bytes()
    expected = parse_page(body)
    for name in ("decode", "parse_html"):  # the text path
        monkeypatch.setattr(P, name, lambda *args: pytest.fail("the UTF-8 page was decoded to text"))
    for charset in ("utf-8", None):
        page = P.read_page(body, charset)
        assert isinstance(page.source, bytes)
        assert parse_page(body, charset=charset) == expected
    monkeypatch.undo()
    euc = body.decode("utf-8").replace('charset="utf-8"', "").encode("cp949", errors="xmlcharrefreplace")
    page = P.read_page(euc, "euc-kr")
    assert isinstance(page.source, str)
    assert parse_page(euc, charset="euc-kr").paragraphs == expected.paragraphs


def test_the_servers_charset_wins_over_the_meta_tag() -> None:
    """Header UTF-8, meta EUC-KR (a template left unchanged): the bytes are UTF-8, as the server says."""
    body = GOOD_PAGE.read_bytes().replace(b'charset="utf-8"', b'charset="euc-kr"')
    assert parse_page(body, charset="utf-8") == parse_page(GOOD_PAGE.read_bytes())
    # a header charset the bytes do not fit is ignored: the page is read as if none were declared
    assert (
        parse_page(GOOD_PAGE.read_bytes(), charset="euc-kr").paragraphs == parse_page(GOOD_PAGE.read_bytes()).paragraphs
    )


# --- charsets no page is written in (issue 14, item 3) -----------------------------------------


@pytest.mark.parametrize(
    ("name", "in_meta", "usable"),
    [
        ("utf-8", False, True),
        ("euc-kr", True, True),
        ("cp949", False, True),
        ("ks_c_5601-1987", True, True),
        ("iso-8859-1", True, True),
        ("utf-16", False, True),  # a server may send UTF-16
        ("utf-16", True, False),  # a meta tag is ASCII: the page is not UTF-16
        ("utf-32le", True, False),
        ("undefined", False, False),  # a bare UnicodeError on every decode
        ("punycode", False, False),  # a bare UnicodeError on most
        ("idna", True, False),
        ("utf-7", False, False),  # makes lone surrogates
        ("unicode_escape", True, False),
        ("raw-unicode-escape", False, False),
        ("rot13", False, False),  # not text encodings: bytes.decode refuses them
        ("base64", True, False),
        ("hex", False, False),
        ("x-no-such-codec", False, False),
        ("a\x00b", False, False),  # codecs.lookup raises ValueError
        ("\ud800", False, False),  # … and UnicodeEncodeError
        ("u" * 1000, False, False),
    ],
)
def test_usable_charset(name: str, in_meta: bool, usable: bool) -> None:
    from newsetl.parsing import page as P

    assert P.usable_charset(name, in_meta) is usable


@pytest.mark.parametrize("charset", ["undefined", "punycode", "idna", "utf-7", "utf-16", "rot13"])
def test_meta_charset_no_page_is_written_in_is_ignored(charset: str) -> None:
    from newsetl.parsing import page as P

    page = f'<html><head><meta charset="{charset}"></head><body><p>한글 &#54620;</p></body></html>'
    assert P.declared_charset(page.encode()) is None
    for content in (page.encode(), page.encode("ascii", "xmlcharrefreplace")):
        assert P.read_page(content).tree.findtext(".//p") == "한글 한"


@pytest.mark.parametrize("charset", ["undefined", "punycode", "idna", "utf-7", "rot13", "base64", "nope", "a\x00b"])
def test_header_charset_no_page_is_written_in_is_ignored(charset: str) -> None:
    from newsetl.parsing import page as P

    page = "<html><body><p>한글 &#54620;</p></body></html>"
    for content in (page.encode(), page.encode("ascii", "xmlcharrefreplace")):
        assert P.read_page(content, charset).tree.findtext(".//p") == "한글 한"


# --- JSON-LD (issue 14, item 3) --------------------------------------------------------------------


def test_json_ld_loading_skips_what_cannot_be_read() -> None:
    from newsetl.parsing import jsonld as G

    assert G.load_ld('{"a": [1, 2.5, "x"]}') == {"a": [1, 2.5, "x"]}
    assert G.load_ld("[" * 100_000 + "]" * 100_000) is None  # RecursionError in json's decoder
    assert G.load_ld('{"a": ' + "1" * 5000 + "}") == {"a": None}  # int() refuses over 4,300 digits
    assert G.load_ld('{"a": ' + "1" * (G.LD_INT_DIGITS + 1) + "}") == {"a": None}
    assert G.load_ld('{"a": ' + "1" * G.LD_INT_DIGITS + "}") == {"a": int("1" * G.LD_INT_DIGITS)}
    assert G.load_ld('{"a": "' + "x" * G.MAX_LD_CHARS + '"}') is None
    assert G.load_ld("{broken") is None


def _ld_items_reference(data: Any) -> list[dict[str, Any]]:
    """_ld_items as first written (recursive, no depth limit)."""
    if isinstance(data, list):
        return [item for entry in data for item in _ld_items_reference(entry)]
    if isinstance(data, dict):
        return [data] + _ld_items_reference(data.get("@graph", []))
    return []


def test_json_ld_items_in_document_order_without_recursion() -> None:
    from newsetl.parsing import jsonld as G

    rng = random.Random(4)

    def value(depth: int) -> Any:
        kind = rng.randrange(4) if depth < 5 else 3
        if kind == 0:
            return [value(depth + 1) for _ in range(rng.randint(0, 3))]
        if kind == 1:
            return {"@type": rng.choice(["NewsArticle", "Person"]), "@graph": value(depth + 1)}
        if kind == 2:
            return {"n": rng.randint(0, 9)}
        return rng.choice(["x", 1, None])

    for _ in range(3000):  # nested less than LD_DEPTH: the same objects, in the same order
        data = value(0)
        assert [id(x) for x in G.ld_items(data)] == [id(x) for x in _ld_items_reference(data)]
    deep: Any = {"@type": "NewsArticle"}
    for _ in range(5000):  # far past the recursion limit: no RecursionError, the deep object not reached
        deep = [deep]
    assert G.ld_items(deep) == []
    assert G.names_of([[["김철수"]]]) == ["김철수"] and G.names_of([[[["김철수"]]]]) == []
