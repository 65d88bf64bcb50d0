"""Site parsers: one class per page layout, one method per field (text as shown, nothing interpreted).

Layouts:
  * ``DaumArticleParser``   -- a v.daum.net article page (head_view / info_view / news_view).
  * ``ArticleViewParser``   -- a bare Daum ``div.article_view`` inside another site's template
                               (h3 title, h6 byline + date, ``[Source : …]`` line).
  * ``BoardRepostParser``   -- a board post whose content is the Daum markup as *escaped text*
                               (``&lt;div class="article_view"…``), or the plain-text dump of it.
  * ``GenericParser``       -- fallback: JSON-LD NewsArticle, OpenGraph, ``<article>``.

Every page is parsed once with a network-less lxml HTML parser (the HTML parser never loads
external entities or DTDs; ``no_network`` makes sure nothing is fetched).  The board page needs a
second parse of the unescaped inner markup.  All XPaths live precompiled in ``xpaths.py``.
"""

from __future__ import annotations

import json
import re
from functools import cached_property
from typing import Any, ClassVar
from urllib.parse import parse_qs, urlsplit

import charset_normalizer
import lxml.html
from lxml import etree

from newsetl import xpaths as X
from newsetl.errors import NotAnArticle, ParseError
from newsetl.records import RawArticle, RawFigure

_HTML_PARSER = lxml.html.HTMLParser(
    no_network=True, remove_comments=True, remove_pis=True, default_doctype=False
)

# Tags whose content is never article text.
_SKIP = frozenset(
    "script style noscript iframe video audio object embed button form input select textarea"
    " template svg nav aside header footer".split()
)
# Tags that start a new paragraph when met inside a block.
_BLOCKS = frozenset(
    "p div section article blockquote h1 h2 h3 h4 h5 h6 ul ol li table tbody thead tfoot tr td"
    " th figure dl dt dd pre main center".split()
)
_WS = re.compile(r"[ \t\n\r\f\v]+")  # HTML whitespace only: NBSP etc. are left to clean_text
_BR_SPACES = re.compile(r" *\n *")
_DAUM_ID = re.compile(r"v\.daum\.net/v/(\d{17})")
_CHARSET_BYTES = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([\w-]+)""", re.I)
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>")
_VIEW_MARKUP = re.compile(r"<div[^<>]*?class=[\"'][^\"']*article_view")
_BOARD_DATE = re.compile(r"작성일\s*:?\s*(\d[\d\-.: ]*\d)")
_DATE_IN_TEXT = re.compile(
    r"\d{4}\s*[-./]\s*\d{1,2}\s*[-./]\s*\d{1,2}\.?(?:[ T]+\d{1,2}:\d{2}(?::\d{2})?)?"
)
_SOURCE_LINE = re.compile(r"\[\s*Source\s*:\s*[^\]]+\]", re.I)
_COPYRIGHT_LINE = re.compile(
    r"(?:Copyright|저작권자)\s*(?:ⓒ|©|\(c\))?[^\n]{0,60}?(?:금지|Reserved)[.>\]]?", re.I
)
_ARTICLE_TYPES = frozenset({"NewsArticle", "Article", "ReportageNewsArticle", "AnalysisNewsArticle"})


def _tidy(text: str) -> str:
    """Drop the spaces a browser would not show: around line breaks and at the ends."""
    return _BR_SPACES.sub("\n", text).strip(" ")


def decode(content: str | bytes) -> str:
    """Bytes to text: declared meta charset, else UTF-8, else charset_normalizer's guess."""
    if isinstance(content, str):
        return content.lstrip("\ufeff")
    match = _CHARSET_BYTES.search(content[:4096])
    declared = match.group(1).decode("ascii", "replace").lower() if match else None
    for encoding in (declared, "utf-8-sig"):
        if not encoding:
            continue
        if encoding in ("utf-8", "utf8"):
            encoding = "utf-8-sig"  # also drops a BOM
        try:
            return content.decode(encoding)
        except (LookupError, UnicodeDecodeError):
            continue
    best = charset_normalizer.from_bytes(content).best()
    if best is None:
        raise ParseError("cannot decode page bytes")
    return str(best)


