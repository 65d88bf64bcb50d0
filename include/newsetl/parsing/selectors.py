"""The XPaths every site shares (page metadata, the Daum article body that other sites embed, limits),
compiled once at import (lxml.etree.XPath); a site's own selectors live in its module under sites/.

Written for libxml2's speed, with the same results as the plain forms: ``/descendant::div``
instead of ``//div`` (which walks every node of the page, text nodes included, as the parent of a
child step) and ``descendant::img`` instead of ``.//img``; the class test first checks the cheap
``contains(@class, name)``, which every element having the class passes.
"""

from lxml.etree import XPath

_CLASS = "contains(@class, '{0}') and contains(concat(' ', normalize-space(@class), ' '), ' {0} ')"


def has_class(name: str) -> str:
    """XPath predicate: the element's class list contains ``name``."""
    return _CLASS.format(name)


# --- meta -------------------------------------------------------------------------------
OG_TITLE = XPath("/descendant::meta[@property='og:title']/@content")
OG_URL = XPath("/descendant::meta[@property='og:url']/@content")
OG_REGDATE = XPath("/descendant::meta[@property='og:regDate']/@content")
OG_AUTHOR = XPath("/descendant::meta[@property='og:article:author']/@content")
OG_SITE_NAME = XPath("/descendant::meta[@property='og:site_name']/@content")
META_PUBLISHED = XPath(
    "/descendant::meta[@property='article:published_time' or @name='article:published_time'"
    " or @itemprop='datePublished']/@content"
)
CANONICAL = XPath("/descendant::link[@rel='canonical']/@href")
HTML_TITLE = XPath("/descendant::title")
JSON_LD = XPath("/descendant::script[@type='application/ld+json']")

# --- article_view bodies ---------------------------------------------------------------------
ARTICLE_VIEW = XPath(f"/descendant::div[{has_class('article_view')}]")
# innermost: an article_view with no article_view below it (template pages nest two)
INNERMOST_ARTICLE_VIEW = XPath(
    f"/descendant::div[{has_class('article_view')}][not(descendant::div[{has_class('article_view')}])]"
)
FIGURE_IMG = XPath("descendant::img")
FIGCAPTION = XPath("descendant::figcaption")
DESC_FIGURE = XPath("descendant::figure")
TABLE_CELLS = XPath("descendant::td[not(descendant::figure)][not(descendant::img)]")

# --- generic --------------------------------------------------------------------------------
ARTICLE = XPath("/descendant::article")
H1 = XPath("/descendant::h1")
TIME_DATETIME = XPath("/descendant::time/@datetime")

# --- limits ---------------------------------------------------------------------------------
MAX_DEPTH = 250  # below libxml2's own cut at 256, which drops the rest of the page silently
# walks the tree level by level (one pass over the nodes above MAX_DEPTH), no per-node counting
TOO_DEEP = XPath("boolean(/*" + "/*" * (MAX_DEPTH - 1) + ")")

# --- text ------------------------------------------------------------------------------------
ALL_TEXT = XPath("string(/)")
STRING = XPath("string()", smart_strings=False)  # all text of the context node (text_content())
