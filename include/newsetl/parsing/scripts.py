"""Article bodies that a page holds only in script payloads (client-rendered pages), read generally.

A client-rendered page (Next.js, React Query, Nuxt …) ships its article as data for the browser to draw:
the markup of the body is a string value inside JSON, with ``<`` escaped as ``\\u003c``.  The payloads
read here, in document order:
  * Next.js flight data: the strings pushed by ``self.__next_f.push([1, "…"])``, joined into one stream
    of rows ``ID:JSON`` and ``ID:T<hex length>,<text>`` (a text row holds raw markup; a JSON value
    ``"$ID"`` elsewhere refers to it);
  * ``<script id="__NEXT_DATA__">`` and any other ``application/json`` script;
  * JSON objects and arrays handed to a call or assigned in an inline script (``….push({…})``,
    ``window.__STATE__ = {…}``), when the script holds escaped markup at all.
Every string value holding paragraph markup (``<p``, ``<br``, ``<div``) is a candidate; the one with
the most text wins.  The scalar strings beside it in its JSON object are kept as ``fields`` (a title,
a subtitle, dates, a writer: site modules and the generic reader pick what they know by name).

Bounds: a script over ``MAX_SCRIPT_CHARS`` is not decoded, at most ``MAX_STARTS`` JSON starts are tried
per inline script, JSON nested too deep to decode (RecursionError) is skipped, and decoded values are
walked without recursion to ``MAX_DEPTH`` levels.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from lxml.etree import _Element

from newsetl.parsing import selectors as S

MAX_SCRIPT_CHARS = 4 << 20  # a bigger inline script is not decoded (real payloads are tens of KiB)
MAX_STARTS = 20  # JSON starts tried per inline script
MAX_DEPTH = 24  # levels of nested JSON looked into (real payloads nest about ten)
MIN_BODY_CHARS = 200  # characters of a markup string, tags included, before it can be an article body
MAX_FIELD_CHARS = 500  # a scalar beside the body longer than this is no title, date or name

# The json module's C string scanner (public in json.decoder, but not in its type stubs).
_scanstring: Callable[[str, int], tuple[str, int]] = getattr(json.decoder, "scanstring")  # noqa: B009
SCRIPTS = S.elements("/descendant::script[not(@src)]")
_FLIGHT_PUSH = "self.__next_f.push("
_PUSH = re.compile(r"\s*self\.__next_f\.push\(")
_PUSH_STRING = re.compile(r"\s*\[\s*1\s*,\s*\"")
_ROW = re.compile(r"([0-9a-fA-F]*):(?:T([0-9a-fA-F]{1,8}),|(?=[\[{\"]))")
_REFERENCE = re.compile(r"\$([0-9a-fA-F]{1,8})")
_JSON_START = re.compile(r"[(=]\s*([\[{])")
_MARKUP = re.compile(r"<(?:p|br|div)[\s>/]", re.I)
# Markup in a script's text, escaped as JSON or JavaScript writes it or as it is: substring tests, each a
# fast C scan (a regex alternation without a literal first character tries every position).
_MARKERS = ("\\u003", "\\x3", "<p", "<br", "<div")
_TAG = re.compile(r"<[^<>]*>")
_DATA_TYPES = frozenset({"application/json", "application/ld+json"})


@dataclass(slots=True)
class Payload:
    """An article body found in a script: its markup and the scalar strings beside it."""

    html: str
    fields: dict[str, str] = field(default_factory=dict)  # key → value, in the order the object gives them
    chars: int = 0  # characters of its text (tags taken out)


def has_script_data(tree: _Element) -> bool:
    """Whether the page carries data payloads a client-side renderer draws from (flight data, JSON scripts)."""
    for script in SCRIPTS(tree):
        kind = (script.get("type") or "").strip().lower()
        text = script.text or ""
        if (kind in _DATA_TYPES and kind != "application/ld+json") or _PUSH.match(text):
            return True
    return False


def script_payload(tree: _Element) -> Payload | None:
    """The article body the page's scripts hold (the candidate with the most text), None when none does."""
    best: Payload | None = None
    for html, fields in _candidates(tree):
        chars = len(_TAG.sub("", html).strip())
        # equal text: the one with fields beside it (a JSON object) over a bare text row
        if best is None or chars > best.chars or (chars == best.chars and fields and not best.fields):
            best = Payload(html, fields, chars)
    return best


