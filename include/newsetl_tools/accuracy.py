"""Extraction accuracy over a folder of pages with expected JSON, side by side with trafilatura.

Each page ``NAME.html`` (or ``.htm``/``.txt``) has ``NAME.json`` beside it holding any of: title, press,
reporters, published_at, paragraphs, body_text, media (and optionally ``day``, ``url``). Fields:
title, press, reporters, published_at and media (image URL + caption per image, in order) must match
exactly; the body is scored by character-level F1 (multiset of non-space characters), the measure
used for trafilatura's own evaluations on CJK text where word boundaries are not reliable.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from newsetl.days import read_day
from newsetl.errors import QuarantineError
from newsetl.extract import extract_article
from newsetl.textable import Column, render_table

PAGE_SUFFIXES = (".html", ".htm", ".txt")
EXACT_FIELDS = ("title", "press", "reporters", "published_at")


def char_f1(predicted: str, gold: str) -> float:
    """Character-level F1 of two texts, whitespace ignored (1.0 when both are empty)."""
    pred = Counter(ch for ch in predicted if not ch.isspace())
    ref = Counter(ch for ch in gold if not ch.isspace())
    if not pred and not ref:
        return 1.0
    overlap = sum((pred & ref).values())
    if not overlap:
        return 0.0
    precision, recall = overlap / sum(pred.values()), overlap / sum(ref.values())
    return 2 * precision * recall / (precision + recall)


# The layout of a golden page, from its name's first word (or the "layout" key of its JSON): the report gives
# each its own line, so a weak layout is not hidden in the average of the others.
LAYOUTS = {
    "daum": "daum-compact",
    "daumfull": "daum-full",
    "board": "board",
    "seed": "board",
    "template": "template",
    "press": "press",
    "naver": "naver",
    "generic": "generic",
}


def layout_of(page: Path, expected: dict[str, Any]) -> str:
    """The page's layout: its JSON's "layout", "text" for a plain-text page, else by its name's first word."""
    if isinstance(expected.get("layout"), str):
        return str(expected["layout"])
    if page.suffix == ".txt":
        return "text"
    word = page.name.split("_", 1)[0]
    return LAYOUTS.get(word, word)


@dataclass
class PageResult:
    name: str
    layout: str = "other"
    scores: dict[str, float] = field(default_factory=dict)
    mismatches: list[str] = field(default_factory=list)
    trafilatura_f1: float | None = None


@dataclass
class Report:
    pages: list[PageResult]

    def field_score(self, name: str) -> float | None:
        values = [p.scores[name] for p in self.pages if name in p.scores]
        return sum(values) / len(values) if values else None

    @property
    def trafilatura_body_f1(self) -> float | None:
        values = [p.trafilatura_f1 for p in self.pages if p.trafilatura_f1 is not None]
        return sum(values) / len(values) if values else None

    def by_layout(self) -> dict[str, Report]:
        """One report per layout, in the order the layouts first appear."""
        groups: dict[str, list[PageResult]] = {}
        for page in self.pages:
            groups.setdefault(page.layout, []).append(page)
        return {name: Report(pages) for name, pages in groups.items()}

    def summary_line(self) -> str:
        """The report's last line: exact-match fields as percentages, F1 as fractions."""
        parts = []
        for name in ("title", "press", "reporters", "published_at"):
            score = self.field_score(name)
            parts.append(f"{name}=" + ("n/a" if score is None else f"{score:.1%}"))
        body = self.field_score("body_f1")
        media = self.field_score("media")
        traf = self.trafilatura_body_f1
        parts.append("body_f1=" + ("n/a" if body is None else f"{body:.4f}"))
        parts.append("media=" + ("n/a" if media is None else f"{media:.1%}"))
        parts.append("trafilatura_body_f1=" + ("n/a" if traf is None else f"{traf:.4f}"))
        return " ".join(parts)


def expected_body(expected: dict[str, Any]) -> str | None:
    if "body_text" in expected:
        body: str = expected["body_text"]  # a JSON string
        return body
    if "paragraphs" in expected:
        return "\n\n".join(expected["paragraphs"])
    if "body_f1" in expected:  # a real page's body: {"min": …, "paragraphs": […]} (the press pages)
        return "\n\n".join(expected["body_f1"]["paragraphs"])
    return None


