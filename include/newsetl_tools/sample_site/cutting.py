"""Turning a real page into a template: what of its article each place holds, in the encoding that place uses.

A press page names its article in many places and many encodings: the headline as HTML text, in attributes,
in JSON-LD, in single-quoted analytics JavaScript, inside Next.js payloads (JSON in a JavaScript string, and
JSON in that), as HTML escaped the React way (``&#x27;``) or the JSP way (``&#039;``). A template is the real
page with each such place cut out (a ``Swap``: every occurrence of one original value) and each generated
part cut out (a ``Region``: the text between two anchors, such as the article body). ``cut_page`` finds the
places once, when the site starts; ``CutPage.fill`` writes the served article's values into them, each in
the encoding its place was found in (``encode``).

Where an original value sits decides its encoding (``_context``): inside a ``<script>``, the quote that opens
the string (``"`` JSON or ``'`` JavaScript; in a Next.js payload the backslashes before it tell how many JSON
strings deep it is); outside, HTML. A place is only taken when the original value, written in the encoding
the place calls for, is what the page has there: a page that writes a value some other way keeps it, and the
count a spec gives for each cut fails the start-up when that differs from the places found.
"""

from __future__ import annotations

import bisect
import json
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from html import escape
from typing import Generic, TypeVar

from newsetl_tools.sample_site.splice import Spliced, joined

A = TypeVar("A")

_SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script>", re.S | re.I)
# How many JSON strings deep a Next.js payload value is, from the backslashes before the quote opening it:
# the payload is one JavaScript string (0), holding JSON (1 backslash), holding JSON strings (3), …
_NEXT_DEPTH = {0: 1, 1: 2, 3: 3, 7: 4}
# What JSON and Next.js write for the characters HTML would read as markup inside a <script>.
_SCRIPT_SAFE = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"})


def json_text(value: str) -> str:
    """The inside of a JSON string (no quotes), non-ASCII kept as is."""
    return json.dumps(value, ensure_ascii=False)[1:-1]


def script_json(value: str, depth: int = 1) -> str:
    """The inside of a JSON string ``depth`` strings deep, as written inside a <script> (no ``<``, ``>``, ``&``)."""
    for _ in range(depth):
        value = json_text(value)
    return value.translate(_SCRIPT_SAFE)


def js_single(value: str) -> str:
    """The inside of a single-quoted JavaScript string inside a <script>."""
    text = value.replace("\\", "\\\\").replace("'", "\\'").replace("\n", "\\n").replace("\r", "\\r")
    return text.replace("</", "<\\/")


def jsp_escape(value: str) -> str:
    """HTML as JSP's escapeXml writes it (quotes as &#034; and &#039;)."""
    return escape(value, quote=False).replace('"', "&#034;").replace("'", "&#039;")


# Encodings a place can call for. "html" is the page's own HTML escaping (CutPage.html_escape).
ENCODINGS: dict[str, Callable[[str], str]] = {
    "raw": lambda value: value,
    "json": script_json,
    "js": js_single,
    "next2": lambda value: script_json(value, 2),
    "next3": lambda value: script_json(value, 3),
    "next4": lambda value: script_json(value, 4),
    "jsp_js": lambda value: js_single(jsp_escape(value)),
    "jsp_json": lambda value: script_json(jsp_escape(value)),
    "text": lambda value: escape(value, quote=False),  # HTML text some pages write with their quotes as is
}


@dataclass(frozen=True)
class Swap(Generic[A]):
    """Every place of the real page that writes ``original`` holds ``value(article)`` on a served page."""

    original: str
    value: Callable[[A], str]
    count: int  # places found in the real page (a template that changed fails the start-up)
    only: tuple[str, ...] = ()  # only places of these encodings (a date that is also part of other URLs)


@dataclass(frozen=True)
class Region(Generic[A]):
    """The text after each ``start`` up to the next ``end`` is ``render(article)``, inserted as it is."""

    start: str
    end: str
    render: Callable[[A], str]
    count: int = 1


@dataclass(frozen=True)
class CutPage(Generic[A]):
    """A real page with its article cut out: fixed text and slots, and how to fill each slot."""

    page: Spliced
    fillers: Mapping[str, Callable[[A], str]]  # slot -> its text for an article, encoded for its place

    def fill(self, article: A) -> bytes:
        """The page of an article."""
        return self.page.fill({slot: filler(article) for slot, filler in self.fillers.items()})


@dataclass(frozen=True)
class _Cut:
    start: int
    end: int
    slot: str


