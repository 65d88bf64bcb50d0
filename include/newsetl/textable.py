"""Plain-text tables for terminals: the one renderer of `newsetl report`, the accuracy and fault reports and the
bench. Hangul and other wide characters take two columns, so Korean titles line up."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Column:
    """A column: the row key it shows, its width in terminal cells (None: as wide as its text, for the last
    column), its alignment, and its header (default: the key)."""

    key: str
    width: int | None = None
    right: bool = False
    title: str | None = None


def cells(text: str) -> int:
    """Terminal columns of a string: Hangul and other wide characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def fit(value: object, width: int | None, right: bool = False) -> str:
    """The value as text, clipped with "…" and padded to ``width`` terminal columns (None: as it is)."""
    text = "" if value is None else str(value)
    if width is None:
        return text
    if cells(text) > width:
        while text and cells(text) > width - 1:
            text = text[:-1]
        text += "…"
    pad = " " * (width - cells(text))
    return pad + text if right else text + pad


def render_table(rows: Iterable[Mapping[str, object]], columns: Sequence[Column], gap: str = "  ") -> list[str]:
    """The header line, then one line per row (trailing spaces dropped)."""
    lines = [gap.join(fit(c.title if c.title is not None else c.key, c.width, c.right) for c in columns).rstrip()]
    lines += [gap.join(fit(row.get(c.key), c.width, c.right) for c in columns).rstrip() for row in rows]
    return lines
