"""The sample site's redesign switch: from a configured KST day on, its Daum pages change markup as a real
redesign would, so the pipeline's drift alarms (newsetl.quality) and ``newsetl probe`` can be tested.

Set ``NEWS_SAMPLE_MARKUP_CHANGE_FROM=YYYY-MM-DD`` (or ``markup_change_from`` of ``make_server``/``running``);
``NEWS_SAMPLE_MARKUP_CHANGE`` (``markup_change``) says what changes, comma-separated (default ``listing``):

- ``listing``: the breaking-news listing's link class ``link_txt`` is renamed ``link_news``: the listing
  still shows every article, but the site module's link XPath finds none;
- ``few``: the same, except the first item of each page (the listing yields a handful of links);
- ``body``: the article pages' ``article_view`` body container is renamed ``article_body``: every page is
  fetched, then extraction finds no article body;
- ``date``: the article pages' date spans (``num_date``) are renamed ``txt_date`` and their ``og:regDate``
  meta ``og:published``: the articles load without a publication date.

The day of a listing page is its ``regDate``, of an article page the day in its id: a backfill over the
change sees the old markup before that day and the new one from it.  Only the Daum routes change.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass, replace
from urllib.parse import parse_qs, urlsplit

from newsetl_tools.sample_site import site

FROM_ENV = "NEWS_SAMPLE_MARKUP_CHANGE_FROM"
KINDS_ENV = "NEWS_SAMPLE_MARKUP_CHANGE"
KINDS = frozenset({"listing", "few", "body", "date"})
OLD_LINK, NEW_LINK = b'class="link_txt"', b'class="link_news"'
OLD_BODY, NEW_BODY = b"article_view", b"article_body"
# (old, new) byte strings of an article page, per kind of change
ARTICLE_CHANGES = {
    "body": ((OLD_BODY, NEW_BODY),),
    "date": ((b'class="num_date"', b'class="txt_date"'), (b'property="og:regDate"', b'property="og:published"')),
}
_ITEM = re.compile(rb"<li>.*?</li>", re.DOTALL)


@dataclass(frozen=True, slots=True)
class Redesign:
    """From ``start`` on, which of the Daum pages' markup changes."""

    start: dt.date
    kinds: frozenset[str]

    def page(self, target: str, page: site.Page) -> site.Page:
        """The page as served under the redesign (unchanged before ``start`` and off the Daum routes)."""
        if page.status != 200:
            return page
        parts = urlsplit(target)
        if parts.path == "/breakingnews" and self.kinds & {"listing", "few"}:
            day = site.compact_day((parse_qs(parts.query).get("regDate") or [""])[0])
            if day is not None and day >= self.start:
                return replace(page, body=_rename_links(page.body, keep_first="few" in self.kinds))
        if parts.path.startswith("/v/") and self.kinds & ARTICLE_CHANGES.keys():
            parsed = site.parse_article_id(parts.path[len("/v/") :], site.MAX_ARTICLES_PER_DAY)
            if parsed is not None and parsed[0] >= self.start:
                return replace(page, body=self._article(page.body))
        return page

    def _article(self, body: bytes) -> bytes:
        """An article page with this redesign's renames."""
        for kind in sorted(self.kinds & ARTICLE_CHANGES.keys()):
            for old, new in ARTICLE_CHANGES[kind]:
                body = body.replace(old, new)
        return body


def _rename_links(body: bytes, keep_first: bool) -> bytes:
    """The listing with its items' link class renamed (all of them, or all but the first item's)."""
    if not keep_first:
        return body.replace(OLD_LINK, NEW_LINK)
    kept = False

    def rename(item: re.Match[bytes]) -> bytes:
        nonlocal kept
        if kept or OLD_LINK not in item.group(0):  # the header's menu items have no article link
            return item.group(0).replace(OLD_LINK, NEW_LINK)
        kept = True
        return item.group(0)

    return _ITEM.sub(rename, body)


def redesign(start: str | dt.date | None, kinds: str | None = None) -> Redesign | None:
    """A Redesign from a day (``YYYY-MM-DD``) and comma-separated kinds; None when no day is set."""
    if not start:
        return None
    day = start if isinstance(start, dt.date) else dt.date.fromisoformat(start)
    chosen = frozenset(k.strip() for k in (kinds or "listing").split(",") if k.strip())
    unknown = sorted(chosen - KINDS)
    if unknown:
        raise ValueError(f"unknown markup change(s) {', '.join(unknown)}; known: {', '.join(sorted(KINDS))}")
    return Redesign(day, chosen)


def from_env() -> Redesign | None:
    """The redesign the environment configures (NEWS_SAMPLE_MARKUP_CHANGE_FROM, NEWS_SAMPLE_MARKUP_CHANGE)."""
    return redesign(os.environ.get(FROM_ENV), os.environ.get(KINDS_ENV))
