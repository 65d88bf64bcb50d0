"""Site parsers: one class per page layout, one method per field (text as shown, nothing interpreted).

Layouts:
  * ``DaumArticleParser``   -- a v.daum.net article page (head_view / info_view / news_view).
  * ``ArticleViewParser``   -- a bare Daum ``div.article_view`` inside another site's template
                               (h3 title, h6 byline + date, ``[Source : …]`` line).
  * ``BoardRepostParser``   -- a board post whose content is the Daum markup as *escaped text*
                               (``&lt;div class="article_view"…``), or the plain-text dump of it.
  * ``GenericParser``       -- fallback: JSON-LD NewsArticle, OpenGraph, ``<article>``.

Every page is parsed once with a network-less lxml HTML parser (the HTML parser never loads
external entities or DTDs; ``no_network`` makes sure nothing is fetched; ``huge_tree`` stays off).
The board page needs a second parse of the unescaped inner markup.  All XPaths live precompiled in
``xpaths.py``.

Fast path (the common case, same result): a page that declares UTF-8 or nothing and starts with a
tag is handed to lxml as UTF-8 bytes, without decoding it to a str first (a str page is encoded to
UTF-8 for it); libxml2 reports any invalid byte, and such a page goes the decode-then-parse way.

Bad input never crashes, it raises a QuarantineError with a one-line reason:
  * over ``MAX_PAGE_BYTES`` → PageTooLarge, checked before anything else (no decode, no parse);
  * empty → NotAnArticle; binary (NULs / control bytes in the first KiB, or an image/archive
    signature) → BinaryPage, checked before decoding;
  * bytes without a declared charset: UTF-8, else charset_normalizer's guess on a bounded sample
    (EUC-KR / CP949 pages decode fine); a UTF-8 page cut inside a character loses that character;
  * truncated HTML: libxml2 recovers, so a page cut inside the body still gives what is there;
  * nesting deeper than ``MAX_DEPTH``: libxml2 (without huge_tree) silently drops everything
    below depth 256, so a tree reaching ``MAX_DEPTH`` is refused (PageTooDeep) instead of being
    half read; it also keeps the recursive body walk far from Python's recursion limit.  (Only a
    page with nearly ``MAX_DEPTH`` tags can be that deep: the check runs on those.)
"""

from __future__ import annotations

import json
import re
import threading
from functools import cached_property
from typing import Any, ClassVar
from urllib.parse import parse_qs, urlsplit

import charset_normalizer
from lxml import etree

from newsetl import xpaths as X
from newsetl.errors import BinaryPage, NotAnArticle, PageTooDeep, PageTooLarge, ParseError
from newsetl.records import RawArticle, RawFigure

MAX_PAGE_BYTES = 10 * 1024 * 1024  # refused before decoding or parsing
MAX_DEPTH = X.MAX_DEPTH  # elements nested this deep: refused (libxml2 cuts at 256 and goes on)
_SNIFF_BYTES = 1024  # how much of the start is checked for binary content
_DETECT_BYTES = 64 * 1024  # charset_normalizer sees at most this much (it is slow on big pages)

