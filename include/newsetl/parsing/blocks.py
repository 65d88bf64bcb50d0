"""The article inside a press page's body container: paragraphs, the summary above them, subheads and
captioned images, with the page chrome that sits in the same container left out.

A press site's body container (found by parsing/density.py, or the markup of a script payload) holds more
than the article: ad slots, share and like buttons, the reporter box, related-article lists, subscribe
banners, copyright lines.  They are recognised by what they are, not by one site's names:
  * chrome: an element whose class or id names a kind of chrome (``ad``, ``banner``, ``related``,
    ``share``, ``comment``, ``subscribe``, ``copyright``, ``writer`` …, as whole words of the name), and
    every element that is mostly link text (a list of other articles);
  * headings (``h1``-``h6``) and short lines without a sentence ending that stand alone as a block are
    the summary (요약) before the first paragraph and subheads after it;
  * a block holding an image and a short text is a captioned image (``figure``/``figcaption``, or the
    common Korean containers: an image box with a ``caption``/``desc``/``txt`` element), never a paragraph;
  * a template placeholder left in the markup (``$$ARTICLEAD$$``) is no text;
  * a pull quote (a ``blockquote`` box repeating a sentence the article holds anyway) is design, not text.
The walk is one pass over the container; link text is only measured for elements holding a link.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml.etree import _Element

from newsetl.parsing import selectors as S
from newsetl.parsing.body import BodyWalker
from newsetl.parsing.text import collapse, tidy
from newsetl.records import RawFigure

# Never article text.
_SKIP = frozenset(
    "script style noscript iframe video audio object embed button form input select textarea template svg"
    " nav aside header footer head title".split()
)
_HEADINGS = frozenset("h1 h2 h3 h4 h5 h6".split())
_BLOCKS = frozenset(
    "p div section article blockquote ul ol li table tbody thead tfoot tr td th figure dl dt dd pre main center"
    " h1 h2 h3 h4 h5 h6".split()
)
# Kinds of chrome, as whole words of a class or id ("end-ad-container", "more-news-related", "btn_share").
# (Not "hidden" or "print": utility-class CSS writes "hidden md:block" and "overflow-hidden" on shown
# elements, and an article's own box may be its "print_area".)
_CHROME = re.compile(
    r"(?:^|[\s_-])(?:ad|ads|adv|advert\w*|banner\w*|promo\w*|sponsor\w*|subscri\w*|share|sns|social|comments?"
    r"|reply|replies|rel|related|relation|recommend\w*|popular|ranking|other|copyright|writer|byline|reporter"
    r"|journalist|author|reaction\w*|like|tooltip|popup|toast|newsletter|more|blind|tags?|keywords?|sidebar"
    r"|widget|dable|taboola|outbrain|gnb|lnb|menu|login)(?:$|[\s_-])",
    re.I,
)
_CAPTION_CLASS = re.compile(r"caption|cap\b|desc|txt|text|figcaption|source", re.I)
# Korean sentence endings (다. 요. 까? …) and the closing quote marks that may follow them.
_SENTENCE_END = re.compile(r"(?:[다요죠까니]\s*[.?!…]|[.?!])[\"'”’)\]]*\s*$")
_PLACEHOLDER = re.compile(r"^\W*(?:\$\$|\{\{|%%)[\w.-]+(?:\$\$|\}\}|%%)\W*$")
MAX_HEAD_CHARS = 100  # a summary line or subhead is shorter than this
MAX_CAPTION_BLOCK = 600  # characters of a caption: more is prose holding an image, not a caption
MAX_BESIDE_CAPTION = 40  # characters beside the caption in an image box (a button's "이미지 확대보기")
MAX_BARE_CAPTION = 200  # characters of an image box without a caption element, all taken as its caption
MAX_PULL_QUOTE = 1000  # characters of a quote box: more is text that quotes, not a pull quote
MAX_PULL_QUOTES = 20  # bare quotes looked for in the article's text
MAX_BOX_ELEMENTS = 60  # elements of an image or quote box: more is a block of the article holding one
MIN_PULL_QUOTE = 8  # characters of a quote before it is looked for in the article (shorter ones match anywhere)
_QUOTE_MARKS = " \"'“”‘’「」『』.,"
_BLANK_LINE = re.compile(r"\n[ \t]*\n+")
LINK_SHARE = 0.5  # an element whose text is more than this share of link text is a link list


def is_chrome(el: _Element) -> bool:
    """Whether ``el``'s class or id names a kind of page chrome."""
    names = el.get("class")
    ident = el.get("id")
    if ident:
        names = f"{names} {ident}" if names else ident
    return names is not None and _CHROME.search(names) is not None


