"""JSON-LD: a page's NewsArticle object (headline, dates, author, publisher, articleBody), read defensively.

JSON-LD is page input like any other: a block that is not JSON, over ``MAX_LD_CHARS``, or nested deeper
than the json module decodes (a RecursionError) is skipped, and the page's other metadata still works;
an integer too long to be a count or a size (``int()`` refuses 4,300 digits and is quadratic below) is
read as null; lists and ``@graph`` are walked without recursion, to ``LD_DEPTH`` levels.  The strings
are taken as they are: NULs, other controls and lone surrogates (``"\\ud800"``) are dropped by the
shared rules (text.clean_text, text.strip_controls) like those of any other field.
"""

from __future__ import annotations

import json
from typing import Any

from lxml.etree import _Element

from newsetl.parsing import selectors as S

ARTICLE_TYPES = frozenset({"NewsArticle", "Article", "ReportageNewsArticle", "AnalysisNewsArticle", "BlogPosting"})
MAX_LD_CHARS = 1 << 20  # a bigger JSON-LD block is skipped (real ones are a few KiB)
LD_DEPTH = 8  # nested lists and @graph looked into (real pages nest two or three)
NAME_DEPTH = 3  # nested lists of authors or publishers looked into
LD_INT_DIGITS = 20  # longer integers (no count or size has that many digits) are read as null


def article_object(tree: _Element) -> dict[str, Any]:
    """The first JSON-LD object of the page typed as a news article ({} if none)."""
    for script in S.JSON_LD(tree):
        data = load_ld(script.text or "")
        if data is None:
            continue  # broken JSON-LD is common; the other sources still work
        for item in ld_items(data):
            types = item.get("@type")
            types = types if isinstance(types, list) else [types]
            if ARTICLE_TYPES.intersection(t for t in types if isinstance(t, str)):
                return item
    return {}


def ld_int(digits: str) -> int | None:
    """A JSON integer, or None when it is too long to be one a page means (see LD_INT_DIGITS)."""
    return int(digits) if len(digits) <= LD_INT_DIGITS else None


def load_ld(text: str) -> Any:
    """The value of a JSON-LD block; None when it is not JSON, too big or nested too deep to decode."""
    if len(text) > MAX_LD_CHARS:
        return None
    try:
        return json.loads(text, parse_int=ld_int)
    except (ValueError, RecursionError):  # ValueError: JSONDecodeError; RecursionError: [[[[… deep
        return None


def ld_items(data: Any) -> list[dict[str, Any]]:
    """Flatten JSON-LD (object, list, @graph) into its objects, in document order.

    An explicit stack, not recursion: a block the json module decodes can still be nested nearly as
    deep as the recursion limit, and lists or graphs below LD_DEPTH levels are not looked into."""
    items: list[dict[str, Any]] = []
    stack: list[tuple[Any, int]] = [(data, 0)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict):
            items.append(value)
            children = [value.get("@graph")]
        elif isinstance(value, list):
            children = value
        else:
            continue
        if depth < LD_DEPTH:
            stack.extend((child, depth + 1) for child in reversed(children))
    return items


def names_of(value: Any, depth: int = 0, *, people_only: bool = False) -> list[str]:
    """Names from a JSON-LD person/organization value (str, object or list, lists NAME_DEPTH deep);
    ``people_only`` leaves out objects typed as an organization (an author that is the press itself)."""
    if isinstance(value, str):
        return [value.strip()]
    if isinstance(value, dict):
        kind = value.get("@type")
        if people_only and isinstance(kind, str) and kind.endswith("Organization"):
            return []
        name = value.get("name")
        return [name.strip()] if isinstance(name, str) else []
    if isinstance(value, list) and depth < NAME_DEPTH:
        return [n for v in value for n in names_of(v, depth + 1, people_only=people_only)]
    return []


def text_of(item: dict[str, Any], key: str) -> str | None:
    """A string field of a JSON-LD object, stripped (None when absent, blank or not a string)."""
    value = item.get(key)
    if isinstance(value, str) and (value := value.strip()):
        return value
    return None
