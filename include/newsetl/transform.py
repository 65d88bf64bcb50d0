"""Parse and normalize stages: staging.raw_page -> staging.parsed_page -> staging.normalized_article.

Each stage only touches pages whose input changed (body hash or code version), so a rerun of the day
is cheap and changes nothing; ``reparse`` forces the work again from the stored raw pages.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine, Row

from newsetl.config import Source
from newsetl.errors import QuarantineError
from newsetl.normalize import normalize
from newsetl.parse import extract
from newsetl.records import Article, RawArticle
from newsetl.search import bigrams
from newsetl.sql import statement

log = logging.getLogger(__name__)
BATCH = 200
# Text characters per write: a batch of long articles is written in several statements, so the memory the
# driver needs to send them stays flat however long the day's articles are.
WRITE_CHARS = 1_000_000
_PKG = Path(__file__).parent
# Files whose change alters what parse/normalize produce: their hash is the parser version.
_VERSIONED = ("parse.py", "xpaths.py", "normalize.py", "records.py", "config/press.yaml")


@cache
def parser_version() -> str:
    """A short hash of the parsing code and tables: a new version re-parses stored pages."""
    digest = hashlib.sha256()
    for name in _VERSIONED:
        path = _PKG / name
        if path.exists():
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


def decode_body(body: bytes, content_type: str | None) -> str | bytes:
    """Decode with the charset the server declared; else leave bytes for the parser to sniff."""
    if content_type and "charset=" in content_type.lower():
        charset = content_type.lower().split("charset=", 1)[1].split(";")[0].strip().strip('"')
        try:
            return body.decode(charset)
        except (LookupError, UnicodeDecodeError):
            return body
    return body


def _batches(engine: Engine, name: str, params: dict[str, Any]) -> Iterator[list[Row]]:
    """Stream a query's rows in batches (server-side cursor: memory stays flat)."""
    with engine.connect() as conn:
        result = conn.execution_options(stream_results=True, yield_per=BATCH).execute(statement(name), params)
        yield from result.partitions(BATCH)


def _quarantine(conn: sa.Connection, day: date, row: Row, reason: str) -> None:
    conn.execute(statement("transform_quarantine"),
                 {"day": day, "source": row.source, "url": row.url, "reason": reason[:500]})


def _run_stage(engine: Engine, query: str, params: dict[str, Any], day: date,
               work: Callable[[Row], dict[str, Any]], upsert: str, after: str | None = None) -> dict[str, int]:
    counts: Counter = Counter()

    def write(conn: sa.Connection, done: list[dict[str, Any]]) -> None:
        conn.execute(statement(upsert), done)
        if after:
            conn.execute(statement(after), [{"day": day, "source": d["source"], "url": d["url"]} for d in done])
        counts["done"] += len(done)

    for rows in _batches(engine, query, params):
        done: list[dict[str, Any]] = []
        size = 0
        with engine.begin() as conn:
            for row in rows:
                try:
                    result = work(row)
                except QuarantineError as exc:
                    _quarantine(conn, day, row, exc.reason)
                    counts["quarantined"] += 1
                    continue
                done.append(result)
                size += sum(len(value) for value in result.values() if isinstance(value, str))
                if size >= WRITE_CHARS:  # long articles: the driver copies each statement's text a few times
                    write(conn, done)
                    done, size = [], 0
            if done:
                write(conn, done)
    return dict(counts)


def parse_day(engine: Engine, day: date, sources: list[Source], *, reparse: bool = False,
              part: tuple[int, int] = (0, 1)) -> dict[str, int]:
    """Run each source's parser over the day's (or batch ``part``'s) stored pages that are new or changed."""
    parsers = {s.name: s.parser for s in sources}
    version = parser_version()

    def work(row: Row) -> dict[str, Any]:
        raw = extract(decode_body(bytes(row.body), row.content_type), row.url, parser=parsers[row.source])
        return {"source": row.source, "url": row.url, "body_sha256": row.body_sha256, "parser_version": version,
                "data": json.dumps(raw.to_json(), ensure_ascii=False)}

    params = {"day": day, "sources": list(parsers), "version": version, "force": reparse,
              "batch": part[0], "batches": part[1]}
    counts = _run_stage(engine, "parse_todo", params, day, work, "parse_upsert", after="parse_clear_quarantine")
    log.info("parse %s: %s", day, counts)
    return counts


def normalize_day(engine: Engine, day: date, sources: list[Source], *, reparse: bool = False,
                  part: tuple[int, int] = (0, 1)) -> dict[str, int]:
    """Normalize the day's (or batch ``part``'s) parsed pages that are new or changed."""
    version = parser_version()

    def work(row: Row) -> dict[str, Any]:
        article = normalize(RawArticle.from_json(row.data), day)
        for warning in article.warnings:  # e.g. why published_at is null; never guessed
            log.warning("%s %s: %s", row.source, row.url, warning)
        data = canonical_json(article)  # serialized once: hashed, and stored (jsonb keeps no key order anyway)
        return {"source": row.source, "url": row.url, "source_id": row.source_id, "body_sha256": row.body_sha256,
                "parser_version": version, "content_hash": content_hash(data), "data": data,
                # one space-joined string: far cheaper to send than a 2,000-element array (bigrams have no space)
                "bigrams": " ".join(bigrams(article.title + " " + article.body_text))}

    params = {"day": day, "sources": [s.name for s in sources], "version": version, "force": reparse,
              "batch": part[0], "batches": part[1]}
    counts = _run_stage(engine, "normalize_todo", params, day, work, "normalize_upsert")
    log.info("normalize %s: %s", day, counts)
    return counts
