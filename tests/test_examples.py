"""The analyst layer: every example query of include/newsetl/sql/examples.sql runs as the read-only role
against a warehouse loaded by the pipeline and returns the rows it should; the Korean text search uses
its index; every warehouse table and column is documented."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from newsetl.config import load_sources
from newsetl.db import empty_tables
from newsetl.pipeline import run_pipeline
from tests.sample_day import DAY_ARTICLES

EXAMPLES = Path(__file__).resolve().parents[1] / "include" / "newsetl" / "sql" / "examples.sql"
SEED_TITLE = "“이러다 쫄딱 망한다!” 너도나도 다 하는데…국민 통신사 KT, 결국"


def example_queries() -> dict[str, str]:
    """name -> SQL, split on the '-- name:' markers."""
    parts = re.split(r"^-- name: (\w+)\n", EXAMPLES.read_text(encoding="utf-8"), flags=re.M)
    return {name: sql.strip() for name, sql in zip(parts[1::2], parts[2::2], strict=True)}


@pytest.fixture(scope="module")
def warehouse(db: Engine, sample_site: str) -> Engine:
    empty_tables(db)
    for day in (date(2025, 7, 3), date(2025, 7, 4)):
        run_pipeline(db, day, load_sources())
    with db.begin() as conn:  # a text-only notice (the sample site's articles all carry photos), no date
        conn.execute(
            sa.text(
                "INSERT INTO news.article (source, source_id, url, title, press, body_text, parser, "
                "content_hash, day, fetched_at) VALUES ('sample_daum', '20250703235800998', "
                "'http://127.0.0.1/v/20250703235800998', '[알림] 사진 없는 공지', '연합뉴스', "
                "'사진이 없는 짧은 공지입니다.', 'daum', 'x', '2025-07-03', now())"
            )
        )
    from newsetl.stories import cluster_day

    for day in (date(2025, 7, 3), date(2025, 7, 4)):  # the wire desk's copies (sample_wire) make the stories
        cluster_day(db, day)
    with db.begin() as conn:  # one URL that failed, as a real day may have
        conn.execute(
            sa.text(
                "INSERT INTO news.crawl_url (day, source, url, source_id, state, reason, http_status) "
                "VALUES ('2025-07-03', 'sample_daum', 'http://127.0.0.1/v/20250703235900999', "
                "'20250703235900999', 'failed', 'HTTP 503', 503)"
            )
        )
    return db


WIRE_DAY = date(2025, 7, 4)  # the day the story examples name


def _wire_presses_per_story(day: date) -> list[int]:
    """Presses of each of the wire desk's stories of the day (agency and copies), most first."""
    from newsetl_tools.sample_site import wire

    pages = wire.day_pages(day)
    return sorted((len({p.press for p in pages if p.story == s}) for s in {p.story for p in pages}), reverse=True)


def _wire_copy_presses(day: date, agency: str | None = None) -> set[str]:
    """The presses that republish the wire desk's stories of the day (of one agency's, when given)."""
    from newsetl_tools.sample_site import wire

    return {p.press for p in wire.day_pages(day) if p.copy > 0 and agency in (None, p.agency)}


def run_as_reader(engine: Engine, sql: str) -> list[dict]:
    with engine.connect() as conn, conn.begin():
        conn.execute(sa.text("SET LOCAL ROLE news_reader"))
        rows = [dict(r._mapping) for r in conn.execute(sa.text(sql))]
        with pytest.raises(sa.exc.ProgrammingError, match="permission denied"):  # and it is read-only
            with conn.begin_nested():
                conn.execute(sa.text("DELETE FROM news.article"))
    return rows


def _top_presses(rows: list[dict]) -> None:
    counts = [r["articles"] for r in rows]
    assert counts == sorted(counts, reverse=True) and counts[0] >= 2
    assert "헤럴드경제" in {r["press"] for r in rows} or len(rows) == 10


def _term_in_range(rows: list[dict]) -> None:
    titles = {r["title"] for r in rows}
    assert SEED_TITLE in titles  # 정부 appears inside 이재명 정부 / 정부세종컨벤션센터 in the seed
    assert all(str(r["published_at"].date()) in ("2025-07-03", "2025-07-02") for r in rows)


