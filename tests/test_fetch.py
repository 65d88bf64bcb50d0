"""Polite, fault-tolerant fetching against the real sample site on 127.0.0.1, faults on."""

from __future__ import annotations

import dataclasses
import os
import threading
import time
from collections import defaultdict
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import pytest
import requests
import sqlalchemy as sa
from sqlalchemy.engine import Engine
from urllib3.exceptions import MaxRetryError, ReadTimeoutError, ResponseError
from urllib3.util.retry import Retry

from newsetl import client as client_module
from newsetl.client import MAX_WAIT_S, RETRY_STATUSES, FetchError, RateLimiter, SourceClient
from newsetl.config import load_sources
from newsetl.fetch import fetch_day
from newsetl.options import RunOptions
from newsetl.pipeline import run_pipeline
from newsetl_tools.faultreport import fault_table, final_states, outcomes
from newsetl_tools.sample_site import running
from newsetl_tools.sample_site.faults import (
    EXPECTED_REASON,
    EXPECTED_STATE,
    FAULT_ARTICLES_PER_DAY,
    FAULT_KINDS,
    fault_plan,
)

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


@pytest.mark.parametrize(
    "kind, reason",
    [
        ("too_large", "too large"),
        ("not_html", "not HTML"),
        ("redirect_loop", "too many redirects"),
        ("redirect_offsite", "not allowed"),
        ("robots_disallowed", "robots.txt"),
    ],
)
def test_permanent_faults_are_not_retried(faulty_site: str, kind: str, reason: str) -> None:
    with SourceClient(daum_source(faulty_site), backoff_s=0.01) as client:
        with pytest.raises(FetchError, match=reason) as info:
            client.get(faulty_site + path_of(kind))
    assert info.value.retryable is False


@pytest.mark.parametrize(
    "kind, reason",
    [
        ("slow", "ReadTimeout: "),
        ("connection_reset", "ConnectionError: "),
        ("truncated", "truncated body: "),
    ],
)
def test_transient_faults_fail_retryably(faulty_site: str, kind: str, reason: str) -> None:
    with SourceClient(daum_source(faulty_site, max_attempts=2), backoff_s=0.01) as client:
        with pytest.raises(FetchError) as info:
            client.get(faulty_site + path_of(kind))
    assert info.value.retryable is True
    # Retry's MaxRetryError reaches us wrapped in requests' ConnectionError: the reason names the real cause
    assert info.value.reason.startswith(reason) and "\n" not in info.value.reason


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


def test_fault_matrix_every_url_ends_in_the_state_its_fault_causes(clean_db: Engine, monkeypatch) -> None:
    """Every URL of the faulty day ends in the state its fault causes (for the agreed reason, where one is agreed);
    then the day runs again with the faults off on the same port (a URL includes it), and every failed URL loads.
    The short read timeout, deadline and retry budget are what scripts/faults.py gives the DAG."""
    for name, value in {
        "NEWS_SAMPLE_READ_TIMEOUT_S": "1",
        "NEWS_SAMPLE_DEADLINE_S": "3",
        "NEWS_SAMPLE_RETRY_BUDGET_S": "60",
    }.items():
        monkeypatch.setenv(name, value)
    with running(faults=True, fault_seed=7, slow_seconds=3) as faulty:
        monkeypatch.setenv("NEWS_SAMPLE_SITE_URL", faulty)
        run_pipeline(clean_db, DAY, load_sources(["sample_daum"]))
    results = outcomes(clean_db, DAY, "sample_daum", fault_plan(DAY, 7), EXPECTED_STATE, EXPECTED_REASON)
    text, wrong = fault_table(results, FAULT_KINDS)
    assert wrong == 0, text  # lost URLs and URLs in the right state for the wrong reason
    assert {r.fault for r in results} == {*FAULT_KINDS, "none"}
    assert len(results) == FAULT_ARTICLES_PER_DAY
    failed = {r.url for r in results if r.state == "failed"}
    # slow, connection_reset, truncated, drip, retry_after_huge, robots_unavailable: 2 URLs each
    assert len(failed) == 12, text

    with running(port=urlsplit(faulty).port, articles_per_day=FAULT_ARTICLES_PER_DAY) as same_port:
        monkeypatch.setenv("NEWS_SAMPLE_SITE_URL", same_port)
        run_pipeline(clean_db, DAY, load_sources(["sample_daum"]))
    after = final_states(clean_db, DAY, "sample_daum")
    assert {url: after[url] for url in failed} == dict.fromkeys(failed, "loaded")


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


# --- the retry policy: urllib3's Retry on the session's adapter ------------------------------------------