def parse_html(text: str) -> lxml.html.HtmlElement:
    """Parse a whole document once; an empty or unreadable document is NotAnArticle."""
    text = _XML_DECL.sub("", text)  # lxml refuses str input carrying an encoding declaration
    if not text.strip():
        raise NotAnArticle("empty page")
    try:
        return lxml.html.document_fromstring(text, parser=_HTML_PARSER)
    except (etree.ParserError, ValueError) as exc:
        raise ParseError(f"unreadable HTML: {exc}".splitlines()[0]) from exc


def source_id(url: str | None) -> str | None:
    """Daum: the 17-digit id; else the wr_id query value or the last path segment; None if no URL."""
    if not url:
        return None
    if match := _DAUM_ID.search(url):
        return match.group(1)
    parts = urlsplit(url)
    if wr_id := parse_qs(parts.query).get("wr_id"):
        return wr_id[0]
    segments = [s for s in parts.path.split("/") if s]
    return segments[-1] if segments else None


def _first(values: list[Any]) -> str | None:
    """First non-empty string (attribute value or element text) of an XPath result."""
    for value in values:
        text = value if isinstance(value, str) else value.text_content()
        text = _WS.sub(" ", text).strip()
        if text:
            return text
    return None


class _Body:
    """Walks an article body once, in document order, into paragraphs and figures."""

    def __init__(self) -> None:
        self.paragraphs: list[str] = []
        self.figures: list[RawFigure] = []

    def walk(self, el: Any) -> None:
        """Dispatch one element: figure, table of figures, block of blocks, or one paragraph."""
        tag = el.tag
        if not isinstance(tag, str) or tag in _SKIP:
            return
        if tag == "figure":
            self._figure(el)
        elif tag == "table" and (X.DESC_FIGURE(el) or X.FIGURE_IMG(el)):
            self._figure_table(el)
        elif any(isinstance(c.tag, str) and c.tag in _BLOCKS for c in el):
            self._mixed(el)
        else:
            self._flush([self.inline_text(el)])

    def _mixed(self, el: Any) -> None:
        """A block holding blocks: loose inline runs between them are paragraphs of their own."""
        parts: list[str] = [_WS.sub(" ", el.text or "")]
        for child in el:
            if isinstance(child.tag, str) and child.tag in _BLOCKS:
                self._flush(parts)
                self.walk(child)
            else:
                self._inline_child(child, parts)
            if child.tail:
                parts.append(_WS.sub(" ", child.tail))
        self._flush(parts)

    def _flush(self, parts: list[str]) -> None:
        """Close the current paragraph (blank ones are dropped here)."""
        text = _tidy("".join(parts))
        if text.strip():
            self.paragraphs.append(text)
        parts.clear()

    def inline_text(self, el: Any) -> str:
        """Text of an element as shown: HTML whitespace collapsed, <br> kept as newline."""
        parts: list[str] = [_WS.sub(" ", el.text or "")]
        for child in el:
            self._inline_child(child, parts)
            if child.tail:
                parts.append(_WS.sub(" ", child.tail))
        return _tidy("".join(parts))

    def _inline_child(self, child: Any, parts: list[str]) -> None:
        """Append an inline child's text; a stray <img> becomes an uncaptioned figure."""
        tag = child.tag
        if not isinstance(tag, str) or tag in _SKIP:
            return
        if tag == "br":
            parts.append("\n")
        elif tag == "img":
            self._image(child, None)
        else:
            parts.append(self.inline_text(child))

    def _figure(self, fig: Any) -> None:
        """A <figure>: its first image with the figcaption; no image, no item."""
        images = X.FIGURE_IMG(fig)
        if not images:
            return
        captions = X.FIGCAPTION(fig)
        self._image(images[0], self.inline_text(captions[0]) if captions else None)
        for img in images[1:]:
            self._image(img, None)

    def _figure_table(self, table: Any) -> None:
        """Layout table (e.g. OhmyNews): image cell(s) plus caption cells below."""
        cell_text = "\n".join(
            t for t in (self.inline_text(td).strip() for td in X.TABLE_CELLS(table)) if t
        )
        figures = X.DESC_FIGURE(table) or [table]
        for fig in figures:
            images = X.FIGURE_IMG(fig)
            if not images:
                continue
            captions = X.FIGCAPTION(fig)
            caption = self.inline_text(captions[0]) if captions else (cell_text or None)
            cell_text = ""  # the cells caption the first uncaptioned image only
            self._image(images[0], caption)

    def _image(self, img: Any, caption: str | None) -> None:
        """Record one image: original URL from data-org-src, displayed src as thumbnail."""
        src = img.get("src") or img.get("data-src")
        original = img.get("data-org-src") or src
        if not original:
            return
        self.figures.append(
            RawFigure(
                image_url=original.strip(),
                thumbnail_url=src.strip() if src else None,
                width=img.get("data-org-width"),
                alt=img.get("alt"),
                caption=caption,
            )
        )


