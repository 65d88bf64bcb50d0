"""Fetch: download the day's article pages into staging.raw_page and record each URL's outcome."""

from __future__ import annotations

import hashlib
import logging
from collections import Counter
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, date, datetime
from itertools import islice
from typing import Any, TypeVar

from sqlalchemy.engine import Engine

from newsetl.client import FetchError, Response, SourceClient
from newsetl.config import Source
from newsetl.options import RunOptions
from newsetl.sql import statement

log = logging.getLogger(__name__)
WRITE_BATCH = 50  # pages fetched, then stored in one transaction (100 held 11 MB more of real-size pages)
# Bytes of page bodies sent in one statement: the psycopg2 dialect joins a batch of rows into one string of
# hex-escaped bytea (its execute_batch), many times the bodies' size while it is built.  100 pages of real
# size (130-380 KB) in one statement made a fetch task peak at 230 MB alone and over 600 MB in Airflow; 50
# pages, 1 MB a statement: 100 MB alone at the same speed (5,000-article day).
WRITE_BYTES = 1 << 20
T = TypeVar("T")


@dataclass(slots=True)
class Outcome:
    url: str
    response: Response | None = None
    error: FetchError | None = None


def _fetch_one(client: SourceClient, url: str, etag: str | None, last_modified: str | None) -> Outcome:
    try:
        return Outcome(url, response=client.get(url, etag=etag, last_modified=last_modified))
    except FetchError as exc:
        return Outcome(url, error=exc)


def _chunks(items: Iterable[T], size: int) -> Iterator[list[T]]:
    it = iter(items)
    while chunk := list(islice(it, size)):
        yield chunk


def _by_size(pages: list[dict[str, Any]], limit: int) -> Iterator[list[dict[str, Any]]]:
    """``pages`` in groups whose bodies hold at most ``limit`` bytes together (a bigger page alone)."""
    group: list[dict[str, Any]] = []
    size = 0
    for page in pages:
        if group and size + len(page["body"]) > limit:
            yield group
            group, size = [], 0
        group.append(page)
        size += len(page["body"])
    if group:
        yield group


def _write(engine: Engine, source: str, day: date, outcomes: list[Outcome], counts: Counter[str]) -> None:
    """Store pages and states of one batch in one transaction."""
    pages, states = [], []
    fetched_at = datetime.now(UTC)  # audit time of the download, not business logic
    for o in outcomes:
        if o.response is not None and o.response.status == 200:
            body = o.response.body
            pages.append(
                {
                    "source": source,
                    "url": o.url,
                    "http_status": 200,
                    "content_type": o.response.content_type,
                    "etag": o.response.etag,
                    "last_modified": o.response.last_modified,
                    "body": body,
                    "body_sha256": hashlib.sha256(body).hexdigest(),
                    "fetched_at": fetched_at,
                }
            )
            states.append({"state": "fetched", "reason": None, "http_status": 200, "url": o.url})
            counts["fetched"] += 1
        elif o.response is not None:  # 304: the stored page is current
            states.append({"state": "fetched", "reason": None, "http_status": o.response.status, "url": o.url})
            counts["not_modified"] += 1
        else:
            assert o.error is not None
            state = "failed" if o.error.retryable else "quarantined"
            states.append({"state": state, "reason": o.error.reason, "http_status": o.error.status, "url": o.url})
            counts[state] += 1
    with engine.begin() as conn:
        for group in _by_size(pages, WRITE_BYTES):
            conn.execute(statement("fetch_upsert_raw"), group)
        if states:
            conn.execute(statement("fetch_set_state"), [{**s, "day": day, "source": source} for s in states])


def fetch_day(engine: Engine, day: date, sources: list[Source], options: RunOptions = RunOptions()) -> dict[str, int]:
    """Fetch every URL of the day (or of the options' batch) not yet stored; all of them, conditionally, with
    force_refetch."""
    counts: Counter[str] = Counter()
    force_refetch = options.force_refetch
    batch = {"batch": options.batch.index, "batches": options.batch.count}
    for source in sources:
        with engine.connect() as conn:
            todo = conn.execute(
                statement("fetch_todo"), {"day": day, "source": source.name, "force": force_refetch, **batch}
            ).all()
        if not force_refetch:
            counts["already_stored"] += _stored_count(engine, day, source.name, batch)
        log.info("%s %s: %d pages to fetch", source.name, day, len(todo))
        with SourceClient(source) as client, ThreadPoolExecutor(source.concurrency) as pool:
            for chunk in _chunks(todo, WRITE_BATCH):
                outcomes = list(pool.map(lambda row: _fetch_one(client, row.url, row.etag, row.last_modified), chunk))
                _write(engine, source.name, day, outcomes, counts)
    log.info("fetch %s: %s", day, dict(counts))
    return dict(counts)


def _stored_count(engine: Engine, day: date, source: str, batch: dict[str, int]) -> int:
    with engine.connect() as conn:
        return int(conn.execute(statement("fetch_stored_count"), {"day": day, "source": source, **batch}).scalar_one())
