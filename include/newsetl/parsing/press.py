"""Press (언론사) names: the one press table (config/press.yaml), and the press of an article from its candidates.

The page's own press line wins over whatever the body says: candidates are taken in this order, and the
first that is a press name at all wins (the table's spelling when it names a known press, else as written):
  1. the page's hints, most trusted first (og:article:author, the JSON-LD publisher, og:site_name, the
     ``[Source : …]`` and copyright lines, a bracketed press tag at the end of the body);
  2. the press of the body's leading byline (``(서울=연합뉴스) … 기자 =``: a story may quote an agency's
     dispatch, which names the agency, not the page's press);
  3. the press code of an image path, then the page's domain (both only when the table knows them).
A known press is found in a text only as a whole word: "마이데일리" holds "이데일리", which is another press.
A role word (앵커, 기자, 특파원, 논설위원 …: what a byline calls a person) is never a press, and an unknown
candidate holding one ("홍길동 기자") is a byline, not a press.

Bounds: a hint over ``MAX_HINT`` characters is not read (press names are short, and the hint patterns
try every start position of a hint), and a candidate kept as written must be at most ``MAX_PRESS``
characters: a longer one is not a press name (``news.article.press`` is indexed, and a btree entry holds
at most 2,704 bytes), so the article has no press and says so in its warnings.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache, lru_cache
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from newsetl.parsing.text import clean_text

PRESS_TABLE = Path(__file__).parents[1] / "config" / "press.yaml"
MAX_PRESS = 100  # characters: the longest names in the table are ~10
MAX_HINT = 300  # characters: a copyright line naming the press is ~100
# What a byline calls a person or a part of a broadcast script: never a press, in brackets or not.
ROLE_WORDS = frozenset(
    "앵커 기자 특파원 논설위원 해설위원 객원기자 인턴기자 선임기자 수습기자 사진기자 영상기자 위원 편집위원"
    " 칼럼니스트 리포트 기자리포트 앵커멘트 인터뷰 아나운서 캐스터 진행 출연 논설실장 대기자".split()
)
# Where a known name may start inside a text: not right after a letter or digit of the same word.
_WORD_START = re.compile(r"[\w]")


@cache
def press_table() -> tuple[dict[str, str], dict[str, str]]:
    """(code → name, casefolded name or alias → name), loaded once from config/press.yaml."""
    data = yaml.safe_load(PRESS_TABLE.read_text(encoding="utf-8"))
    codes = {str(k).casefold(): str(v) for k, v in data["codes"].items()}
    names = {v.casefold(): v for v in codes.values()}
    names.update({str(k).casefold(): str(v) for k, v in data.get("aliases", {}).items()})
    names.update({v.casefold(): v for v in data.get("domains", {}).values()})
    return codes, names


@cache
def press_domains() -> dict[str, str]:
    """Registered domain (casefolded, no ``www.``) → press name, from config/press.yaml."""
    data = yaml.safe_load(PRESS_TABLE.read_text(encoding="utf-8"))
    return {str(k).casefold(): str(v) for k, v in data.get("domains", {}).items()}


def press_from_domain(host: str | None) -> str | None:
    """The press whose site ``host`` is (``news.hankookilbo.com`` → 한국일보), None for another host."""
    if not host:
        return None
    domains = press_domains()
    labels = host.casefold().rstrip(".").split(".")
    for start in range(len(labels) - 1):  # the host, then each parent domain
        if name := domains.get(".".join(labels[start:])):
            return name
    return None


def is_role_word(text: str | None) -> bool:
    """Whether a candidate is a byline's role word ("앵커", "[기자]", "기자 리포트"), which is never a press."""
    if not text:
        return False
    key = clean_text(text).strip(" []()<>").replace(" ", "")
    return key in ROLE_WORDS


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
    found = [alias for alias in names if alias in key and _whole_word(key, alias)]
    return names[max(found, key=len)] if found else None


def _whole_word(text: str, name: str) -> bool:
    """Whether ``name`` occurs in ``text`` starting a word (not inside one: "마이데일리" holds no "이데일리")."""
    start = text.find(name)
    while start >= 0:
        if start == 0 or not _WORD_START.match(text[start - 1]):
            return True
        start = text.find(name, start + 1)
    return False


def press_from_code(code: str | None) -> str | None:
    """Press name for an image-path code ("ned" → 헤럴드경제)."""
    return press_table()[0].get(code.casefold()) if code else None


_IMAGE_CODE = re.compile(r"/news/\d{6}/\d{2}/([A-Za-z0-9_]+)/")
_HINT_PATTERNS = (
    re.compile(r"\[\s*Source\s*:\s*([^\]]+)\]", re.I),
    # "Copyright ⓒ X", "저작권자 © X": the name is what follows the sign, so the words before it are not
    # matched (as an optional "(?:copyright|저작권자)?\s*" they gave the same group, but left the
    # pattern without a first character to scan for: quadratic on a hint of spaces)
    re.compile(r"(?:ⓒ|©|\(c\))\s*([^.,<>\]]+)", re.I),
    re.compile(r"copyright\s+([^.,<>\]]+)", re.I),
)


def press_from_hint(hint: str) -> str:
    """The press part of a hint: ``[Source : X]``, ``Copyright © X. …``, or the hint itself."""
    for pattern in _HINT_PATTERNS:
        if match := pattern.search(hint):
            name = re.sub(r"\s*(?:All Rights Reserved|무단.*)$", "", match.group(1), flags=re.I)
            return clean_text(name)
    return clean_text(hint)


def _names_a_person(text: str) -> bool:
    """Whether a candidate is a byline ("홍길동 기자", "박준석 기자 외 1명"): one of its words is a role word."""
    return any(word.strip("[]()<>=") in ROLE_WORDS for word in clean_text(text).split())


def press_of(candidate: str | None) -> str | None:
    """The press a candidate names: the table's spelling when it names a known press, else the candidate
    itself when it is readable and at most MAX_PRESS characters; None for a role word or a byline
    ("홍길동 기자" in og:article:author is a reporter, not the press)."""
    if not candidate or is_role_word(candidate):
        return None
    if name := press_name(candidate):
        return name
    if _names_a_person(candidate):
        return None
    name = clean_text(candidate)
    return name if 0 < len(name) <= MAX_PRESS else None


def resolve_press(
    byline_press: str | None = None,
    hints: Iterable[str] = (),
    image_urls: Iterable[str] = (),
    url: str | None = None,
) -> str | None:
    """The article's press: the first candidate that is a press name, in the order of the module docstring
    (``hints``: the page's own lines, most trusted first; ``url``: the page's address).  A candidate is
    a press name when the table knows it (its spelling is returned), else when it is readable, at most
    MAX_PRESS characters and no role word (hints over MAX_HINT characters are not read)."""
    candidates = [press_from_hint(h) for h in hints if len(h) <= MAX_HINT] + [byline_press]
    for candidate in candidates:
        if name := press_of(candidate):
            return name
    for url in image_urls:
        match = _IMAGE_CODE.search(url)
        if match and (name := press_from_code(match.group(1))):
            return name
    return press_from_domain(_host(url))


def _host(url: str | None) -> str | None:
    """The host name of a URL (None for no URL, or what is no URL at all: an unbalanced IPv6 bracket)."""
    if not url:
        return None
    try:
        return urlsplit(url).hostname
    except ValueError:
        return None
