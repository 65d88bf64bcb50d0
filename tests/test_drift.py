"""Drift alarms: a backfill over a sample-site redesign loads the days before it and fails the changed day's
check, naming the source, the day and the selector or field; nothing is changed by the check or its rerun."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from datetime import date

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from newsetl.config import ConfigError, Drift, Source, _source, load_sources
from newsetl.pipeline import run_pipeline
from newsetl.quality import QualityError, check_day, link_baseline, link_selector
from newsetl_tools.sample_site import drift, make_server, running

DAYS = [date(2025, 7, 1), date(2025, 7, 2), date(2025, 7, 3)]
CHANGED = DAYS[2]
DAUM_XPATH = load_sources(["sample_daum"])[0].site_class().listing.links  # type: ignore[union-attr]

# Every row of the day's URL states and articles, with xmin: a row rewritten with equal values shows up too.
STATE_SQL = {
    "crawl_url": "SELECT xmin::text AS xmin, c.* FROM news.crawl_url c ORDER BY day, source, url",
    "article": "SELECT xmin::text AS xmin, a.* FROM news.article a ORDER BY article_id",
}


def snapshot(engine: Engine) -> dict[str, list[tuple]]:
    with engine.connect() as conn:
        return {name: [tuple(r) for r in conn.execute(sa.text(sql))] for name, sql in STATE_SQL.items()}


def states(engine: Engine, day: date) -> dict[str, int]:
    with engine.connect() as conn:
        rows = conn.execute(
            sa.text("SELECT state, count(*) FROM news.crawl_url WHERE day = :d GROUP BY state"), {"d": day}
        )
        return dict(rows.all())


@pytest.fixture
def redesigned(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A sample site whose Daum markup changes (the test's param: drift.py's kinds) from the third day on."""
    with running(articles_per_day=20, markup_change_from=CHANGED, markup_change=request.param) as url:
        monkeypatch.setenv("NEWS_SAMPLE_SITE_URL", url)
        yield url


def daum(drift: Drift | None = None) -> list[Source]:
    """The sample Daum source, with other drift thresholds when given."""
    source = load_sources(["sample_daum"])[0]
    return [dataclasses.replace(source, drift=drift) if drift else source]


@pytest.mark.parametrize("redesigned", ["listing"], indirect=True)
def test_backfill_fails_the_day_the_listing_markup_changed(clean_db: Engine, redesigned: str) -> None:
    sources = daum()
    for day in DAYS[:2]:
        assert run_pipeline(clean_db, day, sources)["check"] == {"loaded": 20}
    with pytest.raises(QualityError) as failed:
        run_pipeline(clean_db, CHANGED, sources)
    message = str(failed.value)
    assert "sample_daum 2025-07-03: the listing named 0 links" in message
    assert DAUM_XPATH in message and "found nothing" in message
    before = snapshot(clean_db)
    with pytest.raises(QualityError) as again:  # a rerun fails the same way and changes nothing
        run_pipeline(clean_db, CHANGED, sources)
    assert str(again.value) == message
    assert snapshot(clean_db) == before
    assert states(clean_db, DAYS[1]) == {"loaded": 20}


@pytest.mark.parametrize("redesigned", ["few"], indirect=True)
def test_far_fewer_links_than_the_median_alarm_once_there_is_history(clean_db: Engine, redesigned: str) -> None:
    with_history = Drift(median_days=2)
    for day in DAYS[:2]:
        run_pipeline(clean_db, day, daum(with_history))
    with pytest.raises(QualityError) as failed:
        run_pipeline(clean_db, CHANGED, daum(with_history))
    assert "sample_daum 2025-07-03: the listing named 1 links, under 30% of the median 20 of its last 2 days" in str(
        failed.value
    )
    assert DAUM_XPATH in str(failed.value)
    assert states(clean_db, CHANGED) == {"loaded": 1}  # what was found is kept for inspection
    # with fewer than median_days (7 by default) days of history the source is new: one link is no alarm
    assert check_day(clean_db, CHANGED, daum()) == {"loaded": 1}


@pytest.mark.parametrize("redesigned", ["body"], indirect=True)
def test_pages_losing_their_body_container_alarm_and_stay_quarantined(clean_db: Engine, redesigned: str) -> None:
    sources = daum()
    run_pipeline(clean_db, DAYS[1], sources)
    with pytest.raises(QualityError) as failed:
        run_pipeline(clean_db, CHANGED, sources)
    message = str(failed.value)
    assert "sample_daum 2025-07-03: 20 of 20 pages have no article body (over max_no_body_share 20%)" in message
    assert "body selector of site 'daum'" in message
    before = snapshot(clean_db)
    with pytest.raises(QualityError):
        run_pipeline(clean_db, CHANGED, sources)
    assert snapshot(clean_db) == before
    assert states(clean_db, CHANGED) == {"quarantined": 20}
    # the share is a threshold: allowing every page to lack a body passes the same day
    assert check_day(clean_db, CHANGED, daum(Drift(max_no_body_share=1.0))) == {"quarantined": 20}