def body_of(el: Any | None) -> tuple[list[str], list[RawFigure]]:
    """Paragraphs and figures of a body element (empty lists when there is none)."""
    body = _Body()
    if el is not None:
        body.walk(el)
    return body.paragraphs, body.figures


def escaped_view_markup(tree: Any) -> str | None:
    """Markup shown as text (``&lt;div class="article_view"…``), from that div to the end of its holder."""
    for node in X.TEXT_WITH_ARTICLE_VIEW(tree):
        holder = node.getparent()
        if holder is None:
            continue
        if not node.is_text and holder.getparent() is not None:  # a tail belongs to the parent
            holder = holder.getparent()
        # string() joins text split by the real <br>s that nl2br boards insert
        markup = holder.xpath("string(.)")
        if match := _VIEW_MARKUP.search(markup):
            return markup[match.start():]
    return None


def _innermost_view(tree: Any) -> Any | None:
    """The innermost div.article_view: template pages wrap the real one in an outer one."""
    views = X.INNERMOST_ARTICLE_VIEW(tree)
    return views[0] if views else None


class BaseParser:
    """One method per field; ``parse`` assembles them into a RawArticle."""

    name: ClassVar[str] = ""

    def __init__(self, tree: Any, url: str | None = None, text: str = "") -> None:
        self.tree = tree
        self.given_url = url
        self.text = text  # the decoded source, for layouts that need the raw text

    @cached_property
    def page_text(self) -> str:
        """All text of the page, whitespace collapsed (for line-level searches)."""
        return _WS.sub(" ", X.ALL_TEXT(self.tree))

    def url(self) -> str | None:
        """Given URL, else og:url, else the canonical link."""
        return self.given_url or _first(X.OG_URL(self.tree)) or _first(X.CANONICAL(self.tree))

    def title(self) -> str | None:
        """Headline as shown."""
        return _first(X.OG_TITLE(self.tree)) or _first(X.HTML_TITLE(self.tree))

    def date_text(self) -> str | None:
        """Publication date as shown."""
        return _first(X.OG_REGDATE(self.tree)) or _first(X.META_PUBLISHED(self.tree))

    def byline_text(self) -> str | None:
        """Reporter line of the page chrome, if any."""
        return None

    def press_hints(self) -> list[str]:
        """Strings naming the press, most trusted first."""
        hints = [a.strip() for a in X.OG_AUTHOR(self.tree) if a.strip()]
        hints += _SOURCE_LINE.findall(self.page_text)
        hints += [m.strip() for m in _COPYRIGHT_LINE.findall(self.page_text)]
        return hints

    def body_element(self) -> Any | None:
        """The element holding the article body."""
        return _innermost_view(self.tree)

    def body(self) -> tuple[list[str], list[RawFigure]]:
        """Paragraphs (raw, <br> as newline) and figures in document order."""
        return body_of(self.body_element())

    def parse(self) -> RawArticle:
        """Assemble the fields; no title or no body is NotAnArticle."""
        title = self.title()
        if not title:
            raise NotAnArticle(f"no title ({self.name} layout)")
        paragraphs, figures = self.body()
        if not paragraphs:
            raise NotAnArticle(f"no article body ({self.name} layout)")
        url = self.url()
        return RawArticle(
            parser=self.name,
            url=url,
            source_id=source_id(url),
            title=title,
            date_text=self.date_text(),
            byline_text=self.byline_text(),
            press_hints=self.press_hints(),
            paragraphs=paragraphs,
            figures=figures,
        )


