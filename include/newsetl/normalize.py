"""Normalize a RawArticle into an Article: clean text, byline, dates, press, captions and credits.

Decisions:
  * Byline: a leading byline such as ``[헤럴드경제=고재우 기자]`` or ``(서울=연합뉴스) 김정은 기자 =``
    is MOVED out of the body into ``press``/``reporters``: it is cut from the first paragraph and
    that paragraph is dropped when nothing else remains.  Reporters come from that byline, else
    from the page's byline line, else from the trailing signature line.
  * A paragraph that is only a bracketed press tag (``[동아닷컴]``) before the text starts is a
    byline too: it is removed and its name is a press candidate.
  * Trailing lines: reporter e-mail lines (their addresses go to ``emails``), promotional lines
    (``▶제보는 카톡 okjebo``), copyright lines, photo-credit lines and ``[Source : …]`` lines are
    removed from the end of the body; a signature glued to the last sentence is cut off too, and
    so is a photo note glued to it (``…치른다.(자료사진=에릭 텐 하흐 감독)``).
  * Signatures without an e-mail: a columnist's closing author line (``강준만 전북대 신문방송학과
    명예교수``: a name, at most a few words, ending in a title such as 교수/기자/논설위원) is an
    author line, not text: it is removed and the name is a reporter candidate.  The author's
    profile box right above it (a name line followed by ``●`` items) is removed with it; the
    author's portrait stays in ``media`` (it is an image of the page).
  * Media: only figures with an image; ``position`` is 1-based in document order over the kept
    images; ``width`` is data-org-width as int.  ``alt`` is kept as written (only whitespace and
    entities cleaned, credit NOT split); the caption keeps its line breaks and loses its credit:
    a bracketed or ``사진=`` credit, ``ⓒ …``, ``… 제공``/``… 캡처``, a known agency name at the end
    (``조규성(미트윌란). 게티이미지코리아``), a photographer byline (``[OSEN=수원, 최규한 기자]``,
    ``[서울=뉴시스] 김명년 기자 =``, ``(수원=연합뉴스) 김도훈 기자 =``, ``수원=박재만 기자pjm@…/2023.10.31/``)
    which becomes the credit as written without brackets, e-mail or date.  The photo desk trailer
    (``2023.10.30 / dreamer@osen.co.kr``) is dropped from the caption.  Body-level credit lines
    (``사진=토트넘``) are removed from the body and not copied onto the images.
  * Dates: always aware, Asia/Seoul; naive values are KST; unreadable → None plus a warning,
    never "now".  Year-less board dates (``07-03 20`` = month-day hour) take the year of ``day``;
    a date more than a day after ``day`` belongs to the previous year (December page, January run).
  * Press: the first candidate found in the one press table (config/press.yaml), in this order:
    leading byline, page hints (og:article:author, ``[Source : …]``, copyright lines), then the
    press code of the image paths; if none is in the table the first readable candidate is kept.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Callable, Iterable
from datetime import date, datetime, timedelta
from functools import cache, lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo

import yaml

from newsetl.records import Article, MediaItem, RawArticle, RawFigure

KST = ZoneInfo("Asia/Seoul")
PRESS_TABLE = Path(__file__).with_name("config") / "press.yaml"

# Zero-width characters and BOM vanish; NBSP-like spaces become plain spaces before collapsing.
_INVISIBLE_CHARS = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
_INVISIBLE = dict.fromkeys(map(ord, _INVISIBLE_CHARS), None)
# translate() with a dict is slow; this search (one C pass) tells when it is needed at all.
_HAS_INVISIBLE = re.compile(f"[{_INVISIBLE_CHARS}]")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_EMAIL_ISH = re.compile(r"[\w.+-]+@[\w.-]*")  # also truncated "jm@" signatures
_NAME = re.compile(r"^[가-힣]{2,4}$")
_TITLES = frozenset("기자 특파원 기자= 객원기자 인턴기자 선임기자 논설위원 위원 교수 명예교수 칼럼니스트".split())


# --- text --------------------------------------------------------------------------------------


def clean_text(text: str | None, keep_newlines: bool = False) -> str:
    """NFC, entities decoded, NBSP/zero-width removed, whitespace collapsed (newlines optional)."""
    if not text:
        return ""
    if "&" in text:  # html.unescape is a regex pass; most text has no entity
        text = html.unescape(text)
    if not text.isascii() and not unicodedata.is_normalized("NFC", text):  # ASCII is NFC
        text = unicodedata.normalize("NFC", text)
    if text.isprintable():
        # The common case, checked in one C pass: every whitespace character but the space and
        # every invisible one (all format characters) is unprintable, so there is nothing to
        # remove and at most double or outer spaces to collapse.
        if "  " in text or text.startswith(" ") or text.endswith(" "):
            return " ".join(text.split())
        return str(text)  # a plain str even for a str subclass (lxml's smart strings)
    if not text.isascii() and _HAS_INVISIBLE.search(text):  # ASCII has no invisible character
        text = text.translate(_INVISIBLE)
    # str.split() splits on exactly the whitespace of the regex \s, so per line this equals
    # collapsing [^\S\n]+ to one space and stripping the line.
    if not keep_newlines or "\n" not in text:
        return " ".join(text.split())
    lines = (" ".join(line.split()) for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


# --- press -------------------------------------------------------------------------------------


@cache
def press_table() -> tuple[dict[str, str], dict[str, str]]:
    """(code → name, casefolded name or alias → name), loaded once from config/press.yaml."""
    data = yaml.safe_load(PRESS_TABLE.read_text(encoding="utf-8"))
    codes = {str(k).casefold(): str(v) for k, v in data["codes"].items()}
    names = {v.casefold(): v for v in codes.values()}
    names.update({str(k).casefold(): str(v) for k, v in data.get("aliases", {}).items()})
    return codes, names


def press_name(text: str | None) -> str | None:
    """Canonical press name for a name, alias or text containing one (longest match wins)."""
    if not text:
        return None
    return _press_name(text)


@lru_cache(maxsize=4096)
def _press_name(text: str) -> str | None:
    """press_name of a non-empty text, remembered: press_table() is read once per process, and the
    same words (press names, reporters' names, "기자") come back on every page."""
    _, names = press_table()
    key = clean_text(text).casefold()
    if key in names:
        return names[key]
    found = [alias for alias in names if alias in key]
    return names[max(found, key=len)] if found else None


def press_from_code(code: str | None) -> str | None:
    """Press name for an image-path code ("ned" → 헤럴드경제)."""
    return press_table()[0].get(code.casefold()) if code else None


_IMAGE_CODE = re.compile(r"/news/\d{6}/\d{2}/([A-Za-z0-9_]+)/")
_HINT_PATTERNS = (
    re.compile(r"\[\s*Source\s*:\s*([^\]]+)\]", re.I),
    re.compile(r"(?:copyright|저작권자)?\s*(?:ⓒ|©|\(c\))\s*([^.,<>\]]+)", re.I),
    re.compile(r"copyright\s+([^.,<>\]]+)", re.I),
)


def press_from_hint(hint: str) -> str:
    """The press part of a hint: ``[Source : X]``, ``Copyright © X. …``, or the hint itself."""
    for pattern in _HINT_PATTERNS:
        if match := pattern.search(hint):
            name = re.sub(r"\s*(?:All Rights Reserved|무단.*)$", "", match.group(1), flags=re.I)
            return clean_text(name)
    return clean_text(hint)


def resolve_press(
    byline_press: str | None = None,
    hints: Iterable[str] = (),
    image_urls: Iterable[str] = (),
) -> str | None:
    """First candidate known to the press table (byline, hints, image code); else first readable."""
    candidates = [byline_press] + [press_from_hint(h) for h in hints]
    for candidate in candidates:
        if name := press_name(candidate):
            return name
    for url in image_urls:
        match = _IMAGE_CODE.search(url)
        if match and (name := press_from_code(match.group(1))):
            return name
    return next((clean_text(c) for c in candidates if c and clean_text(c)), None)


# --- bylines -----------------------------------------------------------------------------------

_BYLINE_LOC_PRESS = re.compile(  # (서울=연합뉴스) 김정은 기자 =   /  [서울=뉴시스] 김예진 남빛나라 기자 =
    r"^\s*[(\[]([^()\[\]=]{1,20})=\s*([^()\[\]]{1,30}?)\s*[)\]]\s*([^=]{0,40}?)\s*기자\s*=\s*"
)
_BYLINE_PRESS_THEN_NAMES = re.compile(  # [인터풋볼] 김대식 기자 =  /  [풋볼리스트] 김정용 기자=
    r"^\s*\[([^\[\]=]{1,30})\]\s*([^=\[\]]{1,40}?)\s*기자\s*=\s*"
)
_BYLINE_BRACKET = re.compile(  # [헤럴드경제=고재우 기자]  (엑스포츠뉴스 김나연 기자)  [스타뉴스 | 김동윤 기자]
    r"^\s*(?:\[([^\[\]]{1,60}?)\s*(?:기자|특파원)\s*\]|\(([^()]{1,60}?)\s*(?:기자|특파원)\s*\))\s*"
)
_BYLINE_BARE = re.compile(  # 진주=정세영 기자 niners@munhwa.com (a whole first paragraph)
    r"^\s*(?:[가-힣]{1,10}=)?([가-힣]{2,4}(?:\s*[·,]\s*[가-힣]{2,4})*)\s*기자(?=\s+\S+@|\s*$)\s*"
)


def reporter_names(text: str | None, every_token: bool = False) -> list[str]:
    """Reporter names in a byline fragment ("안양/조영두", "박상현·신현주", "동아닷컴 조성운 기자")."""
    if not text:
        return []
    text = clean_text(text)
    if "@" in text:  # _EMAIL_ISH needs one (the e-mail patterns are slow to fail: see tail_kind)
        text = _EMAIL_ISH.sub(" ", text)
    text = re.sub(r"\([^()]*\)", " ", text)
    names: list[str] = []
    for part in text.split("·"):  # co-authors are joined with "·"
        # drop a location: "안양/조영두", "수원=이종서", "수원, 신원철"
        part = re.split(r"[/=,]", part)[-1]
        tokens = [t for t in part.split() if not press_name(t)]
        tokens = [t.removesuffix("기자") if t != "기자" and t.endswith("기자") else t for t in tokens]
        if every_token:
            names += [t for t in tokens if _NAME.match(t) and t not in _TITLES]
            continue
        titled = [i for i, t in enumerate(tokens) if t in _TITLES and i > 0]
        before = tokens[titled[0] - 1] if titled else ""
        # the word right before "기자" if it is a name, else the first name-like word
        chosen = [before] if _NAME.match(before) else []
        chosen = chosen or [t for t in tokens if _NAME.match(t) and t not in _TITLES][:1]
        names += chosen
    return list(dict.fromkeys(names))


def _split_press_names(inner: str) -> tuple[str | None, str]:
    """Inside of a bracket byline → (press, names part)."""
    inner = clean_text(inner)
    if "|" in inner:
        press, _, names = inner.partition("|")
        return press.strip() or None, names
    if "=" in inner:
        left, _, right = inner.partition("=")
        head = right.split()[0] if right.split() else ""
        if not press_name(left) and head and press_name(head):  # [수원=스포츠조선 이종서]
            return head, right[len(head):]
        return left.strip() or None, right  # [헤럴드경제=고재우], [스포티비뉴스=수원, 신원철]
    tokens = inner.split()
    for cut in range(len(tokens) - 1, 0, -1):  # longest known press prefix: "이데일리 스타in"
        if press_name(" ".join(tokens[:cut])):
            return " ".join(tokens[:cut]), " ".join(tokens[cut:])
    if len(tokens) >= 2:  # unknown press: first word is the press
        return tokens[0], " ".join(tokens[1:])
    return None, inner


def split_byline(text: str) -> tuple[str | None, list[str], str]:
    """Leading byline of a paragraph → (press as written, reporters, rest of the paragraph)."""
    if match := _BYLINE_LOC_PRESS.match(text):
        press = match.group(2).strip()
        return press, reporter_names(match.group(3), every_token=True), text[match.end():].strip()
    if match := _BYLINE_PRESS_THEN_NAMES.match(text):
        press = match.group(1).strip()
        return press, reporter_names(match.group(2), every_token=True), text[match.end():].strip()
    if match := _BYLINE_BRACKET.match(text):
        press, names = _split_press_names(match.group(1) or match.group(2))
        return press, reporter_names(names, every_token=True), text[match.end():].strip()
    if match := _BYLINE_BARE.match(text):
        return None, reporter_names(match.group(1), every_token=True), text[match.end():].strip()
    return None, [], text


# --- trailing lines ----------------------------------------------------------------------------

_COPYRIGHT = re.compile(r"copyright|ⓒ|©|저작권자|무단\s*전재|재배포\s*금지|all rights reserved", re.I)
_PROMO = re.compile(r"^[▶☞►■]|제보는|기사제보|카톡|카카오톡|구독하기|바로가기")
_PHOTO_CREDIT = re.compile(r"^(?:#\s*)?(?:\[사진\]|사진\s*(?:제공)?\s*[=_:|])")
_SOURCE = re.compile(r"^\[?\s*Source\s*:", re.I)
_TRAILING_BYLINE = re.compile(r"^\[[^\[\]]{1,40}(?:기자|특파원)\]$")
_GLUED_SIGNATURE = re.compile(  # "...강조했다. /what@osen.co.kr", "...없다. 김가을 기자 epi17@x.com"
    r"\s*(?:/\s*)?(?:(?:[가-힣A-Za-z]+=)?(?:[가-힣A-Za-z]+\s)?[가-힣]{2,4}\s*기자\s*)?"
    r"\(?[\w.+-]+@[\w-]+(?:\.[\w-]+)+\)?\s*$"
)


_GLUED_PHOTO_NOTE = re.compile(r"(?<=[.!?\"”’])\s*\((?:자료)?사진\s*=[^()]{1,60}\)$")
_TITLE_WORDS = "기자|특파원|논설위원|위원|명예교수|교수|칼럼니스트|평론가|변호사|연구원|대표"
_AUTHOR_LINE = re.compile(  # 강준만 전북대 신문방송학과 명예교수  /  황인성 기자
    rf"^[가-힣]{{2,4}}(?:\s+[가-힣A-Za-z0-9·]+){{0,4}}\s*(?:{_TITLE_WORDS})$"
)
_PARTICLE = re.compile(r"[가-힣](?:는|은|의|를|을|에서|에게|으로)\s")  # a sentence, not an author line
_PROFILE_ITEM = re.compile(r"^[●■◆▶·]\s*\S")
_PRESS_TAG = re.compile(r"^\[([^\[\]\s=|]{2,15})\]$")  # [동아닷컴]


def is_profile_box(paragraph: str) -> bool:
    """An author's profile box: a name line, then only "●" items (신동아 columns)."""
    lines = paragraph.split("\n")
    return (
        len(lines) >= 2
        and bool(_NAME.match(lines[0]))
        and all(_PROFILE_ITEM.match(line) for line in lines[1:])
    )


def tail_kind(line: str) -> str | None:
    """What a trailing line is: "email", "promo", "copyright", "credit", "source", "byline" or None."""
    if len(line) > 150:
        return None
    if _SOURCE.match(line):
        return "source"
    # An e-mail pattern tries every start of a word, and each fails only at the word's end: the
    # "@" test first.  The length limits go before the searches they are and-ed with.
    if "@" in line and _EMAIL_ISH.search(line):
        residue = _EMAIL_ISH.sub("", line)
        if _COPYRIGHT.search(residue):
            return "copyright"
        sentence = re.search(r"[.!?…][\"”’)]?\s+\S", residue)  # text before the address
        if len(residue.strip(" ()/,")) <= 30 and not sentence:
            return "email"
    if len(line) <= 80 and _PROMO.search(line):
        return "promo"
    if len(line) <= 100 and _COPYRIGHT.search(line):
        return "copyright"
    if len(line) <= 80 and _PHOTO_CREDIT.match(line):
        return "credit"
    if _TRAILING_BYLINE.match(line):
        return "byline"
    if _PRESS_TAG.match(line):
        return "press"
    if len(line) <= 40 and _AUTHOR_LINE.match(line) and not _PARTICLE.search(line):
        return "signature"
    return None


def strip_tail(paragraphs: list[str]) -> tuple[list[str], list[str], list[str], list[str]]:
    """Remove trailing boilerplate lines → (paragraphs, emails, signature names, press hints)."""
    paragraphs = list(paragraphs)
    emails: list[list[str]] = []  # per removed line, bottom-up
    names: list[str] = []
    hints: list[str] = []
    signed = False
    while paragraphs:
        if signed and is_profile_box(paragraphs[-1]):
            paragraphs.pop()  # the columnist's profile box sits right above the signature
            continue
        lines = paragraphs[-1].split("\n")
        kind = tail_kind(lines[-1])
        if kind is None:
            # each glued pattern ends at the line's end: in ")" or in an e-mail address
            if lines[-1].endswith(")") and (match := _GLUED_PHOTO_NOTE.search(lines[-1])):
                lines[-1] = lines[-1][: match.start()].rstrip()
                paragraphs[-1] = "\n".join(lines)
            if "@" in lines[-1] and (match := _GLUED_SIGNATURE.search(lines[-1])):
                emails.append(_EMAIL.findall(match.group(0)))
                names += reporter_names(match.group(0))
                lines[-1] = lines[-1][: match.start()].rstrip()
                paragraphs[-1] = "\n".join(line for line in lines if line)
                if not paragraphs[-1]:
                    paragraphs.pop()
            break
        if kind == "email":
            emails.append(_EMAIL.findall(lines[-1]))
            names += reporter_names(lines[-1])
        elif kind in ("copyright", "source"):
            hints.append(lines[-1])
        elif kind == "byline":
            names += reporter_names(lines[-1].strip("[]"))
        elif kind == "signature":
            names += reporter_names(lines[-1])
            signed = True
        elif kind == "press":
            hints.append(lines[-1].strip("[]"))
        lines.pop()
        if lines:
            paragraphs[-1] = "\n".join(lines)
        else:
            paragraphs.pop()
    in_order = [email for line in reversed(emails) for email in line]
    return paragraphs, in_order, names[::-1], hints


# --- dates -------------------------------------------------------------------------------------

_DOTTED = re.compile(
    r"^(\d{4})\s*[.\-/]\s*(\d{1,2})\s*[.\-/]\s*(\d{1,2})\.?(?:\s+(\d{1,2}):(\d{2})(?::(\d{2}))?)?$"
)
_DIGITS = re.compile(r"^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})?$")
_YEARLESS = re.compile(r"^(\d{1,2})-(\d{1,2})\s+(\d{1,2})(?::(\d{2}))?$")


def _kst(year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0) -> datetime:
    """Aware KST datetime (ValueError on impossible values)."""
    return datetime(year, month, day, hour, minute, second, tzinfo=KST)


def parse_date(text: str | None, day: date | None = None) -> tuple[datetime | None, str | None]:
    """Date as shown → (aware Asia/Seoul datetime, None) or (None, reason). Never "now"."""
    raw = clean_text(text).removeprefix("입력").removeprefix("작성일").strip()
    if not raw:
        return None, "no date on the page"
    try:
        if match := _DOTTED.match(raw):
            return _kst(*(int(g) for g in match.groups() if g is not None)), None
        if match := _DIGITS.match(raw):
            return _kst(*(int(g) for g in match.groups() if g is not None)), None
        if match := _YEARLESS.match(raw):
            return _yearless(match, day, raw)
        parsed = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        return None, f"unreadable date {raw!r}"
    if parsed.tzinfo is None:
        return parsed.replace(tzinfo=KST), None
    return parsed.astimezone(KST), None


def _yearless(match: re.Match[str], day: date | None, raw: str) -> tuple[datetime | None, str | None]:
    """"MM-DD HH[:MM]": the year of ``day``, or the year before if that lands after ``day``."""
    if day is None:
        return None, f"year-less date {raw!r} and no day given"
    month, dom, hour = int(match.group(1)), int(match.group(2)), int(match.group(3))
    minute = int(match.group(4) or 0)
    for year in (day.year, day.year - 1):
        try:
            value = _kst(year, month, dom, hour, minute)
        except ValueError:
            continue  # 02-29 in a non-leap year: try the year before
        if value.date() <= day + timedelta(days=1):  # a December post read in January
            return value, None
    return None, f"impossible year-less date {raw!r}"


# --- captions ----------------------------------------------------------------------------------

def _ends_with(*words: str) -> Callable[[str], bool]:
    """Guard of a pattern ending in one of ``words`` then ``$`` (which also matches before a final newline)."""
    suffixes = words + tuple(word + "\n" for word in words)
    return lambda text: text.endswith(suffixes)


def _contains(word: str, other: str | None = None) -> Callable[[str], bool]:
    """Guard of a pattern that needs ``word`` (or ``other``) somewhere in the text."""
    if other is None:
        return lambda text: word in text
    return lambda text: word in text or other in text


_REUSE_NOTICE = re.compile(r"[.,]?\s*재판매\s*및\s*DB\s*금지\.?$")
_PHOTO_PREFIX = re.compile(r"^(?:사진|이미지)\s*(?:제공|출처)?\s*[=:|]\s*")
# Agencies and photo banks that credit a photo with their bare name after the caption.
_AGENCIES = (
    "게티이미지코리아|게티이미지뱅크|게티이미지|GettyImagesKorea|Getty Images|Gettyimage|AFPBBNews"
    "|AFP|AP|EPA|UPI|로이터|Reuters|신화|교도|뉴시스|뉴스1|News1|연합뉴스|연합"
)
# Photo desk trailer after a caption: "2023.10.30 / dreamer@osen.co.kr", "2023.11.01.kmn@newsis.com"
# (cut together with the whitespace before it: see split_credit)
_DESK_TRAILER = re.compile(r"\d{4}\.\s?\d{1,2}\.\s?\d{1,2}\.?\s*/?\s*[\w.+-]+@[\w-]+(?:\.[\w-]+)+\s*$")
# Each photographer or credit pattern with a guard: a cheap test that every text it matches passes,
# so a text failing it is not searched (a search tries the pattern at every start position).
#
# No pattern searched for starts with \s*: re then has no first character to scan for and tries the
# whole pattern at every position, ~10x slower.  Dropping a leading \s* gives the same groups: the
# leftmost match without it starts at the first character after the whitespace run the leftmost
# match with it started at (the two starts cannot interleave, as that character is no whitespace),
# and the callers only use the start through text[:start].strip() or an rstrip() of it.
_PHOTOGRAPHER_PATTERNS: tuple[tuple[Callable[[str], bool], re.Pattern[str]], ...] = (
    # [OSEN=수원, 최규한 기자] 30일 오후…
    (lambda text: text.startswith("["), re.compile(r"^\[([^\[\]]{1,40}?\s*기자)\]\s*")),
    # [서울=뉴시스] 김명년 기자 = 10월 중…  /  … 김민재 (수원=연합뉴스) 김도훈 기자 = 17일…
    (
        _contains("="),
        re.compile(r"(?:^|\s)[\[(]([^\[\]()=]{1,12}=[^\[\]()]{1,20})[\])]\s*([가-힣]{2,4}(?:\s[가-힣]{2,4})*)\s*기자\s*=\s*"),
    ),
    # … 기뻐하고 있다. 수원=박재만 기자pjm@sportschosun.com/2023.10.31/
    (
        _contains("@"),
        # (the lookahead is implied by the group: 2-15 letters or "=" then 기자; it lets the many
        # start positions inside the caption's words fail fast.)  Ends at the end of the text, so
        # _photographer's rest is text[:start].strip().
        re.compile(
            r"(?=[가-힣=]{2,15}\s*기자)((?:[가-힣]{1,10}=)?[가-힣]{2,4}\s*기자)\s*[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
            r"\s*(?:/\s*\d{4}\.\d{1,2}\.\d{1,2}\.?\s*/?)?\s*$"
        ),
    ),
)

_CREDIT_PATTERNS: tuple[tuple[Callable[[str], bool], re.Pattern[str]], ...] = (
    (_ends_with("]"), re.compile(r"\[([^\[\]]+)\]$")),  # … [KT 제공]  /  … [연합]
    (_ends_with(")"), re.compile(r"\(((?:사진|이미지)[^()]*)\)$")),  # … (사진=연합뉴스)
    (_contains("사진"), re.compile(r"/\s*(사진\s*=.*)$")),  # 이정후./사진=뉴스1  /  …/사진= 브리온컴퍼니
    (_contains("/"), re.compile(r"(?<=\.)\s*/\s*([^/]{1,30})$")),  # …쇼헤이./AFPBBNews=뉴스1
    (  # 사진=큐브 엔터테인먼트 제공
        _contains("사진", "이미지"),
        re.compile(r"(?:^|\s)((?:사진|이미지)\s*(?:제공|출처)?\s*[=|].{1,40})$"),
    ),
    (_contains("ⓒ"), re.compile(r"ⓒ\s*([^ⓒ]{1,40})$")),  # ⓒ곽혜미 기자
    (  # …있다. 국민체육진흥공단 제공
        _ends_with("제공", "기자", "캡처"),
        re.compile(r"(?<=[.)])\s+([^.\s][^.]{0,30}\s(?:제공|기자|캡처))$"),
    ),
    (  # …(미트윌란). 게티이미지코리아
        _ends_with(*_AGENCIES.split("|")),
        re.compile(rf"(?<=[.)])\s+((?:{_AGENCIES})(?:\s*[=/]\s*(?:{_AGENCIES}))?)$"),
    ),
    (_ends_with("제공", "캡처"), re.compile(r"^([^.\n]{1,40}\s(?:제공|캡처))$")),  # 채널A '강철부대3' 캡처 (the whole caption)
)


def _photographer(text: str) -> tuple[str, str | None]:
    """Cut a photographer byline out of a caption → (caption, credit as written, no brackets/e-mail)."""
    if "기자" not in text:  # every photographer pattern ends in 기자: skip the slow searches
        return text, None
    for guard, pattern in _PHOTOGRAPHER_PATTERNS:
        if guard(text) and (match := pattern.search(text)):
            credit = " ".join(g.strip() for g in match.groups() if g) + (
                " 기자" if match.lastindex == 2 else ""
            )
            rest = (text[: match.start()] + " " + text[match.end():]).strip()
            return rest, clean_text(credit)
    return text, None


def split_credit(caption: str | None) -> tuple[str | None, str | None]:
    """Caption → (caption without credit or None, credit or None)."""
    text = clean_text(caption, keep_newlines=True)
    if "@" in text and (match := _DESK_TRAILER.search(text)):  # the trailer ends in an e-mail address
        # it runs to the end of the text: what is left is the text before it, less the whitespace
        # run before it (the pattern with a leading \s* cut that run too)
        text = text[: match.start()].rstrip()
    if not text:
        return None, None
    text, credit = _photographer(text)
    if credit:
        return text or None, credit
    for guard, pattern in _CREDIT_PATTERNS:
        if guard(text) and (match := pattern.search(text)):
            credit = _PHOTO_PREFIX.sub("", _REUSE_NOTICE.sub("", match.group(1)))
            credit = credit.strip().lstrip("ⓒ©").strip()
            rest = text[: match.start()].strip()
            return rest or None, credit or None
    return text, None


def media_items(figures: list[RawFigure]) -> list[MediaItem]:
    """Figures → media items, 1-based positions in document order, credits split off."""
    items: list[MediaItem] = []
    for figure in figures:
        if not figure.image_url:
            continue
        caption, credit = split_credit(figure.caption)
        width = (figure.width or "").strip()
        items.append(
            MediaItem(
                position=len(items) + 1,
                image_url=figure.image_url,
                thumbnail_url=figure.thumbnail_url,
                width=int(width) if width.isdigit() else None,
                alt=clean_text(figure.alt) or None,
                caption=caption,
                credit=credit,
            )
        )
    return items


# --- the whole article -------------------------------------------------------------------------


def _press_tags(paragraphs: list[str]) -> tuple[list[str], str | None]:
    """Drop leading press-tag paragraphs (``[동아닷컴]``, sometimes twice) → (rest, first tag)."""
    tags: list[str] = []
    while paragraphs and len(tags) < 3 and (match := _PRESS_TAG.match(paragraphs[0])):
        tags.append(match.group(1))
        paragraphs = paragraphs[1:]
    return paragraphs, tags[0] if tags else None


def _lead_byline(paragraphs: list[str]) -> tuple[list[str], str | None, list[str], list[str]]:
    """Move the leading byline out of the first paragraph → (paragraphs, press, reporters, emails)."""
    paragraphs, tag = _press_tags(paragraphs)
    if not paragraphs:
        return paragraphs, tag, [], []
    press, reporters, rest = split_byline(paragraphs[0])
    if not press and not reporters:
        return paragraphs, tag, [], []
    emails: list[str] = []
    residue = _EMAIL.sub("", rest) if "@" in rest else rest  # the "@" test first: see tail_kind
    if rest and not residue.strip(" ,()"):  # "진주=정세영 기자 niners@munhwa.com"
        emails, rest = _EMAIL.findall(rest), ""
    return ([rest] if rest else []) + paragraphs[1:], press, reporters, emails


def normalize(raw: RawArticle, day: date | None = None) -> Article:
    """RawArticle → Article (see the module docstring for the decisions)."""
    warnings: list[str] = []
    # One clean_text per paragraph: checking the joined paragraphs at once is no faster (its cost
    # is the per-character isprintable / is_normalized scans, not the calls), and the parser's
    # own checks cannot be reused here: the pipeline stores the RawArticle as JSON in between.
    paragraphs = [p for p in (clean_text(p, keep_newlines=True) for p in raw.paragraphs) if p]
    paragraphs, byline_press, reporters, lead_emails = _lead_byline(paragraphs)
    paragraphs, emails, signed, tail_hints = strip_tail(paragraphs)
    reporters = reporters or reporter_names(raw.byline_text) or signed
    published_at, reason = parse_date(raw.date_text, day)
    if reason:
        warnings.append(f"published_at: {reason}")
    media = media_items(raw.figures)
    press = resolve_press(
        byline_press, [*raw.press_hints, *tail_hints], [m.image_url for m in media]
    )
    if not press:
        warnings.append("press: not found")
    return Article(
        parser=raw.parser,
        url=raw.url,
        source_id=raw.source_id,
        title=clean_text(raw.title),
        press=press,
        reporters=reporters,
        emails=list(dict.fromkeys(lead_emails + emails + _EMAIL.findall(raw.byline_text or ""))),
        published_at=published_at,
        body_text="\n\n".join(paragraphs),
        paragraphs=paragraphs,
        media=media,
        warnings=warnings,
    )
