"""Which element of a page holds its article, for pages no site module knows: block elements scored by
their text, in one pass over the tree.

Each block element (``p``, ``div``, ``td`` …) is a text block worth the characters of the text that flows
directly in it (its own text and that of its inline children, links left out) when there are at least
``MIN_BLOCK_CHARS`` of them, plus ``ENDING_WEIGHT`` per Korean sentence ending (다. 요. 까?): prose ends
its sentences, menus, link lists and buttons do not.  An element scores what its text blocks are worth
itself, in its children and, at half, in its grandchildren (the container of the paragraphs wins over
the page around it, as in Readability), times the square of the share of its text that is not link text;
the well-known article containers (``itemprop=articleBody``, ``#article-view-content-div`` of the ND소프트
CMS, ``#articleBody``, ``#article_body``, ``.article_body``, ``.news_view``, ``article``, Daum's
``article_view``) count double, as a hint, never as a rule: a teaser ``<article>`` in a sidebar still loses
to the real body.

One recursive walk computes every element's figures bottom-up (text, link text, what flows into the
nearest block, its worth): no XPath per candidate.  Scripts, styles, forms, ``nav``, ``header``,
``footer`` and ``aside`` are not entered.
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml.etree import _Element

from newsetl.parsing import selectors as S

MIN_BLOCK_CHARS = 25  # a text block shorter than this (a menu item, a button, a date) is worth its endings only
ENDING_WEIGHT = 25  # what one sentence ending adds to a block: prose over lists of the same length
HINT_FACTOR = 2.0  # the well-known article containers count double
SIBLING_SHARE = 0.1  # prose beside the best block, as a share of its own, that makes its parent the body
MAX_HINTS_ASKED = 10  # well-known containers asked whether they hold text, when scoring found too little
MAX_WIDEN = 2  # levels the best block may widen to its parent
# Never article text, and not entered (their text is not the page's visible prose).
_SKIP = frozenset(
    "script style noscript iframe video audio object embed button form input select textarea template svg"
    " nav aside header footer head title".split()
)
# Inline elements: their text flows into the nearest block around them.
_INLINE = frozenset(
    "a abbr b bdi bdo big br cite code del dfn em font i img ins kbd label mark q s samp small span strike"
    " strong sub sup time tt u var wbr".split()
)
_HINT_IDS = frozenset({"article-view-content-div", "articleBody", "article_body"})
_HINT_CLASSES = frozenset({"article_body", "news_view", "article_view"})
# The same containers in one XPath, for the fallback of a page whose text is too short to score.
HINTS = S.elements(
    "/descendant::*[self::article or @itemprop='articleBody' or @id='article-view-content-div'"
    " or @id='articleBody' or @id='article_body'"
    " or (@class and (" + " or ".join(S.has_class(name) for name in sorted(_HINT_CLASSES)) + "))]"
)


def is_hint(el: _Element) -> bool:
    """Whether ``el`` is one of the well-known article containers (asked of candidates only: an XPath
    over every element of a 380 KB page costs more than the whole scoring pass)."""
    if el.tag == "article" or el.get("itemprop") == "articleBody" or el.get("id") in _HINT_IDS:
        return True
    classes = el.get("class")
    return classes is not None and not _HINT_CLASSES.isdisjoint(classes.split())


@dataclass(frozen=True, slots=True)
class Candidate:
    """The best-scoring element of a page and what it holds."""

    element: _Element
    score: float
    chars: int  # characters of its text blocks (what a reader would call the article's text)
    hinted: bool  # one of the well-known article containers


class _Scorer:
    """The one bottom-up pass: every element's figures, the best candidate kept as it goes."""

    __slots__ = ("best", "best_score")

    def __init__(self) -> None:
        self.best: Candidate | None = None
        self.best_score = 0.0

    def visit(self, el: _Element) -> tuple[int, int, int, int, int, int, int]:
        """(text, link text, flowing chars, flowing endings, worth as a block, worth of the children,
        characters of the text blocks below) of ``el``'s subtree.

        "Flowing" is the text that belongs to the nearest block around it (an inline element's, or a
        block's own before its worth is taken)."""
        text = link = flow = ends = kids = grand = chars = 0
        value = el.text
        if value and not value.isspace():
            text = flow = len(value)
            if flow >= 20:
                ends = value.count("다.") + value.count("요.") + value.count("까?")
        for child in el:
            tag = child.tag
            if tag not in _SKIP and isinstance(tag, str):
                c_text, c_link, c_flow, c_ends, c_own, c_kids, c_chars = self.visit(child)
                text += c_text
                chars += c_chars
                if tag == "a":
                    link += c_text
                    kids += c_kids  # blocks inside a link (a card): counted, and their text is link text
                else:
                    link += c_link
                    if tag in _INLINE:
                        flow += c_flow
                        ends += c_ends
                        kids += c_kids
                    else:
                        kids += c_own
                        grand += c_kids
            value = child.tail
            if value and not value.isspace():
                n = len(value)
                text += n
                flow += n
                if n >= 20:
                    ends += value.count("다.") + value.count("요.") + value.count("까?")
        tag = el.tag
        if tag in _INLINE:
            return text, link, flow, ends, 0, kids, chars
        own = (flow if flow >= MIN_BLOCK_CHARS else 0) + ENDING_WEIGHT * ends
        if flow >= MIN_BLOCK_CHARS:
            chars += flow
        worth = own + kids + grand / 2
        if worth * HINT_FACTOR > self.best_score:  # else it cannot win, whatever its links and attributes
            self._consider(el, worth, text, link, chars)
        return text, link, 0, 0, own, kids, chars

    def _consider(self, el: _Element, worth: float, text: int, link: int, chars: int) -> None:
        """Keep ``el`` when it scores best so far (ties keep the first, the deeper one: children come first)."""
        plain = 1.0 - link / text
        hinted = is_hint(el)
        score = worth * plain * plain * (HINT_FACTOR if hinted else 1.0)
        if score > self.best_score:
            self.best_score = score
            self.best = Candidate(el, score, chars, hinted)