class DaumArticleParser(BaseParser):
    """A v.daum.net article page."""

    name = "daum"

    def title(self) -> str | None:
        """h3.tit_view in div.head_view, else og:title."""
        return _first(X.DAUM_TITLE(self.tree)) or super().title()

    def date_text(self) -> str | None:
        """span.num_date ("2023. 11. 1. 06:41"), else og:regDate ("20231101064102")."""
        return _first(X.DAUM_DATE(self.tree)) or super().date_text()

    def byline_text(self) -> str | None:
        """The span.txt_info that is not the date ("김동윤 기자")."""
        return _first(X.DAUM_BYLINE(self.tree))

    def body_element(self) -> Any | None:
        """The innermost article_view, preferably inside div.news_view."""
        views = X.DAUM_NEWS_VIEW(self.tree)
        return _innermost_view(views[0]) if views else _innermost_view(self.tree)


class ArticleViewParser(BaseParser):
    """A Daum article_view nested inside another site's template (h3 title, h6 byline+date)."""

    name = "article_view"

    @cached_property
    def _h6(self) -> str:
        """The h6 line holding byline and date ("김동윤 기자 2023-11-01 06:41")."""
        return _first(X.TEMPLATE_H6(self.tree)) or ""

    def title(self) -> str | None:
        """First h3 outside the article body, else og:title / <title>."""
        return _first(X.TEMPLATE_TITLE(self.tree)) or super().title()

    def date_text(self) -> str | None:
        """The date inside the h6, else meta dates."""
        match = _DATE_IN_TEXT.search(self._h6)
        return match.group(0) if match else super().date_text()

    def byline_text(self) -> str | None:
        """The h6 without its date."""
        return _DATE_IN_TEXT.sub("", self._h6).strip() or None


class BoardRepostParser(BaseParser):
    """Board post reposting a Daum article as escaped markup; also its plain-text dump."""

    name = "board"

    @cached_property
    def _view(self) -> Any | None:
        """The escaped article_view found anywhere (lxml unescaped it), parsed; else the literal one."""
        markup = escaped_view_markup(self.tree)
        if markup:
            return _innermost_view(parse_html(markup))
        return _innermost_view(self.tree)  # the dump: the markup is literal, already parsed

    def title(self) -> str | None:
        """Post title element, else og:title, else the text before "작성일" (the dump)."""
        found = (
            _first(X.BOARD_TITLE(self.tree))
            or _first(X.BOARD_TITLE_BOX(self.tree))
            or _first(X.OG_TITLE(self.tree))
        )
        if found:
            return found
        match = re.match(r"\s*(.{1,300}?)\s*작성일", self.page_text)
        return match.group(1).strip() if match else _first(X.HTML_TITLE(self.tree))

    def date_text(self) -> str | None:
        """"작성일 07-03 20" without the label."""
        for text in (_first(X.BOARD_DATE(self.tree)) or "", self.page_text):
            match = _BOARD_DATE.search(text)
            if match:
                return match.group(1)
        return super().date_text()

    def body_element(self) -> Any | None:
        """The reposted article_view."""
        return self._view


