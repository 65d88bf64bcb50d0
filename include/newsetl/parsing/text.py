"""Text as shown and text cleaned: HTML whitespace, line breaks, entities, invisible characters."""

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
_BR_SPACES = re.compile(r" *\n *")

# Zero-width characters and BOM vanish; NBSP-like spaces become plain spaces before collapsing.
_INVISIBLE_CHARS = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
_INVISIBLE = dict.fromkeys(map(ord, _INVISIBLE_CHARS), None)
# translate() with a dict is slow; this search (one C pass) tells when it is needed at all.
_HAS_INVISIBLE = re.compile(f"[{_INVISIBLE_CHARS}]")


def collapse(text: str) -> str:
    """HTML whitespace runs as one space; the regex pass only when there is something to collapse."""
    if text.isprintable():  # no tab, newline, CR, FF or VT (one C pass): only a double space changes
        return WS.sub(" ", text) if "  " in text else text
    if not text.strip(" \t\n\r\f\v"):  # the line breaks and indents between tags
        return " "
    return WS.sub(" ", text)


def tidy(text: str) -> str:
    """Drop the spaces a browser would not show: around line breaks and at the ends."""
    if "\n" in text:  # most runs hold no line break: skip the regex pass
        text = _BR_SPACES.sub("\n", text)
    return text.strip(" ")


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
