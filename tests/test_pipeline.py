"""The day's stages against the real sample site and a real Postgres, without Airflow."""

from __future__ import annotations

from datetime import date, datetime

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from newsetl.config import load_sources
from newsetl.days import KST
from newsetl.discover import discover_day
from newsetl.extract import extract_day
from newsetl.fetch import fetch_day
from newsetl.load import load_day
from newsetl.media import media_day
from newsetl.options import Batch, RunOptions
from newsetl.pipeline import pending_work, run_pipeline
from newsetl.quality import QualityError, check_day
from tests.sample_day import DAY_ARTICLES, SAMPLE_DAY_BY_SOURCE

DAY = date(2025, 7, 3)
SEED_TITLE = "“이러다 쫄딱 망한다!” 너도나도 다 하는데…국민 통신사 KT, 결국"

# Every column of the warehouse tables plus xmin: a row rewritten with equal values still shows up.
SNAPSHOT_SQL = {
    "article": "SELECT xmin::text AS xmin, a.* FROM news.article a ORDER BY article_id",
    "media": "SELECT xmin::text AS xmin, m.* FROM news.media m ORDER BY media_id",
    "article_version": "SELECT xmin::text AS xmin, v.* FROM news.article_version v ORDER BY article_id, version",
}


def snapshot(engine: Engine) -> dict[str, list[tuple]]:
    with engine.connect() as conn:
        return {name: [tuple(r) for r in conn.execute(sa.text(sql))] for name, sql in SNAPSHOT_SQL.items()}


def scalar(engine: Engine, sql: str, **params) -> object:
    with engine.connect() as conn:
        return conn.execute(sa.text(sql), params).scalar_one()


def pairs(engine: Engine, sql: str, **params) -> dict:
    """A two-column query as a dict."""
    with engine.connect() as conn:
        return dict(conn.execute(sa.text(sql), params).all())


def one(engine: Engine, sql: str, **params) -> tuple:
    with engine.connect() as conn:
        return tuple(conn.execute(sa.text(sql), params).one())


@pytest.fixture
def loaded_day(clean_db: Engine, sample_site: str) -> Engine:
    run_pipeline(clean_db, DAY, load_sources())
    return clean_db


def test_day_lands_articles_and_media(loaded_day: Engine) -> None:
    db = loaded_day
    per_source = pairs(db, "SELECT source, count(*) FROM news.article GROUP BY source")
    assert per_source == SAMPLE_DAY_BY_SOURCE
    states = pairs(db, "SELECT state, count(*) FROM news.crawl_url GROUP BY state")
    assert states == {"loaded": DAY_ARTICLES}
    # every Daum article is published on the served day, in Seoul time
    outside = scalar(
        db,
        "SELECT count(*) FROM news.article WHERE source = 'sample_daum' AND "
        "(published_at AT TIME ZONE 'Asia/Seoul')::date <> :d",
        d=DAY,
    )
    assert outside == 0
    assert scalar(db, "SELECT count(*) FROM news.media") > 40
    assert scalar(db, "SELECT count(*) FROM news.article WHERE body_text = '' OR title = ''") == 0


def test_seed_repost_is_parsed_into_article_and_media(loaded_day: Engine) -> None:
    with loaded_day.connect() as conn:
        art = (
            conn.execute(
                sa.text("SELECT * FROM news.article WHERE source = 'sample_board' AND source_id = :id"),
                {"id": "202507030" + "1"},
            )
            .mappings()
            .one()
        )
        media = (
            conn.execute(
                sa.text("SELECT * FROM news.media WHERE article_id = :a ORDER BY position"), {"a": art["article_id"]}
            )
            .mappings()
            .all()
        )
    assert art["title"] == SEED_TITLE
    assert art["press"] == "헤럴드경제"
    assert art["reporters"] == ["고재우"]
    assert art["published_at"] == datetime(2025, 7, 3, 20, 0, tzinfo=KST)
    assert len(art["paragraphs"]) == 16
    assert art["paragraphs"][-1].endswith("투트랙 전략을 지속할 것”이라고 답변했다.")
    for junk in ("Copyright", "무단전재", "관련자료", "등록된 댓글", "[헤럴드경제=고재우 기자]"):
        assert junk not in art["body_text"]
    assert [m["position"] for m in media] == [1, 2, 3]
    assert [m["image_url"].rsplit("/", 1)[1] for m in media] == [
        "20250703184142565jsye.jpg",
        "20250703184142859xqog.jpg",
        "20250703184143172wlsl.jpg",
    ]
    assert [m["width"] for m in media] == [860, 865, 1280]
    assert [m["credit"] for m in media] == ["KT 제공", "KT 제공", "연합"]
    assert media[1]["caption"] == "KT 광화문 East사옥 전경."
    assert all("[" not in m["caption"] for m in media)
    assert media[0]["thumbnail_url"].startswith("https://img4.daumcdn.net/thumb/")


