"""Article history (issue 18): every content change of an article is kept in news.article_version and
news.article_correction lists the corrections. A day of the sample site's Daum source is loaded, rerun
unchanged, then rerun with force_refetch against the same site switched to its corrected pages
(sample_site/revisions.py), then rerun identically again."""

from __future__ import annotations

import datetime as dt
import os
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
import sqlalchemy as sa
from alembic import command
from sqlalchemy.engine import URL, Engine

from newsetl.config import load_sources
from newsetl.db import empty_tables
from newsetl.db import engine as make_engine
from newsetl.migrate import alembic_config, upgrade
from newsetl.options import RunOptions
from newsetl.pipeline import run_pipeline
from newsetl_tools.sample_site import make_server, revisions, site
from newsetl_tools.sample_site.server import SampleSiteServer
from tests.test_examples import example_queries, run_as_reader
from tests.test_pipeline import snapshot

DAY = dt.date(2025, 7, 3)
ARTICLES = 40  # the sample site's Daum day
REVISED_IDS = {site.article_id(DAY, seq) for seq in range(1, ARTICLES + 1) if revisions.is_revised(seq)}
SUMMARY = re.compile(r"^title changed; body: 1 paragraphs changed, 1 added, 0 removed; \+(\d+)/-(\d+) chars$")
FORCE = RunOptions(force_refetch=True)


@dataclass(frozen=True)
class History:
    """Snapshots (every row with its xmin) and URL states after each run of the day."""

    first: dict[str, list[tuple]]
    plain_rerun: dict[str, list[tuple]]
    refetched_rerun: dict[str, list[tuple]]
    revised: dict[str, list[tuple]]
    revised_again: dict[str, list[tuple]]
    revised_states: dict[str, int]
    revised_again_states: dict[str, int]


@pytest.fixture(scope="module")
def revisable_site() -> Iterator[SampleSiteServer]:
    """A sample site of its own, whose corrections switch the test flips between runs (same URLs)."""
    server = make_server(revised=False)
    thread = threading.Thread(target=server.serve_forever, name="sample-site-history", daemon=True)
    thread.start()
    previous = os.environ.get("NEWS_SAMPLE_SITE_URL")
    os.environ["NEWS_SAMPLE_SITE_URL"] = server.base_url
    try:
        yield server
    finally:
        if previous is None:
            os.environ.pop("NEWS_SAMPLE_SITE_URL", None)
        else:
            os.environ["NEWS_SAMPLE_SITE_URL"] = previous
        server.shutdown()
        server.server_close()
        thread.join()


def url_states(engine: Engine) -> dict[str, int]:
    with engine.connect() as conn:
        rows = conn.execute(
            sa.text("SELECT state, count(*) FROM news.crawl_url WHERE day = :d GROUP BY state"), {"d": DAY}
        )
        return {state: count for state, count in rows}


@pytest.fixture(scope="module")
def history(db: Engine, revisable_site: SampleSiteServer) -> History:
    empty_tables(db)
    sources = load_sources(["sample_daum"])
    run_pipeline(db, DAY, sources)
    first = snapshot(db)
    run_pipeline(db, DAY, sources)  # the stored pages, nothing downloaded again
    plain_rerun = snapshot(db)
    run_pipeline(db, DAY, sources, FORCE)  # every page downloaded again, none changed
    refetched_rerun = snapshot(db)
    revisable_site.revised = True
    try:
        run_pipeline(db, DAY, sources, FORCE)
        revised, revised_states = snapshot(db), url_states(db)
        run_pipeline(db, DAY, sources, FORCE)
        revised_again, revised_again_states = snapshot(db), url_states(db)
    finally:
        revisable_site.revised = False
    return History(first, plain_rerun, refetched_rerun, revised, revised_again, revised_states, revised_again_states)


def rows(engine: Engine, sql: str) -> list[sa.Row]:
    with engine.connect() as conn:
        return list(conn.execute(sa.text(sql)))


def test_the_first_load_writes_version_1_of_every_article(history: History) -> None:
    assert len(history.first["article"]) == ARTICLES
    assert len(history.first["article_version"]) == ARTICLES
    assert {v[2] for v in history.first["article_version"]} == {1}  # (xmin, article_id, version, …)


def test_version_1_is_the_content_first_loaded(db: Engine, history: History) -> None:
    differ = rows(
        db,
        "SELECT a.source_id FROM news.article a JOIN news.article_version v ON v.article_id = a.article_id "
        "AND v.version = 1 WHERE (a.title, a.body_text, a.paragraphs, a.modified_at, a.content_hash, a.first_loaded_at) "
        "IS DISTINCT FROM (v.title, v.body_text, v.paragraphs, v.modified_at, v.content_hash, v.seen_at)",
    )
    assert {r.source_id for r in differ} == REVISED_IDS  # the others are still as first loaded


def test_a_rerun_without_changes_writes_no_version(history: History) -> None:
    assert history.plain_rerun == history.first  # not one row rewritten (xmin unchanged), no row added
    assert history.refetched_rerun == history.first  # nor when every page was downloaded again


