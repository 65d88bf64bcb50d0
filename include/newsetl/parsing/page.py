"""A page's bytes to an lxml tree: size and binary guards, charset, the guarded parse.

Every page is parsed once with a network-less lxml HTML parser (the HTML parser never loads external
entities or DTDs; ``no_network`` makes sure nothing is fetched; ``huge_tree`` stays off).

The bytes go to lxml as they are whenever the page is UTF-8 (declared so by the server or its meta tag,
or declaring nothing) and starts with a tag: no decode to text and encode back.  libxml2 reports any
invalid byte, and such a page goes the decode-then-parse way.  A page the server or its meta tag
declares in another charset (EUC-KR, CP949 …) is decoded first, as that charset calls for.

Bad input never crashes, it raises a QuarantineError with a one-line reason:
  * over ``MAX_PAGE_BYTES`` → PageTooLarge, checked before anything else (no decode, no parse);
  * empty → NotAnArticle; binary (NULs / control bytes in the first KiB, or an image/archive
    signature) → BinaryPage, checked before decoding;
  * bytes without a declared charset: UTF-8, else charset_normalizer's guess on a bounded sample
    (EUC-KR / CP949 pages decode fine); a UTF-8 page cut inside a character loses that character;
  * a declared charset that is unknown, not a text encoding (``base64``, ``rot13``) or one no browser
    reads a page in (``undefined``, ``punycode``, ``idna``, ``utf-7``, the escape codecs: they raise a
    bare UnicodeError or make lone surrogates) is ignored, in the header as in the meta tag, and so is
    a meta tag declaring UTF-16/32 (it is written in ASCII, so the page is not): see usable_charset;
  * truncated HTML: libxml2 recovers, so a page cut inside the body still gives what is there;
  * nesting deeper than ``MAX_DEPTH``: libxml2 (without huge_tree) silently drops everything
    below depth 256, so a tree reaching ``MAX_DEPTH`` is refused (PageTooDeep) instead of being
    half read; it also keeps the recursive body walk far from Python's recursion limit.  (Only a
    page with nearly ``MAX_DEPTH`` tags can be that deep: the check runs on those.)
"""

from __future__ import annotations

import codecs
import re
import threading
from collections.abc import Callable
from functools import lru_cache
from typing import Any, TypeVar

import charset_normalizer
from lxml import etree

from newsetl.errors import BinaryPage, NotAnArticle, PageTooDeep, PageTooLarge, ParseError
from newsetl.parsing import selectors as S

MAX_PAGE_BYTES = 10 * 1024 * 1024  # refused before decoding or parsing
MAX_DEPTH = S.MAX_DEPTH  # elements nested this deep: refused (libxml2 cuts at 256 and goes on)
_SNIFF_BYTES = 1024  # how much of the start is checked for binary content
_DETECT_BYTES = 64 * 1024  # charset_normalizer sees at most this much (it is slow on big pages)

