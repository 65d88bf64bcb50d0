"""Polite, fault-tolerant fetching against the real sample site on 127.0.0.1, faults on."""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Iterator
from datetime import date

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from newsetl.client import FetchError, SourceClient
from newsetl.config import load_sources
from newsetl.fetch import fetch_day
from newsetl.options import RunOptions
from newsetl.pipeline import run_pipeline
from newsetl_tools.faultreport import fault_table, outcomes
from newsetl_tools.sample_site import running
from newsetl_tools.sample_site.faults import EXPECTED_STATE, FAULT_KINDS, fault_plan

DAY = date(2025, 7, 10)


@pytest.fixture(scope="module")
def faulty_site() -> Iterator[str]:
    with running(faults=True, fault_seed=7, slow_seconds=1.5) as url:
        yield url


def daum_source(site: str, **changes):
    previous = os.environ.get("NEWS_SAMPLE_SITE_URL")
    os.environ["NEWS_SAMPLE_SITE_URL"] = site
    try:
        source = load_sources(["sample_daum"])[0]
    finally:
        if previous is None:
            os.environ.pop("NEWS_SAMPLE_SITE_URL", None)
        else:
            os.environ["NEWS_SAMPLE_SITE_URL"] = previous
    return dataclasses.replace(source, timeout_s=(2.0, 0.5), **changes)


def path_of(kind: str) -> str:
    return next(p for p, k in fault_plan(DAY, 7).items() if k == kind)


@pytest.mark.parametrize("kind, reason", [
    ("too_large", "too large"), ("not_html", "not HTML"), ("redirect_loop", "too many redirects"),
    ("redirect_offsite", "not allowed"), ("robots_disallowed", "robots.txt"),
])
def test_permanent_faults_are_not_retried(faulty_site: str, kind: str, reason: str) -> None:
    with SourceClient(daum_source(faulty_site), backoff_s=0.01) as client:
        with pytest.raises(FetchError, match=reason) as info:
            client.get(faulty_site + path_of(kind))
    assert info.value.retryable is False


@pytest.mark.parametrize("kind", ["slow", "connection_reset", "truncated"])
def test_transient_faults_fail_retryably(faulty_site: str, kind: str) -> None:
    with SourceClient(daum_source(faulty_site, max_attempts=2), backoff_s=0.01) as client:
        with pytest.raises(FetchError) as info:
            client.get(faulty_site + path_of(kind))
    assert info.value.retryable is True


def test_bursts_are_retried_until_the_page_comes(faulty_site: str) -> None:
    with SourceClient(daum_source(faulty_site), backoff_s=0.01) as client:
        for kind in ("rate_limited", "server_error_burst", "unavailable_burst"):
            assert client.get(faulty_site + path_of(kind)).status == 200, kind


def test_404_is_not_retried(sample_site: str) -> None:
    with SourceClient(daum_source(sample_site), backoff_s=5) as client:  # a retry would take seconds
        with pytest.raises(FetchError, match="HTTP 404") as info:
            client.get(sample_site + "/v/20250710000000999")
    assert info.value.retryable is False


def test_private_addresses_refused_unless_the_source_allows_them(sample_site: str) -> None:
    with SourceClient(daum_source(sample_site, allow_private_addresses=False)) as client:
        with pytest.raises(FetchError, match="private or loopback"):
            client.get(sample_site + "/robots.txt")


def test_other_hosts_refused(sample_site: str) -> None:
    with SourceClient(daum_source(sample_site)) as client:
        with pytest.raises(FetchError, match="not allowed"):
            client.get("http://example.com/v/20250710000000001")


def test_fault_matrix_every_url_ends_in_the_state_its_fault_causes(clean_db: Engine, faulty_site: str,
                                                                  sample_site: str, monkeypatch) -> None:
    monkeypatch.setenv("NEWS_SAMPLE_READ_TIMEOUT_S", "0.5")
    monkeypatch.setenv("NEWS_SAMPLE_SITE_URL", faulty_site)
    sources = load_sources(["sample_daum"])
    run_pipeline(clean_db, DAY, sources)
    plan = fault_plan(DAY, 7)
    results = outcomes(clean_db, DAY, "sample_daum", plan, EXPECTED_STATE)
    text, lost = fault_table(results, FAULT_KINDS)
    assert lost == 0, text
    assert {r.fault for r in results} == {*FAULT_KINDS, "none"}
    failed = {r.path for r in results if r.state == "failed"}
    assert len(failed) == 6  # slow, reset, truncated: 2 URLs each

    # The same day with the faults off: every failed URL is fetched again and loaded.
    monkeypatch.setenv("NEWS_SAMPLE_SITE_URL", sample_site)
    run_pipeline(clean_db, DAY, load_sources(["sample_daum"]))
    after = {r.path: r.state for r in outcomes(clean_db, DAY, "sample_daum", {}, {})}
    assert {after[p] for p in failed} == {"loaded"}


def test_force_refetch_uses_conditional_requests(clean_db: Engine, sample_site: str) -> None:
    sources = load_sources(["sample_daum"])
    run_pipeline(clean_db, date(2025, 7, 3), sources)
    with clean_db.connect() as conn:
        before = conn.execute(sa.text("SELECT url, fetched_at FROM staging.raw_page ORDER BY url")).all()
    assert fetch_day(clean_db, date(2025, 7, 3), sources) == {"already_stored": 40}
    counts = fetch_day(clean_db, date(2025, 7, 3), sources, RunOptions(force_refetch=True))
    assert counts == {"not_modified": 40}  # ETag matched: nothing downloaded
    with clean_db.connect() as conn:
        after = conn.execute(sa.text("SELECT url, fetched_at FROM staging.raw_page ORDER BY url")).all()
    assert after == before


def test_retry_after_is_honoured() -> None:
    import time

    with running(faults=True, fault_seed=7) as site, SourceClient(daum_source(site), backoff_s=0.01) as client:
        started = time.monotonic()
        assert client.get(site + path_of("rate_limited")).status == 200
    # two 429s with Retry-After: 1 -> at least two one-second waits, not the 0.01 s backoff
    assert time.monotonic() - started >= 2.0


def test_body_size_limit_comes_from_the_source_config(sample_site: str) -> None:
    with SourceClient(daum_source(sample_site, max_body_bytes=1000)) as client:
        with pytest.raises(FetchError, match="too large") as info:
            client.get(sample_site + "/breakingnews?page=1&regDate=20250710")
    assert info.value.retryable is False
