"""Captions and credits: each figure becomes a media item, its caption's trailing credit split off.

Credits: a bracketed or ``사진=`` credit, ``ⓒ …``, ``… 제공``/``… 캡처``, a known agency name at the end
(``조규성(미트윌란). 게티이미지코리아``), a photographer byline (``[OSEN=수원, 최규한 기자]``,
``[서울=뉴시스] 김명년 기자 =``, ``(수원=연합뉴스) 김도훈 기자 =``, ``수원=박재만 기자pjm@…/2023.10.31/``),
which becomes the credit as written without brackets, e-mail or date.  The photo desk trailer
(``2023.10.30 / dreamer@osen.co.kr``) is dropped from the caption.  ``alt`` is kept as written (only
whitespace and entities cleaned, credit not split).

Bounds (a caption, an attribute, can hold anything a page puts there):
  * a credit is at most ``MAX_CREDIT`` characters: a longer match is caption text, not a credit, and the
    caption is kept whole (``news.media.credit`` is indexed, and a btree entry holds at most 2,704 bytes);
  * the patterns anchored at the end of the caption only look at its last ``TAIL`` characters: a search
    tries a pattern at every start position, and those with an e-mail address or a run like ``.*`` fail
    only at the end of the caption, which made them quadratic in its length;
  * ``width`` (data-org-width) is an integer of 1..``MAX_WIDTH`` pixels written in ASCII digits, else null
    with a warning (``int("²")`` raises, and ``news.media.width`` is an ``integer``).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from newsetl.parsing.text import clean_text, strip_controls
from newsetl.records import MediaItem, RawFigure

MAX_CREDIT = 100  # characters: the longest real credits ("AFPBBNews=뉴스1", photographer bylines) are ~30
TAIL = 300  # characters an end-anchored pattern looks at: a credit, trailer or byline is far shorter
MAX_WIDTH = 100_000  # pixels: wider than any image a page shows, far below integer's 2**31 - 1
_WIDTH_DIGITS = len(str(MAX_WIDTH))


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
# so a text failing it is not searched (a search tries the pattern at every start position).  Every
# credit pattern ends in $, and so does the third photographer pattern (the flag): they are searched
# in the last TAIL characters only (see _tail).
#
# No pattern searched for starts with \s*: re then has no first character to scan for and tries the
# whole pattern at every position, ~10x slower.  Dropping a leading \s* gives the same groups: the
# leftmost match without it starts at the first character after the whitespace run the leftmost
# match with it started at (the two starts cannot interleave, as that character is no whitespace),
# and the callers only use the start through text[:start].strip() or an rstrip() of it.
_PHOTOGRAPHER_PATTERNS: tuple[tuple[Callable[[str], bool], re.Pattern[str], bool], ...] = (
    # [OSEN=수원, 최규한 기자] 30일 오후…
    (lambda text: text.startswith("["), re.compile(r"^\[([^\[\]]{1,40}?\s*기자)\]\s*"), False),
    # [서울=뉴시스] 김명년 기자 = 10월 중…  /  … 김민재 (수원=연합뉴스) 김도훈 기자 = 17일…
    (
        _contains("="),
        re.compile(
            r"(?:^|\s)[\[(]([^\[\]()=]{1,12}=[^\[\]()]{1,20})[\])]\s*([가-힣]{2,4}(?:\s[가-힣]{2,4})*)\s*기자\s*=\s*"
        ),
        False,  # anywhere in the caption; linear: each run of names after a bracket is tried from it only
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
        True,
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
    (  # …(미트윌란). 게티이미지코리아  /  …점검하고 있다. 인천=연합뉴스 (the place the photo was taken, then the agency)
        _ends_with(*_AGENCIES.split("|")),
        re.compile(rf"(?<=[.)])\s+((?:[가-힣]{{1,6}}=)?(?:{_AGENCIES})(?:\s*[=/]\s*(?:{_AGENCIES}))?)$"),
    ),
    (
        _ends_with("제공", "캡처"),
        re.compile(r"^([^.\n]{1,40}\s(?:제공|캡처))$"),
    ),  # 채널A '강철부대3' 캡처 (the whole caption)
)


def _tail(text: str) -> int:
    """Where an end-anchored pattern starts searching: the last TAIL characters.

    A search from there (``pattern.search(text, pos)``) still sees the characters before it in a
    lookbehind, and ``^`` still means the start of the text; a match starting earlier would be longer
    than TAIL, which no credit, trailer or photographer byline is."""
    return max(0, len(text) - TAIL)


def _photographer(text: str) -> tuple[str, str | None]:
    """Cut a photographer byline out of a caption → (caption, credit as written, no brackets/e-mail)."""
    if "기자" not in text:  # every photographer pattern ends in 기자: skip the slow searches
        return text, None
    for guard, pattern, at_end in _PHOTOGRAPHER_PATTERNS:
        if guard(text) and (match := pattern.search(text, _tail(text) if at_end else 0)):
            credit = " ".join(g.strip() for g in match.groups() if g) + (" 기자" if match.lastindex == 2 else "")
            if len(credit) > MAX_CREDIT:  # a run of names that long is caption text
                continue
            rest = (text[: match.start()] + " " + text[match.end() :]).strip()
            return rest, clean_text(credit)
    return text, None


def split_credit(caption: str | None) -> tuple[str | None, str | None]:
    """Caption → (caption without credit or None, credit or None)."""
    text = clean_text(caption, keep_newlines=True)
    # the trailer ends in an e-mail address (the "@" test first), at the end of the text
    if "@" in text and (match := _DESK_TRAILER.search(text, _tail(text))):
        # what is left is the text before it, less the whitespace run before it (the pattern with
        # a leading \s* cut that run too)
        text = text[: match.start()].rstrip()
    if not text:
        return None, None
    text, credit = _photographer(text)
    if credit:
        return text or None, credit
    start = _tail(text)
    for guard, pattern in _CREDIT_PATTERNS:
        if guard(text) and (match := pattern.search(text, start)):
            credit = _PHOTO_PREFIX.sub("", _REUSE_NOTICE.sub("", match.group(1)))
            credit = credit.strip().lstrip("ⓒ©").strip()
            if len(credit) > MAX_CREDIT:  # not a credit: the caption's text (the next pattern may fit)
                continue
            rest = text[: match.start()].strip()
            return rest or None, credit or None
    return text, None


def width_of(value: str | None, warnings: list[str]) -> int | None:
    """data-org-width as pixels: 1..MAX_WIDTH written in ASCII digits, else None (with a warning
    when something was written: str.isdigit() also passes "²" and "١", which int() refuses or reads)."""
    if not value or not (value := value.strip()):
        return None
    if value.isascii() and value.isdigit() and len(value) <= _WIDTH_DIGITS and 1 <= int(value) <= MAX_WIDTH:
        return int(value)
    warnings.append(f"media: width {value[:20]!r} is not 1..{MAX_WIDTH} pixels")
    return None


def media_items(figures: list[RawFigure], warnings: list[str]) -> list[MediaItem]:
    """Figures → media items, 1-based positions in document order, credits split off (``warnings``:
    where unreadable widths are noted).  URLs lose any control character (text.strip_controls)."""
    items: list[MediaItem] = []
    for figure in figures:
        image_url, thumbnail = figure.image_url, figure.thumbnail_url
        # (the isprintable tests inline the common case of strip_controls: no call per image)
        if image_url and not image_url.isprintable():
            image_url = strip_controls(image_url)
        if not image_url:
            continue
        if thumbnail and not thumbnail.isprintable():
            thumbnail = strip_controls(thumbnail)
        caption, credit = split_credit(figure.caption)
        items.append(
            MediaItem(
                position=len(items) + 1,
                image_url=image_url,
                thumbnail_url=thumbnail,
                width=width_of(figure.width, warnings) if figure.width else None,
                alt=clean_text(figure.alt) or None,
                caption=caption,
                credit=credit,
            )
        )
    return items