CHECKS: dict[str, Callable[[list[dict]], None]] = {
    "top_presses_of_the_day": _top_presses,
    "term_in_date_range": _term_in_range,
    "term_inside_compound_words": lambda rows: assert_(
        len(rows) == 2 and all(r["title"] == SEED_TITLE for r in rows)
    ),  # seed on both days
    "images_credited_to_yonhap": lambda rows: assert_(
        len(rows) >= 2 and all("연합" in r["credit"] for r in rows) and any(r["title"] == SEED_TITLE for r in rows)
    ),
    "articles_without_images": lambda rows: assert_([r["title"] for r in rows] == ["[알림] 사진 없는 공지"]),
    # across sources, or within the wire desk, whose presses republish one agency story under near titles
    "duplicate_stories_across_sources": lambda rows: assert_(
        len(rows) >= 11
        and all(r["similarity"] >= 0.6 for r in rows)
        and all(r["first_source"] != r["second_source"] or r["first_source"] == "sample_wire" for r in rows)
    ),
    "failed_urls_of_the_day": lambda rows: assert_(
        [(r["state"], r["reason"]) for r in rows] == [("failed", "HTTP 503")]
    ),
    "url_states_per_day": lambda rows: assert_(
        {(str(r["day"]), r["state"]): r["urls"] for r in rows}
        == {("2025-07-03", "failed"): 1, ("2025-07-03", "loaded"): DAY_ARTICLES, ("2025-07-04", "loaded"): DAY_ARTICLES}
    ),
    # DAY_ARTICLES (127) a day: Daum's 40, the board's 12, the press section's 40 (list, feed, sitemap), Naver-style
    # 20, the wire desk's 15; 김동윤 (corpus 001) is on all three
    "most_active_reporters": lambda rows: assert_(
        rows[0]["articles"] >= rows[-1]["articles"] and any(r["reporter"] == "김동윤" for r in rows)
    ),
    "articles_per_hour_kst": lambda rows: assert_(
        sum(r["articles"] for r in rows) == DAY_ARTICLES and all(0 <= r["hour_kst"] <= 23 for r in rows)
    ),
    # the seed's two KT photos, on both days
    "credits_per_press": lambda rows: assert_(
        ("헤럴드경제", "KT 제공", 4) in {(r["press"], r["credit"], r["images"]) for r in rows}
    ),
    "daily_press_counts_view": lambda rows: assert_(sum(r["articles"] for r in rows) == DAY_ARTICLES),
    # never corrected here (tests/test_article_history.py runs it on a corrected one): only its version 1
    "corrections_of_an_article": lambda rows: assert_(
        [(r["version"], r["title_after"], r["summary"]) for r in rows] == [(1, None, None)]
    ),
    # The wire desk (sample_wire) republishes 3 agency stories a day, under 4, 3 and 5 other presses: the top
    # stories span at least that many presses (other sources may carry the same story too), best first.
    "top_stories_of_the_day": lambda rows: assert_(
        len(rows) == 10
        and [r["n_presses"] for r in rows] == sorted((r["n_presses"] for r in rows), reverse=True)
        and all(r["n_presses"] >= need for r, need in zip(rows, _wire_presses_per_story(WIRE_DAY), strict=False))
    ),
    "who_published_first": lambda rows: assert_(
        all(sum(r["first"] for r in rows if r["story_id"] == s) == 1 for s in {r["story_id"] for r in rows})
        and all(r["minutes_after_first"] == 0 for r in rows if r["first"])
        and all(r["minutes_after_first"] >= 0 for r in rows)
        and _wire_copy_presses(WIRE_DAY) <= {r["press"] for r in rows if not r["first"]}
    ),
    # stories 연합뉴스 published first (the wire desk's among them): the presses that carry them, most first
    "presses_republishing_an_agency": lambda rows: assert_(
        bool(rows)
        and [r["stories"] for r in rows] == sorted((r["stories"] for r in rows), reverse=True)
        and "연합뉴스" not in {r["press"] for r in rows}
        and bool(_wire_copy_presses(WIRE_DAY, agency="연합뉴스") & {r["press"] for r in rows})
    ),
}


def assert_(condition: bool) -> None:
    assert condition


def test_every_example_has_a_check_and_there_are_at_least_ten() -> None:
    names = example_queries()
    assert len(names) >= 10
    assert set(names) == set(CHECKS)
    text = EXAMPLES.read_text(encoding="utf-8")
    for name in names:  # a comment under each name says what it answers
        assert re.search(rf"^-- name: {name}\n-- \S", text, flags=re.M), name


@pytest.mark.parametrize("name", sorted(CHECKS))
def test_example_query_returns_what_it_should(warehouse: Engine, name: str) -> None:
    rows = run_as_reader(warehouse, example_queries()[name])
    CHECKS[name](rows)


def test_korean_search_finds_terms_inside_words(warehouse: Engine) -> None:
    with warehouse.connect() as conn:

        def hits(term: str) -> set[str]:
            return set(conn.execute(sa.text("SELECT title FROM news.search_articles(:t)"), {"t": term}).scalars())

        assert SEED_TITLE in hits("소버린")  # 소버린 AI
        assert SEED_TITLE in hits("정부")  # two syllables inside 이재명 정부, 정부세종컨벤션센터
        assert SEED_TITLE in hits("믿음")  # before particles: 믿음을, 믿음 2.0
        assert SEED_TITLE not in hits("반도체")  # the seed never says it
        body_hits = conn.execute(
            sa.text("SELECT count(*) FROM news.article WHERE strpos(title || ' ' || body_text, '정부') > 0")
        ).scalar_one()
        assert len(hits("정부")) == len(
            set(
                conn.execute(
                    sa.text("SELECT title FROM news.article WHERE strpos(title || ' ' || body_text, '정부') > 0")
                ).scalars()
            )
        )
        assert body_hits >= 2