# A plain etree parser: lxml.html's would build the same tree but run a Python class lookup for
# every element proxy the walk creates, and nothing here needs the HtmlElement methods.
_PARSER_OPTIONS: dict[str, Any] = dict(
    no_network=True, remove_comments=True, remove_pis=True, default_doctype=False, huge_tree=False
)
_HTML_PARSER = etree.HTMLParser(**_PARSER_OPTIONS)
# The same parser reading UTF-8 bytes directly (the fast path of extract: no decode, no str parse),
# one per thread: its error log is read after each parse (_parse_utf8).
_THREAD = threading.local()
_INVALID_ENCODING = etree.ErrorTypes.ERR_INVALID_ENCODING
# A tree reaching MAX_DEPTH needs that many elements on one path: every element but the few that
# libxml2 adds itself (html, head, body, an implied p) starts at a "<" of the source.  Pages with
# fewer "<" than this cannot be that deep, and the depth XPath is skipped for them.
_DEPTH_CHECK_FROM = MAX_DEPTH - 8
_SIGNATURES = {  # start of well-known binary formats a crawler meets instead of a page
    b"\x89PNG": "PNG image",
    b"\xff\xd8\xff": "JPEG image",
    b"GIF8": "GIF image",
    b"%PDF": "PDF document",
    b"PK\x03\x04": "ZIP archive",
    b"\x1f\x8b": "gzip data",
    b"RIFF": "RIFF media",
}
# Pages declaring EUC-KR are written in CP949 in practice (its superset: 똠, 햏 …); UTF-8 drops a BOM.
_SUPERSETS = {"euc-kr": "cp949", "euckr": "cp949", "ks_c_5601-1987": "cp949", "utf-8": "utf-8-sig", "utf8": "utf-8-sig"}
# C0 controls other than tab, LF, FF, CR (and ESC, used by ISO-2022-KR) never occur in text.
_CONTROL = frozenset(set(range(32)) - {9, 10, 12, 13, 27}) | {127}

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
# HTML whitespace only (NBSP etc. are left to clean_text), replaced by one space.  Only runs that
# change are matched (two or more characters, or one that is not a space): a lone space, the
# common case between words, would be replaced by itself at the cost of a new string.
_WS = re.compile(r"[\t\n\r\f\v][ \t\n\r\f\v]*| [ \t\n\r\f\v]+")
_HTML_SPACE = " \t\n\r\f\v"
_BR_SPACES = re.compile(r" *\n *")
_DAUM_ID = re.compile(r"v\.daum\.net/v/(\d{17})")
_CHARSET_BYTES = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([\w-]+)""", re.I)
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>")
_VIEW_MARKUP = re.compile(r"<div[^<>]*?class=[\"'][^\"']*article_view")
_CUT_TAG = re.compile(r"<[^<>]*$")
_ESCAPED_LT = re.compile(rb"&lt;")
_BOARD_DATE = re.compile(r"작성일\s*:?\s*(\d[\d\-.: ]*\d)")
_DATE_IN_TEXT = re.compile(
    r"\d{4}\s*[-./]\s*\d{1,2}\s*[-./]\s*\d{1,2}\.?(?:[ T]+\d{1,2}:\d{2}(?::\d{2})?)?"
)
_SOURCE_LINE = re.compile(r"\[\s*Source\s*:\s*[^\]]+\]", re.I)
_COPYRIGHT_LINE = re.compile(
    r"(?:Copyright|저작권자)\s*(?:ⓒ|©|\(c\))?[^\n]{0,60}?(?:금지|Reserved)[.>\]]?", re.I
)
# Where a _SOURCE_LINE or _COPYRIGHT_LINE match can start, read on the text before whitespace
# collapsing (\s* also spans the runs collapsing would shorten): no match starts before the first.
# One pattern each with a literal first character, which re scans for far faster than for an
# alternation under IGNORECASE (only "c" and "C" match a case-insensitive "c").
_HINT_STARTS = (
    re.compile(r"\[\s*(?i:source)"),
    re.compile(r"C(?i:opyright)"),
    re.compile(r"c(?i:opyright)"),
    re.compile(r"저작권자"),
)
_ARTICLE_TYPES = frozenset({"NewsArticle", "Article", "ReportageNewsArticle", "AnalysisNewsArticle"})


def _collapse(text: str) -> str:
    """HTML whitespace runs as one space; the regex pass only when there is something to collapse."""
    if text.isprintable():  # no tab, newline, CR, FF or VT (one C pass): only a double space changes
        return _WS.sub(" ", text) if "  " in text else text
    if not text.strip(" \t\n\r\f\v"):  # the line breaks and indents between tags
        return " "
    return _WS.sub(" ", text)


def _tidy(text: str) -> str:
    """Drop the spaces a browser would not show: around line breaks and at the ends."""
    if "\n" in text:  # most runs hold no line break: skip the regex pass
        text = _BR_SPACES.sub("\n", text)
    return text.strip(" ")


def check_size(content: str | bytes) -> None:
    """PageTooLarge when the page is over MAX_PAGE_BYTES (a str counts its UTF-8 bytes)."""
    size = len(content)
    if isinstance(content, str) and size * 4 > MAX_PAGE_BYTES:  # only then is the exact size needed
        size = len(content.encode("utf-8", "surrogatepass"))
    if size > MAX_PAGE_BYTES:
        raise PageTooLarge(f"page too large: {size} bytes > {MAX_PAGE_BYTES}")


# Counting control characters in C: bytes.translate deletes them; a str (whose translate() with a dict
# looks up every character, ~40 us per KiB) is searched with a character class instead.
_CONTROL_BYTES = bytes(sorted(_CONTROL))
_CONTROL_CHARS = re.compile("[" + re.escape("".join(map(chr, sorted(_CONTROL)))) + "]")


def check_binary(content: str | bytes) -> None:
    """BinaryPage when the start of the content is an image/archive or full of control bytes."""
    head = content[:_SNIFF_BYTES]
    if isinstance(head, bytes):
        if head.startswith((b"\xff\xfe", b"\xfe\xff")):
            return  # UTF-16 with a BOM: NULs are expected
        for magic, kind in _SIGNATURES.items():
            if head.startswith(magic):
                raise BinaryPage(f"binary content ({kind}), not a page")
        controls = len(head) - len(head.translate(None, _CONTROL_BYTES))
        has_nul = b"\0" in head
    else:
        controls = len(_CONTROL_CHARS.findall(head))
        has_nul = "\0" in head
    # text has no NUL and almost no control characters
    if has_nul or controls > len(head) // 20:
        raise BinaryPage(f"binary content ({controls} control bytes in the first {len(head)}), not a page")


def _decode_as(content: bytes, encoding: str) -> str | None:
    """Decode strictly; a multi-byte character cut at the very end (truncated page) is dropped."""
    try:
        return content.decode(encoding)
    except LookupError:
        return None  # an unknown declared charset: try the others
    except UnicodeDecodeError as exc:
        if exc.start >= len(content) - 3 and exc.reason.startswith("unexpected end"):
            return content[: exc.start].decode(encoding, "replace")
        return None


def declared_charset(content: bytes) -> str | None:
    """The charset a page's meta tag declares in its first 4 KiB, lower-cased (None if none)."""
    match = _CHARSET_BYTES.search(content[:4096])
    return match.group(1).decode("ascii").lower() if match else None  # [\w-] on bytes: ASCII only


