"""Any other page, above all any Korean press site's own article page: read from its structure and metadata,
with no rule of its own.

The fallback of detection (it recognises every page, and is asked last); a page family, not a crawled site.
Site modules for press sites subclass ``Generic`` and override only the field methods their pages need.

Where each field comes from, most trusted first:
  * body: the block the page's text density points to (parsing/density.py: text, link text, paragraphs and
    Korean sentence endings, well-known containers as hints), read without its chrome (parsing/blocks.py);
    when the page's markup holds too little text, the article markup of its script payloads (Next.js
    flight data, ``__NEXT_DATA__``, JSON in inline scripts: parsing/scripts.py), then a well-known
    container however short, then JSON-LD ``articleBody``;
  * title: JSON-LD ``headline``, a script payload's ``title``, ``og:title``, ``<h1>``, ``<title>``, with a
    site suffix (" - 매일경제", "-정치ㅣ한국일보", ": 네이트 뉴스") cut when it names the page's own site
    (og:site_name, the JSON-LD publisher, the domain's brand) or its section;
  * dates: JSON-LD ``datePublished``/``dateModified``, ``article:published_time``/``modified_time``, a
    payload's date fields, ``<time datetime>``;
  * reporters: JSON-LD authors that are people, ``article:author``/``author`` meta naming a person, a
    payload's writer field;
  * press: og:article:author, the JSON-LD publisher, og:site_name, the ``copyright`` meta, then the
    ``[Source : …]`` and copyright lines of the page (parsing/press.py picks the page's own line first).

A page with nothing article-like is NotAnArticle with a reason saying what was missing: "no body
candidate", "body too short", "only script data".
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any
from urllib.parse import parse_qsl

from lxml import etree
from lxml.etree import _Element

from newsetl.errors import NotAnArticle
from newsetl.parsing import selectors as S
from newsetl.parsing.blocks import ArticleBlocks, article_blocks
from newsetl.parsing.density import Candidate, best_block, first_hint_with_text
from newsetl.parsing.jsonld import article_object, names_of, text_of
from newsetl.parsing.page import Page
from newsetl.parsing.press import MAX_HINT, press_from_domain, press_from_hint, press_of
from newsetl.parsing.scripts import Payload, has_script_data, script_payload
from newsetl.parsing.text import WS, first_text
from newsetl.records import RawArticle, RawFigure
from newsetl.sites.base import Site, split_url

MIN_BODY_CHARS = 150  # characters of text a body block needs to be taken without being a known container
# Every meta tag of the page, read once into a map (see Generic._meta): a /descendant::meta XPath per field
# scans the whole tree each time, ~0.04 ms on a 380 KB page, and the reader asks for a dozen of them.
META_TAGS = S.elements("/descendant::meta[@content]")
# A reporter box by what its class or id calls it (asked only when the metadata names no reporter).
BYLINE_BOXES = S.elements(
    "/descendant::*[self::div or self::p or self::span or self::li or self::dl or self::em or self::strong]"
    "[contains(@class, 'byline') or contains(@class, 'writer') or contains(@class, 'reporter')"
    " or contains(@class, 'journalist') or contains(@id, 'byline') or contains(@id, 'writer')]"
)
MAX_BYLINE_BOXES = 5  # reporter boxes looked into (boxes nested in one another would be read again each)
MAX_BYLINE_BOX = 120  # characters: a reporter box with more text is a profile or a list, not a byline
_URLISH = re.compile(r"^(?:https?:|www\.|/)")
# Where a press site's article URL holds the article's id, when no site module says: a query parameter the
# common Korean CMSs use (ND소프트's articleView.html?idxno=, newsId=, aid= …), else the last path segment
# when it looks like an id (digits, after at most a short prefix: /view/AKR20251130000100001,
# /news/politics/11333783, /News/Read/A2025051510040000751), without an extension.
_ID_PARAMS = ("idxno", "newsid", "news_id", "articleid", "article_id", "artid", "aid", "idx", "no", "id", "seq")
_ID_PARAM_VALUE = re.compile(r"[0-9A-Za-z_-]{1,40}")
_ID_SEGMENT = re.compile(r"[A-Za-z]{0,4}[0-9][0-9A-Za-z_-]{3,40}")
_ID_EXTENSIONS = (".html", ".htm", ".php", ".asp", ".aspx", ".jsp", ".do")
# A title's separator before a site or section name: " - ", " | ", "ㅣ" (a Hangul letter used as a bar),
# ": ", " :: ", " < ", "—".
_SEPARATORS = "-|:<>–—·ㅣ"
MAX_NAME = 100  # characters of a site or section name looked for in a title (names are short)
# Payload keys (casefolded) that hold a field, for script-rendered pages.
_TITLE_KEYS = ("title", "headline")
_SUMMARY_KEYS = ("subtitle", "summary", "sub_title")
_WRITER_KEYS = ("writer", "byline", "reporter", "author")
# A date shown after its label: 입력/등록/게재/승인 (published), 수정/업데이트 (modified).
_SHOWN_DATE = r"\s*(?:[:：]\s*)?(\d{4}\s*[.\-/]\s*\d{1,2}\s*[.\-/]\s*\d{1,2}\.?(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?)"
_SHOWN_PUBLISHED = re.compile(r"(?:입력|등록|게재|승인|발행)" + _SHOWN_DATE)
_SHOWN_MODIFIED = re.compile(r"(?:수정|업데이트)" + _SHOWN_DATE)
_DATE_VALUE = re.compile(r"^\d{4}\s*[-./]")
_DATE_WORDS = ("dt", "date", "time", "deploy", "publish")
_CHANGE_WORDS = ("modif", "updat", "edit")
_PUBLISH_WORDS = ("publish", "deploy", "regist", "creat", "insert", "first")


@dataclass(slots=True)
class _Body:
    """What the body came from and what it holds (or why there is none)."""

    paragraphs: list[str] = field(default_factory=list)
    figures: list[RawFigure] = field(default_factory=list)
    summary: list[str] = field(default_factory=list)
    subheads: list[str] = field(default_factory=list)
    missing: str = ""  # the reason when there are no paragraphs


class Generic(Site):
    """Fallback: any article page, from text density, JSON-LD, OpenGraph and script payloads."""

    name = "generic"
    priority = 1000

    @classmethod
    def recognises(cls, page: Page) -> bool:
        """Every page: this is the fallback."""
        return True

    @classmethod
    def article_id(cls, url: str) -> str | None:
        """A subclass's own rule when it has one; else the id a press URL holds in a common CMS parameter, or
        its last path segment when that looks like an id (see ``_ID_PARAMS``), so a source of any press site
        has article ids without a module of its own; None for a URL with neither (a section page)."""
        if cls.article_id_pattern is not None:
            return super().article_id(url)
        parts = split_url(url)
        if parts is None:
            return None
        params: dict[str, list[str]] = {}
        for name, value in parse_qsl(parts.query, keep_blank_values=True):
            params.setdefault(name.lower(), []).append(value)
        for name in _ID_PARAMS:
            values = params.get(name, [])
            if len(values) == 1 and _ID_PARAM_VALUE.fullmatch(values[0]) and any(c.isdigit() for c in values[0]):
                return values[0]
        segments = [segment for segment in parts.path.split("/") if segment]
        if not segments:
            return None
        last = segments[-1]
        for extension in _ID_EXTENSIONS:
            if last.lower().endswith(extension):
                last = last[: -len(extension)]
                break
        if _ID_SEGMENT.fullmatch(last) and sum(c.isdigit() for c in last) >= 4:
            return last
        return None

    # --- sources ---------------------------------------------------------------------------------------
    @cached_property
    def _ld(self) -> dict[str, Any]:
        """The first JSON-LD object typed as a news article ({} if none)."""
        return article_object(self.tree)

    @cached_property
    def _payload(self) -> Payload | None:
        """The article markup of the page's script payloads, if any."""
        return script_payload(self.tree)

    def _payload_field(self, keys: tuple[str, ...]) -> str | None:
        """The first of the payload's scalar fields whose key (casefolded) is or holds one of ``keys``."""
        payload = self._payload if self._body_from_payload else None
        if payload is None:
            return None
        for key, value in payload.fields.items():
            folded = key.casefold()
            if any(k == folded for k in keys) and value.strip():
                return value.strip()
        for key, value in payload.fields.items():
            folded = key.casefold()
            if any(k in folded for k in keys) and value.strip():
                return value.strip()
        return None

    @cached_property
    def _candidate(self) -> Candidate | None:
        """The block the page's text density points to (one scoring pass per page)."""
        return best_block(self.tree)

    @cached_property
    def _body_from_payload(self) -> bool:
        """Whether the page's markup holds too little text, so its script payload is read instead."""
        candidate = self._candidate
        if candidate is not None and (candidate.chars >= MIN_BODY_CHARS or candidate.hinted):
            return False
        payload = self._payload
        return payload is not None and payload.chars > (candidate.chars if candidate else 0)

    @cached_property
    def _site_names(self) -> list[str]:
        """The names the page gives its own site: og:site_name, the JSON-LD publisher, the domain's brand."""
        names = self._meta("og:site_name")
        names += [n for n in names_of(self._ld.get("publisher")) if n]
        url = self.url()
        parts = split_url(url) if url else None
        if parts and parts.hostname:
            if press := press_from_domain(parts.hostname):
                names.append(press)  # the press whose site it is, as its titles name it: mk.co.kr → 매일경제
            labels = [label for label in parts.hostname.split(".") if label not in ("www", "m", "news", "n")]
            if labels:
                names.append(labels[0])  # hankookilbo.com → hankookilbo; mk.co.kr → mk
        return names

    @cached_property
    def _meta_map(self) -> dict[str, list[str]]:
        """The page's meta tags: each of their property, name and itemprop → contents, blank ones left out."""
        found: dict[str, list[str]] = {}
        for meta in META_TAGS(self.tree):
            content = (meta.get("content") or "").strip()
            if not content:
                continue
            for key in {meta.get("property"), meta.get("name"), meta.get("itemprop")}:
                if key:
                    found.setdefault(key, []).append(content)
        return found

    def _meta(self, *keys: str) -> list[str]:
        """The contents of the meta tags with any of ``keys`` as property, name or itemprop, key by key."""
        meta = self._meta_map
        return [value for key in keys for value in meta.get(key, ())]

    # --- fields ----------------------------------------------------------------------------------------
    def url(self) -> str | None:
        """Given URL, og:url, canonical, else JSON-LD url."""
        ld_url = self._ld.get("url")
        return (
            self.given_url
            or first_text(self._meta("og:url"))
            or first_text(S.CANONICAL(self.tree))
            or (ld_url if isinstance(ld_url, str) else None)
        )

    def title(self) -> str | None:
        """The headline: JSON-LD headline, a payload's title, og:title, h1, <title>; a site suffix cut.
        The sources are asked in turn (each XPath over a 380 KB page costs a tenth of a millisecond)."""
        sources: tuple[Callable[[], str | None], ...] = (
            lambda: text_of(self._ld, "headline"),
            lambda: self._payload_field(_TITLE_KEYS),
            lambda: first_text(self._meta("og:title")),
            lambda: first_text(S.H1(self.tree)),
            lambda: first_text(S.HTML_TITLE(self.tree)),
        )
        for source in sources:
            title = source()
            if title and (title := strip_site_suffix(WS.sub(" ", title).strip(), self._site_names, self._sections)):
                return title
        return None

    @cached_property
    def _sections(self) -> list[str]:
        """The page's section names (article:section, JSON-LD articleSection): a title suffix may carry one."""
        sections = self._meta("article:section")
        if section := text_of(self._ld, "articleSection"):
            sections.append(section)
        return sections

    def date_text(self) -> str | None:
        """JSON-LD datePublished, meta dates, a payload's publication date, <time datetime>."""
        return (
            text_of(self._ld, "datePublished")
            or first_text(self._meta("og:regDate", "article:published_time", "datePublished"))
            or first_text(self._meta("pubdate", "publishdate", "dable:published"))
            or self._payload_date(modified=False)
            or first_text(S.TIME_DATETIME(self.tree))
            or self._shown_date(_SHOWN_PUBLISHED)
        )

    def modified_text(self) -> str | None:
        """JSON-LD dateModified, article:modified_time, a payload's modification date."""
        return (
            text_of(self._ld, "dateModified")
            or first_text(self._meta("article:modified_time", "dateModified"))
            or self._payload_date(modified=True)
            or self._shown_date(_SHOWN_MODIFIED)
        )

    def _shown_date(self, pattern: re.Pattern[str]) -> str | None:
        """A date as the page shows it after its label ("입력 2024.01.02 10:30", "수정 …"): the last resort
        of a page with no date in its metadata (the search runs over all of the page's text)."""
        match = pattern.search(S.ALL_TEXT(self.tree))
        return match.group(1) if match else None

    def _payload_date(self, *, modified: bool) -> str | None:
        """A date field of the payload: a key naming a change (modify, update, a "re" prefix) for the
        modified time; for the published one, a key naming publication (publish, deploy, regist, create,
        insert) before any other date key (a print edition's ``paperDate`` is not when it went online)."""
        payload = self._payload if self._body_from_payload else None
        if payload is None:
            return None
        dates = [(k.casefold(), v) for k, v in payload.fields.items() if _DATE_VALUE.match(v)]
        dates = [(k, v) for k, v in dates if any(w in k for w in _DATE_WORDS)]
        changed = [(k, v) for k, v in dates if k.startswith("re") or any(w in k for w in _CHANGE_WORDS)]
        if modified:
            return changed[0][1] if changed else None
        first = [(k, v) for k, v in dates if (k, v) not in changed]
        ranked = [v for k, v in first if any(w in k for w in _PUBLISH_WORDS)] + [v for _, v in first]
        return ranked[0] if ranked else None

    def byline_text(self) -> str | None:
        """The reporters: JSON-LD authors that are people, a payload's writer, the author meta naming a person."""
        names = [n for n in names_of(self._ld.get("author"), people_only=True) if n]
        if names:
            return "·".join(names)  # reporter_names reads co-authors joined with "·"
        if writer := self._payload_field(_WRITER_KEYS):
            return writer
        own = {n.casefold() for n in self._site_names}
        for value in self._meta("article:author", "author", "dable:author"):
            value = value.strip()
            if value and not _URLISH.match(value) and value.casefold() not in own:
                return value
        for box in BYLINE_BOXES(self.tree)[:MAX_BYLINE_BOXES]:  # "홍길동 기자 hong@example.com"
            text = _short_text(box, MAX_BYLINE_BOX)
            if text and "기자" in text:
                return text
        return None

    def press_hints(self) -> list[str]:
        """og:article:author, the JSON-LD publisher, og:site_name, the copyright meta; the page's
        ``[Source : …]`` and copyright lines only when its metadata names no press: they are searched in
        all of the page's text, scripts included, which on a 380 KB page costs more than reading the
        rest of it, and resolve_press would not get past the metadata to them."""
        authors = self._meta("og:article:author")
        publisher = [n for n in names_of(self._ld.get("publisher")) if n]
        site = self._meta("og:site_name")
        copyright_meta = self._meta("copyright")
        hints = authors + publisher + site + copyright_meta
        if any(len(hint) <= MAX_HINT and press_of(press_from_hint(hint)) for hint in hints):
            return hints
        return hints + super().press_hints()[len(authors) :]

    def summary(self) -> list[str]:
        """The summary lines above the body (요약)."""
        if self._body.summary:
            return self._body.summary
        text = self._payload_field(_SUMMARY_KEYS)
        return [line for line in re.split(r"<br\s*/?>|\n", text) if line.strip()] if text else []

    def subheads(self) -> list[str]:
        """The headings inside the body."""
        return self._body.subheads

    def body_element(self) -> _Element | None:
        """The block the page's text density points to (None when no block holds text)."""
        candidate = self._candidate
        return candidate.element if candidate is not None else None

    def body(self) -> tuple[list[str], list[RawFigure]]:
        """Paragraphs and figures of the article (see the module docstring for where they come from)."""
        return self._body.paragraphs, self._body.figures

    @cached_property
    def _body(self) -> _Body:
        """The article body, from the first source that holds one."""
        candidate = self._candidate
        if candidate is not None and (candidate.chars >= MIN_BODY_CHARS or candidate.hinted):
            if found := _from_blocks(article_blocks(candidate.element)):
                return found
        if self._body_from_payload and self._payload is not None:
            if found := _from_blocks(article_blocks(_fragment(self._payload.html))):
                return found
        hint = first_hint_with_text(self.tree)
        if hint is not None and (found := _from_blocks(article_blocks(hint))):
            return found
        if text := text_of(self._ld, "articleBody"):
            return _Body(paragraphs=[p.strip() for p in re.split(r"\n\s*\n|\n", text) if p.strip()])
        if candidate is not None:
            return _Body(missing=f"body too short ({candidate.chars} characters < {MIN_BODY_CHARS})")
        if has_script_data(self.tree):
            return _Body(missing="only script data (no article markup in its payloads)")
        return _Body(missing="no body candidate")

    def parse(self) -> RawArticle:
        """The fields of the page; no title or no body is NotAnArticle saying what was missing."""
        paragraphs, _ = self.body()
        if not paragraphs and self._body.missing:
            raise NotAnArticle(f"no article body ({self.name} layout): {self._body.missing}")
        raw = super().parse()
        raw.modified_text = self.modified_text()
        raw.summary = self.summary()
        raw.subheads = self.subheads()
        return raw


