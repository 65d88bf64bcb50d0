"""Unit tests of the normalizer's pure helpers, and of normalize() on small RawArticles."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from newsetl.parsing.bylines import MAX_TAIL_LINES, split_byline, strip_tail, tail_kind
from newsetl.parsing.captions import MAX_CREDIT, MAX_WIDTH, TAIL, split_credit, width_of
from newsetl.parsing.dates import EARLIEST_YEAR, KST, LATEST_YEAR, parse_date
from newsetl.parsing.normalize import normalize
from newsetl.parsing.press import MAX_HINT, MAX_PRESS, press_from_hint, resolve_press
from newsetl.parsing.text import clean_text, strip_controls, tidy
from newsetl.records import RawArticle, RawFigure

# --- clean_text --------------------------------------------------------------------------------


def test_clean_text_entities_nbsp_zero_width_and_spaces() -> None:
    text = clean_text("\ufeff  A&amp;B\u00a0\u00a0C\u200b\u200bD \t\n E&#8230; ")
    assert text == "A&B CD E…"
    assert "\u00a0" not in text and "\u200b" not in text


def test_clean_text_nfc() -> None:
    decomposed = "\u1112\u1161\u11ab"  # 한 as jamo
    assert clean_text(decomposed) == "한"


def test_clean_text_keeps_quotes_and_corner_brackets() -> None:
    text = "“인용” ‘작은’ 「소버린 AI」"
    assert clean_text(text) == text


def test_clean_text_keep_newlines() -> None:
    assert clean_text(" 첫 줄 \n\n  둘째\u00a0 줄 \n", keep_newlines=True) == "첫 줄\n둘째 줄"
    assert clean_text(" 첫 줄 \n 둘째 ") == "첫 줄 둘째"
    assert clean_text(None) == ""


# --- split_byline ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "press", "reporters", "rest"),
    [
        ("[헤럴드경제=고재우 기자] “이제까지 종속", "헤럴드경제", ["고재우"], "“이제까지 종속"),
        ("(서울=연합뉴스) 김정은 기자 = 본문이다.", "연합뉴스", ["김정은"], "본문이다."),
        ("[OSEN=이상학 기자] 본문", "OSEN", ["이상학"], "본문"),
        ("(엑스포츠뉴스 김나연 기자) 본문", "엑스포츠뉴스", ["김나연"], "본문"),
        ("[스포티비뉴스=수원, 신원철 기자] 본문", "스포티비뉴스", ["신원철"], "본문"),
        ("[점프볼=이재범 기자] 본문", "점프볼", ["이재범"], "본문"),
        ("[점프볼=안양/조영두 기자] 본문", "점프볼", ["조영두"], "본문"),
        ("[스타뉴스 | 김동윤 기자]", "스타뉴스", ["김동윤"], ""),
        ("[서울=뉴시스] 김예진 남빛나라 기자 = 본문", "뉴시스", ["김예진", "남빛나라"], "본문"),
        ("[인터풋볼] 김대식 기자 = 본문", "인터풋볼", ["김대식"], "본문"),
        ("[풋볼리스트] 김정용 기자= 본문", "풋볼리스트", ["김정용"], "본문"),
        ("[수원=스포츠조선 이종서 기자] 본문", "스포츠조선", ["이종서"], "본문"),
        ("[헤럴드경제=박상현·신현주 기자] 본문", "헤럴드경제", ["박상현", "신현주"], "본문"),
        ("[이데일리 스타in 주영로 기자] 본문", "이데일리 스타in", ["주영로"], "본문"),
        ("[스포츠서울 | 장강훈기자] 본문", "스포츠서울", ["장강훈"], "본문"),
        ("[양형석 기자]", None, ["양형석"], ""),
    ],
)
def test_split_byline(text: str, press: str | None, reporters: list[str], rest: str) -> None:
    assert split_byline(text) == (press, reporters, rest)


@pytest.mark.parametrize(
    "text",
    ["본문에 [괄호] 가 있다.", "김민재는 1일 기자회견에서 말했다.", "(사진) 설명 = 본문", "[동아닷컴]"],
)
def test_split_byline_leaves_ordinary_paragraphs(text: str) -> None:
    assert split_byline(text) == (None, [], text)


# --- trailing lines ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        ("kje@yna.co.kr", "email"),
        ("홍길동 기자 hong@x.com", "email"),
        ("최지혜 기자 (jhchoi@kormedi.com)", "email"),
        ("뉴스엔 김재민 jm@", "email"),
        ("/nyc@osen.co.kr", "email"),
        ("▶제보는 카톡 okjebo", "promo"),
        ("Copyright © 헤럴드경제. 무단전재 및 재배포 금지.", "copyright"),
        ("ⓒ 연합뉴스, 무단 전재-재배포 금지", "copyright"),
        ("<저작권자 ⓒ SPOTV NEWS. 무단전재 및 재배포 금지>", "copyright"),
        ("기사제보 및 보도자료 newsen@newsen.com copyrightⓒ 뉴스엔. 무단전재 & 재배포 금지", "copyright"),
        ("사진=토트넘", "credit"),
        ("# 사진_점프볼 DB(윤민호 기자)", "credit"),
        ("[Source : 스타뉴스]", "source"),
        ("[민준구 MK스포츠 기자]", "byline"),
        ("강준만 전북대 신문방송학과 명예교수", "signature"),
        ("황인성 기자", "signature"),
        ("[동아닷컴]", "press"),
        ("이번 대회 우승자는 김 대표", None),
        ("그는 대표", None),
        ("그는 hong@x.com 으로 연락하라고 말했다. 이후 여러 차례 메일이 오갔다고 한다.", None),
        ("본문의 평범한 마지막 문장이다.", None),
    ],
)
def test_tail_kind(line: str, kind: str | None) -> None:
    assert tail_kind(line) == kind


def test_strip_tail_collects_emails_names_hints() -> None:
    paragraphs = [
        "본문 하나.",
        "본문 둘. 김가을 기자 epi17@sportschosun.com",
        "a@x.com, b@x.com",
        "▶제보는 카톡 okjebo",
        "Copyright © 헤럴드경제. 무단전재 및 재배포 금지.",
    ]
    kept, emails, names, hints = strip_tail(paragraphs)
    assert kept == ["본문 하나.", "본문 둘."]
    assert emails == ["epi17@sportschosun.com", "a@x.com", "b@x.com"]
    assert names == ["김가을"]
    assert hints == ["Copyright © 헤럴드경제. 무단전재 및 재배포 금지."]


def test_strip_tail_last_line_of_br_paragraph() -> None:
    kept, emails, _, _ = strip_tail(["첫 줄.\n둘째 줄.\n김하영 기자 hy@khan.com"])
    assert kept == ["첫 줄.\n둘째 줄."] and emails == ["hy@khan.com"]


def test_strip_tail_author_line_and_profile_box_of_a_column() -> None:
    profile = "강준만\n●1956년 출생\n●現 전북대 신문방송학과 명예교수"
    paragraphs = ["본문 하나.", "마지막 문단이다.", profile, "강준만 전북대 신문방송학과 명예교수"]
    kept, emails, names, _ = strip_tail(paragraphs)
    assert (kept, emails, names) == (["본문 하나.", "마지막 문단이다."], [], ["강준만"])


def test_strip_tail_profile_box_needs_a_signature_below() -> None:
    paragraphs = ["본문.", "목록\n● 첫째\n● 둘째"]
    assert strip_tail(paragraphs)[0] == paragraphs


def test_strip_tail_glued_photo_note() -> None:
    kept, _, _, _ = strip_tail(["경기를 치른다.(자료사진=에릭 텐 하흐 감독)", "뉴스엔 김재민 jm@"])
    assert kept == ["경기를 치른다."]


def test_strip_tail_keeps_body_without_boilerplate() -> None:
    paragraphs = ["첫 문단.", "마지막 문단이다."]
    assert strip_tail(paragraphs) == (paragraphs, [], [], [])


def test_clean_text_drops_controls_and_lone_surrogates() -> None:
    """No text field may hold a C0 control but the newline, DEL or a lone surrogate (Postgres text)."""
    assert clean_text("a\x00b\x01c\x1b\x7fd\ud800e\udfff") == "abcde"
    assert clean_text("a\tb \x0b\x0c\r\x1c\x1fc\n\x00d", keep_newlines=True) == "a b c\nd"  # whitespace ones collapse
    # in a str "\ud83d\ude00" are two lone surrogates (a JSON decoder joins an escaped pair into one 😀)
    assert clean_text("😀 \ud83d\ude00") == "😀"
    assert clean_text("\x00\x01") == ""


def test_strip_controls_keeps_tab_and_newline_only() -> None:
    url = "https://a.example/p?q=1"
    assert strip_controls(url) is url  # printable: returned as it is, no copy
    assert strip_controls("a\x00b\x01c\x0bd\x0ce\rf\x1cg\x7fh\ud800i\tj\nk") == "abcdefghi\tj\nk"


def _tidy_reference(text: str) -> str:
    """tidy as first written: the regex `` *\\n *``, then the ends stripped."""
    import re

    return re.sub(r" *\n *", "\n", text).strip(" ")


def test_tidy_matches_the_regex_it_replaced() -> None:
    import random

    rng = random.Random(3)
    atoms = [" ", "  ", "\n", " \n ", "가", "a", "\t", "\xa0"]
    samples = ["".join(rng.choice(atoms) for _ in range(rng.randint(0, 12))) for _ in range(20000)]
    for text in samples:
        assert tidy(text) == _tidy_reference(text), repr(text)


# --- parse_date --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2023. 11. 1. 08:46", datetime(2023, 11, 1, 8, 46, tzinfo=KST)),
        ("입력 2023. 11. 1. 08:46", datetime(2023, 11, 1, 8, 46, tzinfo=KST)),
        ("20240731193413", datetime(2024, 7, 31, 19, 34, 13, tzinfo=KST)),
        ("2024-07-31T19:34:13+09:00", datetime(2024, 7, 31, 19, 34, 13, tzinfo=KST)),
        ("2024-07-31T10:34:13Z", datetime(2024, 7, 31, 19, 34, 13, tzinfo=KST)),
        ("2024-07-31T19:34:13", datetime(2024, 7, 31, 19, 34, 13, tzinfo=KST)),
        ("2023-11-01 06:41", datetime(2023, 11, 1, 6, 41, tzinfo=KST)),
    ],
)
def test_parse_date_full_dates(text: str, expected: datetime) -> None:
    value, reason = parse_date(text)
    assert reason is None and value == expected
    assert value is not None and value.tzinfo is not None and value.utcoffset() == expected.utcoffset()
    assert value.isoformat().endswith("+09:00")


def test_parse_date_yearless_board_dates() -> None:
    assert parse_date("07-03 20", date(2025, 7, 3)) == (datetime(2025, 7, 3, 20, tzinfo=KST), None)
    # a December post read in a January run belongs to the previous year
    assert parse_date("12-31 23", date(2026, 1, 2))[0] == datetime(2025, 12, 31, 23, tzinfo=KST)
    # late evening KST of "tomorrow" (UTC day lag) still counts as this year
    assert parse_date("07-04 01", date(2025, 7, 3))[0] == datetime(2025, 7, 4, 1, tzinfo=KST)


@pytest.mark.parametrize(
    ("text", "day"),
    [("07-03 20", None), ("어제 오후", date(2025, 7, 3)), ("", None), (None, None), ("2023. 13. 45. 99:99", None)],
)
def test_parse_date_unreadable_gives_reason_not_now(text: str | None, day: date | None) -> None:
    value, reason = parse_date(text, day)
    assert value is None
    assert reason and "\n" not in reason


@pytest.mark.parametrize(
    "text",
    [
        "9999-12-31T23:59:59-23:59",  # astimezone(KST) overflowed: OverflowError
        "0001-01-01T00:00:00+14:00",
        "2199-12-31T23:59:59-01:00",  # 2200 in KST
        "1883-01-01T00:00:00+14:00",  # 1882 in KST
        "1882.12.31",
        "22000101000000",
        "0001-01-01T00:00:00",
    ],
)
def test_parse_date_out_of_range_gives_reason(text: str) -> None:
    value, reason = parse_date(text)
    assert value is None
    assert reason == f"date out of range {text!r}"


@pytest.mark.parametrize("text", ["1883.01.01", "2199-12-31T23:59:59+09:00", "1908-04-01 00:00"])
def test_parse_date_at_the_edges_of_the_range(text: str) -> None:
    value, reason = parse_date(text)
    assert reason is None and value is not None and EARLIEST_YEAR <= value.year <= LATEST_YEAR


def test_parse_date_reason_quotes_a_bounded_one_line_value() -> None:
    value, reason = parse_date("어제\n" + "가" * 5000)
    assert value is None and reason is not None
    assert "\n" not in reason and len(reason) < 100 and reason.endswith("…")


# --- press -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("hint", "name"),
    [
        ("[Source : 스타뉴스]", "스타뉴스"),
        ("Copyright © 헤럴드경제. 무단전재 및 재배포 금지.", "헤럴드경제"),
        ("<저작권자 ⓒ SPOTV NEWS. 무단전재 및 재배포 금지>", "SPOTV NEWS"),
        ("[ⓒ MK스포츠, 무단전재 및 재배포 금지]", "MK스포츠"),
        ("연합뉴스", "연합뉴스"),
    ],
)
def test_press_from_hint(hint: str, name: str) -> None:
    assert press_from_hint(hint) == name


def test_resolve_press_sources() -> None:
    assert resolve_press("헤럴드경제") == "헤럴드경제"
    assert resolve_press(None, ["스포츠동아"]) == "스포츠동아"
    assert resolve_press("동아닷컴", ["스포츠동아"]) == "스포츠동아"  # the known name wins
    assert resolve_press(None, ["<저작권자 ⓒ SPOTV NEWS. 무단전재 및 재배포 금지>"]) == "스포티비뉴스"
    assert resolve_press("이데일리 스타in") == "이데일리"
    assert resolve_press("헤럴드경제 스포츠팀") == "헤럴드경제"
    img = "https://t1.daumcdn.net/news/202507/03/{}/20250703184142565jsye.jpg"
    assert resolve_press(None, [], [img.format("ned")]) == "헤럴드경제"
    assert resolve_press(None, [], [img.format("yonhap")]) == "연합뉴스"
    assert resolve_press(None, [], [img.format("poctan")]) == "OSEN"
    assert resolve_press(None, [], [img.format("SpoChosun")]) == "스포츠조선"
    assert resolve_press("어느신문", []) == "어느신문"  # unknown but readable
    assert resolve_press(None, [], ["https://example.com/a.jpg"]) is None


def test_resolve_press_bounds_its_candidates() -> None:
    assert resolve_press("가" * MAX_PRESS) == "가" * MAX_PRESS
    assert resolve_press("가" * (MAX_PRESS + 1)) is None  # not a press name: press.MAX_PRESS
    assert resolve_press(None, ["가" * 5000, "스타뉴스"]) == "스타뉴스"
    assert resolve_press(None, ["가" * 5000, "어느신문"]) == "어느신문"  # the next readable one
    # a hint over MAX_HINT characters is not read at all, even when it names a known press
    assert resolve_press(None, ["연합뉴스" + " " * MAX_HINT]) is None
    assert resolve_press(None, ["[Source : " + "가" * 5000 + "]"]) is None


def test_copyright_hint_pattern_gives_the_group_it_gave_with_its_prefix() -> None:
    """The copyright pattern lost its optional leading "(?:copyright|저작권자)?\\s*": same name found."""
    import random
    import re

    from newsetl.parsing.press import _HINT_PATTERNS

    before = re.compile(r"(?:copyright|저작권자)?\s*(?:ⓒ|©|\(c\))\s*([^.,<>\]]+)", re.I)
    rng = random.Random(9)
    atoms = [
        "Copyright",
        "copyright ",
        "저작권자",
        " ",
        "  ",
        "ⓒ",
        "©",
        "(c)",
        "(C)",
        "(",
        "c",
        ")",
        "가",
        ".",
        "]",
        "X",
    ]
    for _ in range(20000):
        text = "".join(rng.choice(atoms) for _ in range(rng.randint(0, 10)))
        old, new = before.search(text), _HINT_PATTERNS[1].search(text)
        assert (old and old.group(1)) == (new and new.group(1)), repr(text)


# --- e-mail patterns and trailing lines -------------------------------------------------------------


def test_email_patterns_find_the_first_address_they_found_before() -> None:
    """The lookbehind that makes EMAIL linear changes no first match (only "+"-glued second ones)."""
    import random
    import re

    from newsetl.parsing import bylines

    before = {
        bylines.EMAIL: re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"),
        bylines._EMAIL_ISH: re.compile(r"[\w.+-]+@[\w.-]*"),
    }
    rng = random.Random(12)
    atoms = ["a", "가", "1", ".", "+", "-", "_", "@", " ", "x.y", "b.co", "(", ")", "/", "=", "jm@"]
    for _ in range(30000):
        text = "".join(rng.choice(atoms) for _ in range(rng.randint(0, 12)))
        for new, old in before.items():
            a, b = old.search(text), new.search(text)
            assert (a and a.span()) == (b and b.span()), (new.pattern, text)


def test_strip_tail_reads_a_bounded_number_of_lines() -> None:
    paragraphs = ["본문."] + ["ⓒ 연합뉴스"] * (MAX_TAIL_LINES + 5)
    kept, _, _, hints = strip_tail(paragraphs)
    assert len(hints) == MAX_TAIL_LINES
    assert kept == ["본문."] + ["ⓒ 연합뉴스"] * 5


def test_glued_signature_and_photo_note_are_found_at_the_end_of_a_long_line() -> None:
    long_line = "가나다라마바사. " * 2000
    kept, emails, names, _ = strip_tail([long_line + "없다. 김가을 기자 epi17@x.com"])
    assert (kept, emails, names) == ([long_line + "없다."], ["epi17@x.com"], ["김가을"])
    kept, _, _, _ = strip_tail([long_line + "치른다.(자료사진=에릭 텐 하흐 감독)"])
    assert kept == [long_line + "치른다."]


def test_long_byline_is_not_read() -> None:
    article = normalize(_raw(paragraphs=["본문."], byline_text="김동윤 기자 " * 100))
    assert (article.reporters, article.emails) == ([], [])
    assert "reporters: byline of 700 characters not read" in article.warnings
    article = normalize(_raw(paragraphs=["본문."], byline_text="김동윤 기자 dong@x.com"))
    assert (article.reporters, article.emails) == (["김동윤"], ["dong@x.com"])


# --- split_credit ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("caption", "expected"),
    [
        ("KT 광화문 East사옥 전경. [KT 제공]", ("KT 광화문 East사옥 전경.", "KT 제공")),
        ("축사하고 있다. [연합]", ("축사하고 있다.", "연합")),
        ("시위 현장 [AP 연합뉴스 자료사진. 재판매 및 DB 금지]", ("시위 현장", "AP 연합뉴스 자료사진")),
        ("이정후./사진=뉴스1", ("이정후.", "뉴스1")),
        ("무대 위 모습 /사진= 브리온컴퍼니", ("무대 위 모습", "브리온컴퍼니")),
        ("타석에 선 오타니./AFPBBNews=뉴스1", ("타석에 선 오타니.", "AFPBBNews=뉴스1")),
        ("배우 김OO. ⓒ곽혜미 기자", ("배우 김OO.", "곽혜미 기자")),
        ("사진=큐브 엔터테인먼트 제공", (None, "큐브 엔터테인먼트 제공")),
        ("[사진=게티이미지뱅크]", (None, "게티이미지뱅크")),
        ("인사말 하는 박주민 의원 (사진=연합뉴스)", ("인사말 하는 박주민 의원", "연합뉴스")),
        ("오르고 있다. 국민체육진흥공단 제공", ("오르고 있다.", "국민체육진흥공단 제공")),
        ("첫 줄.\n둘째 줄. [KT 제공]", ("첫 줄.\n둘째 줄.", "KT 제공")),
        ("조규성(미트윌란). 게티이미지코리아", ("조규성(미트윌란).", "게티이미지코리아")),
        ("시위대. AFP", ("시위대.", "AFP")),
        ("회견하는 장관. 연합뉴스", ("회견하는 장관.", "연합뉴스")),
        ("왕자. 사진=ⓒAFPBBNews = News1", ("왕자.", "AFPBBNews = News1")),
        (
            "기뻐하고 있다. 수원=박재만 기자pjm@sportschosun.com/2023.10.31/",
            ("기뻐하고 있다.", "수원=박재만 기자"),
        ),
        ("역투하고 있다. 창원=박재만 기자 pjm@sportschosun.com/2023.10.25/", ("역투하고 있다.", "창원=박재만 기자")),
        (
            "[OSEN=수원, 최규한 기자] 경기가 열렸다. 2023.10.30 / dreamer@osen.co.kr",
            ("경기가 열렸다.", "OSEN=수원, 최규한 기자"),
        ),
        (
            "[서울=뉴시스] 김명년 기자 = 시청하는 모습. 2023.11.01.kmn@newsis.com",
            ("시청하는 모습.", "서울=뉴시스 김명년 기자"),
        ),
        (
            "인사하는 김민재 (수원=연합뉴스) 김도훈 기자 = 17일 인사하고 있다. 2023.10.17 superdoo82@yna.co.kr",
            ("인사하는 김민재 17일 인사하고 있다.", "수원=연합뉴스 김도훈 기자"),
        ),
        ("채널A '강철부대3' 캡처", (None, "채널A '강철부대3' 캡처")),
        ("첫 줄 설명\n둘째 줄. 게티이미지", ("첫 줄 설명\n둘째 줄.", "게티이미지")),
        ("AP통신이 보도한 장면.", ("AP통신이 보도한 장면.", None)),
        ("이정후.", ("이정후.", None)),
        ("  ", (None, None)),
        (None, (None, None)),
    ],
)
def test_split_credit(caption: str | None, expected: tuple[str | None, str | None]) -> None:
    assert split_credit(caption) == expected


# --- normalize ---------------------------------------------------------------------------------


def _raw(**fields: object) -> RawArticle:
    """A RawArticle with defaults for the fields a test does not care about."""
    base: dict[str, object] = {
        "parser": "daum",
        "title": " 제목\u00a0 ",
        "date_text": "2023. 11. 1. 06:41",
        "paragraphs": ["[헤럴드경제=고재우 기자]", "본문.", "kje@x.com"],
    }
    base.update(fields)
    return RawArticle(**base)  # type: ignore[arg-type]


def test_normalize_moves_byline_and_drops_empty_first_paragraph() -> None:
    article = normalize(_raw())
    assert article.title == "제목"
    assert (article.press, article.reporters, article.emails) == ("헤럴드경제", ["고재우"], ["kje@x.com"])
    assert article.paragraphs == ["본문."] and article.body_text == "본문."
    assert article.published_at == datetime(2023, 11, 1, 6, 41, tzinfo=KST)


def test_normalize_keeps_rest_of_byline_paragraph_and_br() -> None:
    raw = _raw(paragraphs=["(서울=연합뉴스) 김정은 기자 = 첫 문장.", "", "  ", "둘\n 셋 "])
    article = normalize(raw)
    assert article.paragraphs == ["첫 문장.", "둘\n셋"]
    assert article.body_text == "첫 문장.\n\n둘\n셋"


def test_normalize_drops_leading_press_tags() -> None:
    raw = _raw(
        paragraphs=["[동아닷컴]", "[동아닷컴]", "본문.", "동아닷컴 조성운 기자 madduxly@donga.com"],
        press_hints=["스포츠동아"],
    )
    article = normalize(raw)
    assert article.paragraphs == ["본문."]
    assert (article.press, article.reporters, article.emails) == ("스포츠동아", ["조성운"], ["madduxly@donga.com"])


def test_normalize_column_author_line_is_not_body() -> None:
    raw = _raw(paragraphs=["본문.", "강준만 전북대 신문방송학과 명예교수"], byline_text=None)
    article = normalize(raw)
    assert (article.paragraphs, article.reporters) == (["본문."], ["강준만"])


def test_normalize_reporters_fall_back_to_page_byline() -> None:
    article = normalize(_raw(paragraphs=["본문."], byline_text="동아닷컴 조성운 기자"))
    assert article.reporters == ["조성운"]
    assert article.press is None and "press: not found" in article.warnings


def test_normalize_unreadable_date_is_null_with_warning() -> None:
    article = normalize(_raw(date_text="07-03 20"))
    assert article.published_at is None
    assert any("published_at" in w for w in article.warnings)


def test_normalize_media_positions_width_and_credit() -> None:
    figures = [
        RawFigure(image_url="a.jpg", thumbnail_url="ta.jpg", width="860", alt="알트", caption=" 설명. [KT 제공] "),
        RawFigure(image_url="b.jpg", width="auto", caption=None),
    ]
    media = normalize(_raw(figures=figures)).media
    assert [(m.position, m.image_url, m.width) for m in media] == [(1, "a.jpg", 860), (2, "b.jpg", None)]
    assert (media[0].caption, media[0].credit, media[0].alt) == ("설명.", "KT 제공", "알트")
    assert (media[1].caption, media[1].credit, media[1].alt) == (None, None, None)


@pytest.mark.parametrize(
    ("width", "expected"),
    [("600", 600), (" 860 ", 860), ("1", 1), (str(MAX_WIDTH), MAX_WIDTH), ("0600", 600), (None, None), (" ", None)],
)
def test_width_of_plausible_widths(width: str | None, expected: int | None) -> None:
    warnings: list[str] = []
    assert width_of(width, warnings) == expected
    assert warnings == []


@pytest.mark.parametrize(
    "width", ["²", "١٢٣", "٣", "9" * 5000, "3000000000", "2147483648", "0", "-5", str(MAX_WIDTH + 1), "auto", "1e3"]
)
def test_width_of_unreadable_widths_are_null_with_a_warning(width: str) -> None:
    warnings: list[str] = []
    assert width_of(width, warnings) is None
    assert len(warnings) == 1 and warnings[0].startswith("media: width ") and len(warnings[0]) < 80


def test_normalize_media_urls_lose_control_characters() -> None:
    figures = [
        RawFigure(image_url="a\x00.jpg\x7f", thumbnail_url="t\x01a\ud800.jpg"),
        RawFigure(image_url="\x01\x02"),  # nothing left: no image
    ]
    media = normalize(_raw(figures=figures)).media
    assert [(m.image_url, m.thumbnail_url) for m in media] == [("a.jpg", "ta.jpg")]


def test_split_credit_bounds_the_credit() -> None:
    caption = "설명. [" + "가" * (MAX_CREDIT + 1) + "]"
    assert split_credit(caption) == (caption, None)
    names = " ".join(["김철수"] * 40)  # a run of names far longer than a photographer byline
    caption = f"[서울=뉴시스] {names} 기자 = 10월 중"
    assert split_credit(caption)[1] is None
    assert split_credit("[서울=뉴시스] 김명년 기자 = 10월 중") == ("10월 중", "서울=뉴시스 김명년 기자")


def test_split_credit_cuts_a_desk_trailer_at_the_end_of_a_long_caption() -> None:
    caption = "선수들이 기뻐하고 있다. " * 500 + "2023.10.30 / dreamer@osen.co.kr"
    assert split_credit(caption) == (caption[: caption.rindex(" 2023")], None)


def test_article_round_trips_through_json() -> None:
    article = normalize(_raw())
    data = article.to_json()
    assert data["published_at"] == "2023-11-01T06:41:00+09:00"
    assert type(article).from_json(data) == article


def _clean_text_reference(text: str | None, keep_newlines: bool = False) -> str:
    """clean_text as first written (one regex pass per line), the yardstick of its fast paths; plus the
    rule added since: control characters other than whitespace, DEL and lone surrogates are dropped."""
    import html
    import re
    import unicodedata

    if not text:
        return ""
    text = unicodedata.normalize("NFC", html.unescape(text))
    text = text.translate(dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None))
    text = "".join(c for c in text if not (c < " " and not c.isspace() or c == "\x7f" or "\ud800" <= c <= "\udfff"))
    if not keep_newlines:
        return " ".join(text.split())
    lines = (re.sub(r"[^\S\n]+", " ", line).strip() for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


def test_clean_text_fast_paths_match_the_plain_definition() -> None:
    import random

    rng = random.Random(7)
    alphabet = [
        "가",
        "a",
        " ",
        "  ",
        "\n",
        "\t",
        "\r",
        "\xa0",
        "\u3000",
        "\u200b",
        "\ufeff",
        "\u00ad",
        "&amp;",
        "&nbsp;",
        "e\u0301",
        "\u1100\u1161",
        "\x85",
        "\u2028",
        ".",
        "\x00",
        "\x01",
        "\x08",
        "\x0b",
        "\x1b",
        "\x1c",
        "\x1f",
        "\x7f",
        "\ud800",
        "\udfff",
        "&#1;",
    ]
    samples = ["", " ", "본문 그대로.", " 앞뒤 공백 ", "두  칸", "줄\n바꿈", "a\xa0b", "x\u200by"]
    samples += ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 12))) for _ in range(3000)]
    for text in samples:
        for keep in (False, True):
            assert clean_text(text, keep_newlines=keep) == _clean_text_reference(text, keep), repr(text)
    assert type(clean_text(type("Smart", (str,), {})("본문"))) is str


def test_caption_pattern_guards_pass_every_text_the_pattern_matches() -> None:
    import random

    from newsetl.parsing.captions import _CREDIT_PATTERNS, _PHOTOGRAPHER_PATTERNS

    rng = random.Random(5)
    atoms = [
        "사진",
        "이미지",
        "=",
        "/",
        ".",
        ")",
        "(",
        "[",
        "]",
        "ⓒ",
        "제공",
        "기자",
        "캡처",
        " ",
        "\n",
        "연합뉴스",
        "AFP",
        "Getty Images",
        "뉴스1",
        "김철수",
        "수원",
        "pjm@sportschosun.com",
        "2023.10.31",
        "출처",
        "|",
        "x",
    ]
    samples = ["".join(rng.choice(atoms) for _ in range(rng.randint(0, 10))) for _ in range(20000)]
    samples += [s + "\n" for s in samples[:2000]]  # $ also matches before a final newline
    for guard, pattern, *_ in _PHOTOGRAPHER_PATTERNS + _CREDIT_PATTERNS:
        for text in samples:
            if pattern.search(text):
                assert guard(text), (pattern.pattern, text)


def _split_credit_reference(caption: str | None) -> tuple[str | None, str | None]:
    """split_credit as first written: every pattern with its leading \\s*, the trailer cut by sub(), the
    whole caption searched; plus the one rule added since, a match whose credit is over MAX_CREDIT
    characters is no credit (the samples are shorter than captions.TAIL, so searching only the tail
    must give the same)."""
    import re

    from newsetl.parsing import captions as N

    plain = {  # the patterns split_credit searches without their leading \s* (or with a lookahead)
        N._PHOTOGRAPHER_PATTERNS[2][1]: r"\s*((?:[가-힣]{1,10}=)?[가-힣]{2,4}\s*기자)\s*[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
        r"\s*(?:/\s*\d{4}\.\d{1,2}\.\d{1,2}\.?\s*/?)?\s*$",
        N._CREDIT_PATTERNS[0][1]: r"\s*\[([^\[\]]+)\]$",
        N._CREDIT_PATTERNS[1][1]: r"\s*\(((?:사진|이미지)[^()]*)\)$",
        N._CREDIT_PATTERNS[2][1]: r"\s*/\s*(사진\s*=.*)$",
        N._CREDIT_PATTERNS[5][1]: r"\s*ⓒ\s*([^ⓒ]{1,40})$",
    }

    def search(pattern: re.Pattern[str], text: str) -> re.Match[str] | None:
        return re.search(plain.get(pattern, pattern.pattern), text)

    text = clean_text(caption, keep_newlines=True)
    if "@" in text:
        text = re.sub(r"\s*\d{4}\.\s?\d{1,2}\.\s?\d{1,2}\.?\s*/?\s*[\w.+-]+@[\w-]+(?:\.[\w-]+)+\s*$", "", text)
    if not text:
        return None, None
    credit = None
    for _, pattern, _ in N._PHOTOGRAPHER_PATTERNS:
        if "기자" in text and (match := search(pattern, text)):
            credit = " ".join(g.strip() for g in match.groups() if g) + (" 기자" if match.lastindex == 2 else "")
            if len(credit) > N.MAX_CREDIT:
                continue
            rest = (text[: match.start()] + " " + text[match.end() :]).strip()
            return rest or None, clean_text(credit)
    for _, pattern in N._CREDIT_PATTERNS:
        if match := search(pattern, text):
            credit = N._PHOTO_PREFIX.sub("", N._REUSE_NOTICE.sub("", match.group(1)))
            credit = credit.strip().lstrip("ⓒ©").strip()
            if len(credit) > N.MAX_CREDIT:
                continue
            return text[: match.start()].strip() or None, credit or None
    return text, None


def test_split_credit_matches_the_patterns_as_first_written() -> None:
    import random
    from pathlib import Path

    rng = random.Random(11)
    atoms = [
        "사진",
        "이미지",
        "=",
        "/",
        ".",
        ")",
        "(",
        "[",
        "]",
        "ⓒ",
        "제공",
        "기자",
        "캡처",
        " ",
        "  ",
        "\n",
        " \n ",
        "\t",
        "\xa0",
        "연합뉴스",
        "AFP",
        "뉴스1",
        "김철수",
        "수원",
        "수원=박재만",
        "pjm@sportschosun.com",
        "a@b.co.kr",
        "2023.10.31",
        "2023. 10.31.",
        "/2023.10.31/",
        "출처",
        "|",
        "x",
        "있다.",
        "가나다라마바사아자차카",
    ]
    samples = ["".join(rng.choice(atoms) for _ in range(rng.randint(0, 12))) for _ in range(30000)]
    pages = Path(__file__).parent / "fixtures" / "pages"
    for expected in pages.glob("*.json"):
        import json

        samples += [m.get("caption") or "" for m in json.loads(expected.read_text(encoding="utf-8")).get("media", [])]
    samples += [
        "경기에서 패한 KT 선수들이 아쉬워하고 있다. 수원=박재만 기자pjm@sportschosun.com/2023.10.31/",
        "[OSEN=수원, 지형준 기자]플레이오프 1차전 MVP 페디가 미소짓고 있다. 2023.10.30 /jpnews@osen.co.kr",
        "미소짓고 있다. \n 2023.10.30 / dreamer@osen.co.kr \n",
        "이정후./사진=뉴스1",
        "…있다. [KT 제공]",
        "…있다.  (사진=연합뉴스)",
        "ⓒ곽혜미 기자",
        "있다. 가나다라마바사아자차=남궁길동 기자 pjm@x.com",  # the longest photographer byline: 15 + 기자
        "있다. 가나다라마바사아자차카=남궁길동 기자 pjm@x.com",
        "설명. [" + "가나다 " * 30 + "]",  # a bracket of 120 characters: not a credit, the caption stays whole
        "설명 (사진=" + "가" * 100 + ")",  # a credit of exactly MAX_CREDIT characters
        "설명 (사진=" + "가" * 101 + ")",  # one more: no pattern gives a credit, the caption stays whole
    ]
    assert max(map(len, samples)) < TAIL  # else searching the tail only may rightly differ from the reference
    for caption in samples:
        assert split_credit(caption) == _split_credit_reference(caption), repr(caption)