def ends_sentence(text: str) -> bool:
    """Whether ``text`` ends like a sentence (다. 요. ?, …): prose, not a heading or a label."""
    return _SENTENCE_END.search(text[-20:]) is not None


@dataclass(frozen=True, slots=True)
class Size:
    """What an element's subtree holds, measured once (see measure): no XPath or string per question."""

    chars: int  # characters of text (each text node stripped; script and other _SKIP text left out)
    links: int  # of them, in links
    elements: int
    holds: int  # HOLDS_* flags: an img, an a, a blockquote below (or at) the element


HOLDS_IMG, HOLDS_LINK, HOLDS_QUOTE = 1, 2, 4
_HOLDS = {"img": HOLDS_IMG, "a": HOLDS_LINK, "blockquote": HOLDS_QUOTE}
_NOTHING = Size(0, 0, 1, 0)


def measure(el: _Element, sizes: dict[_Element, Size]) -> Size:
    """``el``'s Size, and that of every element below it holding an img, a link or a blockquote (the only
    ones asked about), in one bottom-up pass: asking each element for its subtree's text or images would
    cost the subtree's size per element, quadratic on a deep page."""
    chars = len(el.text.strip()) if el.text else 0
    links = elements = 0
    holds = _HOLDS.get(el.tag, 0) if isinstance(el.tag, str) else 0
    for child in el:
        tag = child.tag
        if isinstance(tag, str) and tag not in _SKIP:
            size = measure(child, sizes)
            chars += size.chars
            links += size.chars if tag == "a" else size.links
            elements += size.elements
            holds |= size.holds
        if child.tail:
            chars += len(child.tail.strip())
    size = Size(chars, links, elements + 1, holds)
    if holds:
        sizes[el] = size
    return size


def _link_heavy(size: Size) -> bool:
    """Whether most of an element's text is link text (a list of links; an element without text but a
    link, an icon, counts too)."""
    return bool(size.holds & HOLDS_LINK) and (not size.chars or size.links > size.chars * LINK_SHARE)


def image_url(img: _Element) -> str | None:
    """The image's own URL: the lazy-loading attributes before a placeholder ``src`` (``data:`` URIs)."""
    for name in ("data-org-src", "data-original", "data-src", "data-lazy-src", "src"):
        value = img.get(name)
        if value and (value := value.strip()) and not value.startswith("data:"):
            return value
    return None