def test_rerun_of_the_day_changes_nothing(loaded_day: Engine) -> None:
    before = snapshot(loaded_day)
    counts = run_pipeline(loaded_day, DAY, load_sources())
    assert snapshot(loaded_day) == before  # not one row rewritten (xmin unchanged)
    assert counts["fetch"].get("fetched", 0) == 0  # stored pages are not downloaded again
    assert counts["load"] == {"unchanged": DAY_ARTICLES}
    assert counts["check"] == {"unchanged": DAY_ARTICLES}


def test_pending_work_counts_what_the_mapped_stages_would_do(loaded_day: Engine) -> None:
    """The plan task sizes the fetch/extract batches by these counts (both zero on a rerun)."""
    db, sources = loaded_day, load_sources()
    assert pending_work(db, DAY, sources) == {"fetch": 0, "extract": 0}
    assert pending_work(db, DAY, sources, RunOptions(force_refetch=True, reextract=True)) == {
        "fetch": DAY_ARTICLES,
        "extract": DAY_ARTICLES,
    }
    with db.begin() as conn:  # one article's normalization lost, another page never stored
        conn.execute(
            sa.text(
                "DELETE FROM staging.normalized_article WHERE url = (SELECT min(url) FROM staging.normalized_article)"
            )
        )
        conn.execute(sa.text("DELETE FROM staging.raw_page WHERE url = (SELECT max(url) FROM staging.raw_page)"))
    assert pending_work(db, DAY, sources) == {"fetch": 1, "extract": 1}


@pytest.mark.parametrize("stage", ["discover", "fetch", "extract", "load", "media"])
def test_clearing_any_task_changes_nothing(loaded_day: Engine, stage: str) -> None:
    sources = load_sources()
    before = snapshot(loaded_day)
    stages = {
        "discover": discover_day,
        "fetch": fetch_day,
        "extract": extract_day,
        "load": load_day,
        "media": media_day,
    }
    stages[stage](loaded_day, DAY, sources)
    # a cleared task reruns its downstream too
    order = list(stages)
    for later in order[order.index(stage) + 1 :]:
        stages[later](loaded_day, DAY, sources)
    assert snapshot(loaded_day) == before


def test_reextract_rebuilds_from_stored_pages_without_changing_the_warehouse(loaded_day: Engine) -> None:
    sources = load_sources()
    before = snapshot(loaded_day)
    assert extract_day(loaded_day, DAY, sources, RunOptions(reextract=True)) == {"extracted": DAY_ARTICLES}
    load_day(loaded_day, DAY, sources)
    media_day(loaded_day, DAY, sources)
    assert snapshot(loaded_day) == before


