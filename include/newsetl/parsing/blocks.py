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
  * a template placeholder left in the markup (``$$ARTICLEAD$$``) is no text.
The walk is one pass over the container; link text is only measured for elements holding a link.
"""

from __future__ import annotations

import re

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
_CHROME = re.compile(
    r"(?:^|[\s_-])(?:ad|ads|adv|advert\w*|banner\w*|promo\w*|subscri\w*|share|sns|social|comments?|reply|replies"
    r"|related|relation|recommend\w*|popular|ranking|copyright|writer|byline|reporter|journalist|author"
    r"|reaction\w*|like|tooltip|popup|toast|newsletter|more|hidden|blind|sr-only|tags?|keywords?|print)(?:$|[\s_-])",
    re.I,
)
_CAPTION_CLASS = re.compile(r"caption|cap\b|desc|txt|text|figcaption|source", re.I)
# Korean sentence endings (다. 요. 까? …) and the closing quote marks that may follow them.
_SENTENCE_END = re.compile(r"(?:[다요죠까니]\s*[.?!…]|[.?!])[\"'”’)\]]*\s*$")
_PLACEHOLDER = re.compile(r"^\W*(?:\$\$|\{\{|%%)[\w.-]+(?:\$\$|\}\}|%%)\W*$")
MAX_HEAD_CHARS = 100  # a summary line or subhead is shorter than this
MAX_CAPTION_BLOCK = 600  # characters of text in an image box: more is prose holding an image, not a caption
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


def _link_heavy(el: _Element) -> bool:
    """Whether most of ``el``'s text is link text (only measured when it holds a link)."""
    links = el.findall(".//a")
    if el.tag == "a":
        links.append(el)
    if not links:
        return False
    total = len(S.STRING(el).strip())
    if not total:
        return True
    linked = sum(len(S.STRING(a).strip()) for a in links)
    return linked > total * LINK_SHARE


def image_url(img: _Element) -> str | None:
    """The image's own URL: the lazy-loading attributes before a placeholder ``src`` (``data:`` URIs)."""
    for name in ("data-org-src", "data-original", "data-src", "data-lazy-src", "src"):
        value = img.get(name)
        if value and (value := value.strip()) and not value.startswith("data:"):
            return value
    return None


class ArticleBlocks:
    """One walk of a body container: paragraphs, summary lines, subheads and figures."""

    def __init__(self) -> None:
        self.paragraphs: list[str] = []
        self.summary: list[str] = []
        self.subheads: list[str] = []
        self.figures: list[RawFigure] = []
        self._text = BodyWalker()  # inline text as shown (<br> as a newline)

    def walk(self, el: _Element) -> None:
        """Walk one element of the container (the container itself first)."""
        tag = el.tag
        if not isinstance(tag, str) or tag in _SKIP or is_chrome(el):
            return
        if tag in _HEADINGS:
            self._head(self._text.inline_text(el))
        elif tag == "figure" or (tag != "table" and self._image_box(el)):
            self._figure(el)
        elif tag == "table" and (S.DESC_FIGURE(el) or S.FIGURE_IMG(el)):
            walker = BodyWalker()
            walker.walk(el, tag)
            self.figures += walker.figures
        elif el.find(".//a") is not None and _link_heavy(el):
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
                elif tag == "a" and _link_heavy(child) and not parts:
                    pass  # a link on its own between blocks ("관련기사 …")
                else:
                    parts.append(self._text.inline_text(child))
            if (tail := child.tail) and (parts or tail.strip()):
                parts.append(collapse(tail))
        if parts:
            self._run(parts, lone=lone and el.tag != "p" or _only_bold(el))

    def _run(self, parts: list[str], *, lone: bool) -> None:
        """Close a run of inline text: a paragraph, a summary block or a subhead."""
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

    def _image_box(self, el: _Element) -> bool:
        """Whether ``el`` is an image with its caption (an image and little text)."""
        if el.find(".//img") is None or el.find(".//p[@class]") is not None and len(el) > 3:
            return False
        return len(S.STRING(el)) <= MAX_CAPTION_BLOCK and not any(
            len(p.text or "") > MAX_CAPTION_BLOCK for p in el.iter("p")
        )

    def _figure(self, el: _Element) -> None:
        """A captioned image: its first image, and the caption element's text (else none)."""
        images = [img for img in el.iter("img") if not is_chrome(img)]
        caption_el = next(el.iter("figcaption"), None)
        if caption_el is None:
            caption_el = next(
                (c for c in el.iter() if c is not el and _CAPTION_CLASS.search(c.get("class") or "")), None
            )
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


def _only_bold(el: _Element) -> bool:
    """Whether a paragraph is a single bold run (a subhead written as ``<p><strong>…</strong></p>``)."""
    return (
        len(el) == 1 and el[0].tag in ("strong", "b") and not (el.text or "").strip() and not (el[0].tail or "").strip()
    )


def article_blocks(el: _Element) -> ArticleBlocks:
    """The article of a body container (see the module docstring)."""
    blocks = ArticleBlocks()
    if isinstance(el.tag, str):
        blocks._mixed(el)  # the container itself is not asked whether it is chrome: it was chosen as the body
    return blocks
