"""Every XPath of the parsers, compiled once at import (lxml.etree.XPath)."""

from lxml.etree import XPath

_CLASS = "contains(concat(' ', normalize-space(@class), ' '), ' {} ')"


def _has_class(name: str) -> str:
    """XPath predicate: the element's class list contains ``name``."""
    return _CLASS.format(name)


# --- meta -------------------------------------------------------------------------------
META_CHARSET = XPath("//meta[@charset]/@charset")
META_CONTENT_TYPE = XPath(
    "//meta[translate(@http-equiv, 'CONTENT-TYPE', 'content-type')='content-type']/@content"
)
OG_TITLE = XPath("//meta[@property='og:title']/@content")
OG_URL = XPath("//meta[@property='og:url']/@content")
OG_REGDATE = XPath("//meta[@property='og:regDate']/@content")
OG_AUTHOR = XPath("//meta[@property='og:article:author']/@content")
OG_SITE_NAME = XPath("//meta[@property='og:site_name']/@content")
META_PUBLISHED = XPath(
    "//meta[@property='article:published_time' or @name='article:published_time'"
    " or @itemprop='datePublished']/@content"
)
CANONICAL = XPath("//link[@rel='canonical']/@href")
HTML_TITLE = XPath("//title")
JSON_LD = XPath("//script[@type='application/ld+json']")

# --- article_view bodies ---------------------------------------------------------------------
ARTICLE_VIEW = XPath(f"//div[{_has_class('article_view')}]")
# innermost: an article_view with no article_view below it (template pages nest two)
INNERMOST_ARTICLE_VIEW = XPath(
    f"//div[{_has_class('article_view')}][not(.//div[{_has_class('article_view')}])]"
)
FIGURE_IMG = XPath(".//img")
FIGCAPTION = XPath(".//figcaption")
DESC_FIGURE = XPath(".//figure")
TABLE_CELLS = XPath(".//td[not(.//figure)][not(.//img)]")

# --- Daum article page -----------------------------------------------------------------------
DAUM_TITLE = XPath(f"//div[{_has_class('head_view')}]//h3[{_has_class('tit_view')}]")
DAUM_DATE = XPath(f"//div[{_has_class('info_view')}]//span[{_has_class('num_date')}]")
DAUM_BYLINE = XPath(
    f"//div[{_has_class('info_view')}]//span[{_has_class('txt_info')}]"
    f"[not(.//span[{_has_class('num_date')}])]"
)
DAUM_NEWS_VIEW = XPath(f"//div[{_has_class('news_view')}]")

# --- another site's template (h3 title, h6 byline+date) --------------------------------------
TEMPLATE_TITLE = XPath(f"//h3[not(ancestor::div[{_has_class('article_view')}])]")
TEMPLATE_H6 = XPath(f"//h6[not(ancestor::div[{_has_class('article_view')}])]")

# --- board (gnuboard-like) repost page -------------------------------------------------------
BOARD_TITLE = XPath(f"//*[@id='bo_v_title']//*[{_has_class('bo_v_tit')}]")
BOARD_TITLE_BOX = XPath("//*[@id='bo_v_title']")
BOARD_DATE = XPath(f"//*[{_has_class('if_date')}]")
BOARD_CONTAINER = XPath("//*[@id='bo_v_con']")
# text nodes holding escaped markup: after parsing, "&lt;div" is the literal text "<div"
TEXT_WITH_ARTICLE_VIEW = XPath("//text()[contains(., 'article_view')]")

# --- generic --------------------------------------------------------------------------------
ARTICLE = XPath("//article")
H1 = XPath("//h1")
TIME_DATETIME = XPath("//time/@datetime")

# --- limits ---------------------------------------------------------------------------------
MAX_DEPTH = 250  # below libxml2's own cut at 256, which drops the rest of the page silently
# walks the tree level by level (one pass over the nodes above MAX_DEPTH), no per-node counting
TOO_DEEP = XPath("boolean(/*" + "/*" * (MAX_DEPTH - 1) + ")")

# --- text ------------------------------------------------------------------------------------
ALL_TEXT = XPath("string(/)")
