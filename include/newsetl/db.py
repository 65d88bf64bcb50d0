"""Warehouse connection: one URL, from NEWS_WAREHOUSE_URL or the project's embedded cluster."""

from __future__ import annotations

import os
from functools import cache

import sqlalchemy as sa
from sqlalchemy.engine import URL, Engine, make_url

EMBEDDED_PORT_ENV = "NEWS_PG_PORT"
DEFAULT_EMBEDDED_PORT = 55432


def embedded_url(database: str = "news") -> URL:
    """URL of the project's own cluster (scripts/pg.sh) on 127.0.0.1."""
    port = int(os.environ.get(EMBEDDED_PORT_ENV, DEFAULT_EMBEDDED_PORT))
    return URL.create("postgresql+psycopg2", username="postgres", host="127.0.0.1", port=port, database=database)


def warehouse_url() -> URL:
    """The warehouse: NEWS_WAREHOUSE_URL when set, else the embedded cluster's ``news`` database."""
    env = os.environ.get("NEWS_WAREHOUSE_URL")
    return coerce_url(env) if env else embedded_url()


def coerce_url(url: str | URL) -> URL:
    """Accept any postgres/postgresql URL (any driver); always use psycopg2, the pinned driver."""
    url = make_url(url) if isinstance(url, str) else url
    if url.drivername.split("+")[0] in ("postgres", "postgresql"):
        return url.set(drivername="postgresql+psycopg2")
    raise ValueError(f"the warehouse must be PostgreSQL, got a {url.drivername!r} URL")


@cache
def _engine(url_text: str) -> Engine:
    # values_plus_batch: executemany of text() statements goes out in pages, not one round trip per row.
    return sa.create_engine(
        url_text, pool_pre_ping=True, executemany_mode="values_plus_batch", executemany_batch_page_size=500
    )


def engine(url: str | URL | None = None) -> Engine:
    """A pooled engine per URL (cached per process)."""
    resolved = coerce_url(url) if url is not None else warehouse_url()
    return _engine(resolved.render_as_string(hide_password=False))


def sibling_database(suffix: str, base: str | URL | None = None, *, fresh: bool = False) -> URL:
    """A database beside ``base`` (default: the warehouse) named ``<base db><suffix>``, created if missing
    (dropped first when ``fresh``): tests, the fault matrix and the benchmark keep their data apart."""
    base_url = coerce_url(base) if base is not None else warehouse_url()
    name = f"{base_url.database}{suffix}"
    target = base_url.set(database=name)
    admin = sa.create_engine(base_url, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)
    quoted = admin.dialect.identifier_preparer.quote(name)  # an identifier, never a value
    try:
        with admin.connect() as conn:
            if fresh:
                conn.execute(sa.text(f"DROP DATABASE IF EXISTS {quoted} WITH (FORCE)"))
            exists = conn.execute(sa.text("SELECT 1 FROM pg_database WHERE datname = :d"), {"d": name})
            if not exists.first():
                conn.execute(sa.text(f"CREATE DATABASE {quoted}"))
    finally:
        admin.dispose()
    return target


# Every table the pipeline writes, in an order TRUNCATE accepts (media and versions before article).
WAREHOUSE_TABLES = (
    "news.media",
    "news.article_version",
    "news.story",
    "news.article",
    "news.crawl_url",
    "staging.raw_page",
    "staging.normalized_article",
    "staging.listing_cache",
)


def empty_tables(engine: Engine, tables: tuple[str, ...] = WAREHOUSE_TABLES) -> None:
    """TRUNCATE the given warehouse tables (ids restart): tests, the fault matrix and the benchmark start clean."""
    unknown = set(tables) - set(WAREHOUSE_TABLES)
    if unknown:
        raise ValueError(f"not a warehouse table: {sorted(unknown)}")
    with engine.begin() as conn:
        conn.execute(sa.text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))  # fixed names only
