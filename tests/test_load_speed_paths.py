"""The fast load paths of migration 0004: the article columns read in one pass over the staged JSON, search
written by the load into the GIN pending list (searchable at once, merged by newsetl.load.index_day), the
search trigger only for other writers, and a downgrade that restores 0003."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa
from alembic import command
from sqlalchemy.engine import URL, Engine

from newsetl.config import load_sources
from newsetl.db import empty_tables, sibling_database
from newsetl.db import engine as make_engine
from newsetl.load import index_day, load_day
from newsetl.media import media_day
from newsetl.migrate import alembic_config, upgrade
from newsetl.pipeline import run_pipeline
from tests.sample_day import DAY_ARTICLES

DAY = date(2025, 7, 3)
TERMS = ("정부", "소버린", "믿음", "반도체", "대통령", "KT", "the")


@pytest.fixture(scope="module")
def loaded(db: Engine, sample_site: str) -> Engine:
    empty_tables(db)
    run_pipeline(db, DAY, load_sources())
    return db


def search_hits(engine: Engine) -> dict[str, set[int]]:
    with engine.connect() as conn:
        return {
            t: set(conn.execute(sa.text("SELECT article_id FROM news.search_articles(:t)"), {"t": t}).scalars())
            for t in TERMS
        }


def substring_hits(engine: Engine) -> dict[str, set[int]]:
    with engine.connect() as conn:
        return {
            t: set(
                conn.execute(
                    sa.text(
                        "SELECT article_id FROM news.article "
                        "WHERE strpos(lower(title || ' ' || body_text), lower(:t)) > 0"
                    ),
                    {"t": t},
                ).scalars()
            )
            for t in TERMS
        }


def test_articles_are_the_staged_json(loaded: Engine) -> None:
    """jsonb_to_record gives what one ->> per field gave (arrays, null dates and all)."""
    with loaded.connect() as conn:
        differ = (
            conn.execute(
                sa.text("""
            SELECT a.source_id FROM news.article a
            JOIN staging.normalized_article n ON n.source = a.source AND n.source_id = a.source_id
            WHERE (a.title, a.press, a.reporters, a.emails, a.published_at, a.body_text, a.paragraphs, a.parser)
                  IS DISTINCT FROM
                  (n.data ->> 'title', n.data ->> 'press',
                   ARRAY(SELECT jsonb_array_elements_text(n.data -> 'reporters')),
                   ARRAY(SELECT jsonb_array_elements_text(n.data -> 'emails')),
                   CAST(n.data ->> 'published_at' AS timestamptz), n.data ->> 'body_text',
                   ARRAY(SELECT jsonb_array_elements_text(n.data -> 'paragraphs')), n.data ->> 'parser')
        """)
            )
            .scalars()
            .all()
        )
        n_articles = conn.execute(sa.text("SELECT count(*) FROM news.article")).scalar_one()
        n_media = conn.execute(sa.text("SELECT count(*) FROM news.media")).scalar_one()
        staged_media = conn.execute(
            sa.text(
                "SELECT count(*) FROM staging.normalized_article n, jsonb_array_elements(n.data -> 'media') "
                "WHERE EXISTS (SELECT 1 FROM news.article a WHERE a.source = n.source AND a.source_id = n.source_id)"
            )
        ).scalar_one()
    assert differ == [] and n_articles >= 50
    assert n_media == staged_media > 0


def stale_search(engine: Engine) -> int:
    """Articles whose search column is not the bigrams of their title and body."""
    with engine.connect() as conn:
        return conn.execute(
            sa.text(
                "SELECT count(*) FROM news.article "
                "WHERE search IS DISTINCT FROM news.bigrams(title || ' ' || body_text)"
            )
        ).scalar_one()


def test_search_is_written_by_the_load_and_current(loaded: Engine) -> None:
    assert stale_search(loaded) == 0


def test_search_finds_the_day_before_and_after_the_pending_list_merge(loaded: Engine) -> None:
    # run_pipeline merged the index already: load the staged day again without the index step
    empty_tables(loaded, ("news.media", "news.article_version", "news.article"))
    load_day(loaded, DAY, load_sources())
    media_day(loaded, DAY, load_sources())
    expected = substring_hits(loaded)
    assert expected["정부"] and expected["소버린"]
    assert search_hits(loaded) == expected  # straight after the load: the entries are in the pending list
    merged = index_day(loaded, DAY, load_sources())
    assert merged["merged_pages"] > 0  # the load left its entries pending, for this step to merge
    assert search_hits(loaded) == expected
    assert index_day(loaded, DAY, load_sources()) == {"merged_pages": 0}  # idempotent
    with loaded.connect() as conn:
        conn.execute(sa.text("SET LOCAL enable_seqscan = off"))
        plan = "\n".join(conn.execute(sa.text("EXPLAIN SELECT * FROM news.search_articles('정부')")).scalars())
    assert "article_search_idx" in plan


def test_trigger_fills_search_for_other_writers_only(loaded: Engine) -> None:
    with loaded.connect() as conn:  # rolled back: the module's warehouse stays as loaded
        conn.execute(
            sa.text(
                "INSERT INTO news.article (source, source_id, url, title, body_text, parser, "
                "content_hash, day, fetched_at) VALUES ('manual', 'm1', 'http://127.0.0.1/m1', "
                "'수동 입력', '반도체 공장', 'generic', 'x', '2025-07-03', now())"
            )
        )
        new = conn.execute(
            sa.text("SELECT search = news.bigrams(title || ' ' || body_text) FROM news.article WHERE source = 'manual'")
        ).scalar_one()
        # a writer that changes the text without search: recomputed; one that supplies search: kept as given
        conn.execute(sa.text("UPDATE news.article SET body_text = '소버린 펀드' WHERE source = 'manual'"))
        updated = conn.execute(
            sa.text("SELECT search = news.bigrams(title || ' ' || body_text) FROM news.article WHERE source = 'manual'")
        ).scalar_one()
        conn.execute(sa.text("UPDATE news.article SET body_text = '다른 글', search = 'zz' WHERE source = 'manual'"))
        supplied = conn.execute(sa.text("SELECT search::text FROM news.article WHERE source = 'manual'")).scalar_one()
        conn.rollback()
    assert new and updated and supplied == "'zz'"


def test_rows_staged_without_bigrams_get_search_from_the_trigger(loaded: Engine) -> None:
    """Articles normalized before 0003 have no bigrams: the load passes null and the trigger computes it."""
    sources = load_sources()
    try:
        with loaded.begin() as conn:
            conn.execute(sa.text("UPDATE staging.normalized_article SET bigrams = NULL"))
        empty_tables(loaded, ("news.media", "news.article_version", "news.article"))
        assert set(load_day(loaded, DAY, sources)) == {"loaded"}
        media_day(loaded, DAY, sources)
        assert stale_search(loaded) == 0
        assert search_hits(loaded) == substring_hits(loaded)
        assert load_day(loaded, DAY, sources) == {"unchanged": len(list(_article_ids(loaded)))}
    finally:  # the module's other tests expect the pipeline's own staging
        empty_tables(loaded)
        run_pipeline(loaded, DAY, sources)


def _article_ids(engine: Engine) -> list[int]:
    with engine.connect() as conn:
        return conn.execute(sa.text("SELECT article_id FROM news.article")).scalars().all()


def _schema_state(url: URL) -> dict[str, object]:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return {
                "triggers": sorted(
                    conn.execute(
                        sa.text(
                            "SELECT tgname FROM pg_trigger WHERE tgrelid = 'news.article'::regclass AND NOT tgisinternal"
                        )
                    ).scalars()
                ),
                "index_options": conn.execute(
                    sa.text("SELECT reloptions FROM pg_class WHERE oid = 'news.article_search_idx'::regclass")
                ).scalar_one(),
                "table_options": conn.execute(
                    sa.text("SELECT reloptions FROM pg_class WHERE oid = 'news.article'::regclass")
                ).scalar_one(),
                "compression": dict(
                    conn.execute(
                        sa.text(
                            "SELECT attrelid::regclass::text || '.' || attname, attcompression::text FROM pg_attribute "
                            "WHERE attrelid IN ('news.article'::regclass, 'staging.normalized_article'::regclass) "
                            "AND attname IN ('title', 'body_text', 'paragraphs', 'search', 'data', 'bigrams')"
                        )
                    ).all()
                ),
            }
    finally:
        engine.dispose()


def test_migration_0004_downgrades_to_0003_and_back(migration_db: URL) -> None:
    upgrade(migration_db)
    head = _schema_state(migration_db)
    assert head["triggers"] == ["article_fill_search_insert", "article_fill_search_update"]
    assert "gin_pending_list_limit=262144" in head["index_options"]
    assert "autovacuum_vacuum_insert_scale_factor=0" in head["table_options"]
    assert set(head["compression"].values()) == {"l"}  # lz4 (the embedded server is built with it)

    command.downgrade(alembic_config(migration_db), "0003")
    old = _schema_state(migration_db)
    assert old["triggers"] == ["article_fill_search"]
    assert old["index_options"] is None and old["table_options"] is None
    assert set(old["compression"].values()) == {""}  # the server default again

    upgrade(migration_db)
    assert _schema_state(migration_db) == head


def test_the_load_refreshes_the_statistics_it_plans_with(sample_site: str) -> None:
    """On a new database autoanalyze has not seen the staged rows; without statistics the planner chose
    nested loops that made a 5,000-article load 15x slower. load_day analyzes the join columns first."""
    from newsetl.discover import discover_day
    from newsetl.extract import extract_day
    from newsetl.fetch import fetch_day

    url = sibling_database("_analyze", fresh=True)
    upgrade(url)
    fresh = make_engine(url)
    sources = load_sources()
    try:
        for stage in (discover_day, fetch_day, extract_day):
            stage(fresh, DAY, sources)
        stats = sa.text(
            "SELECT count(*) FROM pg_stats WHERE schemaname = 'staging' "
            "AND tablename = 'normalized_article' AND attname IN ('source', 'url')"
        )
        with fresh.connect() as conn:
            assert conn.execute(stats).scalar_one() == 0
        assert load_day(fresh, DAY, sources)["loaded"] >= 50
        with fresh.connect() as conn:
            assert conn.execute(stats).scalar_one() == 2
    finally:
        fresh.dispose()
        sibling_database("_analyze", fresh=True)  # leave an empty database behind, not a day's copy


def _find(node: dict, name: str) -> dict | None:
    """The plan node of a CTE (its subplan name) in an EXPLAIN (FORMAT JSON) tree."""
    if node.get("Subplan Name") == name:
        return node
    for child in node.get("Plans", []):
        if found := _find(child, name):
            return found
    return None


def test_new_or_changed_articles_are_read_whole_before_the_insert_writes(loaded: Engine) -> None:
    """On an empty news.article the new/changed anti-join is a seq scan per staged article; run interleaved
    with the INSERT (as the INSERT's probe side, as on a 5,000-article day), every probe rescans the pages
    the INSERT has added so far: quadratic.  A sort on top makes the CTE read its whole input first."""
    from newsetl.sql import statement

    with loaded.connect() as conn:
        tx = conn.begin()
        conn.execute(sa.text("DELETE FROM news.media"))
        conn.execute(sa.text("DELETE FROM news.article"))
        conn.execute(sa.text("ANALYZE news.article"))  # as a new warehouse's table: planned as empty
        plan = conn.execute(
            sa.text("EXPLAIN (ANALYZE, FORMAT JSON) " + statement("load_articles").text),
            {"day": DAY, "sources": [s.name for s in load_sources()]},
        ).scalar_one()
        tx.rollback()
    changed = _find(plan[0]["Plan"], "CTE changed")
    assert (
        changed is not None and changed["Actual Rows"] == DAY_ARTICLES
    )  # the day of every source: Daum 40, board 12, press 40, Naver 20, wire 15
    assert changed["Node Type"] == "Sort", changed["Node Type"]  # blocking: nothing interleaves with it
