"""Raw pages in staging.raw_page: stored lz4-compressed (migration 0009), and `make bench`'s measurement of the
three TOAST storages on real full-size pages from the sample site, in a real Postgres."""

from __future__ import annotations

import hashlib
import importlib.util
import sys
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from types import ModuleType

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from newsetl.sql import statement
from newsetl_tools.sample_site import site

ROOT = Path(__file__).resolve().parents[1]
DAY = date(2025, 7, 3)


@pytest.fixture(scope="module")
def bench() -> Iterator[ModuleType]:
    """scripts/bench.py as a module (it imports its neighbours in scripts/)."""
    sys.path.insert(0, str(ROOT / "scripts"))
    spec = importlib.util.spec_from_file_location("bench_raw", ROOT / "scripts" / "bench.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_raw"] = module  # its dataclasses look their module up there
    spec.loader.exec_module(module)
    yield module
    sys.modules.pop("bench_raw", None)
    sys.path.remove(str(ROOT / "scripts"))


def stage_pages(engine: Engine) -> int:
    """The day's 40 full-size Daum pages and 20 press pages, stored by the fetch stage's own statement."""
    paths = [f"/v/{site.article_id(DAY, seq)}" for seq in range(1, 41)]
    paths += [f"/press/{site.press_template(seq)}/{site.article_id(DAY, seq)}" for seq in range(1, 21)]
    rows = []
    for path in paths:
        body = site.render_path(path, "http://127.0.0.1:1").body
        rows.append(
            {
                "source": "sample",
                "url": "http://127.0.0.1:1" + path,
                "http_status": 200,
                "content_type": "text/html; charset=utf-8",
                "etag": None,
                "last_modified": None,
                "body": body,
                "body_sha256": hashlib.sha256(body).hexdigest(),
                "fetched_at": datetime.now(UTC),
            }
        )
    with engine.begin() as conn:
        conn.execute(statement("fetch_upsert_raw"), rows)
    return sum(len(row["body"]) for row in rows)


def test_raw_pages_are_stored_with_lz4(clean_db: Engine) -> None:
    """The column is lz4 after the migrations, and a page the fetch stage stores is lz4-compressed."""
    stage_pages(clean_db)
    with clean_db.connect() as conn:
        column = conn.execute(
            sa.text(
                "SELECT attcompression FROM pg_attribute WHERE attrelid = 'staging.raw_page'::regclass AND attname = 'body'"
            )
        ).scalar_one()
        methods = conn.execute(sa.text("SELECT DISTINCT pg_column_compression(body) FROM staging.raw_page")).scalars()
        assert column == "l" and set(methods) == {"lz4"}


def test_bench_measures_the_three_storages(clean_db: Engine, bench: ModuleType) -> None:
    """Full-size pages compress to well under half with pglz and lz4; uncompressed they take at least their size;
    the figures are what the tables really hold, and no copy is left behind."""
    raw = stage_pages(clean_db)
    pages, measured, figures = bench.bench_raw_storage(clean_db)
    assert (pages, measured) == (60, raw)
    stored = {figure.method: figure.bytes for figure in figures}
    assert set(stored) == {"pglz", "lz4", "none"}
    assert stored["none"] >= raw
    assert stored["pglz"] < raw / 2 and stored["lz4"] < raw / 2
    with clean_db.connect() as conn:
        assert conn.execute(sa.text("SELECT to_regclass('public.bench_raw_page')")).scalar() is None