def test_long_batches_are_written_in_several_statements_with_the_same_result(
    loaded_day: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A batch whose text passes WRITE_CHARS is cut into several writes (as a day of long articles is)."""
    import newsetl.extract as extract

    sources = load_sources()
    before = snapshot(loaded_day)
    with loaded_day.connect() as conn:
        staged = conn.execute(
            sa.text("SELECT url, content_hash, data, bigrams FROM staging.normalized_article ORDER BY url")
        ).all()
    monkeypatch.setattr(extract, "WRITE_CHARS", 20_000)  # a few articles per statement
    writes = []
    real_statement = extract.statement
    monkeypatch.setattr(extract, "statement", lambda name: writes.append(name) or real_statement(name))
    assert extract_day(loaded_day, DAY, sources, RunOptions(reextract=True)) == {"extracted": DAY_ARTICLES}
    assert writes.count("extract_upsert") > 3
    with loaded_day.connect() as conn:
        assert (
            conn.execute(
                sa.text("SELECT url, content_hash, data, bigrams FROM staging.normalized_article ORDER BY url")
            ).all()
            == staged
        )
    load_day(loaded_day, DAY, sources)
    media_day(loaded_day, DAY, sources)
    assert snapshot(loaded_day) == before


def test_changed_page_updates_its_article_in_place(loaded_day: Engine) -> None:
    db, sources = loaded_day, load_sources()
    url, article_id, n_media = one(
        db,
        "SELECT a.url, a.article_id, count(m.*) FROM news.article a JOIN news.media m USING (article_id) "
        "WHERE a.source = 'sample_daum' GROUP BY a.url, a.article_id ORDER BY a.article_id LIMIT 1",
    )
    before = snapshot(db)
    # The site edits the article: the first figure is removed and a sentence appended.
    with db.begin() as conn:
        body = conn.execute(sa.text("SELECT body FROM staging.raw_page WHERE url = :u"), {"u": url}).scalar_one()
        text = bytes(body).decode("utf-8")
        start = text.index("<figure")
        text = text[:start] + text[text.index("</figure>", start) + len("</figure>") :]
        text = text.replace("</section>", '<p dmcf-ptype="general">정정 보도: 문장을 고쳤다.</p></section>', 1)
        conn.execute(
            sa.text("UPDATE staging.raw_page SET body = :b, body_sha256 = 'edited' WHERE url = :u"),
            {"b": text.encode("utf-8"), "u": url},
        )
    assert extract_day(db, DAY, sources) == {"extracted": 1}
    assert load_day(db, DAY, sources) == {"loaded": 1, "unchanged": DAY_ARTICLES - 1}
    media_day(db, DAY, sources)
    after = snapshot(db)
    changed = [a for a, b in zip(before["article"], after["article"], strict=True) if a != b]
    assert len(changed) == 1 and changed[0][1] == article_id  # same id: updated in place
    body_text = scalar(db, "SELECT body_text FROM news.article WHERE article_id = :a", a=article_id)
    assert body_text.endswith("정정 보도: 문장을 고쳤다.")
    assert scalar(db, "SELECT count(*) FROM news.media WHERE article_id = :a", a=article_id) == n_media - 1
    assert len(after["media"]) == len(before["media"]) - 1


def test_quality_check_fails_on_a_url_in_no_final_state(loaded_day: Engine) -> None:
    with loaded_day.begin() as conn:
        conn.execute(
            sa.text(
                "INSERT INTO news.crawl_url (day, source, url, source_id, state) "
                "VALUES (:d, 'sample_daum', 'http://127.0.0.1/v/20250703000000999', "
                "'20250703000000999', 'discovered')"
            ),
            {"d": DAY},
        )
    with pytest.raises(QualityError, match="no final state"):
        check_day(loaded_day, DAY, load_sources())


def test_missing_page_is_quarantined_with_its_reason(clean_db: Engine, sample_site: str) -> None:
    sources = load_sources(["sample_daum"])
    discover_day(clean_db, DAY, sources)
    with clean_db.begin() as conn:  # one listed URL now points at a page the site does not have
        conn.execute(
            sa.text(
                "UPDATE news.crawl_url SET url = url || '0', source_id = source_id || '0' "
                "WHERE url = (SELECT min(url) FROM news.crawl_url)"
            )
        )
    run_pipeline(clean_db, DAY, sources)
    states = pairs(clean_db, "SELECT state, count(*) FROM news.crawl_url GROUP BY state")
    reason = scalar(clean_db, "SELECT reason FROM news.crawl_url WHERE state = 'quarantined'")
    # 40 listed articles all loaded again (the listing is re-read), the broken URL quarantined with its reason
    assert states == {"loaded": 40, "quarantined": 1}
    assert reason == "HTTP 404"


BAD_PAGES = {
    "empty": (b"", "text/html"),
    "binary": (bytes(range(256)) * 64, "text/html"),
    "no_article": (
        "<html><head><title>로그인</title></head><body><p>로그인이 필요합니다.</p></body></html>".encode(),
        "text/html; charset=utf-8",
    ),
    "too_large": (b"<html><body>" + b"<p>" + b"x" * (20 * 1024 * 1024) + b"</p></body></html>", "text/html"),
    "too_deep": (b"<html><body>" + b"<div>" * 10_000 + b"text" + b"</div>" * 10_000 + b"</body></html>", "text/html"),
}


def test_bad_pages_are_quarantined_with_a_reason_and_the_rest_still_loads(loaded_day: Engine) -> None:
    db, sources = loaded_day, load_sources()
    with db.begin() as conn:
        urls = (
            conn.execute(
                sa.text("SELECT url FROM news.crawl_url WHERE source = 'sample_daum' ORDER BY url LIMIT :n"),
                {"n": len(BAD_PAGES) + 1},
            )
            .scalars()
            .all()
        )
        for url, (body, ctype) in zip(urls, BAD_PAGES.values(), strict=False):
            conn.execute(
                sa.text("UPDATE staging.raw_page SET body = :b, content_type = :t, body_sha256 = :h WHERE url = :u"),
                {"b": body, "t": ctype, "h": f"bad-{url}", "u": url},
            )
        # A good page re-served in EUC-KR with no declared charset must still load, unchanged.
        euc_url = urls[-1]
        text = bytes(
            conn.execute(sa.text("SELECT body FROM staging.raw_page WHERE url = :u"), {"u": euc_url}).scalar_one()
        ).decode("utf-8")
        # characters CP949 lacks (©) become character references, as real EUC-KR pages write them
        euc = text.replace('<meta charset="utf-8">', "").encode("cp949", errors="xmlcharrefreplace")
        conn.execute(
            sa.text(
                "UPDATE staging.raw_page SET body = :b, content_type = 'text/html', body_sha256 = 'euc' WHERE url = :u"
            ),
            {"b": euc, "u": euc_url},
        )
    counts = run_pipeline(db, DAY, sources)
    with db.connect() as conn:
        rows = conn.execute(
            sa.text("SELECT url, state, reason FROM news.crawl_url WHERE url = ANY(:u)"), {"u": urls}
        ).all()
    by_url = {r.url: r for r in rows}
    for url in urls[: len(BAD_PAGES)]:
        assert by_url[url].state == "quarantined", by_url[url]
        assert by_url[url].reason and "\n" not in by_url[url].reason
    assert by_url[euc_url].state == "unchanged"  # same article content as before, from EUC-KR bytes
    assert counts["check"] == {"quarantined": len(BAD_PAGES), "unchanged": DAY_ARTICLES - len(BAD_PAGES)}
    assert counts["load"] == {"unchanged": DAY_ARTICLES - len(BAD_PAGES)}


def test_split_batches() -> None:
    from newsetl.pipeline import split_batches

    assert split_batches(0, 1000) == [Batch(0, 1)]
    assert split_batches(1000, 1000) == [Batch(0, 1)]
    assert split_batches(1001, 1000) == [Batch(0, 2), Batch(1, 2)]
    with pytest.raises(ValueError):
        split_batches(10, 0)
    with pytest.raises(ValueError):
        Batch(3, 3)


def test_batches_cover_the_day_once(clean_db: Engine, sample_site: str) -> None:
    """Three mapped batches fetch and extract every URL exactly once, like one task would."""
    sources = load_sources()
    discover_day(clean_db, DAY, sources)
    batches = [RunOptions(batch=Batch(i, 3)) for i in range(3)]
    fetched = [fetch_day(clean_db, DAY, sources, b).get("fetched", 0) for b in batches]
    assert sum(fetched) == DAY_ARTICLES and all(fetched)
    extracted = [extract_day(clean_db, DAY, sources, b).get("extracted", 0) for b in batches]
    assert sum(extracted) == DAY_ARTICLES and all(extracted)
    assert load_day(clean_db, DAY, sources) == {"loaded": DAY_ARTICLES}