def test_every_table_view_and_column_has_a_comment(warehouse: Engine) -> None:
    with warehouse.connect() as conn:
        missing = (
            conn.execute(
                sa.text("""
            SELECT c.table_schema || '.' || c.table_name || '.' || c.column_name
            FROM information_schema.columns c
            JOIN pg_class t ON t.relname = c.table_name
            JOIN pg_namespace n ON n.oid = t.relnamespace AND n.nspname = c.table_schema
            WHERE c.table_schema IN ('news', 'staging')
              AND col_description(t.oid, c.ordinal_position) IS NULL
            UNION ALL
            SELECT n.nspname || '.' || t.relname FROM pg_class t JOIN pg_namespace n ON n.oid = t.relnamespace
            WHERE n.nspname IN ('news', 'staging') AND t.relkind IN ('r', 'v') AND obj_description(t.oid) IS NULL
        """)
            )
            .scalars()
            .all()
        )
    assert missing == []


@pytest.mark.slow
def test_search_uses_the_index_on_20000_articles(warehouse: Engine) -> None:
    """Both a three- and a two-syllable term go through the GIN bigram index, on a 20,000-article table."""
    with warehouse.begin() as conn:
        conn.execute(
            sa.text("""
            INSERT INTO news.article (source, source_id, url, title, press, reporters, emails, published_at, body_text,
                                      paragraphs, parser, content_hash, day, fetched_at)
            SELECT 'synthetic', 's' || g, 'http://127.0.0.1/synthetic/' || g, t.words, NULL, '{}', '{}',
                   timestamptz '2025-01-01 00:00+09' + g * interval '20 minutes', t.words, '{}', 'generic', 'x',
                   '2025-01-01', now()
            FROM generate_series(1, 20000 - (SELECT count(*) FROM news.article)) g
            -- text of random Hangul syllables: realistic selectivity (a real term is rare, not in every row)
            CROSS JOIN LATERAL (SELECT string_agg(chr(44032 + (random() * 11171)::int)
                                                  || CASE WHEN i % 4 = 0 THEN ' ' ELSE '' END, '') AS words
                                FROM generate_series(1, 240 + g % 7) i) t
        """)
        )
    # as autovacuum leaves a table after a bulk load: the GIN pending list merged, statistics current
    with warehouse.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(sa.text("VACUUM ANALYZE news.article"))
    with warehouse.connect() as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM news.article")).scalar_one() == 20000
        for term in ("반도체", "정부"):
            plan = "\n".join(
                conn.execute(sa.text("EXPLAIN SELECT * FROM news.search_articles(:t)"), {"t": term}).scalars()
            )
            assert "article_search_idx" in plan, plan
            print(
                f"EXPLAIN search {term}:",
                next(line.strip() for line in plan.splitlines() if "article_search_idx" in line),
            )
    with warehouse.begin() as conn:
        conn.execute(sa.text("DELETE FROM news.article WHERE source = 'synthetic'"))


def test_python_bigrams_equal_the_sql_function_on_every_fixture_page(warehouse: Engine) -> None:
    """The normalize stage computes the bigrams the load writes; queries use news.bigram_array: same rules."""
    import json

    from newsetl.search import bigrams

    pages = sorted((Path(__file__).parent / "fixtures" / "pages").glob("*.json"))
    with warehouse.connect() as conn:
        for page in pages:
            data = json.loads(page.read_text(encoding="utf-8"))
            text = " ".join(
                [data.get("title") or "", data.get("body_text") or "\n\n".join(data.get("paragraphs", []))]
                + [f"{m.get('caption') or ''} {m.get('alt') or ''}" for m in data.get("media", [])]
            )
            sql = conn.execute(sa.text("SELECT news.bigram_array(:t)"), {"t": text}).scalar_one()
            assert bigrams(text) == sorted(sql), page.name


def test_search_column_is_current_for_pipeline_and_manual_writes(warehouse: Engine) -> None:
    with warehouse.connect() as conn:  # rolled back at the end: the shared warehouse stays as loaded
        stale = conn.execute(
            sa.text("SELECT count(*) FROM news.article WHERE search <> news.bigrams(title || ' ' || body_text)")
        ).scalar_one()
        assert stale == 0
        # an analyst's manual fix of a title: the trigger recomputes search
        conn.execute(
            sa.text(
                "UPDATE news.article SET title = title || ' 반도체' WHERE article_id = "
                "(SELECT min(article_id) FROM news.article)"
            )
        )
        hit = conn.execute(
            sa.text(
                "SELECT count(*) FROM news.search_articles('반도체') WHERE article_id = "
                "(SELECT min(article_id) FROM news.article)"
            )
        ).scalar_one()
        assert hit == 1
        conn.rollback()


def test_python_bigrams_equal_the_sql_function_on_edge_cases(warehouse: Engine) -> None:
    """Greek final sigma, dotted İ, Roman numerals, circled letters, separators, text beyond the BMP."""
    from newsetl.search import bigrams
    from tests.test_search import EDGE

    with warehouse.connect() as conn:
        sql = conn.execute(sa.text("SELECT news.bigram_array(:t)"), {"t": EDGE}).scalar_one()
    assert bigrams(EDGE) == sorted(sql)