def _short_text(el: _Element, limit: int) -> str | None:
    """``el``'s text, whitespace collapsed, when it is at most ``limit`` characters (None when longer or
    blank); the text is read only until it is too long (four times ``limit`` as written, spaces and all)."""
    parts: list[str] = []
    size = 0
    for text in el.itertext():
        size += len(text)
        if size > 4 * limit:
            return None
        parts.append(str(text))  # (an HTML tree's text is str; the stubs allow bytes)
    joined = WS.sub(" ", "".join(parts)).strip()
    return joined if 0 < len(joined) <= limit else None


def _from_blocks(blocks: ArticleBlocks) -> _Body | None:
    """The body a walk found, None when it found no paragraph."""
    if not blocks.paragraphs:
        return None
    return _Body(blocks.paragraphs, blocks.figures, blocks.summary, blocks.subheads)


_FRAGMENT_PARSER = etree.HTMLParser(no_network=True, remove_comments=True, remove_pis=True, huge_tree=False)


def _fragment(markup: str) -> _Element:
    """The body element of a markup string taken from a script payload."""
    root = etree.fromstring(f"<html><body>{markup}</body></html>", parser=_FRAGMENT_PARSER)
    body = root.find("body")
    return body if body is not None else root


def strip_site_suffix(title: str, sites: list[str], sections: list[str] | None = None) -> str:
    """``title`` without a trailing (or leading) separator and site name, and a section name before it:
    "제목 - 매일경제" → "제목", "제목-정치ㅣ한국일보" → "제목" (정치 being its article:section), "한국일보 | 제목" → "제목".

    A name is cut only when it is the page's own site (og:site_name, publisher, domain brand, compared
    casefolded) or section: a title that merely ends in a dash and a word keeps it.  String comparisons at
    the title's ends, no pattern search: a title is page input and may be megabytes of spaces."""
    names = sorted({n.casefold() for n in sites if 0 < len(n) <= MAX_NAME}, key=len, reverse=True)
    for name in names:
        if (rest := _before(title, name)) is not None:
            for section in sorted({s for s in sections or () if 0 < len(s) <= MAX_NAME}, key=len, reverse=True):
                if (shorter := _before(rest, section.casefold())) is not None:
                    return shorter
            return rest
        if (rest := _after(title, name)) is not None:
            return rest
    return title.strip()


def _before(title: str, name: str) -> str | None:
    """What comes before "<separator> name" at the end of ``title`` (None when it does not end so, or
    when nothing would be left)."""
    end = title.rstrip()
    if len(end) <= len(name) or end[-len(name) :].casefold() != name:
        return None
    head = end[: -len(name)].rstrip()
    cut = head.rstrip(_SEPARATORS)
    if len(head) - len(cut) not in (1, 2):
        return None  # no separator (the name is the end of a word), or a run of them
    return cut.rstrip() or None


def _after(title: str, name: str) -> str | None:
    """What comes after "name <separator>" or "[name]" at the start of ``title`` (None when it does not
    start so)."""
    start = title.lstrip()
    if (
        start.startswith("[")
        and start[1 : len(name) + 1].casefold() == name
        and start[len(name) + 1 : len(name) + 2] == "]"
    ):
        return start[len(name) + 2 :].strip() or None
    if len(start) <= len(name) or start[: len(name)].casefold() != name:
        return None
    tail = start[len(name) :].lstrip()
    cut = tail.lstrip(_SEPARATORS)
    if len(tail) - len(cut) not in (1, 2):
        return None
    return cut.strip() or None


SITE = Generic
