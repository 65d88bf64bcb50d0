"""Typed records passed between stages; each round-trips through JSON for the staging tables."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


def _fields(record: Any) -> dict[str, Any]:
    """A dataclass's fields as a shallow dict (values are str, int, None or lists handled by callers)."""
    return {f.name: getattr(record, f.name) for f in dataclasses.fields(record)}


@dataclass(slots=True)
class RawFigure:
    """One image as the markup shows it, before normalization."""

    image_url: str  # data-org-src, else src
    thumbnail_url: str | None = None  # the displayed src
    width: str | None = None  # data-org-width as written
    alt: str | None = None
    caption: str | None = None  # figcaption text with line breaks kept as "\n"


@dataclass(slots=True)
class RawArticle:
    """What a site parser took out of a page: text as shown, nothing interpreted yet."""

    parser: str  # "daum", "article_view", "board", "generic"
    url: str | None = None
    source_id: str | None = None
    title: str | None = None
    date_text: str | None = None  # as shown: "2023. 11. 1. 08:46", "20240731193413", "07-03 20", ISO
    byline_text: str | None = None  # reporter line as shown, if the page has one
    press_hints: list[str] = field(default_factory=list)  # og:article:author, [Source : …], copyright line
    paragraphs: list[str] = field(default_factory=list)  # raw text per paragraph, <br> as "\n"
    figures: list[RawFigure] = field(default_factory=list)
    modified_text: str | None = None  # the 수정 (last modified) time as shown, if the page gives one
    summary: list[str] = field(default_factory=list)  # the summary lines above the body (요약), as shown
    subheads: list[str] = field(default_factory=list)  # headings inside the body, not in paragraphs

    def to_json(self) -> dict[str, Any]:
        # Hand-built rather than dataclasses.asdict, whose recursive deep copy dominated the parse stage.
        data = _fields(self)
        for name in ("press_hints", "paragraphs", "summary", "subheads"):
            data[name] = list(data[name])
        data["figures"] = [_fields(f) for f in self.figures]
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> RawArticle:
        data = dict(data)
        data["figures"] = [RawFigure(**f) for f in data.get("figures", [])]
        return cls(**data)


@dataclass(slots=True)
class MediaItem:
    """One image of an article, caption and credit split apart."""

    position: int  # 1-based order of the image in the article
    image_url: str  # original (data-org-src)
    thumbnail_url: str | None
    width: int | None
    alt: str | None
    caption: str | None  # without the trailing credit
    credit: str | None  # "KT 제공", "연합"


@dataclass(slots=True)
class Article:
    """A normalized article: the row that goes to news.article, plus its media."""

    parser: str
    url: str | None
    source_id: str | None
    title: str
    press: str | None
    reporters: list[str]
    emails: list[str]
    published_at: datetime | None  # aware, Asia/Seoul
    body_text: str
    paragraphs: list[str]
    media: list[MediaItem]
    warnings: list[str] = field(default_factory=list)  # e.g. why published_at is null
    modified_at: datetime | None = None  # aware, Asia/Seoul: the 수정 time, where the page gives one
    summary: list[str] = field(default_factory=list)  # summary lines above the body (요약)
    subheads: list[str] = field(default_factory=list)  # headings inside the body (not in paragraphs)

    def to_json(self) -> dict[str, Any]:
        data = _fields(self)
        for name in ("reporters", "emails", "paragraphs", "warnings", "summary", "subheads"):
            data[name] = list(data[name])
        data["media"] = [_fields(m) for m in self.media]
        for name in ("published_at", "modified_at"):
            value = data[name]
            data[name] = value.isoformat() if value else None
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Article:
        data = dict(data)
        for name in ("published_at", "modified_at"):
            if data.get(name):
                data[name] = datetime.fromisoformat(data[name])
        data["media"] = [MediaItem(**m) for m in data.get("media", [])]
        return cls(**data)