def best_block(root: _Element) -> Candidate | None:
    """The element of ``root``'s tree most likely to hold the article; None when no element holds any text."""
    scorer = _Scorer()
    body = root.find("body") if root.tag == "html" else None
    start = body if body is not None else root
    if isinstance(start.tag, str):
        scorer.visit(start)
    return _widened(scorer.best, start)


def _widened(best: Candidate | None, top: _Element) -> Candidate | None:
    """The best block, or its parent when the article goes on in the blocks beside it.

    Some pages split one article over sibling containers (a Daum ``section`` of several
    ``div[dmcf-ptype=general]``, each holding paragraphs, with figures between them): the scoring counts
    grandchildren at half, so the container holding most paragraphs can win over the one holding
    them all.  The parent is taken when its other children of the same kind hold prose of their own
    (sentence endings, little link text) worth at least ``SIBLING_SHARE`` of the block's; at most
    ``MAX_WIDEN`` levels.  Only blocks of the same kind count: a comment box or a toolbar beside the body
    holds sentences too."""
    if best is None:
        return None
    element, chars = best.element, best.chars
    for _ in range(MAX_WIDEN):
        parent = element.getparent()
        if parent is None or parent is top or not isinstance(parent.tag, str):
            break
        prose = _sibling_prose(parent, element)
        if prose is None or prose < chars * SIBLING_SHARE:
            break
        element, chars = parent, chars + prose
    if element is best.element:
        return best
    return Candidate(element, best.score, chars, best.hinted or is_hint(element))


def _sibling_prose(parent: _Element, element: _Element) -> int | None:
    """Characters of prose in ``parent``'s children of ``element``'s kind (same tag, class and attribute
    names: the same template's next block) beside it, those with a Korean sentence ending; None when one of
    them is mostly link text (a list of teasers)."""
    kind = _kind(element)
    prose = 0
    for sibling in parent:
        if sibling is element or not isinstance(sibling.tag, str) or _kind(sibling) != kind:
            continue
        text = S.STRING(sibling)
        if "다." not in text and "요." not in text:
            continue
        linked = sum(len(S.STRING(a)) for a in sibling.iter("a"))
        if linked * 4 > len(text):
            return None
        prose += len(text.strip())
    return prose


def _kind(el: _Element) -> tuple[object, str | None, tuple[str, ...]]:
    """What makes blocks of one template alike: tag, class and the names of their attributes."""
    return el.tag, el.get("class"), tuple(sorted(str(name) for name in el.keys()))


def first_hint_with_text(root: _Element) -> _Element | None:
    """The first well-known article container holding any text (a short page still has its body there).

    At most MAX_HINTS_ASKED containers are asked: each is asked for all of its text, and containers
    nested in one another (a hostile page) would make that quadratic."""
    for hint in HINTS(root)[:MAX_HINTS_ASKED]:
        if any(text.strip() for text in hint.itertext()):
            return hint
    return None