def decode(content: str | bytes) -> str:
    """Bytes to text: declared meta charset, else UTF-8, else charset_normalizer's guess."""
    if isinstance(content, str):
        return content.lstrip("\ufeff")
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        return content.decode("utf-16", "replace")
    declared = declared_charset(content)
    for encoding in (_SUPERSETS.get(declared or "", declared), "utf-8-sig"):
        if not encoding:
            continue
        if (text := _decode_as(content, encoding)) is not None:
            return text
    # a sample keeps the guess fast on big pages; the whole page is then decoded with it
    best = charset_normalizer.from_bytes(content[:_DETECT_BYTES]).best()
    if best is None:
        raise ParseError("cannot decode page bytes: no text encoding fits")
    return content.decode(best.encoding, "replace")


def parse_html(text: str) -> Any:
    """Parse a whole document once; an empty or unreadable document is NotAnArticle."""
    text = _XML_DECL.sub("", text)  # lxml refuses str input carrying an encoding declaration
    if not text or text.isspace():  # same as `not text.strip()`, without copying the page
        raise NotAnArticle("empty page")
    try:
        tree = etree.fromstring(text, parser=_HTML_PARSER)
        if tree is None:  # what lxml.html.document_fromstring reports for a document without elements
            raise etree.ParserError("Document is empty")
    except (etree.ParserError, ValueError) as exc:
        raise ParseError(f"unreadable HTML: {exc}".splitlines()[0]) from exc
    _check_depth(tree, text.count("<"))
    return tree


def _check_depth(tree: Any, tags: int) -> None:
    """PageTooDeep when the tree reaches MAX_DEPTH (``tags``: the number of "<" in the source)."""
    if tags >= _DEPTH_CHECK_FROM and X.TOO_DEEP(tree):
        raise PageTooDeep(f"page nested too deep: {MAX_DEPTH} or more levels of elements")


def _parse_fast(content: str | bytes) -> tuple[str | bytes, Any] | None:
    """(source, tree) from lxml reading UTF-8 bytes, or None when decode + parse_html must run.

    Bytes: see _utf8_page.  A str (already decoded) is encoded to UTF-8 when it starts with a tag
    other than ``<?``: parse_html would have nothing to strip and lxml builds the same tree from
    those bytes as from the str (the forced encoding also overrides any meta charset)."""
    source: str | bytes
    if isinstance(content, bytes):
        utf8 = _utf8_page(content)
        if utf8 is None:
            return None
        source = utf8
    else:
        text = decode(content)  # drops leading BOMs, as on the slow path
        start = text.lstrip()[:2]
        if start[:1] != "<" or start == "<?":
            return None
        try:
            utf8 = text.encode("utf-8")
        except UnicodeEncodeError:  # lone surrogates
            return None
        source = text
    tree = _parse_utf8(utf8)
    if tree is None:
        return None
    _check_depth(tree, utf8.count(b"<"))
    return source, tree