@dataclasses.dataclass(frozen=True)
class Reply:
    status: int = 200
    headers: dict[str, str] = dataclasses.field(default_factory=dict)
    body: bytes = b"<html><body><p>page</p></body></html>"
    cut: bool = False  # announce the whole Content-Length, send half the body, close


class ScriptedSite(ThreadingHTTPServer):
    """HTTP/1.1 on 127.0.0.1 answering each path from a script, the Nth request with the Nth reply (the last
    one repeats), and recording when each request came (unscripted paths: 404)."""

    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), ScriptedHandler)
        self.base_url = f"http://127.0.0.1:{self.server_address[1]}"
        self.scripts: dict[str, list[Reply]] = {}
        self.hits: dict[str, list[float]] = defaultdict(list)
        self._lock = threading.Lock()

    def url(self, path: str, *replies: Reply) -> str:
        self.scripts[path] = list(replies)
        return self.base_url + path

    def next_reply(self, path: str) -> Reply:
        with self._lock:
            self.hits[path].append(time.monotonic())
            script = self.scripts.get(path, [Reply(404)])
            return script[min(len(self.hits[path]), len(script)) - 1]


class ScriptedHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: ScriptedSite

    def do_GET(self) -> None:
        reply = self.server.next_reply(urlsplit(self.path).path)
        self.send_response(reply.status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(reply.body)))
        for name, value in reply.headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(reply.body[: len(reply.body) // 2] if reply.cut else reply.body)
        self.close_connection = reply.cut

    def log_message(self, format: str, *args: object) -> None:
        """Quiet."""


@pytest.fixture
def scripted() -> Iterator[ScriptedSite]:
    server = ScriptedSite()
    thread = threading.Thread(target=server.serve_forever, name="scripted-site", daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def scripted_source(site: ScriptedSite, **changes):
    return daum_source(site.base_url, respect_robots=False, **changes)


def test_the_session_adapter_carries_the_retry_policy() -> None:
    with SourceClient(daum_source("http://127.0.0.1:9", max_attempts=4), backoff_s=0.25) as client:
        for scheme in ("http", "https"):
            retry = client.session.get_adapter(f"{scheme}://127.0.0.1/").max_retries
            assert isinstance(retry, Retry)
            assert retry.total == 3  # retries: four attempts
            assert set(retry.status_forcelist) == RETRY_STATUSES
            assert set(retry.allowed_methods) == {"GET"}
            assert retry.redirect == 0 and retry.raise_on_redirect is False  # hops are followed (and checked) by hand
            assert retry.raise_on_status is False  # the last 503 comes back to be classified
            assert retry.respect_retry_after_header is True
            assert retry.retry_after_max == MAX_WAIT_S and retry.backoff_max == MAX_WAIT_S
            assert retry.backoff_factor == 0.25 and retry.backoff_jitter > 0
            assert retry.is_retry("GET", 503) and not retry.is_retry("POST", 503)
            assert not retry.is_retry("GET", 413, has_retry_after=True)  # urllib3 alone would retry this one


@pytest.mark.parametrize("max_attempts", [1, 3])
def test_a_url_that_always_answers_503_is_requested_max_attempts_times(
    scripted: ScriptedSite, max_attempts: int
) -> None:
    url = scripted.url("/down", Reply(503, {"Retry-After": "0"}))
    with SourceClient(scripted_source(scripted, max_attempts=max_attempts), backoff_s=0.01) as client:
        with pytest.raises(FetchError) as info:
            client.get(url)
    assert len(scripted.hits["/down"]) == max_attempts
    error = info.value
    assert (error.reason, error.retryable, error.status, error.retry_after) == ("HTTP 503", True, 503, 0)


@pytest.mark.parametrize("reply", [Reply(404), Reply(413, {"Retry-After": "1"})])
def test_other_statuses_are_requested_once(scripted: ScriptedSite, reply: Reply) -> None:
    url = scripted.url("/no", reply)
    with SourceClient(scripted_source(scripted), backoff_s=0.01) as client:
        with pytest.raises(FetchError, match=f"HTTP {reply.status}") as info:
            client.get(url)
    assert info.value.retryable is False
    assert len(scripted.hits["/no"]) == 1


def http_date(ahead: timedelta) -> str:
    return format_datetime(datetime.now(UTC) + ahead, usegmt=True)


@pytest.mark.parametrize("retry_after", ["999999", http_date(timedelta(days=30))])
def test_a_retry_after_over_the_cap_is_capped(scripted: ScriptedSite, monkeypatch, retry_after: str) -> None:
    monkeypatch.setattr(client_module, "MAX_WAIT_S", 2)
    slept: list[float] = []
    monkeypatch.setattr(time, "sleep", slept.append)  # record the waits instead of waiting
    url = scripted.url("/busy", Reply(503, {"Retry-After": retry_after}))
    with SourceClient(scripted_source(scripted, max_attempts=3), backoff_s=0.01) as client:
        with pytest.raises(FetchError, match="HTTP 503") as info:
            client.get(url)
    assert slept == [2, 2]  # before each of the two retries
    assert info.value.retry_after == 2


def test_a_retry_after_date_under_the_cap_is_honoured(scripted: ScriptedSite, monkeypatch) -> None:
    slept: list[float] = []
    monkeypatch.setattr(time, "sleep", slept.append)
    url = scripted.url("/later", Reply(429, {"Retry-After": http_date(timedelta(seconds=30))}), Reply())
    with SourceClient(scripted_source(scripted), backoff_s=0.01) as client:
        assert client.get(url).status == 200
    assert len(slept) == 1 and 27 <= slept[0] <= 30


def test_an_unreadable_retry_after_falls_back_to_the_backoff(scripted: ScriptedSite) -> None:
    url = scripted.url("/soon", Reply(503, {"Retry-After": "soon"}), Reply())
    with SourceClient(scripted_source(scripted), backoff_s=0.01) as client:
        assert client.get(url).status == 200  # urllib3 alone raises InvalidHeader here
    assert len(scripted.hits["/soon"]) == 2


def test_a_cut_body_is_retried_by_hand_up_to_max_attempts(scripted: ScriptedSite) -> None:
    url = scripted.url("/cut", Reply(cut=True))
    with SourceClient(scripted_source(scripted, max_attempts=3), backoff_s=0.01) as client:
        with pytest.raises(FetchError, match="truncated body") as info:
            client.get(url)
    assert info.value.retryable is True
    assert len(scripted.hits["/cut"]) == 3


def test_the_rate_limiter_paces_retried_requests(scripted: ScriptedSite, monkeypatch) -> None:
    waits: list[float] = []
    limiter_wait = RateLimiter.wait

    def counted_wait(self: RateLimiter) -> None:
        waits.append(time.monotonic())
        limiter_wait(self)

    monkeypatch.setattr(RateLimiter, "wait", counted_wait)
    # a 503 (retried by urllib3's Retry), a cut body (retried by hand), then the page
    url = scripted.url("/flaky", Reply(503), Reply(cut=True), Reply())
    with SourceClient(scripted_source(scripted, requests_per_second=4), backoff_s=0) as client:
        assert client.get(url).status == 200
    hits = scripted.hits["/flaky"]
    assert len(waits) == len(hits) == 3
    # no backoff (backoff_s=0): only the limiter's 0.25 s slots keep the three requests apart
    assert hits[-1] - hits[0] >= 0.4


@pytest.mark.parametrize(
    "raised, reason",
    [
        (
            requests.exceptions.RetryError(MaxRetryError(None, "/x", ResponseError("too many 503 error responses"))),
            "RetryError: too many 503 error responses",
        ),
        (
            requests.ConnectionError(MaxRetryError(None, "/x", ReadTimeoutError(None, "/x", "Read timed out."))),
            "ReadTimeout: None: Read timed out.",
        ),
    ],
)
def test_requests_errors_when_retry_gives_up_become_retryable_fetch_errors(
    monkeypatch, raised: Exception, reason: str
) -> None:
    def give_up(*args: object, **kwargs: object) -> None:
        raise raised

    with SourceClient(daum_source("http://127.0.0.1:9", respect_robots=False)) as client:
        monkeypatch.setattr(client._adapter, "send", give_up)  # what _send calls
        with pytest.raises(FetchError) as info:
            client.get("http://127.0.0.1:9/x")
    assert (info.value.reason, info.value.retryable) == (reason, True)


def test_pages_are_written_in_groups_bounded_by_their_bytes() -> None:
    """A batch of real-size pages goes to the database a few MB at a time (psycopg2 builds one string of a
    whole group), in order, every page once; a page bigger than the bound goes alone."""
    from newsetl.fetch import _by_size

    sizes = [3, 3, 3, 9, 1, 1, 4]
    pages = [{"url": str(i), "body": b"x" * n} for i, n in enumerate(sizes)]
    groups = list(_by_size(pages, 6))
    assert [[p["url"] for p in g] for g in groups] == [["0", "1"], ["2"], ["3"], ["4", "5", "6"]]
    assert all(sum(len(p["body"]) for p in g) <= 6 or len(g) == 1 for g in groups)
    assert list(_by_size([], 6)) == []