class _Places:
    """Where each position of a page is: in which <script> (of which kind), in a tag or in text."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.scripts = [(m.start(2), m.end(2), _script_kind(m.group(1), m.group(2))) for m in _SCRIPT.finditer(text)]
        self._starts = [start for start, _end, _kind in self.scripts]

    def script_at(self, position: int) -> tuple[int, str] | None:
        """(start, kind) of the script whose content holds the position, None outside scripts."""
        index = bisect.bisect_right(self._starts, position) - 1
        if index >= 0 and position < self.scripts[index][1]:
            return self.scripts[index][0], self.scripts[index][2]
        return None

    def encodings_at(self, position: int) -> tuple[str, ...]:
        """The encodings a value starting at the position may be written in."""
        script = self.script_at(position)
        if script is None:
            return ("html", "text")
        start, kind = script
        if kind == "ld":
            return ("json",)
        quote = _opening_quote(self.text, start, position)
        if kind == "next":
            backslashes = 0
            if quote is not None:
                while self.text[quote - 1 - backslashes] == "\\":
                    backslashes += 1
            depth = _NEXT_DEPTH.get(backslashes, 1)
            return ("json",) if depth == 1 else (f"next{depth}",)
        if quote is not None and self.text[quote] == "'":
            return ("js", "jsp_js")
        return ("json", "jsp_json", "raw")


def _script_kind(attributes: str, content: str) -> str:
    """'ld' for JSON-LD, 'next' for a Next.js payload push, 'js' for any other script."""
    if "ld+json" in attributes:
        return "ld"
    if content.startswith("self.__next_f.push("):
        return "next"
    return "js"


def _opening_quote(text: str, start: int, position: int) -> int | None:
    """Position of the nearest quote character before ``position`` in the script starting at ``start``."""
    found = max(text.rfind('"', start, position), text.rfind("'", start, position))
    return found if found >= 0 else None


def cut_page(
    text: str,
    regions: Sequence[Region[A]],
    swaps: Sequence[Swap[A]],
    html_escape: Callable[[str], str],
) -> CutPage[A]:
    """Cut a real page: its regions first, then every place of each swap's original outside them."""
    places = _Places(text)
    cuts: list[_Cut] = []
    fillers: dict[str, Callable[[A], str]] = {}
    for number, region in enumerate(regions):
        found = _region_spans(text, region)
        if len(found) != region.count:
            raise ValueError(f"region {region.start[:40]!r}: {len(found)} places, the spec says {region.count}")
        slot = f"region{number}"
        fillers[slot] = region.render
        cuts += [_Cut(start, end, slot) for start, end in found]
    encoders = {**ENCODINGS, "html": html_escape}
    for number, swap in enumerate(swaps):
        swapped = _swap_places(text, places, swap.original, encoders, cuts)
        if swap.only:
            swapped = [place for place in swapped if place[2] in swap.only]
        if len(swapped) != swap.count:
            raise ValueError(f"swap {swap.original[:40]!r}: {len(swapped)} places, the spec says {swap.count}")
        for start, end, encoding in swapped:
            slot = f"swap{number}.{encoding}"
            fillers[slot] = _encoded(swap.value, encoders[encoding])
            cuts.append(_Cut(start, end, slot))
    return CutPage(_spliced(text, cuts), fillers)


def _encoded(value: Callable[[A], str], encoder: Callable[[str], str]) -> Callable[[A], str]:
    """A filler: the article's value, encoded for its place."""
    return lambda article: encoder(value(article))


def _region_spans(text: str, region: Region[A]) -> list[tuple[int, int]]:
    """(start, end) of the text after each start anchor up to the next end anchor."""
    spans = []
    for match in re.finditer(re.escape(region.start), text):
        end = text.find(region.end, match.end())
        if end < 0:
            raise ValueError(f"region {region.start[:40]!r} has no end {region.end[:40]!r}")
        spans.append((match.end(), end))
    return spans


def _swap_places(
    text: str, places: _Places, original: str, encoders: Mapping[str, Callable[[str], str]], cuts: Sequence[_Cut]
) -> list[tuple[int, int, str]]:
    """Places of an original value written in the encoding its place calls for, outside the cuts made so far."""
    written = {name: encode(original) for name, encode in encoders.items()}
    found: dict[int, tuple[int, int, str]] = {}
    for form in sorted(set(written.values()), key=len, reverse=True):
        for match in re.finditer(re.escape(form), text):
            start, end = match.span()
            if start in found or any(cut.start < end and start < cut.end for cut in cuts):
                continue
            encoding = next((name for name in places.encodings_at(start) if written[name] == form), None)
            if encoding is not None:
                found[start] = (start, end, encoding)
    return sorted(found.values())


def _spliced(text: str, cuts: Sequence[_Cut]) -> Spliced:
    """The page's fixed texts between the cuts, in order (cuts must not overlap)."""
    texts, slots, position = [], [], 0
    for cut in sorted(cuts, key=lambda cut: cut.start):
        if cut.start < position:
            raise ValueError(f"two cuts overlap at {cut.start}")
        texts.append(text[position : cut.start])
        slots.append(cut.slot)
        position = cut.end
    texts.append(text[position:])
    return joined(texts, slots)