@pytest.mark.parametrize("redesigned", ["listing"], indirect=True)
def test_a_watched_field_missing_on_most_pages_alarms_naming_it(clean_db: Engine, redesigned: str) -> None:
    run_pipeline(clean_db, DAYS[0], daum())
    with clean_db.connect() as conn:  # the sample's Daum pages give a 수정 time on only some articles
        with_modified = conn.execute(sa.text("SELECT count(*) FROM news.article WHERE modified_at IS NOT NULL"))
        modified = with_modified.scalar_one()
    assert modified < 10
    with pytest.raises(
        QualityError, match=rf"sample_daum 2025-07-01: field 'modified_at' missing on {20 - modified} of 20"
    ):
        check_day(clean_db, DAYS[0], daum(Drift(fields=("title", "published_at", "modified_at"))))


@pytest.mark.parametrize("redesigned", ["date"], indirect=True)
def test_articles_losing_their_date_load_and_the_day_alarms_naming_published_at(
    clean_db: Engine, redesigned: str
) -> None:
    sources = daum()
    run_pipeline(clean_db, DAYS[1], sources)
    with pytest.raises(QualityError) as failed:
        run_pipeline(clean_db, CHANGED, sources)
    message = str(failed.value)
    assert "sample_daum 2025-07-03: field 'published_at' missing on 20 of 20 pages" in message
    assert "2025-07-02" not in message
    assert states(clean_db, CHANGED) == {"loaded": 20}  # loaded with a null date, as extraction does


def test_the_median_ignores_days_that_were_alarms() -> None:
    drift = Drift(median_days=3, min_share_of_median=0.5)
    # a redesign that keeps 1 link of 40: without skipping the alarm days, the median would sink to 1 after
    # three of them, and the fourth would pass as normal
    assert link_baseline([40, 40, 40, 1, 1, 1], drift) == 40
    assert link_baseline([40, 40, 40, 1, 1, 1, 38], drift) == 40
    assert link_baseline([40, 42, 41, 1, 30, 1], drift) == 41
    # fewer than median_days days that were no alarm: no baseline, as for a new source
    assert link_baseline([40, 40], drift) is None
    assert link_baseline([40, 0, 40], drift) is None
    # a real, lasting drop in news stays a drop the median follows, once it is above the share
    assert link_baseline([40, 40, 40, 25, 25, 25], drift) == 25


def test_drift_thresholds_are_read_from_the_source_and_unknown_keys_refused() -> None:
    base = {"base_url": "http://127.0.0.1:1", "site": "daum"}
    assert _source("s", base).drift == Drift()
    drift = _source("s", {**base, "drift": {"median_days": 14, "max_no_body_share": 0.1, "fields": ["press"]}}).drift
    assert (drift.median_days, drift.max_no_body_share, drift.fields, drift.min_links) == (14, 0.1, ("press",), 1)
    assert _source("s", {**base, "drift": {"min_links": 0}}).drift.min_links == 1  # 0 links is always an alarm
    with pytest.raises(ConfigError, match="drift: unknown key.*min_link\\b"):
        _source("s", {**base, "drift": {"min_link": 3}})
    with pytest.raises(ConfigError, match="unknown field.*body"):
        _source("s", {**base, "drift": {"fields": ["body"]}})
    with pytest.raises(ConfigError, match="share from 0 to 1"):
        _source("s", {**base, "drift": {"max_no_body_share": 20}})


def test_every_configured_source_names_its_link_selector() -> None:
    """Every source's alarm can say what selects its links: a listing's XPath, a feed's or sitemap's URLs."""
    for source in load_sources(list(_configured())):
        selector = link_selector(source)
        if source.discovery.kind == "listing":
            assert selector.startswith("the link selector /") and f"of site {source.site!r}" in selector
        else:
            assert selector.startswith(f"the {source.discovery.kind} entries of the day at "), selector
            assert "None" not in selector


def _configured() -> dict[str, object]:
    """Every source of sources.yaml, enabled or not."""
    import yaml

    from newsetl.config import SOURCES_FILE

    return yaml.safe_load(SOURCES_FILE.read_text(encoding="utf-8"))["sources"]


def test_the_sample_sites_redesign_is_set_by_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """A started sample site (make run, newsetl-tools sample-site) takes the switch from its environment."""
    monkeypatch.setenv(drift.FROM_ENV, "2025-07-03")
    monkeypatch.setenv(drift.KINDS_ENV, "listing,body")
    with make_server() as server:
        assert server.redesign == drift.Redesign(CHANGED, frozenset({"listing", "body"}))
    monkeypatch.delenv(drift.FROM_ENV)
    with make_server() as server:
        assert server.redesign is None
    with pytest.raises(ValueError, match="unknown markup change.*links"):
        drift.redesign("2025-07-03", "links")
