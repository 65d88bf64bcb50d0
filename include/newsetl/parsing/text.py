"""Text as shown and text cleaned: HTML whitespace, line breaks, entities, invisible characters.

Every text field of an article goes through ``clean_text`` (URLs through ``strip_controls``), so what
leaves normalization is always valid Postgres ``text`` and ``jsonb``: no NUL, no other C0 control but
the newline (tabs and the other whitespace controls collapse to a space), no DEL, and no lone surrogate
(a UTF-7 page or a JSON-LD ``\\ud800`` escape makes one; UTF-8 cannot encode it).
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Sequence

from lxml.etree import _Element

from newsetl.parsing import selectors as S

# HTML whitespace only (NBSP etc. are left to clean_text), replaced by one space.  Only runs that
# change are matched (two or more characters, or one that is not a space): a lone space, the
# common case between words, would be replaced by itself at the cost of a new string.
WS = re.compile(r"[\t\n\r\f\v][ \t\n\r\f\v]*| [ \t\n\r\f\v]+")
HTML_SPACE = " \t\n\r\f\v"

# Zero-width characters and BOM vanish; NBSP-like spaces become plain spaces before collapsing.
_INVISIBLE_CHARS = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
# Characters no text field may hold: the C0 controls that are not whitespace (the whitespace ones,
# tab, LF, VT, FF, CR and \x1c-\x1f, are what str.split() splits on, so clean_text collapses them), DEL
# and the surrogates (a lone one cannot be encoded to UTF-8; a valid pair is one code point in a str).
_CONTROL_CHARS = "\x00-\x08\x0e-\x1b\x7f\ud800-\udfff"
# One C pass finds whether anything is to be dropped (a sub() that finds nothing still copies the text).
_DROPPED = re.compile(f"[{_INVISIBLE_CHARS}{_CONTROL_CHARS}]")
# strip_controls: every C0 control but tab and newline (whitespace included: nothing collapses it there).
_UNSAFE = re.compile(f"[{_CONTROL_CHARS}\x0b-\x0d\x1c-\x1f]")


def collapse(text: str) -> str:
    """HTML whitespace runs as one space; the regex pass only when there is something to collapse."""
    if text.isprintable():  # no tab, newline, CR, FF or VT (one C pass): only a double space changes
        return WS.sub(" ", text) if "  " in text else text
    if not text.strip(" \t\n\r\f\v"):  # the line breaks and indents between tags
        return " "
    return WS.sub(" ", text)


def tidy(text: str) -> str:
    """Drop the spaces a browser would not show: around line breaks and at the ends.

    Line by line, not with the regex `` *\\n *``: that one has no literal first character, so it is
    tried at every space, and each try runs to the end of the space run: quadratic on a line of
    thousands of empty inline elements each followed by a space (``<b></b> <b></b> …``)."""
    if "\n" in text:  # most runs hold no line break
        return "\n".join(line.strip(" ") for line in text.split("\n"))
    return text.strip(" ")


def strip_controls(text: str) -> str:
    """``text`` without C0 controls other than tab and newline, DEL and lone surrogates (for URLs and
    other values clean_text does not see)."""
    if text.isprintable():  # the common case, one C pass: controls and surrogates are unprintable
        return text
    return _UNSAFE.sub("", text)


def first_text(values: Sequence[_Element | str]) -> str | None:
    """First non-empty string (attribute value or element text) of an XPath result."""
    for value in values:
        if isinstance(value, str):
            text = value
        elif not len(value):  # a leaf element: its string-value is its text (the parsers drop comments and PIs)
            text = value.text or ""
        else:
            text = S.STRING(value)
        text = WS.sub(" ", text).strip()
        if text:
            return text
    return None


def clean_text(text: str | None, keep_newlines: bool = False) -> str:
    """NFC, entities decoded, NBSP/zero-width removed, whitespace collapsed (newlines optional); no
    control character but the newline, and no lone surrogate, survives (see the module docstring)."""
    if not text:
        return ""
    if "&" in text:  # html.unescape is a regex pass; most text has no entity
        text = html.unescape(text)
    if not text.isascii() and not unicodedata.is_normalized("NFC", text):  # ASCII is NFC
        text = unicodedata.normalize("NFC", text)
    if text.isprintable():
        # The common case, checked in one C pass: every whitespace character but the space, every
        # invisible one (all format characters), every control and every surrogate is unprintable,
        # so there is nothing to remove and at most double or outer spaces to collapse.
        if "  " in text or text.startswith(" ") or text.endswith(" "):
            return " ".join(text.split())
        return str(text)  # a plain str even for a str subclass (lxml's smart strings)
    if _DROPPED.search(text):
        text = _DROPPED.sub("", text)
    # str.split() splits on exactly the whitespace of the regex \s, so per line this equals
    # collapsing [^\S\n]+ to one space and stripping the line.
    if not keep_newlines or "\n" not in text:
        return " ".join(text.split())
    lines = (" ".join(line.split()) for line in text.split("\n"))
    return "\n".join(line for line in lines if line)
