"""Bigrams for Korean substring search, computed on the normalize stage (fast in Python) and stored in
news.article.search; must give exactly what the SQL function news.bigram_array gives for the same text
(tests/test_examples.py checks both on every fixture page and on a line of edge cases)."""

from __future__ import annotations

import re
import unicodedata
from functools import cache

# Postgres splits on [[:space:][:punct:]]: in a UTF-8 database under the C.UTF-8 locale [:punct:] is every
# graphic character that is not a letter or a decimal digit (so ▲, →, ㎡, ⅔ and ∼ separate words too).
_WORD_CATEGORIES = frozenset({"Lu", "Ll", "Lt", "Lm", "Lo", "Nd", "Mn", "Mc"})
# glibc also counts Unicode's Other_Alphabetic symbols as letters: Roman numerals and circled letters (ⓒ).
_ALPHABETIC_SYMBOLS = (range(0x2160, 0x2189), range(0x24B6, 0x24EA))
# Postgres lowers one character at a time (towlower); Python's str.lower also applies Unicode's special
# casing, whose only rules for these two characters are context- or length-changing (final sigma, and
# İ → i + combining dot).  Mapped first to what towlower gives, so lower() is character by character.
_SPECIAL_LOWER = str.maketrans({"Σ": "σ", "İ": "i"})
_BMP = 0x10000
# Bytes of lexeme text a search vector may hold: below the 1 MiB (2^20 - 1) a tsvector can address.
SEARCH_BYTES = 1_000_000
_MAX_PAIR_BYTES = 8  # two characters of at most 4 UTF-8 bytes each
_PAIR = re.compile(r"(?=(\S\S))")  # every overlapping pair of non-space characters
_BEYOND_BMP = re.compile("[\U00010000-\U0010ffff]")  # one C scan (max(text) makes a str per character)


def is_word_char(code: int) -> bool:
    """A character Postgres keeps inside words (a letter, decimal digit or mark), not a separator."""
    return unicodedata.category(chr(code)) in _WORD_CATEGORIES or any(code in r for r in _ALPHABETIC_SYMBOLS)


class _Separators(dict[int, str]):
    """str.translate table: separators become a space; learned per character, then cached."""

    def __missing__(self, code: int) -> str:
        value = chr(code) if is_word_char(code) else " "
        self[code] = value
        return value


_TABLE = _Separators()


@cache
def _bmp_words() -> re.Pattern[str]:
    """Runs of word characters (the same class as _bmp_word_pairs), for text without characters beyond the BMP."""
    return re.compile(f"{_bmp_word_class()}+")


@cache
def _bmp_word_pairs() -> re.Pattern[str]:
    """Every overlapping pair of word characters, for text without characters beyond the BMP.

    One lookahead findall replaces the split into words and the slicing of each word: all of it runs
    in re's C loop.  The class is built once per process from the Unicode database (~6 ms for the BMP;
    the whole of Unicode would take ~0.1 s, and a class with astral ranges is tested range by range,
    far slower than the BMP's bitmap), which is why text beyond the BMP takes the translate path."""
    word_class = _bmp_word_class()
    return re.compile(f"(?=({word_class}{word_class}))")


@cache
def _bmp_word_class() -> str:
    """The regex class of the BMP's word characters (is_word_char), built once per process."""
    ranges: list[str] = []
    start = None
    for code in range(_BMP + 1):
        word = code < _BMP and not 0xD800 <= code < 0xE000 and is_word_char(code)
        if word and start is None:
            start = code
        elif not word and start is not None:
            ranges.append(f"\\u{start:04x}" if start == code - 1 else f"\\u{start:04x}-\\u{code - 1:04x}")
            start = None
    return f"[{''.join(ranges)}]"


def _pairs(text: str) -> list[str]:
    """Every two-character sequence of a text's words (lower-cased), in text order, repeats included."""
    text = text.translate(_SPECIAL_LOWER).lower() if "Σ" in text or "İ" in text else text.lower()
    # lower() maps word characters to word characters and leaves separators as they are (checked over
    # all of Unicode by the tests), so lowering first and then splitting gives the same words.
    if text.isascii() or not _BEYOND_BMP.search(text):
        return _bmp_word_pairs().findall(text)
    return _PAIR.findall(text.translate(_TABLE))


def word_characters(text: str) -> str:
    """The text's word characters only, lower-cased, in order: the words search splits a text into, joined
    without separators. Story clustering shingles this, so punctuation, quote styles and spacing (what copy
    editors change most) do not make two copies of a text look different."""
    text = text.translate(_SPECIAL_LOWER).lower() if "Σ" in text or "İ" in text else text.lower()
    if text.isascii() or not _BEYOND_BMP.search(text):
        return "".join(_bmp_words().findall(text))
    return "".join(text.translate(_TABLE).split())


def bigrams(text: str) -> list[str]:
    """The sorted distinct two-character sequences of a text's words (lower-cased)."""
    return sorted(set(_pairs(text)))


def searchable_bigrams(text: str) -> list[str]:
    """bigrams(text), as many as a tsvector holds: what news.article.search is built from.

    A tsvector keeps its lexemes' text in at most 1 MiB, and array_to_tsvector, unlike to_tsvector, does
    not check it: a vector past it is corrupt (searches miss, ``search::text`` fails, pg_dump of the table
    fails). An article of more distinct bigrams than SEARCH_BYTES holds (~166,000 Hangul pairs: a text of
    ~300,000 random syllables; real articles have a few thousand) keeps those that appear first, so its
    title and the beginning of its body stay searchable. news.searchable_bigrams in SQL is the same rule."""
    pairs = _pairs(text)
    distinct = set(pairs)
    if len(distinct) * _MAX_PAIR_BYTES <= SEARCH_BYTES:  # every article but a giant one: no byte count needed
        return sorted(distinct)
    kept: list[str] = []
    size = 0
    for pair in dict.fromkeys(pairs):  # first appearance order
        size += len(pair.encode("utf-8"))
        if size > SEARCH_BYTES:
            break
        kept.append(pair)
    return sorted(kept)
