"""The XPaths every site shares (page metadata, the Daum article body that other sites embed, limits),
compiled once at import (lxml.etree.XPath); a site's own selectors live in its module under sites/.

Written for libxml2's speed, with the same results as the plain forms: ``/descendant::div``
instead of ``//div`` (which walks every node of the page, text nodes included, as the parent of a
child step) and ``descendant::img`` instead of ``.//img``; the class test first checks the cheap
``contains(@class, name)``, which every element having the class passes.
"""

from collections.abc import Callable
from typing import TypeAlias, cast

from lxml.etree import XPath, _Element, _ElementUnicodeResult

# What an XPath returns follows from its expression, which a stub cannot see: lxml-stubs type every
# call as returning any XPath object (bool, float, str, bytes or a list of elements, strings and tuples).
# So each selector is compiled by one of the helpers below, which says what its expression returns and
# hands back the compiled XPath itself (a cast at import, no wrapper): a selector call costs what it did.
Elements: TypeAlias = Callable[[_Element], list[_Element]]  # element steps: /descendant::div, descendant::img
Strings: TypeAlias = Callable[[_Element], list[str]]  # attribute steps (@content, @href): smart strings
TextNodes: TypeAlias = Callable[[_Element], list[_ElementUnicodeResult]]  # text() steps: getparent(), is_text
Text: TypeAlias = Callable[[_Element], str]  # string(…)
Boolean: TypeAlias = Callable[[_Element], bool]  # boolean(…)


def elements(path: str) -> Elements:
    """A compiled XPath whose result is a list of elements."""
    return cast(Elements, XPath(path))


def strings(path: str) -> Strings:
    """A compiled XPath whose result is a list of attribute values."""
    return cast(Strings, XPath(path))


def text_nodes(path: str) -> TextNodes:
    """A compiled XPath whose result is a list of text nodes (lxml's smart strings, which know their parent)."""
    return cast(TextNodes, XPath(path))


def string(path: str, *, smart_strings: bool = True) -> Text:
    """A compiled XPath whose result is a string (a plain str with ``smart_strings=False``)."""
    return cast(Text, XPath(path, smart_strings=smart_strings))


def boolean(path: str) -> Boolean:
    """A compiled XPath whose result is a boolean."""
    return cast(Boolean, XPath(path))


_CLASS = "contains(@class, '{0}') and contains(concat(' ', normalize-space(@class), ' '), ' {0} ')"


def has_class(name: str) -> str:
    """XPath predicate: the element's class list contains ``name``."""
    return _CLASS.format(name)


# --- meta -------------------------------------------------------------------------------
OG_TITLE = strings("/descendant::meta[@property='og:title']/@content")
OG_URL = strings("/descendant::meta[@property='og:url']/@content")
OG_REGDATE = strings("/descendant::meta[@property='og:regDate']/@content")
OG_AUTHOR = strings("/descendant::meta[@property='og:article:author']/@content")
OG_SITE_NAME = strings("/descendant::meta[@property='og:site_name']/@content")
META_PUBLISHED = strings(
    "/descendant::meta[@property='article:published_time' or @name='article:published_time'"
    " or @itemprop='datePublished']/@content"
)
CANONICAL = strings("/descendant::link[@rel='canonical']/@href")
HTML_TITLE = elements("/descendant::title")
JSON_LD = elements("/descendant::script[@type='application/ld+json']")

# --- article_view bodies ---------------------------------------------------------------------
ARTICLE_VIEW = elements(f"/descendant::div[{has_class('article_view')}]")
# innermost: an article_view with no article_view below it (template pages nest two)
INNERMOST_ARTICLE_VIEW = elements(
    f"/descendant::div[{has_class('article_view')}][not(descendant::div[{has_class('article_view')}])]"
)
FIGURE_IMG = elements("descendant::img")
FIGCAPTION = elements("descendant::figcaption")
DESC_FIGURE = elements("descendant::figure")
TABLE_CELLS = elements("descendant::td[not(descendant::figure)][not(descendant::img)]")

# --- generic --------------------------------------------------------------------------------
ARTICLE = elements("/descendant::article")
H1 = elements("/descendant::h1")
TIME_DATETIME = strings("/descendant::time/@datetime")

# --- limits ---------------------------------------------------------------------------------
MAX_DEPTH = 250  # below libxml2's own cut at 256, which drops the rest of the page silently
# walks the tree level by level (one pass over the nodes above MAX_DEPTH), no per-node counting
TOO_DEEP = boolean("boolean(/*" + "/*" * (MAX_DEPTH - 1) + ")")

# --- text ------------------------------------------------------------------------------------
ALL_TEXT = string("string(/)")
STRING = string("string()", smart_strings=False)  # all text of the context node (text_content())