def _utf8_page(content: bytes) -> bytes | None:
    """The bytes to parse directly as UTF-8, or None when decode() and parse_html() must run.

    That shortcut builds the same tree as decode + parse_html when the page declares UTF-8 or
    nothing in its first 4 KiB (then decode tries UTF-8 first) and starts, after ASCII whitespace,
    with a tag that is not ``<?`` (so there is no XML declaration to strip and the page is not
    blank).  A UTF-8 BOM is dropped here as the utf-8-sig codec would.  Whether the bytes are
    valid UTF-8 is left to libxml2, which reports every invalid sequence (see _parse_utf8)."""
    if declared_charset(content) not in (None, "utf-8", "utf8"):  # as decode() reads it, BOM included
        return None
    if content.startswith(b"\xef\xbb\xbf"):
        content = content[3:]
    start = content.lstrip()[:2]
    if start[:1] != b"<" or start == b"<?":
        return None
    return content


def _parse_utf8(content: bytes) -> Any | None:
    """Parse UTF-8 bytes; None when they are not valid UTF-8 (the caller then decodes them itself).

    libxml2 reports each invalid sequence as ERR_INVALID_ENCODING; it stops reporting after its
    first 100 errors, so a page with other errors is checked with Python's strict decoder."""
    parser = getattr(_THREAD, "utf8_parser", None)
    if parser is None:
        parser = _THREAD.utf8_parser = etree.HTMLParser(encoding="utf-8", **_PARSER_OPTIONS)
    try:
        tree = etree.fromstring(content, parser=parser)
    except (etree.ParserError, ValueError):
        return None  # let the slow path raise its usual error
    log = parser.error_log
    if log:
        if any(entry.type == _INVALID_ENCODING for entry in log):
            return None
        try:
            content.decode("utf-8")
        except UnicodeDecodeError:
            return None
    return tree


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
        if isinstance(value, str):
            text = value
        elif not len(value):  # a leaf element: its string-value is its text (the parsers drop comments and PIs)
            text = value.text or ""
        else:
            text = X.STRING(value)
        text = _WS.sub(" ", text).strip()
        if text:
            return text
    return None


