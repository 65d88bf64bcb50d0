"""newsetl.search.bigrams without a database: its fast path against the plain definition, over Unicode.

(tests/test_examples.py compares it with the SQL function news.bigram_array.)"""

from __future__ import annotations

import random
import sys

from newsetl.search import _SPECIAL_LOWER, _TABLE, bigrams, is_word_char

# Edge cases of the word rules: Greek capital sigma at a word's end and after punctuation, the dotted
# capital I, Roman numerals and circled letters (letters to glibc), an underscore and ㎡ / ⅔ (separators),
# an emoji and mathematical bold capitals (beyond the BMP).
EDGE = "ΟΔΟΣ Α.Σ ΑΣ'Β İstanbul Ⅻ세기 ⓒ연합 snake_case ㎡당 ⅔ 😀이모지 𝐀𝐁 한글"


def reference(text: str) -> list[str]:
    """The definition: separators to spaces, lower-cased character by character, pairs inside each word."""
    words = "".join(ch.translate(_SPECIAL_LOWER).lower() for ch in text.translate(_TABLE)).split()
    return sorted({word[i : i + 2] for word in words for i in range(len(word) - 1)})


def test_lowering_keeps_words_and_separators_apart_over_all_of_unicode() -> None:
    """What lets bigrams() lower the text before finding the words: checked for every code point."""
    for code in range(sys.maxunicode + 1):
        if 0xD800 <= code < 0xE000:
            continue
        ch = chr(code)
        lowered = ch.translate(_SPECIAL_LOWER).lower()
        if is_word_char(code):
            assert len(lowered) == 1 and is_word_char(ord(lowered)), hex(code)
        else:
            assert lowered == ch, hex(code)


def test_edge_cases_equal_the_definition() -> None:
    assert bigrams(EDGE) == reference(EDGE)
    assert "οσ" in bigrams(EDGE) and "ος" not in bigrams(EDGE)  # no final sigma: Postgres lowers per character
    assert "is" in bigrams("İstanbul")  # İ lowers to a plain i, as towlower does


def test_fast_path_equals_the_definition_on_random_text() -> None:
    """Random strings over the whole BMP and beyond (both code paths), with plenty of spaces and Hangul."""
    rng = random.Random(20261128)
    pools = [
        lambda: chr(rng.randrange(0x20, 0xD800)),
        lambda: chr(rng.randrange(0xE000, 0x10000)),
        lambda: chr(rng.randrange(0xAC00, 0xD7A4)),  # Hangul syllables
        lambda: rng.choice(" .,·…“”\n\t_-"),
        lambda: chr(rng.randrange(0x10000, 0x20000)),
    ]
    for trial in range(400):
        use = pools if trial % 4 == 0 else pools[:4]  # most texts stay in the BMP (the fast path)
        text = "".join(rng.choice(use)() for _ in range(rng.randrange(1, 300)))
        assert bigrams(text) == reference(text), repr(text)