class ArticleBlocks:
    """One walk of a body container: paragraphs, summary lines, subheads and figures."""

    def __init__(self, sizes: dict[_Element, Size] | None = None) -> None:
        self.sizes: dict[_Element, Size] = sizes if sizes is not None else {}  # see measure
        self.paragraphs: list[str] = []
        self.summary: list[str] = []
        self.subheads: list[str] = []
        self.figures: list[RawFigure] = []
        self._text = BodyWalker()  # inline text as shown (<br> as a newline)
        self._quotes: list[tuple[int, int, str]] = []  # pull quotes: paragraphs [start, end) and the quote
        self._in_quote = False

    def walk(self, el: _Element) -> None:
        """Walk one element of the container (a pull quote's paragraphs are noted, see finish)."""
        tag = el.tag
        if not isinstance(tag, str) or tag in _SKIP or is_chrome(el):
            return
        size = self.sizes.get(el, _NOTHING)
        if not self._in_quote and size.holds & HOLDS_QUOTE and (quote := _pull_quote(el, size, self.sizes)) is not None:
            start = len(self.paragraphs)
            self._in_quote = True
            self._dispatch(el, tag, size)
            self._in_quote = False
            self._quotes.append((start, len(self.paragraphs), quote))
        else:
            self._dispatch(el, tag, size)

    def finish(self) -> None:
        """Drop the pull quotes: a quote box with its speaker's line, or a bare quote repeating a sentence of
        the article, is page design, not text; a bare quote found nowhere else in the article stays.

        The article's text is joined once; at most MAX_PULL_QUOTES bare quotes are looked for in it (a
        page has one or two), so a page of thousands of quotes costs no more than a few searches."""
        text: str | None = None
        looked = 0
        for start, end, quote in reversed(self._quotes):
            if quote:
                if looked == MAX_PULL_QUOTES:
                    continue
                looked += 1
                if text is None:
                    text = " ".join(" ".join(self.paragraphs).split())
                own = " ".join(" ".join(self.paragraphs[start:end]).split()).count(quote)
                if text.count(quote) <= own:
                    continue  # quoted nowhere else: text of its own
            del self.paragraphs[start:end]

    def _dispatch(self, el: _Element, tag: str, size: Size) -> None:
        """One element by what it is: heading, image box, figure table, link list or a block of text."""
        if tag in _HEADINGS:
            self._head(self._text.inline_text(el))
        elif tag == "figure" or (tag != "table" and size.holds & HOLDS_IMG and self._image_box(el, size)):
            self._figure(el)
        elif tag == "table" and size.holds & HOLDS_IMG:
            walker = BodyWalker()
            walker.walk(el, tag)
            self.figures += walker.figures
        elif size.holds & HOLDS_LINK and _link_heavy(size):
            return
        else:
            self._mixed(el)

    def _mixed(self, el: _Element) -> None:
        """A block: its loose inline runs are paragraphs, its block children are walked."""
        parts: list[str] = []
        if (text := el.text) and text.strip():
            parts.append(collapse(text))
        lone = True  # the run is the block's only content (a subhead candidate)
        for child in el:
            tag = child.tag
            if isinstance(tag, str) and tag in _BLOCKS:
                lone = False
                if parts:
                    self._run(parts, lone=False)
                self.walk(child)
            elif isinstance(tag, str) and tag not in _SKIP and not is_chrome(child):
                if tag == "br":
                    parts.append("\n")
                elif tag == "img":
                    self._image(child, None)
                elif tag == "a" and not parts and _link_heavy(self.sizes.get(child, _NOTHING)):
                    pass  # a link on its own between blocks ("관련기사 …")
                else:
                    parts.append(self._text.inline_text(child))
            if (tail := child.tail) and (parts or tail.strip()):
                parts.append(collapse(tail))
        if parts:
            self._run(parts, lone=lone and el.tag != "p" or _only_bold(el))

    def _run(self, parts: list[str], *, lone: bool) -> None:
        """Close a run of inline text: paragraphs (a blank line, ``<br><br>``, separates two), a summary
        block or a subhead."""
        text = tidy("".join(parts))
        parts.clear()
        if not text.strip() or _PLACEHOLDER.match(text):
            return
        lines = [line for line in text.split("\n") if line.strip()]
        heading = all(len(line) <= MAX_HEAD_CHARS and not ends_sentence(line) for line in lines)
        if heading and not self.paragraphs and len(lines) >= 2:
            self.summary += lines  # several short lines above the body: its summary
        elif heading and lone and self.paragraphs and len(lines) == 1:
            self.subheads.append(lines[0])
        elif "\n\n" in text:  # a body written as text and <br><br> (older CMSs): one paragraph per block
            self.paragraphs += [p.strip("\n") for p in _BLANK_LINE.split(text) if p.strip()]
        else:
            self.paragraphs.append(text)

    def _head(self, text: str) -> None:
        """A heading: summary lines above the first paragraph, a subhead below it."""
        lines = [line for line in text.split("\n") if line.strip()]
        if not lines:
            return
        if self.paragraphs:
            self.subheads.append(" ".join(lines))
        else:
            self.summary += lines

    def _image_box(self, el: _Element, size: Size) -> bool:
        """Whether ``el`` (holding an image) is an image with its caption, and no text but a caption's.

        A caption is a ``figcaption`` or an element whose class says so (caption, desc, txt …), and the
        text beside it is at most a button's label; without one, the box's whole text is short.  A
        ``<p>`` holding an image is text with an image in it, unless it has a caption element.  Only a
        small box is looked into (at most MAX_BOX_ELEMENTS elements and a caption's length of text)."""
        if size.elements > MAX_BOX_ELEMENTS or size.chars > MAX_CAPTION_BLOCK + MAX_BESIDE_CAPTION:
            return False
        caption = _caption_element(el)
        if caption is None:
            return el.tag != "p" and size.chars <= MAX_BARE_CAPTION
        return size.chars - len(S.STRING(caption).strip()) <= MAX_BESIDE_CAPTION

    def _figure(self, el: _Element) -> None:
        """A captioned image: its first image, and the caption element's text (else the box's own text)."""
        images = [img for img in el.iter("img") if not is_chrome(img)]
        caption_el = _caption_element(el)
        if caption_el is None and el.tag != "figure":
            caption_el = el  # an image box without a caption element: its short text is the caption
        caption = self._text.inline_text(caption_el).strip() if caption_el is not None else None
        for position, img in enumerate(images):
            self._image(img, caption if position == 0 else None)

    def _image(self, img: _Element, caption: str | None) -> None:
        """Record one image (its own URL, not a lazy-loading placeholder)."""
        url = image_url(img)
        if not url:
            return
        src = img.get("src")
        self.figures.append(
            RawFigure(
                image_url=url,
                thumbnail_url=src.strip() if src and not src.startswith("data:") else None,
                width=img.get("data-org-width"),
                alt=img.get("alt"),
                caption=caption or None,
            )
        )