class _Body:
    """Walks an article body once, in document order, into paragraphs and figures.

    Measured and rejected as slower, on a Daum page of 9 paragraphs and a figure: one XPath
    handing over the leaf texts and the other children in document order, plus an XPath check
    that the section has that simple shape (~20 us against ~14 us for walking the section); a
    compiled XSLT writing the body as delimited text to split in Python (~23 us against ~17 us
    for the innermost-view lookup and the walk; an XSLT run alone costs lxml 6-8 us).  What is
    left per leaf is a few attribute reads and the isprintable / "  " scans, which any fast path
    would still need."""

    def __init__(self) -> None:
        self.paragraphs: list[str] = []
        self.figures: list[RawFigure] = []

    def walk(self, el: Any, tag: Any = None) -> None:
        """Dispatch one element: figure, table of figures, leaf paragraph, or a block (``tag``: el.tag)."""
        if tag is None:
            tag = el.tag
        if not isinstance(tag, str) or tag in _SKIP:
            return
        if tag == "figure":
            self._figure(el)
        elif tag == "table" and (X.DESC_FIGURE(el) or X.FIGURE_IMG(el)):
            self._figure_table(el)
        elif not len(el):  # a leaf, the common <p>text</p>: its text is the paragraph
            if text := el.text:
                text = _collapse(text).strip(" ")
                if text.strip():
                    self.paragraphs.append(text)
        else:
            # Without a block child this gives the one paragraph of el's inline text, as
            # inline_text would: both join the same parts, and the blank test and tidying agree.
            self._mixed(el)

    def _mixed(self, el: Any) -> None:
        """A block holding blocks: loose inline runs between them are paragraphs of their own.

        HTML whitespace met while no text is pending is not kept: it would become a leading space
        of the next paragraph, and _tidy strips those (or _flush drops the blank paragraph)."""
        parts: list[str] = []
        paragraphs = self.paragraphs
        if (text := el.text) and text.strip(_HTML_SPACE):
            parts.append(_collapse(text))
        for child in el:
            tag = child.tag
            if tag in _BLOCKS:  # a comment's tag is not a str: no block
                if parts:
                    self._flush(parts)
                if tag == "figure" or len(child):
                    self.walk(child, tag)
                elif text := child.text:
                    # walk()'s leaf case inlined (the common <p>text</p>; no block tag is in
                    # _SKIP, and a leaf table has no figure or img): the same steps, with
                    # _collapse's printable branch written out
                    if not text.isprintable():
                        text = _collapse(text)
                    elif "  " in text:
                        text = _WS.sub(" ", text)
                    text = text.strip(" ")
                    if text.strip():
                        paragraphs.append(text)
            else:
                self._inline_child(child, parts, tag)
            if (tail := child.tail) and (parts or tail.strip(_HTML_SPACE)):
                parts.append(_collapse(tail))
        if parts:
            self._flush(parts)

    def _flush(self, parts: list[str]) -> None:
        """Close the current paragraph (blank ones are dropped here)."""
        text = "".join(parts)
        parts.clear()
        if text.strip():  # tidying only removes spaces: blank before it, blank after it
            self.paragraphs.append(_tidy(text))

    def inline_text(self, el: Any) -> str:
        """Text of an element as shown: HTML whitespace collapsed, <br> kept as newline."""
        text = el.text
        if not len(el):  # the common <p>text</p>: no <br>, so tidying is stripping the ends
            return _collapse(text).strip(" ") if text else ""
        parts: list[str] = [_collapse(text)] if text else []
        for child in el:
            self._inline_child(child, parts, child.tag)
            if tail := child.tail:
                parts.append(_collapse(tail))
        return _tidy("".join(parts))

    def _inline_child(self, child: Any, parts: list[str], tag: Any) -> None:
        """Append an inline child's text (``tag``: child.tag); a stray <img> becomes an uncaptioned figure."""
        if not isinstance(tag, str) or tag in _SKIP:
            return
        if tag == "br":
            parts.append("\n")
        elif tag == "img":
            self._image(child, None)
        else:
            parts.append(self.inline_text(child))

    def _figure(self, fig: Any) -> None:
        """A <figure>: its first image with the figcaption; no image, no item.

        iter(tag) walks the descendants in document order in C, as the XPaths FIGURE_IMG and
        FIGCAPTION do (a figure is neither an img nor a figcaption itself), without their set-up."""
        images = list(fig.iter("img"))
        if not images:
            return
        caption = next(fig.iter("figcaption"), None)
        self._image(images[0], self.inline_text(caption) if caption is not None else None)
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
        markup = X.STRING(holder)
        if match := _VIEW_MARKUP.search(markup):
            return _CUT_TAG.sub("", markup[match.start():])  # a truncated post ends mid-tag
    return None


def _innermost_view(tree: Any) -> Any | None:
    """The innermost div.article_view: template pages wrap the real one in an outer one."""
    views = X.INNERMOST_ARTICLE_VIEW(tree)
    return views[0] if views else None


class _Queries(dict[Any, Any]):
    """XPath results over one tree, each evaluated once: detect() and the fields share them."""

    def __init__(self, tree: Any) -> None:
        super().__init__()
        self.tree = tree

    def __missing__(self, xpath: Any) -> Any:
        value = self[xpath] = xpath(self.tree)
        return value

    @cached_property
    def escaped_markup(self) -> str | None:
        """escaped_view_markup of the page (detect() and the board layout both need it)."""
        return escaped_view_markup(self.tree)


