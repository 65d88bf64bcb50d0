"""The body walker: an article body element, in document order, into paragraphs and figures.

Paragraphs are the leaf blocks (``p``, ``div[dmcf-ptype=general]`` …) and the loose inline runs between
blocks, ``<br>`` kept as a line break; figures are the images of ``figure`` elements (with their
``figcaption``), of layout tables of images with caption cells below, and stray inline ``img``s.
Shared by every site module: a site only says which element holds its body.
"""

from __future__ import annotations

from lxml.etree import _Element

from newsetl.parsing import selectors as S
from newsetl.parsing.text import HTML_SPACE, WS, collapse, tidy
from newsetl.records import RawFigure

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


class BodyWalker:
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

    def walk(self, el: _Element, tag: object = None) -> None:
        """Dispatch one element: figure, table of figures, leaf paragraph, or a block (``tag``: el.tag)."""
        if tag is None:
            tag = el.tag
        if not isinstance(tag, str) or tag in _SKIP:
            return
        if tag == "figure":
            self._figure(el)
        elif tag == "table" and (S.DESC_FIGURE(el) or S.FIGURE_IMG(el)):
            self._figure_table(el)
        elif not len(el):  # a leaf, the common <p>text</p>: its text is the paragraph
            if text := el.text:
                text = collapse(text).strip(" ")
                if text.strip():
                    self.paragraphs.append(text)
        else:
            # Without a block child this gives the one paragraph of el's inline text, as
            # inline_text would: both join the same parts, and the blank test and tidying agree.
            self._mixed(el)

    def _mixed(self, el: _Element) -> None:
        """A block holding blocks: loose inline runs between them are paragraphs of their own.

        HTML whitespace met while no text is pending is not kept: it would become a leading space
        of the next paragraph, and _tidy strips those (or _flush drops the blank paragraph)."""
        parts: list[str] = []
        paragraphs = self.paragraphs
        if (text := el.text) and text.strip(HTML_SPACE):
            parts.append(collapse(text))
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
                        text = collapse(text)
                    elif "  " in text:
                        text = WS.sub(" ", text)
                    text = text.strip(" ")
                    if text.strip():
                        paragraphs.append(text)
            else:
                self._inline_child(child, parts, tag)
            if (tail := child.tail) and (parts or tail.strip(HTML_SPACE)):
                parts.append(collapse(tail))
        if parts:
            self._flush(parts)

    def _flush(self, parts: list[str]) -> None:
        """Close the current paragraph (blank ones are dropped here)."""
        text = "".join(parts)
        parts.clear()
        if text.strip():  # tidying only removes spaces: blank before it, blank after it
            self.paragraphs.append(tidy(text))

    def inline_text(self, el: _Element) -> str:
        """Text of an element as shown: HTML whitespace collapsed, <br> kept as newline."""
        text = el.text
        if not len(el):  # the common <p>text</p>: no <br>, so tidying is stripping the ends
            return collapse(text).strip(" ") if text else ""
        parts: list[str] = [collapse(text)] if text else []
        for child in el:
            self._inline_child(child, parts, child.tag)
            if tail := child.tail:
                parts.append(collapse(tail))
        return tidy("".join(parts))

    def _inline_child(self, child: _Element, parts: list[str], tag: object) -> None:
        """Append an inline child's text (``tag``: child.tag); a stray <img> becomes an uncaptioned figure."""
        if not isinstance(tag, str) or tag in _SKIP:
            return
        if tag == "br":
            parts.append("\n")
        elif tag == "img":
            self._image(child, None)
        else:
            parts.append(self.inline_text(child))

    def _figure(self, fig: _Element) -> None:
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

    def _figure_table(self, table: _Element) -> None:
        """Layout table (e.g. OhmyNews): image cell(s) plus caption cells below."""
        cell_text = "\n".join(t for t in (self.inline_text(td).strip() for td in S.TABLE_CELLS(table)) if t)
        figures = S.DESC_FIGURE(table) or [table]
        for fig in figures:
            images = S.FIGURE_IMG(fig)
            if not images:
                continue
            captions = S.FIGCAPTION(fig)
            caption = self.inline_text(captions[0]) if captions else (cell_text or None)
            cell_text = ""  # the cells caption the first uncaptioned image only
            self._image(images[0], caption)

    def _image(self, img: _Element, caption: str | None) -> None:
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


def body_of(el: _Element | None) -> tuple[list[str], list[RawFigure]]:
    """Paragraphs and figures of a body element (empty lists when there is none)."""
    body = BodyWalker()
    if el is not None:
        body.walk(el)
    return body.paragraphs, body.figures


def innermost_article_view(tree: _Element) -> _Element | None:
    """The innermost Daum ``div.article_view`` of a page (template pages wrap the real one in an outer one)."""
    views = S.INNERMOST_ARTICLE_VIEW(tree)
    return views[0] if views else None


def take_out(elements: list[_Element]) -> None:
    """Keep elements out of the body walk (a portal's summary box inside the body): each is renamed to
    ``template``, a tag the walker skips, so its tail (the page's text after it) stays where it is.

    Removing it would drop the tail with it, and moving the tail onto a neighbour fails on text lxml
    refuses to set (control characters that libxml2 kept when it parsed the page)."""
    for el in elements:
        el.tag = "template"


def text_lines(el: _Element) -> list[str]:
    """An element's text as shown, one string per line (``<br>``-separated), blank lines left out."""
    return [line for line in BodyWalker().inline_text(el).split("\n") if line.strip()]


def lines_taken_out(boxes: list[_Element]) -> list[str]:
    """The text lines of ``boxes`` (a portal's summary box), which are then kept out of the body walk."""
    lines = [line for box in boxes for line in text_lines(box)]
    take_out(boxes)
    return lines
