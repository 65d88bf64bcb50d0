"""Press (언론사) names: the one press table (config/press.yaml), and the press of an article from its candidates.

A candidate is a leading byline's press, a page hint (og:article:author, ``[Source : …]``, a copyright
line, a bracketed press tag) or the press code in an image path; the first one known to the table wins,
else the first readable one is kept as written.

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

import yaml

from newsetl.parsing.text import clean_text

PRESS_TABLE = Path(__file__).parents[1] / "config" / "press.yaml"
MAX_PRESS = 100  # characters: the longest names in the table are ~10
MAX_HINT = 300  # characters: a copyright line naming the press is ~100


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


def resolve_press(
    byline_press: str | None = None,
    hints: Iterable[str] = (),
    image_urls: Iterable[str] = (),
) -> str | None:
    """First candidate known to the press table (byline, hints, image code); else first readable one
    of at most MAX_PRESS characters (hints over MAX_HINT characters are not read)."""
    candidates = [byline_press] + [press_from_hint(h) for h in hints if len(h) <= MAX_HINT]
    for candidate in candidates:
        if name := press_name(candidate):
            return name
    for url in image_urls:
        match = _IMAGE_CODE.search(url)
        if match and (name := press_from_code(match.group(1))):
            return name
    return next((name for c in candidates if c and 0 < len(name := clean_text(c)) <= MAX_PRESS), None)
