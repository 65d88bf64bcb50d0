"""Bigrams for Korean substring search, computed on the normalize stage (fast in Python) and stored in
news.article.search; must give exactly what the SQL function news.bigram_array gives for the same text
(tests/test_examples.py checks both on every fixture page)."""

from __future__ import annotations

import unicodedata

# Postgres splits on [[:space:][:punct:]]: in a UTF-8 database under the C.UTF-8 locale [:punct:] is every
# graphic character that is not a letter or a decimal digit (so ▲, →, ㎡, ⅔ and ∼ separate words too).
_WORD_CATEGORIES = frozenset({"Lu", "Ll", "Lt", "Lm", "Lo", "Nd", "Mn", "Mc"})
# glibc also counts Unicode's Other_Alphabetic symbols as letters: Roman numerals and circled letters (ⓒ).
_ALPHABETIC_SYMBOLS = (range(0x2160, 0x2189), range(0x24B6, 0x24EA))


class _Separators(dict):
    """str.translate table: separators become a space; learned per character, then cached."""

    def __missing__(self, code: int) -> str:
        ch = chr(code)
        word = unicodedata.category(ch) in _WORD_CATEGORIES or any(code in r for r in _ALPHABETIC_SYMBOLS)
        value = ch if word else " "
        self[code] = value
        return value


_TABLE = _Separators()


def bigrams(text: str) -> list[str]:
    """The sorted distinct two-character sequences of a text's words (lower-cased)."""
    found: set[str] = set()
    for word in text.translate(_TABLE).lower().split():
        found.update(word[i:i + 2] for i in range(len(word) - 1))
    return sorted(found)