class BaseParser:
    """One method per field; ``parse`` assembles them into a RawArticle."""

    name: ClassVar[str] = ""

    def __init__(
        self, tree: Any, url: str | None = None, text: str | bytes = "", queries: _Queries | None = None
    ) -> None:
        self.tree = tree
        self.given_url = url
        self.text = text  # the source (decoded, or UTF-8 bytes), for layouts that need the raw text
        self.q = queries if queries is not None and queries.tree is tree else _Queries(tree)

    @cached_property
    def page_text(self) -> str:
        """All text of the page, whitespace collapsed (for line-level searches)."""
        return _WS.sub(" ", X.ALL_TEXT(self.tree))

    def url(self) -> str | None:
        """Given URL, else og:url, else the canonical link."""
        return self.given_url or _first(self.q[X.OG_URL]) or _first(X.CANONICAL(self.tree))

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
        text = self._hint_text
        if text:
            hints += _SOURCE_LINE.findall(text)
            hints += [m.strip() for m in _COPYRIGHT_LINE.findall(text)]
        return hints

    @cached_property
    def _hint_text(self) -> str:
        """The end of page_text from the first place a press line could start ("" if none).

        The lines sit at the bottom of the page, so only that end is collapsed and searched.  It
        is cut at a non-space character, so collapsing it gives exactly that end of page_text, and
        the searches find the same matches as on the whole of it.  string(/) is still taken of
        the whole page: a line may sit anywhere (in the body, split over elements), so the text
        after the body alone is not provably the same."""
        text = X.ALL_TEXT(self.tree)
        starts = [match.start() for match in (p.search(text) for p in _HINT_STARTS) if match]
        return _WS.sub(" ", text[min(starts):]) if starts else ""

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
        return _first(self.q[X.DAUM_TITLE]) or super().title()

    def date_text(self) -> str | None:
        """span.num_date ("2023. 11. 1. 06:41"), else og:regDate ("20231101064102")."""
        return _first(X.DAUM_DATE(self.tree)) or super().date_text()

    def byline_text(self) -> str | None:
        """The span.txt_info that is not the date ("김동윤 기자")."""
        return _first(X.DAUM_BYLINE(self.tree))

    def body_element(self) -> Any | None:
        """The innermost article_view of the page.

        INNERMOST_ARTICLE_VIEW is an absolute path: started from div.news_view it would search the
        whole page all the same, so that div is not looked up."""
        return _innermost_view(self.tree)


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
        markup = self.q.escaped_markup
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
        match = _BOARD_DATE.search(_first(X.BOARD_DATE(self.tree)) or "")
        if match is None:  # only then the whole page's text (the dump has no date element)
            match = _BOARD_DATE.search(self.page_text)
        return match.group(1) if match else super().date_text()

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


def _is_board_dump(text: str | bytes) -> bool:
    """The plain-text dump of a board page: not markup, "작성일" near the start, the view named."""
    if isinstance(text, bytes):  # UTF-8
        if text.lstrip().startswith(b"<"):  # str.lstrip strips these bytes (and more): "<" there too
            return False
        text = text.decode("utf-8", "replace")
    stripped = text.lstrip()
    return not stripped.startswith("<") and "작성일" in stripped[:500] and "article_view" in text


def detect(text: str | bytes, tree: Any, queries: _Queries | None = None) -> type[BaseParser]:
    """Pick the layout from the markup (``text``: the decoded page, or its UTF-8 bytes)."""
    q = queries if queries is not None else _Queries(tree)
    # the same test on UTF-8; on bytes re's scan for "&" beats `b"&lt;" in text`, whose skip table
    # is defeated by the many UTF-8 bytes of Korean text
    escaped = bool(_ESCAPED_LT.search(text)) if isinstance(text, bytes) else "&lt;" in text
    if escaped and q.escaped_markup:
        return BoardRepostParser
    if _is_board_dump(text):
        return BoardRepostParser
    if q[X.DAUM_TITLE] or q[X.DAUM_NEWS_VIEW] or _DAUM_ID.search(_first(q[X.OG_URL]) or ""):
        return DaumArticleParser
    if X.ARTICLE_VIEW(tree):
        return ArticleViewParser
    return GenericParser


def extract(content: str | bytes, url: str | None = None, parser: str | None = None) -> RawArticle:
    """Take the article out of a page; a QuarantineError (one-line reason) when it cannot."""
    check_size(content)
    # "nothing but whitespace", as `not content.strip()` but without copying the page: bytes.isspace
    # and str.isspace test the very characters strip() removes, and stop at the first other one
    if not content or content.isspace():
        raise NotAnArticle("empty page")
    check_binary(content)
    if fast := _parse_fast(content):
        text, tree = fast
    else:
        text = decode(content)
        tree = parse_html(text)
    queries = _Queries(tree)
    if parser is not None:
        if parser not in PARSERS:
            raise ValueError(f"unknown parser {parser!r}; known: {', '.join(PARSERS)}")
        cls = PARSERS[parser]
    else:
        cls = detect(text, tree, queries)
    return cls(tree, url, text, queries).parse()
