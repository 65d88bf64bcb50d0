"""Extract: stored raw pages to normalized articles in one step (parse with the source's site module, then
normalize), into staging.normalized_article with the article's content hash.

A page is extracted again only when its raw bytes or the extraction code change (``extractor_version``),
so a rerun of the day is cheap and changes nothing; ``reextract`` forces the work from the stored pages.
A page that is not an article is quarantined with its one-line reason; the rest of its batch is stored.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
from collections import Counter
from collections.abc import Iterator, Sequence
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine, Row

from newsetl.config import Source
from newsetl.errors import QuarantineError
from newsetl.options import RunOptions
from newsetl.parsing.normalize import normalize
from newsetl.parsing.page import http_charset
from newsetl.records import Article
from newsetl.search import searchable_bigrams
from newsetl.sites import parse_page
from newsetl.sql import statement

log = logging.getLogger(__name__)
# Raw pages read (and articles written) per round trip: pages of real size are 130-380 KB, and a batch is
# held several times over while psycopg2 decodes it; 200 made the stage peak at 178 MB alone (50: 101 MB,
# the same speed).
BATCH = 50
# Text characters per write: a batch of long articles is written in several statements, so the memory the
# driver needs to send them stays flat however long the day's articles are.
WRITE_CHARS = 1_000_000
_PKG = Path(__file__).parent
# What extraction's output depends on: a change to any of these is a new version, which re-extracts stored pages.
_VERSIONED_DIRS = ("parsing", "sites")
_VERSIONED_FILES = ("records.py", "config/press.yaml")
# A \u0000 escape in JSON text (jsonb refuses it): one preceded by an even run of backslashes, as an odd
# one is an escaped backslash followed by the letters "u0000" (text about escapes, stored fine).
_JSON_NUL = re.compile(r"(?<!\\)(?:\\\\)*\\u0000")


def extract_article(
    content: str | bytes,
    url: str | None = None,
    site: str | None = None,
    day: date | None = None,
    content_type: str | None = None,
) -> Article:
    """One page to its normalized article: parse (``site``: its module, else detected) and normalize
    (``day``: the run's day, for year-less dates; ``content_type``: the server's, for its charset).
    A QuarantineError with a one-line reason when the page is not an article."""
    return normalize(parse_page(content, url, site, http_charset(content_type)), day)


@cache
def extractor_version() -> str:
    """A short hash of the extraction code and tables (parsing/, sites/, records, the press table)."""
    import newsetl.sites

    digest = hashlib.sha256()
    files = [_PKG / name for name in _VERSIONED_FILES]
    for folder in _VERSIONED_DIRS:
        files += sorted((_PKG / folder).glob("*.py"))
    for extra in newsetl.sites.__path__[1:]:  # site modules added beside the package's own
        files += sorted(Path(extra).glob("*.py"))
    for path in files:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def canonical_json(article: Article | dict[str, Any]) -> str:
    """The normalized article as canonical JSON (sorted keys, no spaces): what content_hash hashes."""
    data = article.to_json() if isinstance(article, Article) else article
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def content_hash(article: Article | dict[str, Any] | str) -> str:
    """SHA-256 of the normalized article's canonical JSON (or of that JSON text itself)."""
    canonical = article if isinstance(article, str) else canonical_json(article)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def storable(article: Article) -> tuple[str, str]:
    """(canonical JSON, content hash) of an article Postgres can store; a QuarantineError if it cannot.

    normalize lets no NUL and no lone surrogate through (text.clean_text, text.strip_controls).  This is
    the last check before the batch's statement: a rule that misses one some day quarantines that page
    instead of failing the statement, and with it the whole batch, on every rerun."""
    data = canonical_json(article)  # serialized once: hashed, and stored (jsonb keeps no key order anyway)
    if "\\u0000" in data and _JSON_NUL.search(data):  # the plain test first: one C scan, almost never true
        raise QuarantineError("unstorable article: a NUL character in a text field")
    try:
        return data, content_hash(data)
    except UnicodeEncodeError as exc:  # a lone surrogate: UTF-8 cannot encode it
        raise QuarantineError("unstorable article: a lone surrogate in a text field") from exc


def _batches(engine: Engine, params: dict[str, Any]) -> Iterator[Sequence[Row[Any]]]:
    """Stream the pages to extract in batches (server-side cursor: memory stays flat)."""
    with engine.connect() as conn:
        result = conn.execution_options(stream_results=True, yield_per=BATCH).execute(statement("extract_todo"), params)
        yield from result.partitions(BATCH)


def extract_day(engine: Engine, day: date, sources: list[Source], options: RunOptions = RunOptions()) -> dict[str, int]:
    """Extract the day's (or the options' batch's) stored pages that are new or changed."""
    sites = {s.name: s.site for s in sources}
    version = extractor_version()
    counts: Counter[str] = Counter()

    def extracted(row: Row[Any]) -> dict[str, Any]:
        article = extract_article(bytes(row.body), row.url, sites[row.source], day, row.content_type)
        for warning in article.warnings:  # e.g. why published_at is null; never guessed
            log.warning("%s %s: %s", row.source, row.url, warning)
        data, digest = storable(article)
        return {
            "source": row.source,
            "url": row.url,
            "source_id": row.source_id,
            "body_sha256": row.body_sha256,
            "extractor_version": version,
            "content_hash": digest,
            "data": data,
            # one space-joined string: far cheaper to send than a 2,000-element array (bigrams have no space)
            "bigrams": " ".join(searchable_bigrams(article.title + " " + article.body_text)),
        }

    def write(conn: sa.Connection, done: list[dict[str, Any]]) -> None:
        conn.execute(statement("extract_upsert"), done)
        conn.execute(
            statement("extract_clear_quarantine"), [{"day": day, "source": d["source"], "url": d["url"]} for d in done]
        )
        counts["extracted"] += len(done)

    params = {
        "day": day,
        "sources": list(sites),
        "version": version,
        "force": options.reextract,
        "batch": options.batch.index,
        "batches": options.batch.count,
    }
    for rows in _batches(engine, params):
        done: list[dict[str, Any]] = []
        size = 0
        with engine.begin() as conn:
            for row in rows:
                try:
                    result = extracted(row)
                except QuarantineError as exc:
                    conn.execute(
                        statement("extract_quarantine"),
                        {"day": day, "source": row.source, "url": row.url, "reason": exc.reason[:500]},
                    )
                    counts["quarantined"] += 1
                    continue
                done.append(result)
                size += sum(len(value) for value in result.values() if isinstance(value, str))
                if size >= WRITE_CHARS:  # long articles: the driver copies each statement's text a few times
                    write(conn, done)
                    done, size = [], 0
            if done:
                write(conn, done)
    log.info("extract %s: %s", day, dict(counts))
    return dict(counts)