class GenericParser(BaseParser):
    """Fallback: JSON-LD NewsArticle, OpenGraph, <article>."""

    name = "generic"

    @cached_property
    def _ld(self) -> dict[str, Any]:
        """The first JSON-LD object typed as a news article ({} if none)."""
        for script in X.JSON_LD(self.tree):
            try:
                data = json.loads(script.text or "")
            except json.JSONDecodeError:
                continue  # broken JSON-LD is common; the other sources still work
            for item in _ld_items(data):
                types = item.get("@type")
                types = types if isinstance(types, list) else [types]
                if _ARTICLE_TYPES.intersection(t for t in types if isinstance(t, str)):
                    return item
        return {}

    def url(self) -> str | None:
        """Given URL, og:url, canonical, else JSON-LD url."""
        ld_url = self._ld.get("url")
        return super().url() or (ld_url if isinstance(ld_url, str) else None)

    def title(self) -> str | None:
        """JSON-LD headline, og:title, h1, <title>."""
        headline = self._ld.get("headline")
        if isinstance(headline, str) and headline.strip():
            return _WS.sub(" ", headline).strip()
        return _first(X.OG_TITLE(self.tree)) or _first(X.H1(self.tree)) or super().title()

    def date_text(self) -> str | None:
        """JSON-LD datePublished, meta dates, <time datetime>."""
        published = self._ld.get("datePublished")
        if isinstance(published, str) and published.strip():
            return published.strip()
        return super().date_text() or _first(X.TIME_DATETIME(self.tree))

    def byline_text(self) -> str | None:
        """JSON-LD author name(s)."""
        names = [n for n in _names_of(self._ld.get("author")) if n]
        return ", ".join(names) or None

    def press_hints(self) -> list[str]:
        """og:article:author, JSON-LD publisher, then the usual lines, then og:site_name."""
        hints = super().press_hints()
        publisher = _names_of(self._ld.get("publisher"))
        site = [s.strip() for s in X.OG_SITE_NAME(self.tree) if s.strip()]
        return hints[:1] + publisher + hints[1:] + site if hints else publisher + site

    def body(self) -> tuple[list[str], list[RawFigure]]:
        """<article> (or a nested article_view), else JSON-LD articleBody split on newlines."""
        view = _innermost_view(self.tree)
        articles = X.ARTICLE(self.tree)
        paragraphs, figures = body_of(view if view is not None else (articles or [None])[0])
        if not paragraphs:
            text = self._ld.get("articleBody")
            if isinstance(text, str):
                paragraphs = [p.strip() for p in re.split(r"\n\s*\n|\n", text) if p.strip()]
        return paragraphs, figures


def _ld_items(data: Any) -> list[dict[str, Any]]:
    """Flatten JSON-LD (object, list, @graph) into its objects."""
    if isinstance(data, list):
        return [item for entry in data for item in _ld_items(entry)]
    if isinstance(data, dict):
        return [data] + _ld_items(data.get("@graph", []))
    return []


def _names_of(value: Any) -> list[str]:
    """Names from a JSON-LD person/organization value (str, object or list)."""
    if isinstance(value, str):
        return [value.strip()]
    if isinstance(value, dict):
        name = value.get("name")
        return [name.strip()] if isinstance(name, str) else []
    if isinstance(value, list):
        return [n for v in value for n in _names_of(v)]
    return []


PARSERS: dict[str, type[BaseParser]] = {
    cls.name: cls for cls in (DaumArticleParser, ArticleViewParser, BoardRepostParser, GenericParser)
}


def detect(text: str, tree: Any) -> type[BaseParser]:
    """Pick the layout from the markup."""
    if "&lt;" in text and escaped_view_markup(tree):
        return BoardRepostParser
    stripped = text.lstrip()
    if not stripped.startswith("<") and "작성일" in stripped[:500] and "article_view" in text:
        return BoardRepostParser  # plain-text dump of a board page
    if X.DAUM_TITLE(tree) or X.DAUM_NEWS_VIEW(tree) or _DAUM_ID.search(_first(X.OG_URL(tree)) or ""):
        return DaumArticleParser
    if X.ARTICLE_VIEW(tree):
        return ArticleViewParser
    return GenericParser


def extract(content: str | bytes, url: str | None = None, parser: str | None = None) -> RawArticle:
    """Take the article out of a page; NotAnArticle when it has no title or no body."""
    text = decode(content)
    tree = parse_html(text)
    if parser is not None:
        if parser not in PARSERS:
            raise ValueError(f"unknown parser {parser!r}; known: {', '.join(PARSERS)}")
        cls = PARSERS[parser]
    else:
        cls = detect(text, tree)
    return cls(tree, url, text).parse()