def test_corrected_articles_get_version_2_and_the_article_row_the_new_content(db: Engine, history: History) -> None:
    assert history.revised_states == {"loaded": len(REVISED_IDS), "unchanged": ARTICLES - len(REVISED_IDS)}
    assert len(REVISED_IDS) == 5
    found = rows(
        db,
        "SELECT a.source_id, a.title, a.body_text, a.modified_at, a.published_at, a.updated_at, a.content_hash, "
        "v.title AS v_title, v.content_hash AS v_hash, v.seen_at, v.modified_at AS v_modified, "
        "w.title AS old_title, w.content_hash AS old_hash, w.seen_at AS old_seen "
        "FROM news.article a JOIN news.article_version v ON v.article_id = a.article_id AND v.version = 2 "
        "JOIN news.article_version w ON w.article_id = a.article_id AND w.version = 1",
    )
    assert {r.source_id for r in found} == REVISED_IDS
    assert rows(db, "SELECT max(version) FROM news.article_version")[0][0] == 2
    for r in found:
        assert r.title == r.v_title == r.old_title + revisions.CORRECTED_TITLE_SUFFIX
        assert revisions.ADDED_PARAGRAPH in r.body_text and revisions.CHANGED_SENTENCE.strip() in r.body_text
        assert r.content_hash == r.v_hash != r.old_hash
        assert r.modified_at == r.v_modified == r.published_at + dt.timedelta(minutes=revisions.REVISED_AFTER_MINUTES)
        assert r.seen_at == r.updated_at and r.old_seen < r.seen_at  # the load's own transaction time


def test_the_correction_view_lists_exactly_the_corrections(db: Engine, history: History) -> None:
    found = rows(
        db,
        "SELECT c.*, a.source_id, a.title AS current_title, "
        "(SELECT sum(char_length(p)) FROM unnest(v2.paragraphs) p) - "
        "(SELECT sum(char_length(p)) FROM unnest(v1.paragraphs) p) AS grown "
        "FROM news.article_correction c JOIN news.article a USING (article_id) "
        "JOIN news.article_version v1 ON v1.article_id = c.article_id AND v1.version = 1 "
        "JOIN news.article_version v2 ON v2.article_id = c.article_id AND v2.version = 2",
    )
    assert {r.source_id for r in found} == REVISED_IDS
    for r in found:
        assert (r.source, r.version) == ("sample_daum", 2)
        assert r.title_after == r.current_title == r.title_before + revisions.CORRECTED_TITLE_SUFFIX
        assert r.previous_seen_at < r.seen_at
        match = SUMMARY.match(r.summary)
        assert match, r.summary
        added, removed = int(match.group(1)), int(match.group(2))
        # the chars of the new paragraphs (the changed one and the added one) minus those of the replaced one
        assert removed > 0 and added > removed + len(revisions.ADDED_PARAGRAPH)
        assert added - removed == r.grown


def test_an_identical_rerun_after_the_correction_writes_nothing(history: History) -> None:
    assert history.revised_again == history.revised
    assert history.revised_again_states == {"unchanged": ARTICLES}


def test_the_corrections_example_query_shows_a_corrected_articles_history(db: Engine, history: History) -> None:
    found = run_as_reader(db, example_queries()["corrections_of_an_article"])
    assert [r["version"] for r in found] == [1, 2]
    assert found[0]["summary"] is None and SUMMARY.match(found[1]["summary"])
    assert found[1]["title"] == found[0]["title"] + revisions.CORRECTED_TITLE_SUFFIX


def test_the_revised_switch_is_off_by_default_and_read_from_the_environment(monkeypatch) -> None:
    monkeypatch.delenv(revisions.REVISED_ENV, raising=False)
    off = make_server()
    off.server_close()
    monkeypatch.setenv(revisions.REVISED_ENV, "1")
    on = make_server()
    on.server_close()
    assert (off.revised, on.revised) == (False, True)


def history_relations(engine: Engine) -> tuple[str | None, str | None]:
    with engine.connect() as conn:
        found = conn.execute(
            sa.text("SELECT to_regclass('news.article_version')::text, to_regclass('news.article_correction')::text")
        ).one()
    return found[0], found[1]


def test_migration_0011_backfills_version_1_and_downgrades_to_0010_and_back(migration_db: URL) -> None:
    upgrade(migration_db, "0010")
    engine = make_engine(migration_db)
    try:
        with engine.begin() as conn:  # an article loaded before 0011, last rewritten at 12:00 KST
            conn.execute(
                sa.text(
                    "INSERT INTO news.article (source, source_id, url, title, press, body_text, paragraphs, parser, "
                    "content_hash, day, fetched_at, updated_at) VALUES ('sample_daum', '1', 'http://127.0.0.1/v/1', "
                    "'제목', '연합뉴스', '첫 문단', '{첫 문단}', 'daum', 'h1', '2025-07-03', now(), "
                    "'2025-07-03 12:00+09')"
                )
            )
        upgrade(migration_db)
        with engine.connect() as conn:
            versions = conn.execute(
                sa.text("SELECT version, content_hash, title, paragraphs, seen_at FROM news.article_version")
            ).all()
            assert [tuple(v) for v in versions] == [
                (1, "h1", "제목", ["첫 문단"], dt.datetime(2025, 7, 3, 3, 0, tzinfo=dt.UTC))
            ]
            compression = conn.execute(
                sa.text(
                    "SELECT attname, attcompression::text FROM pg_attribute WHERE attrelid = "
                    "'news.article_version'::regclass AND attname IN ('title', 'body_text', 'paragraphs')"
                )
            ).all()
            assert dict(compression) == dict.fromkeys(("title", "body_text", "paragraphs"), "l")  # lz4 as 0004
            conn.execute(sa.text("SET ROLE news_reader"))  # granted like every other table and view
            assert conn.execute(sa.text("SELECT count(*) FROM news.article_correction")).scalar_one() == 0
            conn.rollback()
        command.downgrade(alembic_config(migration_db), "0010")
        assert history_relations(engine) == (None, None)
        upgrade(migration_db)
        assert history_relations(engine) == ("news.article_version", "news.article_correction")
    finally:
        engine.dispose()
