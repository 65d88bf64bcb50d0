"""The sample site's 40 real articles: each Daum body as stored, and the clean article it holds.

Two views of one article. ``body`` is the Daum ``article_view`` markup exactly as crawled: the Daum pages
serve it byte for byte. ``paragraphs``, ``photos``, ``reporters`` and ``emails`` are the article as the
golden pages of tests/fixtures/pages read it (copied once into data/bodies.json, and checked against them by
tests/test_sample_press.py): the press pages set these in their own markup, so a press page and a Daum page
of the same article must give the same article. ``summary`` and ``modified_minutes`` (data/extras.json) are
what full-size pages show beyond the corpus: 요약 lines and a 수정 time.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).parent / "data"
KST = dt.timezone(dt.timedelta(hours=9))
_DATE_SHOWN = re.compile(r"^\d{4}\. \d{1,2}\. \d{1,2}\. (\d{2}):(\d{2})$")


@dataclass(frozen=True)
class Photo:
    """One image of an article: where it is, how wide, its caption and the credit split off it."""

    image_url: str
    width: int | None
    caption: str | None
    credit: str | None


@dataclass(frozen=True)
class CorpusArticle:
    """One real Daum article: its body as stored, the metadata shown next to it, and its clean fields."""

    number: int  # 1-based corpus number (file NNN)
    title: str
    byline: str
    press: str
    hour: int
    minute: int
    body: str  # the <div class="article_view"> element, exactly as stored
    press_code: str = ""  # the press's code in Daum's image paths and logos ("starnews")
    reporters: tuple[str, ...] = ()
    emails: tuple[str, ...] = ()
    paragraphs: tuple[str, ...] = ()  # "\n" where the body has a <br>
    photos: tuple[Photo, ...] = ()
    summary: tuple[str, ...] = ()  # 요약 lines, for the articles data/extras.json gives them
    modified_minutes: int | None = None  # 수정 this many minutes after 입력, None: never modified


def published(day: dt.date, hour: int, minute: int) -> dt.datetime:
    """KST datetime of an item on the served day."""
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=KST)


def modified(day: dt.date, article: CorpusArticle) -> dt.datetime | None:
    """The 수정 time of an article served on a day, None when the article was never modified."""
    if article.modified_minutes is None:
        return None
    return published(day, article.hour, article.minute) + dt.timedelta(minutes=article.modified_minutes)


@cache
def corpus() -> tuple[CorpusArticle, ...]:
    """Load the 40 articles once, in corpus-number order."""
    clean = _load_json(DATA_DIR / "bodies.json")
    extras = _load_json(DATA_DIR / "extras.json")
    articles = []
    for meta_path in sorted((DATA_DIR / "daum").glob("*.meta.json")):
        number = int(meta_path.name.split(".")[0])
        key = f"{number:03d}"
        meta = _load_json(meta_path)
        match = _DATE_SHOWN.match(meta["date_as_shown"])
        if match is None:
            raise ValueError(f"unexpected date_as_shown in {meta_path.name}")
        # read_bytes + decode: read_text would translate newlines and break byte equality
        body = (DATA_DIR / "daum" / f"{key}.html").read_bytes().decode("utf-8")
        fields, extra = clean[key], extras.get(key, {})
        articles.append(
            CorpusArticle(
                number=number,
                title=meta["title_as_shown"],
                byline=meta["byline_as_shown"],
                press=meta["press_as_shown"],
                hour=int(match.group(1)),
                minute=int(match.group(2)),
                body=body,
                press_code=fields["press_code"],
                reporters=tuple(fields["reporters"]),
                emails=tuple(fields["emails"]),
                paragraphs=tuple(fields["paragraphs"]),
                photos=tuple(Photo(**photo) for photo in fields["media"]),
                summary=tuple(extra.get("summary", ())),
                modified_minutes=extra.get("modified_minutes"),
            )
        )
    return tuple(articles)


def _load_json(path: Path) -> Any:
    """A JSON file of the data folder (bytes decoded as UTF-8 whatever the locale)."""
    return json.loads(path.read_bytes().decode("utf-8"))
