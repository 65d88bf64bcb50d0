"""One truth for the record shape: the article and media dataclasses (newsetl.records), the column lists of the
load's SQL and the warehouse tables themselves must agree, name for name and type for type.

Adding a field to Article means adding it to the table (a migration), to load_articles.sql's JSON record and
INSERT, and to its ON CONFLICT update; this test names whichever of those was forgotten.
"""

from __future__ import annotations

import re
import types
import typing
from dataclasses import fields
from datetime import datetime
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from newsetl.records import Article, MediaItem
from newsetl.sql import SQL_DIR

# Fields that are not columns of their table: an article's images go to news.media, its warnings to the log.
NOT_COLUMNS = {Article: {"media", "warnings"}, MediaItem: set()}
# Columns the pipeline adds around the record: keys, bookkeeping, the search vector.
ARTICLE_PIPELINE_COLUMNS = {
    "article_id",
    "source",
    "content_hash",
    "day",
    "fetched_at",
    "first_loaded_at",
    "updated_at",
    "search",
    "section",  # where discovery found the URL (news.crawl_url.section), not part of the record
}
# Written by the clustering (newsetl.stories), never by the load: the story, and the content_hash it last saw.
ARTICLE_STORY_COLUMNS = {"story_id", "story_hash"}
MEDIA_PIPELINE_COLUMNS = {"media_id", "article_id"}
# Of a record's columns, those the load takes from staging's own columns rather than from the JSON record.
FROM_STAGING_COLUMNS = {"url", "source_id"}
PG_TYPES = {str: "text", int: "integer", datetime: "timestamp with time zone", list[str]: "text[]"}
UDT_TYPES = {"text": "text", "int4": "integer", "timestamptz": "timestamp with time zone", "_text": "text[]"}


def column_fields(record: type) -> dict[str, tuple[str, bool]]:
    """The record's fields that are table columns: name -> (Postgres type, nullable)."""
    hints = typing.get_type_hints(record)
    out = {}
    for f in fields(record):
        if f.name in NOT_COLUMNS[record]:
            continue
        hint: Any = hints[f.name]
        args = typing.get_args(hint)
        nullable = isinstance(hint, types.UnionType) and type(None) in args
        base = next(a for a in args if a is not type(None)) if nullable else hint
        out[f.name] = (PG_TYPES[base], nullable)
    return out


def sql(name: str) -> str:
    return (SQL_DIR / f"{name}.sql").read_text(encoding="utf-8")


def record_definition(text: str, alias: str) -> dict[str, str]:
    """The column definitions of ``AS <alias>(name type, …)`` in a jsonb_to_record(set) call."""
    match = re.search(rf"\bAS {alias}\(([^)]*)\)", text)
    assert match, alias
    pairs = [item.strip().split(None, 1) for item in match.group(1).split(",")]
    return {name: PG_TYPES.get(typ, typ).replace("timestamptz", "timestamp with time zone") for name, typ in pairs}


def insert_columns(text: str, table: str) -> list[str]:
    match = re.search(rf"INSERT INTO {re.escape(table)} AS \w+ \(([^)]*)\)", text)
    assert match, table
    return [c.strip() for c in match.group(1).split(",")]


def update_columns(text: str) -> set[str]:
    """The columns of the ON CONFLICT … DO UPDATE SET list."""
    match = re.search(r"DO UPDATE\s+SET (.*?)\n\s*WHERE", text, re.S)
    assert match
    return {item.split("=")[0].strip() for item in re.split(r",\s*(?=\w+ =)", match.group(1))}


@pytest.fixture(scope="module")
def table_columns(db: Engine) -> dict[str, dict[str, tuple[str, bool]]]:
    """news.article and news.media as migrated: column -> (type, nullable)."""
    query = sa.text(
        "SELECT table_name, column_name, udt_name, is_nullable FROM information_schema.columns "
        "WHERE table_schema = 'news' AND table_name IN ('article', 'media')"
    )
    out: dict[str, dict[str, tuple[str, bool]]] = {"article": {}, "media": {}}
    with db.connect() as conn:
        for row in conn.execute(query):
            out[row.table_name][row.column_name] = (UDT_TYPES.get(row.udt_name, row.udt_name), row.is_nullable == "YES")
    return out


def test_article_fields_are_the_article_table(table_columns) -> None:
    record = column_fields(Article)
    table = table_columns["article"]
    assert set(table) == set(record) | ARTICLE_PIPELINE_COLUMNS | ARTICLE_STORY_COLUMNS
    for name, (typ, nullable) in record.items():
        assert table[name][0] == typ, name
        # a list is stored as '{}' when empty, never null; url and source_id come from staging (a page read
        # outside the pipeline may lack them, a loaded one never does); others are null when they may be None
        assert table[name][1] == (nullable and not typ.endswith("[]") and name not in FROM_STAGING_COLUMNS), name


def test_media_fields_are_the_media_table(table_columns) -> None:
    record = column_fields(MediaItem)
    table = table_columns["media"]
    assert set(table) == set(record) | MEDIA_PIPELINE_COLUMNS
    for name, (typ, nullable) in record.items():
        assert table[name] == (typ, nullable), name


def test_the_load_reads_every_article_field_from_the_json_and_writes_it() -> None:
    text = sql("load_articles")
    record = column_fields(Article)
    from_json = record_definition(text, "j")
    assert from_json == {name: typ for name, (typ, _) in record.items() if name not in FROM_STAGING_COLUMNS}
    inserted = insert_columns(text, "news.article")
    assert len(inserted) == len(set(inserted))
    assert set(inserted) == set(record) | ARTICLE_PIPELINE_COLUMNS - {"article_id", "first_loaded_at", "updated_at"}
    # every written column is updated when the article changes, except its key and the day that first loaded it
    assert update_columns(text) == set(inserted) - {"source", "source_id", "day"} | {"updated_at"}


def test_the_media_step_reads_every_media_field_from_the_json_and_writes_it() -> None:
    text = sql("load_media")
    record = column_fields(MediaItem)
    assert record_definition(text, "m") == {name: typ for name, (typ, _) in record.items()}
    inserted = insert_columns(text, "news.media")
    assert set(inserted) == set(record) | {"article_id"}
    assert update_columns(text) == set(record) - {"position"}


def test_the_json_the_extract_stage_stores_has_every_field() -> None:
    """What the extract stage writes (Article.to_json) is what the load reads: every field, media included."""
    article = Article(
        parser="daum",
        url="u",
        source_id="1",
        title="t",
        press=None,
        reporters=[],
        emails=[],
        published_at=None,
        body_text="b",
        paragraphs=["b"],
        media=[],
        warnings=[],
    )
    assert set(article.to_json()) == {f.name for f in fields(Article)}
    assert Article.from_json(article.to_json()) == article