# A plain etree parser: lxml.html's would build the same tree but run a Python class lookup for
# every element proxy the walk creates, and nothing here needs the HtmlElement methods.
_PARSER_OPTIONS: dict[str, Any] = dict(
    no_network=True, remove_comments=True, remove_pis=True, default_doctype=False, huge_tree=False
)
_HTML_PARSER = etree.HTMLParser(**_PARSER_OPTIONS)
# The same parser reading UTF-8 bytes directly, one per thread: its error log is read after each parse.
_THREAD = threading.local()
_INVALID_ENCODING = etree.ErrorTypes.ERR_INVALID_ENCODING
_LIBXML2_MAX_ERRORS = 100  # libxml2 reports no more errors per parse than this (a real page has a few)
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
_UTF8_NAMES = ("utf-8", "utf8")
# Python codecs that are text encodings by their flag but no page is written in (the WHATWG Encoding
# Standard knows none of them): decoding with them raises a bare UnicodeError (undefined, punycode,
# idna) or makes lone surrogates (utf-7, the escape codecs), which no UTF-8 text can hold.
_NOT_PAGE_CODECS = frozenset({"undefined", "punycode", "idna", "utf-7", "unicode-escape", "raw-unicode-escape"})
# A meta tag is read from ASCII bytes: a page declaring UTF-16/32 there is not in it (the Encoding
# Standard reads such a page as UTF-8; a real UTF-16 page starts with a BOM, handled before).
_NOT_META_CODECS = frozenset({"utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "utf-32-be"})
# C0 controls other than tab, LF, FF, CR (and ESC, used by ISO-2022-KR) never occur in text.
_CONTROL = frozenset(set(range(32)) - {9, 10, 12, 13, 27}) | {127}
# Counting control characters in C: bytes.translate deletes them; a str (whose translate() with a dict
# looks up every character, ~40 us per KiB) is searched with a character class instead.
_CONTROL_BYTES = bytes(sorted(_CONTROL))
_CONTROL_CHARS = re.compile("[" + re.escape("".join(map(chr, sorted(_CONTROL)))) + "]")
_CHARSET_BYTES = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([\w-]+)""", re.I)
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>")

T = TypeVar("T")


class Page:
    """A parsed page: its tree, the source lxml read, and a cache of what is looked up in it.

    ``source`` is the decoded text, or the UTF-8 bytes lxml read directly; site modules that look at
    the raw markup (escaped markup, a plain-text dump) accept both."""

    __slots__ = ("tree", "source", "_cache")

    def __init__(self, tree: etree._Element, source: str | bytes) -> None:
        self.tree = tree
        self.source = source
        self._cache: dict[Any, Any] = {}

    def query(self, xpath: Callable[[etree._Element], T]) -> T:
        """The XPath's result over the whole page, evaluated once (detection and fields share it)."""
        try:
            # the cache holds each key's own result, a type the dict cannot spell: the annotation says it
            hit: T = self._cache[xpath]
            return hit
        except KeyError:
            value = self._cache[xpath] = xpath(self.tree)
            return value

    def cached(self, key: Callable[[Page], T]) -> T:
        """``key(self)``, computed once per page (for derived values several sites ask for)."""
        try:
            hit: T = self._cache[key]  # as in query()
            return hit
        except KeyError:
            value = self._cache[key] = key(self)
            return value


def check_size(content: str | bytes) -> None:
    """PageTooLarge when the page is over MAX_PAGE_BYTES (a str counts its UTF-8 bytes)."""
    size = len(content)
    if isinstance(content, str) and size * 4 > MAX_PAGE_BYTES:  # only then is the exact size needed
        size = len(content.encode("utf-8", "surrogatepass"))
    if size > MAX_PAGE_BYTES:
        raise PageTooLarge(f"page too large: {size} bytes > {MAX_PAGE_BYTES}")


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


def http_charset(content_type: str | None) -> str | None:
    """The charset of a Content-Type header, lower-cased (None when it names none)."""
    if not content_type or "charset=" not in content_type.lower():
        return None
    value = content_type.lower().split("charset=", 1)[1].split(";")[0].strip().strip('"')
    return value or None


@lru_cache(maxsize=256)
def usable_charset(name: str, in_meta: bool = False) -> bool:
    """Whether a declared charset (lower-cased) is one to decode a page with: a known text encoding
    that pages are written in (``in_meta``: declared by the page's meta tag rather than the server).

    Remembered per name: pages declare a handful of names, and codecs.lookup runs the codec search."""
    if len(name) > 40:  # codec names and aliases are at most ~20 characters: no lookup, no huge cache key
        return False
    try:
        codec = codecs.lookup(name)
    except (LookupError, ValueError):  # ValueError: a NUL or a lone surrogate in the name
        return False
    # _is_text_encoding is False for the bytes-to-bytes and str-to-str codecs (base64, rot13, zlib …),
    # which bytes.decode refuses; it is how the codecs module itself tells them apart
    if not getattr(codec, "_is_text_encoding", True) or codec.name in _NOT_PAGE_CODECS:
        return False
    return not (in_meta and codec.name in _NOT_META_CODECS)


def _decode_as(content: bytes, encoding: str) -> str | None:
    """Decode strictly; a multi-byte character cut at the very end (truncated page) is dropped.
    None when the bytes do not fit the encoding (or it is none that pages are written in)."""
    try:
        return content.decode(encoding)
    except LookupError:
        return None  # an unknown declared charset: try the others
    except UnicodeDecodeError as exc:
        if exc.start >= len(content) - 3 and exc.reason.startswith("unexpected end"):
            return content[: exc.start].decode(encoding, "replace")
        return None
    except UnicodeError:  # a codec failing without saying where (usable_charset keeps the known ones out)
        return None


def declared_charset(content: bytes) -> str | None:
    """The charset a page's meta tag declares in its first 4 KiB, lower-cased; None if none, or if it
    is not a charset a page can be read in (see usable_charset): the page is then read as undeclared."""
    match = _CHARSET_BYTES.search(content[:4096])
    if match is None:
        return None
    name = match.group(1).decode("ascii").lower()  # [\w-] on bytes: ASCII only
    return name if usable_charset(name, in_meta=True) else None


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


def parse_html(text: str) -> etree._Element:
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


def _check_depth(tree: etree._Element, tags: int) -> None:
    """PageTooDeep when the tree reaches MAX_DEPTH (``tags``: the number of "<" in the source)."""
    if tags >= _DEPTH_CHECK_FROM and S.TOO_DEEP(tree):
        raise PageTooDeep(f"page nested too deep: {MAX_DEPTH} or more levels of elements")


def _parse_fast(content: str | bytes, utf8_declared: bool = False) -> Page | None:
    """The page from lxml reading UTF-8 bytes, or None when decode + parse_html must run.

    Bytes: see _utf8_page (``utf8_declared``: the server said UTF-8, so a meta charset is not read).
    A str (already decoded) is encoded to UTF-8 when it starts with a tag other than ``<?``:
    parse_html would have nothing to strip and lxml builds the same tree from those bytes as from
    the str (the forced encoding also overrides any meta charset)."""
    source: str | bytes
    if isinstance(content, bytes):
        utf8 = _utf8_page(content, utf8_declared)
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
    return Page(tree, source)


def _utf8_page(content: bytes, utf8_declared: bool = False) -> bytes | None:
    """The bytes to parse directly as UTF-8, or None when decode() and parse_html() must run.

    That shortcut builds the same tree as decode + parse_html when the page declares UTF-8 or
    nothing in its first 4 KiB (then decode tries UTF-8 first) and starts, after ASCII whitespace,
    with a tag that is not ``<?`` (so there is no XML declaration to strip and the page is not
    blank).  A UTF-8 BOM is dropped here as the utf-8-sig codec would.  Whether the bytes are
    valid UTF-8 is left to libxml2, which reports every invalid sequence (see _parse_utf8)."""
    if not utf8_declared and declared_charset(content) not in (None, *_UTF8_NAMES):
        return None  # as decode() reads it, BOM included
    if content.startswith(b"\xef\xbb\xbf"):
        content = content[3:]
    start = content.lstrip()[:2]
    if start[:1] != b"<" or start == b"<?":
        return None
    return content


def _parse_utf8(content: bytes) -> etree._Element | None:
    """Parse UTF-8 bytes; None when they are not valid UTF-8 (the caller then decodes them itself).

    libxml2 reports each invalid sequence as ERR_INVALID_ENCODING; it stops reporting after its
    first 100 errors, so only a page with that many is checked with Python's strict decoder (the decode
    costs 0.4 ms on a 380 KB page, a quarter of the parse itself)."""
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
        if len(log) < _LIBXML2_MAX_ERRORS:
            return tree  # every error was reported, and none was an invalid sequence: no strict decode needed
        try:
            content.decode("utf-8")
        except UnicodeDecodeError:
            return None
    return tree


def read_page(content: str | bytes, charset: str | None = None) -> Page:
    """Guard, decode when the charset calls for it, and parse a page (``charset``: what the server declared).

    A charset the server declares wins over the page's meta tag, as in a browser; a declared charset
    the bytes do not fit (a wrong header), or that is unknown or no page encoding (usable_charset), is
    ignored and the page is read as if none were declared."""
    utf8_declared = False
    if isinstance(content, bytes) and charset and usable_charset(charset):
        if charset in _UTF8_NAMES:
            utf8_declared = True
        else:
            try:
                content = content.decode(charset)
            except UnicodeError:  # UnicodeDecodeError, or a codec failing without saying where
                pass  # a wrong charset in the header: sniff the bytes instead
    check_size(content)
    # "nothing but whitespace", as `not content.strip()` but without copying the page: bytes.isspace
    # and str.isspace test the very characters strip() removes, and stop at the first other one
    if not content or content.isspace():
        raise NotAnArticle("empty page")
    check_binary(content)
    if page := _parse_fast(content, utf8_declared):
        return page
    if utf8_declared and isinstance(content, bytes):
        try:  # not markup lxml could read directly (a text dump, an XML declaration): the header's UTF-8
            content = content.decode("utf-8")
        except UnicodeDecodeError:
            pass  # not UTF-8 after all: sniff
    text = decode(content)
    return Page(parse_html(text), text)