def _pull_quote(el: _Element, size: Size, sizes: dict[_Element, Size]) -> str | None:
    """What a pull-quote box quotes: "" for a ``blockquote`` with a short speaker line (always a pull quote),
    else the bare quote's sentence without quote marks (a pull quote when the article repeats it); None
    for any other element (more than a small box) or a bare quote too short to look for."""
    if size.elements > MAX_BOX_ELEMENTS or size.chars > MAX_PULL_QUOTE:
        return None
    quote = el if el.tag == "blockquote" else el.find(".//blockquote")
    if quote is None:
        return None
    beside = size.chars - sizes.get(quote, _NOTHING).chars
    if beside > MAX_BESIDE_CAPTION:
        return None  # a box holding more than a quote and its speaker
    if beside > 0:
        return ""  # a quote with its speaker's line: a quote box of the page's design, whatever it quotes
    core = " ".join(S.STRING(quote).split()).strip(_QUOTE_MARKS)
    return core if len(core) >= MIN_PULL_QUOTE else None


def _caption_element(el: _Element) -> _Element | None:
    """The caption of an image box: its ``figcaption``, else the first element whose class says caption."""
    caption = next(el.iter("figcaption"), None)
    if caption is None:
        caption = next((c for c in el.iter() if c is not el and _CAPTION_CLASS.search(c.get("class") or "")), None)
    return caption


def _only_bold(el: _Element) -> bool:
    """Whether a paragraph is a single bold run (a subhead written as ``<p><strong>…</strong></p>``)."""
    return (
        len(el) == 1 and el[0].tag in ("strong", "b") and not (el.text or "").strip() and not (el[0].tail or "").strip()
    )


def article_blocks(el: _Element) -> ArticleBlocks:
    """The article of a body container (see the module docstring)."""
    sizes: dict[_Element, Size] = {}
    if isinstance(el.tag, str):
        measure(el, sizes)
    blocks = ArticleBlocks(sizes)
    if isinstance(el.tag, str):
        blocks._mixed(el)  # the container itself is not asked whether it is chrome: it was chosen as the body
    blocks.finish()
    return blocks