def expected_media(expected: dict[str, Any]) -> list[dict[str, Any]] | None:
    """The images a page must give, in order: ``media``, or a real page's ``media_subset`` (all of them
    when ``media_count`` says so)."""
    if "media" in expected:
        media: list[dict[str, Any]] = expected["media"]
        return media
    subset = expected.get("media_subset")
    if subset is not None and len(subset) == expected.get("media_count"):
        return sorted(subset, key=lambda m: m["position"])
    return None


def _media_key(items: list[dict[str, Any]]) -> list[tuple[Any, Any]]:
    return [(m.get("image_url"), m.get("caption")) for m in items]


def score_page(page: Path, expected: dict[str, Any], *, with_trafilatura: bool = True) -> PageResult:
    """Compare our extraction (and trafilatura's body) with one page's expected JSON."""
    result = PageResult(page.name, layout_of(page, expected))
    content = page.read_bytes()
    day = read_day(expected["day"]) if expected.get("day") else None
    try:
        got = extract_article(content, expected.get("url"), day=day).to_json()
    except QuarantineError as exc:
        got = {}
        result.mismatches.append(f"not extracted: {exc.reason}")
    for name in EXACT_FIELDS:
        if name in expected:
            ok = got.get(name) == expected[name]
            result.scores[name] = float(ok)
            if not ok:
                result.mismatches.append(f"{name}: got {got.get(name)!r}, expected {expected[name]!r}")
    gold = expected_body(expected)
    if gold is not None:
        result.scores["body_f1"] = char_f1(got.get("body_text", ""), gold)
        if with_trafilatura:
            result.trafilatura_f1 = char_f1(_trafilatura_body(content), gold)
    want_media = expected_media(expected)
    if want_media is not None:
        ok = _media_key(got.get("media", [])) == _media_key(want_media)
        result.scores["media"] = float(ok)
        if not ok:
            result.mismatches.append(f"media: got {_media_key(got.get('media', []))!r}")
    return result


def _trafilatura_body(content: bytes) -> str:
    try:
        import trafilatura
    except ImportError as exc:  # a development-only dependency
        raise SystemExit("trafilatura is not installed: pip install -r requirements-dev.txt") from exc
    return trafilatura.extract(content, include_images=False, include_comments=False) or ""


def pages_with_expectations(folder: Path) -> list[tuple[Path, Path]]:
    """(page, expected JSON) pairs in a folder, sorted by name."""
    pairs = []
    for page in sorted(folder.iterdir()):
        if page.suffix in PAGE_SUFFIXES and page.with_suffix(".json").exists():
            pairs.append((page, page.with_suffix(".json")))
    return pairs


def evaluate(folder: Path, *, with_trafilatura: bool = True) -> Report:
    """Score every page of a folder that has an expected JSON."""
    return Report(
        [
            score_page(page, json.loads(exp.read_text(encoding="utf-8")), with_trafilatura=with_trafilatura)
            for page, exp in pages_with_expectations(folder)
        ]
    )


_COLUMNS = [
    Column("page", 40),
    Column("title", 5, right=True),
    Column("press", 5, right=True),
    Column("published_at", 5, right=True, title="date"),
    Column("media", 5, right=True),
    Column("body_f1", 8, right=True),
    Column("trafilatura", 11, right=True),
]


def accuracy_table(report: Report) -> str:
    """Per-page rows, each followed by its mismatches, then a line per layout, the page count and the summary
    line of all pages."""

    def cell(p: PageResult, name: str) -> str:
        return "-" if name not in p.scores else ("ok" if p.scores[name] == 1.0 else "MISS")

    rows = []
    for p in report.pages:
        body, traf = p.scores.get("body_f1"), p.trafilatura_f1
        rows.append(
            {
                "page": p.name,
                **{name: cell(p, name) for name in ("title", "press", "published_at", "media")},
                "body_f1": "-" if body is None else f"{body:.4f}",
                "trafilatura": "-" if traf is None else f"{traf:.4f}",
            }
        )
    header, *lines = render_table(rows, _COLUMNS, gap=" ")
    out = [header]
    for line, p in zip(lines, report.pages, strict=True):
        out.append(line)
        out += [f"    {m[:300]}" for m in p.mismatches]
    for layout, part in report.by_layout().items():
        out.append(f"layout={layout} pages={len(part.pages)} {part.summary_line()}")
    out.append(f"pages={len(report.pages)}")
    out.append(report.summary_line())
    return "\n".join(out)