def _candidates(tree: _Element) -> Iterator[tuple[str, dict[str, str]]]:
    """(markup, scalar fields beside it) for every markup string of the page's script payloads.

    Only a payload whose text holds markup (or, in flight data, refers to a text row that does) is
    decoded and walked: walking every value of every payload costs more than parsing the page."""
    flight: list[str] = []
    for script in SCRIPTS(tree):
        text = script.text or ""
        if len(text) > MAX_SCRIPT_CHARS:
            continue
        kind = (script.get("type") or "").strip().lower()
        if kind == "application/ld+json":
            continue  # JSON-LD is read by parsing/jsonld.py (its articleBody is plain text)
        if push := _PUSH.match(text):
            if (chunk := _flight_chunk(text, push.end())) is not None:
                flight.append(chunk)
        elif not _has_markup(text):
            continue
        elif kind in _DATA_TYPES:
            yield from _markup_strings(_loads(text), {})
        else:
            for value in _embedded_json(text):
                yield from _markup_strings(value, {})
    if flight:
        texts, rows = _flight_rows("".join(flight))
        markup_ids = [key for key, html in texts.items() if len(html) >= MIN_BODY_CHARS and _MARKUP.search(html)]
        for key in markup_ids:
            yield texts[key], {}
        references = tuple(f'"${key}"' for key in markup_ids)
        decoder = json.JSONDecoder()
        for row in rows:
            if _MARKUP.search(row) or (references and any(ref in row for ref in references)):
                try:
                    value, _ = decoder.raw_decode(row)
                except (ValueError, RecursionError):
                    continue
                yield from _markup_strings(value, texts)


def _loads(text: str) -> Any:
    """A JSON value, None when the text is not JSON or nests too deep to decode."""
    try:
        return json.loads(text)
    except (ValueError, RecursionError):
        return None


def _has_markup(text: str) -> bool:
    """Whether a script's text holds markup (escaped or not) at all."""
    for marker in _MARKERS:
        if marker in text:
            return True
    return False


def _flight_chunk(script: str, start: int) -> str | None:
    """The string of one ``self.__next_f.push([1, "…"])`` (None for the other pushes: [0], [2, …]);
    ``start``: where the push's argument starts.

    The string literal is read by the json module's own scanner: a json.loads per push (a page has
    dozens) costs more in its wrapper than in decoding."""
    match = _PUSH_STRING.match(script, start)
    if match is None:
        return None
    try:
        chunk, _ = _scanstring(script, match.end())
    except (ValueError, RecursionError):
        return None
    return chunk


def _flight_rows(stream: str) -> tuple[dict[str, str], list[str]]:
    """The rows of a flight stream: text rows by their id, and the JSON rows as text, in order.

    A text row's length is in UTF-8 bytes; its text is not followed by a newline.  Every other row
    ends at a newline (JSON text holds none unescaped)."""
    texts: dict[str, str] = {}
    rows: list[str] = []
    pos = 0
    while pos < len(stream):
        newline = stream.find("\n", pos)
        end = len(stream) if newline < 0 else newline
        match = _ROW.match(stream, pos, end)
        if match is not None and match.group(2) is not None:  # ID:T<hex>,<text>
            size = int(match.group(2), 16)
            start = match.end()
            text = stream[start : start + size].encode("utf-8", "surrogatepass")[:size].decode("utf-8", "ignore")
            texts[match.group(1)] = text
            pos = start + len(text)
            continue
        if match is not None:
            rows.append(stream[match.end() : end])
        pos = end + 1
    return texts, rows


def _embedded_json(script: str) -> Iterator[Any]:
    """JSON objects and arrays an inline script passes to a call or assigns (``push({…})``, ``= {…}``)."""
    decoder = json.JSONDecoder()
    tried = 0
    pos = 0
    while tried < MAX_STARTS and (match := _JSON_START.search(script, pos)):
        tried += 1
        try:
            value, end = decoder.raw_decode(script, match.start(1))
        except (ValueError, RecursionError):
            pos = match.end()
            continue
        pos = end
        if isinstance(value, dict | list) and value:
            yield value


def _markup_strings(value: Any, texts: dict[str, str]) -> Iterator[tuple[str, dict[str, str]]]:
    """Markup strings in a decoded JSON value, each with the scalar strings of the object holding it
    (``texts``: a flight stream's text rows, which a ``"$ID"`` value stands for).  No recursion."""
    stack: list[tuple[Any, int]] = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            fields: dict[str, str] | None = None
            for child in item.values():
                if isinstance(child, str):
                    html = _text_row(child, texts)
                    if len(html) >= MIN_BODY_CHARS and _MARKUP.search(html):
                        if fields is None:
                            fields = _scalars(item)
                        yield html, fields
                elif depth < MAX_DEPTH and isinstance(child, dict | list):
                    stack.append((child, depth + 1))
        elif isinstance(item, list):
            for child in item:
                if isinstance(child, str):
                    html = _text_row(child, texts)
                    if len(html) >= MIN_BODY_CHARS and _MARKUP.search(html):
                        yield html, {}
                elif depth < MAX_DEPTH and isinstance(child, dict | list):
                    stack.append((child, depth + 1))


def _text_row(value: str, texts: dict[str, str]) -> str:
    """A flight reference ``"$ID"`` stands for its text row; any other string for itself."""
    if texts and value.startswith("$") and (match := _REFERENCE.fullmatch(value)):
        return texts.get(match.group(1), value)
    return value


def _scalars(item: dict[Any, Any]) -> dict[str, str]:
    """The short string values of a JSON object, by key (what may be a title, a date or a name)."""
    return {
        str(key): value for key, value in item.items() if isinstance(value, str) and 0 < len(value) <= MAX_FIELD_CHARS
    }
