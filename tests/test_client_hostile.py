"""Issue 14, the HTTP client: every hostile response ends in a FetchError with a one-line reason (or a page),
never in another exception; deadlines, the retry budget, robots.txt, redirects, SSRF, and ``newsetl parse``.

Each test drives the real client against a raw-socket server on 127.0.0.1 (tests/hostile_server.py) that
sends the exact bytes of the probe: duplicate headers, NULs, raw EUC-KR in Location, dripping bytes.
"""

from __future__ import annotations

import argparse
import dataclasses
import gzip
import json
import os
import socket
import subprocess
import sys
import time
import tracemalloc
import zlib
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from newsetl import cli_parse, client_net
from newsetl.client import MAX_WAIT_S, ROBOTS_MAX_BYTES, FetchError, Response, SourceClient
from newsetl.client_urls import AllowedOrigins, BadURL, Origin, location_url, request_url
from newsetl.config import Source, load_sources
from newsetl.fetch import fetch_day
from newsetl.sql import statement

from .hostile_server import PAGE, Drip, HostileServer, hostile_server, redirect, response

PAGES = Path(__file__).parent / "fixtures" / "pages"
DAY = date(2025, 7, 10)


@pytest.fixture
def server() -> Iterator[HostileServer]:
    with hostile_server() as srv:
        yield srv


@pytest.fixture
def other_server() -> Iterator[HostileServer]:
    with hostile_server() as srv:
        yield srv


def source_at(srv: HostileServer, **changes: object) -> Source:
    """The sample site's source (allowed_hosts 127.0.0.1, private addresses allowed) pointed at a server."""
    base = load_sources(["sample_daum"])[0]
    settings: dict[str, object] = {"base_url": srv.base_url, "timeout_s": (2.0, 2.0), "respect_robots": False}
    return dataclasses.replace(base, **{**settings, **changes})  # type: ignore[arg-type]


def get(srv: HostileServer, path: str, **changes: object) -> Response:
    with SourceClient(source_at(srv, **changes), backoff_s=0.01) as client:
        return client.get(srv.base_url + path)


def fails(srv: HostileServer, path: str, **changes: object) -> FetchError:
    with pytest.raises(FetchError) as info:
        get(srv, path, **changes)
    assert "\n" not in info.value.reason and "\x00" not in info.value.reason
    return info.value


def gzipped(data: bytes, times: int = 1) -> bytes:
    for _ in range(times):
        data = gzip.compress(data)
    return data


# --- item 1: responses that used to raise something else than FetchError -------------------------------


@pytest.mark.parametrize(
    "reply",
    [
        pytest.param(response(headers=[("Content-Encoding", "gzip")]), id="gzip-on-a-plain-body"),
        pytest.param(
            response(headers=[("Content-Encoding", ", ".join(["gzip"] * 6))], body=gzipped(PAGE, 6)),
            id="six-stacked-encodings",
        ),
    ],
)
def test_an_undecodable_content_encoding_is_quarantined(server: HostileServer, reply: bytes) -> None:
    server.route("/v/1", reply)
    error = fails(server, "/v/1")
    assert error.reason.startswith("bad content encoding: ") and error.retryable is False


def test_a_gzipped_page_decodes_and_is_not_taken_for_truncated(server: HostileServer) -> None:
    tiny = b"<p>a</p>"  # gzip makes it longer than its decoded self: Content-Length > decoded length
    server.route("/v/1", response(headers=[("Content-Encoding", "gzip")], body=gzipped(tiny)))
    assert get(server, "/v/1").body == tiny


@pytest.mark.parametrize(
    "headers, reason",
    [
        pytest.param([("Content-Length", "5")], "bad response: Content-Length", id="two-different-lengths"),
        pytest.param([("Content-Length", b"\xb2")], "bad Content-Length: '\xb2'", id="superscript-two"),
    ],
)
def test_a_bad_content_length_is_quarantined(server: HostileServer, headers: list, reason: str) -> None:
    # the first: response() adds the true length, so there are two different ones
    server.route("/v/1", response(headers=headers, length=headers[0][1] != b"\xb2"))
    error = fails(server, "/v/1")
    assert error.reason.startswith(reason) and error.retryable is False


def test_a_repeated_equal_content_length_is_one_length(server: HostileServer) -> None:
    server.route("/v/1", response(headers=[("Content-Length", str(len(PAGE)))]))
    assert get(server, "/v/1").body == PAGE


@pytest.mark.parametrize("value", [b"\xb2", b"\xc2\xb2", b"soon", b"Fri, 31 Dec 99999 23:59:59 GMT"])
def test_an_unreadable_retry_after_is_ignored_and_the_backoff_applies(server: HostileServer, value: bytes) -> None:
    server.route("/v/1", response(503, [("Retry-After", value)]), response())
    assert get(server, "/v/1").status == 200
    assert len(server.hits["/v/1"]) == 2


def test_an_unreadable_retry_after_on_a_404_is_just_a_404(server: HostileServer) -> None:
    server.route("/v/1", response(404, [("Retry-After", b"\xb2")]))
    error = fails(server, "/v/1")
    assert (error.reason, error.retryable, error.retry_after) == ("HTTP 404", False, None)


@pytest.mark.parametrize(
    "location, why",
    [
        pytest.param("http://[::1", "unparseable URL", id="unclosed-ipv6"),
        pytest.param("http://127.0.0.1:999999/v/1", "unparseable URL", id="port-999999"),
        pytest.param("http://127.0.0.1:-1/v/1", "unparseable URL", id="port-minus-1"),
        pytest.param(b"http://127.0.0.1\x00.example/v/1", "control character", id="nul-in-host"),
        pytest.param("http://127.0.0.1\\@example.com/v/1", "backslash", id="backslash"),
        pytest.param("http://user:pw@127.0.0.1/v/1", "userinfo", id="userinfo"),
    ],
)
def test_a_bad_redirect_location_is_quarantined(server: HostileServer, location: str | bytes, why: str) -> None:
    server.route("/v/1", redirect(location))
    error = fails(server, "/v/1")
    assert error.reason.startswith(f"bad redirect location: {why}") and error.retryable is False
    assert list(server.hits) == ["/v/1"]


def test_a_raw_euc_kr_location_is_percent_encoded_byte_by_byte_and_followed(server: HostileServer) -> None:
    # A legacy site's redirect: EUC-KR bytes for "기사" in the query, sent raw
    server.route("/v/20250710000000001", redirect(b"/v/20250710000000005?t=\xb1\xe2\xbb\xe7"))
    server.route("/v/20250710000000005", response())
    page = get(server, "/v/20250710000000001")
    assert server.targets[-1] == "/v/20250710000000005?t=%B1%E2%BB%E7"
    assert page.url == server.base_url + "/v/20250710000000005?t=%B1%E2%BB%E7"


def test_nuls_in_header_values_are_stripped(server: HostileServer) -> None:
    server.route(
        "/v/1",
        response(
            headers=[("ETag", b'"a\x00b"'), ("Last-Modified", b"Thu, 10 Jul 2025 00:00:00 GMT\x00")],
            content_type=b"text/html\x00; charset=utf-8",
        ),
    )
    page = get(server, "/v/1")
    assert (page.content_type, page.etag, page.last_modified) == (
        "text/html; charset=utf-8",
        '"ab"',
        "Thu, 10 Jul 2025 00:00:00 GMT",
    )


# --- item 15 (the content-type part): media types match exactly ----------------------------------------


@pytest.mark.parametrize("ctype", ["text/html-evil/x", "text/htmlx", "application/xhtml+xml-foo", "image/png"])
def test_a_content_type_that_only_starts_like_html_is_refused(server: HostileServer, ctype: str) -> None:
    server.route("/v/1", response(content_type=ctype))
    error = fails(server, "/v/1")
    assert error.reason.startswith("not HTML") and error.retryable is False


@pytest.mark.parametrize(
    "ctype", ["text/html", "TEXT/HTML; charset=euc-kr", "application/xhtml+xml", "text/plain; charset=utf-8"]
)
def test_html_types_are_accepted(server: HostileServer, ctype: str) -> None:
    server.route("/v/1", response(content_type=ctype))
    assert get(server, "/v/1").status == 200


# --- item 8: a total deadline per URL -----------------------------------------------------------------

HEAD = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nConnection: close\r\n"


@pytest.mark.parametrize(
    "prefix, dripped",
    [
        pytest.param(HEAD + b"Content-Length: 100\r\n\r\n", b"x" * 100, id="body"),
        pytest.param(HEAD + b"X-Slow: ", b"y" * 100, id="header-line"),
        pytest.param(HEAD + b"Transfer-Encoding: chunked\r\n\r\n", b"1\r\nz\r\n" * 20, id="chunked"),
        pytest.param(HEAD + b"\r\n", b"w" * 100, id="body-without-length"),
    ],
)
def test_a_dripping_response_is_cut_at_the_deadline(server: HostileServer, prefix: bytes, dripped: bytes) -> None:
    # a byte every 0.15 s: never a read timeout (2 s), and about 15 s in all, 10 times the deadline
    slow = Drip(dripped, 0.15)

    def send(conn: socket.socket) -> None:
        conn.sendall(prefix)
        slow(conn)

    server.route("/v/1", send)
    error = fails(server, "/v/1", deadline_s=1.5)
    assert error.reason == "deadline exceeded: over 1.5 s" and error.retryable is True
    assert slow.was_cut()  # the client hung up before the server was done
    assert len(server.hits["/v/1"]) == 1  # not retried within the task: the next run will


def test_a_dripping_robots_txt_is_cut_and_its_articles_fail_as_robots_unavailable(server: HostileServer) -> None:
    slow = Drip(b"# " + b"x" * 100, 0.15)

    def send(conn: socket.socket) -> None:
        conn.sendall(HEAD + b"\r\n")
        slow(conn)

    server.route("/robots.txt", send)
    server.route("/v/1", response())
    error = fails(server, "/v/1", deadline_s=1.5, respect_robots=True)
    assert (error.reason, error.retryable) == ("robots.txt unavailable", True)
    assert slow.was_cut() and "/v/1" not in server.hits


# --- item 9: Retry-After and the task's retry budget ----------------------------------------------------


@pytest.fixture
def slept(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """The waits between attempts, recorded instead of slept."""
    waits: list[float] = []
    monkeypatch.setattr(time, "sleep", waits.append)
    return waits


def test_waits_stop_when_the_task_budget_is_spent(server: HostileServer, slept: list[float]) -> None:
    for path in ("/v/1", "/v/2", "/v/3"):
        server.route(path, response(503, [("Retry-After", "2")]))
    source = source_at(server, retry_budget_s=3, max_attempts=3)
    errors = []
    with SourceClient(source, backoff_s=0.01) as client:
        for path in ("/v/1", "/v/2", "/v/3"):
            with pytest.raises(FetchError) as info:
                client.get(server.base_url + path)
            errors.append(info.value)
    assert slept == [2]  # one wait fits in 3 s, the next does not, and none after that
    assert [e.reason for e in errors] == ["HTTP 503; retry budget of 3 s spent"] * 3
    assert all(e.retryable and e.status == 503 for e in errors)
    assert [len(server.hits[p]) for p in ("/v/1", "/v/2", "/v/3")] == [2, 1, 1]


@pytest.mark.parametrize(
    "retry_after", ["99999999", format_datetime(datetime.now(UTC) + timedelta(days=3650), usegmt=True)]
)
def test_a_retry_after_longer_than_the_deadline_fails_at_once(
    server: HostileServer, slept: list[float], retry_after: str
) -> None:
    server.route("/v/1", response(503, [("Retry-After", retry_after)]))
    error = fails(server, "/v/1", deadline_s=60)  # capped at MAX_WAIT_S = 60: no time left in the deadline
    assert MAX_WAIT_S >= 60
    assert error.reason == "deadline exceeded: over 60 s (HTTP 503)" and error.retryable is True
    assert slept == [] and len(server.hits["/v/1"]) == 1


# --- item 10: robots.txt per RFC 9309, once per origin -------------------------------------------------


def test_a_huge_robots_txt_is_read_up_to_the_limit_and_its_rules_so_far_apply(server: HostileServer) -> None:
    filler = b"# filler\n" * (ROBOTS_MAX_BYTES // 9 + 1)
    body = b"User-agent: *\nDisallow: /v/2\n" + filler + b"Disallow: /v/3\n" + filler * 10  # ~5 MB
    server.route("/robots.txt", response(body=body, content_type="text/plain"))
    for path in ("/v/1", "/v/2", "/v/3"):
        server.route(path, response())
    # pages may be 2 MB: robots.txt has its own limit, and a large one no longer quarantines every article
    with SourceClient(source_at(server, respect_robots=True, max_body_bytes=2_000_000)) as client:
        assert client.get(server.base_url + "/v/1").status == 200
        with pytest.raises(FetchError, match="blocked by robots.txt"):
            client.get(server.base_url + "/v/2")
        assert client.get(server.base_url + "/v/3").status == 200  # its rule lies past the limit
    assert len(server.hits["/robots.txt"]) == 1


def test_a_robots_txt_5xx_is_read_once_and_fails_every_article_of_the_origin(server: HostileServer) -> None:
    server.route("/robots.txt", response(500))
    paths = [f"/v/2025071000000000{i:02d}" for i in range(12)]
    for path in paths:
        server.route(path, response())
    source = source_at(server, respect_robots=True, max_attempts=3, concurrency=4)

    def fetch(client: SourceClient, path: str) -> FetchError:
        with pytest.raises(FetchError) as info:
            client.get(server.base_url + path)
        return info.value

    with SourceClient(source, backoff_s=0.01) as client, ThreadPoolExecutor(4) as pool:
        errors = list(pool.map(lambda p: fetch(client, p), paths))
    assert {(e.reason, e.retryable) for e in errors} == {("robots.txt unavailable", True)}
    assert len(server.hits["/robots.txt"]) == 3  # max_attempts once, not once per article (36)
    assert not any(p in server.hits for p in paths)


@pytest.mark.parametrize("status", [401, 403, 404, 410])
def test_a_robots_txt_4xx_allows_everything(server: HostileServer, status: int) -> None:
    server.route("/robots.txt", response(status))
    server.route("/v/1", response())
    assert get(server, "/v/1", respect_robots=True).status == 200
    assert list(server.hits) == ["/robots.txt", "/v/1"]


def test_a_stalled_robots_txt_holds_no_other_origin(server: HostileServer, other_server: HostileServer) -> None:
    slow = Drip(b"#" * 100, 0.15)

    def stall(conn: socket.socket) -> None:
        conn.sendall(HEAD + b"\r\n")
        slow(conn)

    server.route("/robots.txt", stall)
    other_server.route("/v/2", response())
    source = source_at(
        server, respect_robots=True, deadline_s=3, allowed_hosts=(f"127.0.0.1:{other_server.port}",), concurrency=2
    )
    finished: list[str] = []

    def fetch(url: str) -> None:
        try:
            client.get(url)
        except FetchError as exc:
            assert exc.reason == "robots.txt unavailable"
        finished.append(url)

    with SourceClient(source) as client, ThreadPoolExecutor(2) as pool:
        stalled = pool.submit(fetch, server.base_url + "/v/1")
        while not server.hits["/robots.txt"]:  # the stalled origin's robots.txt is being read
            time.sleep(0.01)
        pool.submit(fetch, other_server.base_url + "/v/2").result()
        stalled.result()
    assert finished == [other_server.base_url + "/v/2", server.base_url + "/v/1"]


def test_robots_txt_is_read_once_per_origin_by_many_threads(server: HostileServer) -> None:
    server.route("/robots.txt", response(body=b"User-agent: *\nDisallow: /x\n", content_type="text/plain"))
    paths = [f"/v/{i}" for i in range(16)]
    for path in paths:
        server.route(path, response())
    with SourceClient(source_at(server, respect_robots=True, concurrency=8)) as client, ThreadPoolExecutor(8) as pool:
        assert [r.status for r in pool.map(lambda p: client.get(server.base_url + p), paths)] == [200] * 16
    assert len(server.hits["/robots.txt"]) == 1


@pytest.mark.parametrize(
    "line", ["Crawl-delay: \xb2", "Request-rate: \xb2/\xb2", "Disallow: //%5Bx", "Allow: //[", "Disallow: /v/2"]
)
def test_robots_lines_pythons_parser_crashes_on_are_skipped(server: HostileServer, line: str) -> None:
    body = f"User-agent: *\n{line}\nDisallow: /v/2\n".encode()
    server.route("/robots.txt", response(body=body, content_type="text/plain"))
    server.route("/v/1", response())
    with SourceClient(source_at(server, respect_robots=True)) as client:
        assert client.get(server.base_url + "/v/1").status == 200
        with pytest.raises(FetchError, match="blocked by robots.txt"):
            client.get(server.base_url + "/v/2")  # the rules after the bad line still apply


def hit_gaps(srv: HostileServer, paths: list[str]) -> list[float]:
    times = sorted(t for p in paths for t in srv.hits[p])
    return [b - a for a, b in zip(times, times[1:], strict=False)]


def crawl_gaps(srv: HostileServer, delay: str, cap: float, paths: list[str]) -> list[float]:
    """The gaps between three article requests under robots.txt's Crawl-delay (no rate limit of our own)."""
    srv.route(
        "/robots.txt", response(body=f"User-agent: *\nCrawl-delay: {delay}\n".encode(), content_type="text/plain")
    )
    for path in paths:
        srv.route(path, response())
    source = source_at(srv, respect_robots=True, requests_per_second=0, max_crawl_delay_s=cap)
    with SourceClient(source) as client:
        for path in paths:
            client.get(srv.base_url + path)
    return hit_gaps(srv, paths)


def test_crawl_delay_is_honoured_up_to_the_cap(server: HostileServer) -> None:
    honoured = crawl_gaps(server, "2", 10, ["/v/1", "/v/2", "/v/3"])
    capped = crawl_gaps(server, "100000", 0.3, ["/v/4", "/v/5", "/v/6"])
    assert min(honoured) >= 1.9, honoured
    assert min(capped) >= 0.28, capped
    assert max(capped) < min(honoured), (capped, honoured)  # the cap, not the 100000 s (nor 2 s) asked for


# --- item 11: every redirect hop is checked against robots.txt and paced --------------------------------


def test_a_redirect_to_a_disallowed_path_is_not_followed(server: HostileServer) -> None:
    server.route("/robots.txt", response(body=b"User-agent: *\nDisallow: /private\n", content_type="text/plain"))
    server.route("/v/1", redirect("/private/v/1"))
    server.route("/private/v/1", response())
    error = fails(server, "/v/1", respect_robots=True)
    assert (error.reason, error.retryable) == ("blocked by robots.txt", False)
    assert "/private/v/1" not in server.hits


def test_every_redirect_hop_waits_for_the_rate_limiter(server: HostileServer) -> None:
    paths = [f"/h{i}" for i in range(6)]
    for here, there in zip(paths, paths[1:], strict=False):
        server.route(here, redirect(there))
    server.route(paths[-1], response())
    assert get(server, paths[0], requests_per_second=5).status == 200
    gaps = hit_gaps(server, paths)
    assert len(gaps) == 5 and min(gaps) >= 0.19, gaps  # one start per 0.2 s


def test_a_redirect_from_https_to_http_is_refused(server: HostileServer) -> None:
    source = source_at(server, allowed_hosts=("https://127.0.0.1:8443", "127.0.0.1"))
    with SourceClient(source) as client:
        with pytest.raises(FetchError, match="redirect from https to http refused"):
            client._hop("https://127.0.0.1:8443/v/1", server.base_url + "/v/1")


# --- item 12: SSRF ------------------------------------------------------------------------------------


def daum_live(**changes: object) -> Source:
    """The shipped live source (no private addresses), on plain http so only the parser stands in the way."""
    live = load_sources(["daum_live"])[0]
    settings: dict[str, object] = {"base_url": "http://v.daum.net", "timeout_s": (1.0, 1.0), "max_attempts": 1}
    return dataclasses.replace(live, **{**settings, **changes})  # type: ignore[arg-type]


def test_a_backslash_userinfo_url_does_not_reach_loopback(server: HostileServer) -> None:
    server.route("/v/1", response())
    url = f"http://127.0.0.1:{server.port}\\@v.daum.net/v/1"  # urlsplit: v.daum.net; urllib3: 127.0.0.1
    with SourceClient(daum_live(respect_robots=False)) as client:
        with pytest.raises(FetchError) as info:
            client.get(url)
    assert info.value.reason == "bad URL: backslash in URL" and info.value.retryable is False
    assert server.connections == 0


def test_a_redirect_to_a_backslash_url_does_not_reach_the_other_server(
    server: HostileServer, other_server: HostileServer
) -> None:
    other_server.route("/v/1", response())
    server.route("/v/1", redirect(f"http://127.0.0.1:{other_server.port}\\@allowed.example/v/1"))
    error = fails(server, "/v/1", allowed_hosts=("127.0.0.1", "allowed.example"))
    assert error.reason.startswith("bad redirect location: backslash")
    assert other_server.connections == 0


@pytest.mark.parametrize(
    "url, reason",
    [
        ("http://user@v.daum.net/v/1", "bad URL: userinfo in URL"),
        ("http://v.daum.net/v/1\t", "bad URL: control character '\\t' in URL"),
        ("http://v.da\num.net/v/1", "bad URL: control character '\\n' in URL"),
        ("ftp://v.daum.net/v/1", "bad URL: not an http(s) URL: ftp://v.daum.net/v/1"),
        ("http://v.daum.net:8080/v/1", "http://v.daum.net:8080 is not allowed for source daum_live"),
        ("https://v.daum.net/v/1", "https://v.daum.net:443 is not allowed for source daum_live"),
        ("http://evil.example/v/1", "host evil.example is not allowed for source daum_live"),
    ],
)
def test_urls_are_checked_as_they_will_be_requested(url: str, reason: str) -> None:
    with SourceClient(daum_live()) as client:
        with pytest.raises(FetchError) as info:
            client.check_url(url)
    assert (info.value.reason, info.value.retryable) == (reason, False)


def test_allowed_hosts_mean_scheme_host_and_port() -> None:
    allowed = AllowedOrigins("http://127.0.0.1:8801", ["localhost", "news.example:8080", "https://secure.example"])
    assert allowed.allows(Origin("http", "127.0.0.1", 8801))  # the base URL's own origin
    assert not allowed.allows(Origin("http", "127.0.0.1", 8802))
    assert not allowed.allows(Origin("https", "127.0.0.1", 8801))
    assert allowed.allows(Origin("http", "localhost", 80)) and allowed.allows(Origin("http", "localhost", 8801))
    assert not allowed.allows(Origin("http", "localhost", 22))
    assert allowed.allows(Origin("http", "news.example", 8080)) and not allowed.allows(
        Origin("http", "news.example", 80)
    )
    assert allowed.allows(Origin("https", "secure.example", 443))
    assert not allowed.allows(Origin("http", "secure.example", 80))


def test_another_port_of_an_allowed_host_is_refused(server: HostileServer, other_server: HostileServer) -> None:
    other_server.route("/v/1", response())
    server.route("/v/1", redirect(f"http://127.0.0.1:{other_server.port}/v/1"))
    error = fails(server, "/v/1")
    assert error.reason == f"http://127.0.0.1:{other_server.port} is not allowed for source sample_daum"
    assert other_server.connections == 0
    assert get(server, "/v/1", allowed_hosts=(f"127.0.0.1:{other_server.port}",)).status == 200


def test_a_name_resolving_to_loopback_is_refused_at_connect_time(server: HostileServer) -> None:
    source = daum_live(base_url=f"http://localhost:{server.port}", respect_robots=False)
    with SourceClient(source) as client:
        with pytest.raises(FetchError, match=r"host localhost resolves to a private or loopback address") as info:
            client.get(f"http://localhost:{server.port}/v/1")
    assert info.value.retryable is False and server.connections == 0


def test_https_connections_are_checked_at_connect_time_too(server: HostileServer) -> None:
    source = daum_live(base_url=f"https://localhost:{server.port}", respect_robots=False)
    with SourceClient(source) as client:
        with pytest.raises(FetchError, match=r"host localhost resolves to a private or loopback address"):
            client.get(f"https://localhost:{server.port}/v/1")
    assert server.connections == 0  # refused before any TCP connection, let alone a TLS handshake


class FakeDNS:
    """The system resolver with one name answered from a script (no DNS server of ours could be asked by
    getaddrinfo), to play DNS rebinding: a public address first, loopback afterwards."""

    def __init__(self, name: str, *answers: list[str]) -> None:
        self.name, self.answers, self.asked = name, list(answers), 0
        self.real = socket.getaddrinfo

    def __call__(self, host: str, port: object, *args: object, **kwargs: object) -> list:
        if host != self.name:
            return self.real(host, port, *args, **kwargs)  # type: ignore[arg-type]
        ips = self.answers[min(self.asked, len(self.answers) - 1)]
        self.asked += 1
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (ip, port or 0)) for ip in ips]


def test_dns_rebinding_cannot_reach_loopback(server: HostileServer, monkeypatch: pytest.MonkeyPatch) -> None:
    dns = FakeDNS("rebind.example", ["93.184.215.14"], ["127.0.0.1"])
    monkeypatch.setattr(socket, "getaddrinfo", dns)
    connected: list[tuple[str, int]] = []

    def no_internet(address: tuple[str, int], *args: object, **kwargs: object) -> socket.socket:
        connected.append(address)  # the tests reach nothing beyond 127.0.0.1
        raise ConnectionRefusedError(111, "refused by the test")

    monkeypatch.setattr(client_net, "create_connection", no_internet)
    source = daum_live(base_url=f"http://rebind.example:{server.port}", respect_robots=False)
    with SourceClient(source) as client:
        with pytest.raises(FetchError, match="ConnectionError") as info:
            client.get(f"http://rebind.example:{server.port}/v/1")
    assert info.value.retryable is True
    assert connected == [("93.184.215.14", server.port)] and dns.asked == 1  # resolved once, that address used
    assert server.connections == 0


def test_one_private_address_among_the_answers_refuses_the_host(
    server: HostileServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(socket, "getaddrinfo", FakeDNS("mixed.example", ["93.184.215.14", "127.0.0.1"]))
    source = daum_live(base_url=f"http://mixed.example:{server.port}", respect_robots=False)
    with SourceClient(source) as client:
        with pytest.raises(FetchError, match=r"private or loopback address \(127.0.0.1\)"):
            client.get(f"http://mixed.example:{server.port}/v/1")
    assert server.connections == 0


@pytest.mark.parametrize(
    "ip, public",
    [
        ("127.0.0.1", False),
        ("10.1.2.3", False),
        ("169.254.169.254", False),
        ("::1", False),
        ("::ffff:127.0.0.1", False),
        ("fe80::1", False),
        ("0.0.0.0", False),
        ("224.0.0.1", False),
        ("93.184.215.14", True),
        ("2606:4700::1111", True),
    ],
)
def test_public_addresses(ip: str, public: bool) -> None:
    assert client_net.is_public_address(ip) is public


def test_location_urls() -> None:
    here = "http://127.0.0.1:8801/v/1"
    assert location_url(here, "/v/2 x") == "http://127.0.0.1:8801/v/2%20x"
    assert location_url(here, "\xed\x95\x9c") == "http://127.0.0.1:8801/v/%ED%95%9C"  # raw UTF-8 bytes
    assert request_url("http://v.daum.net/v/기사") == "http://v.daum.net/v/%EA%B8%B0%EC%82%AC"
    for bad in ("http://h:65536/", "http://[::1", "", "http://h/\x7f", "//h\\@x/"):
        with pytest.raises(BadURL):
            location_url(here, bad)


# --- the poison pill: one bad URL per kind in a fetch_day batch ------------------------------------------

GOOD = 6


def poison(srv: HostileServer) -> dict[str, tuple[object, str, str | None]]:
    """Path -> (reply, expected state, expected reason prefix) for every kind, good pages among them."""
    slow = Drip(b"x" * 100, 0.15)

    def drip(conn: socket.socket) -> None:
        conn.sendall(HEAD + b"Content-Length: 100\r\n\r\n")
        slow(conn)

    kinds: list[tuple[object, str, str | None]] = [
        (response(headers=[("Content-Encoding", "gzip")]), "quarantined", "bad content encoding"),
        (
            response(headers=[("Content-Encoding", ", ".join(["gzip"] * 6))], body=gzipped(PAGE, 6)),
            "quarantined",
            "bad content encoding",
        ),
        (response(headers=[("Content-Length", "5")]), "quarantined", "bad response: Content-Length"),
        (response(headers=[("Content-Length", b"\xb2")], length=False), "quarantined", "bad Content-Length"),
        ([response(503, [("Retry-After", b"\xb2")]), response()], "fetched", None),
        (response(404, [("Retry-After", b"\xb2")]), "quarantined", "HTTP 404"),
        (redirect("http://[::1"), "quarantined", "bad redirect location"),
        (redirect("http://127.0.0.1:999999/"), "quarantined", "bad redirect location"),
        (redirect("http://127.0.0.1:-1/"), "quarantined", "bad redirect location"),
        (redirect(b"http://127.0.0.1\x00.evil/"), "quarantined", "bad redirect location"),
        (redirect(b"/v/20250710000000099?t=\xb1\xe2"), "fetched", None),
        (response(content_type=b"text/html\x00", headers=[("ETag", b'"e\x00"')]), "fetched", None),
        (response(content_type="text/html-evil/x"), "quarantined", "not HTML"),
        (drip, "failed", "deadline exceeded"),
        (response(503, [("Retry-After", "99999999")]), "failed", "deadline exceeded"),
    ]
    kinds += [(response(), "fetched", None)] * GOOD
    plan = {}
    for i, (reply, state, reason) in enumerate(kinds):
        path = f"/v/202507100000001{i:02d}"
        replies = reply if isinstance(reply, list) else [reply]
        srv.route(path, *replies)
        plan[path] = (reply, state, reason)
    srv.route("/v/20250710000000099", response())
    return plan


def test_one_poison_url_per_kind_never_loses_the_batch(clean_db: Engine, server: HostileServer) -> None:
    plan = poison(server)
    source = source_at(server, deadline_s=2.0, max_attempts=2)
    with clean_db.begin() as conn:
        rows = [{"day": DAY, "source": source.name, "url": server.base_url + p, "source_id": p[3:]} for p in plan]
        conn.execute(statement("discover_insert"), rows)
    counts = fetch_day(clean_db, DAY, [source])
    with clean_db.connect() as conn:
        states = {
            r.url.removeprefix(server.base_url): (r.state, r.reason)
            for r in conn.execute(sa.text("SELECT url, state, reason FROM news.crawl_url"))
        }
        stored = dict(conn.execute(sa.text("SELECT url, etag FROM staging.raw_page")).all())
    for path, (_, state, reason) in plan.items():
        got_state, got_reason = states[path]
        assert got_state == state, (path, got_state, got_reason)
        assert (got_reason or "").startswith(reason or ""), (path, got_reason)
        assert "\n" not in (got_reason or "")
    fetched = [p for p, (_, state, _) in plan.items() if state == "fetched"]
    assert sorted(stored) == sorted(server.base_url + p for p in fetched)
    assert '"e"' in stored.values()  # the NUL stripped, the rest kept
    assert counts["fetched"] == len(fetched)


# --- item 14: newsetl parse ---------------------------------------------------------------------------


def run_parse(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, list[dict]]:
    parser = argparse.ArgumentParser()
    cli_parse.add_arguments(parser)
    code = cli_parse.run(parser.parse_args(list(argv)))
    return code, [json.loads(line) for line in capsys.readouterr().out.splitlines()]


def test_parse_refuses_loopback_unless_allowed(server: HostileServer, capsys: pytest.CaptureFixture[str]) -> None:
    server.route("/v/1", response(body=(PAGES / "daum_yonhap_006.html").read_bytes()))
    code, [line] = run_parse(capsys, server.base_url + "/v/1")
    assert code == 1 and line["error"].startswith("host 127.0.0.1 resolves to a private or loopback address")
    assert server.connections == 0
    code, [line] = run_parse(capsys, server.base_url + "/v/1", "--allow-private")
    assert code == 0 and line["title"]


def test_parse_does_not_follow_a_redirect_to_link_local(
    server: HostileServer, capsys: pytest.CaptureFixture[str]
) -> None:
    server.route("/v/1", redirect("http://169.254.169.254/latest/meta-data/"))
    code, [line] = run_parse(capsys, server.base_url + "/v/1", "--allow-private")
    assert code == 1
    assert line["error"] == "host 169.254.169.254 is not allowed for source newsetl-parse"


def test_parse_stops_a_gzip_bomb_at_the_size_limit(server: HostileServer, capsys: pytest.CaptureFixture[str]) -> None:
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)  # gzip framing
    zeros = bytes(1 << 20)
    bomb = b"".join(packer.compress(zeros) for _ in range(100)) + packer.flush()  # 100 MiB in ~100 KB
    server.route("/v/1", response(headers=[("Content-Encoding", "gzip")], body=bomb))
    tracemalloc.start()
    try:
        code, [line] = run_parse(capsys, server.base_url + "/v/1", "--allow-private")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert code == 1 and line["error"] == f"too large: over {cli_parse.MAX_FILE_BYTES} bytes"
    assert peak < 4 * cli_parse.MAX_FILE_BYTES  # read up to the limit, not the 100 MiB


def test_parse_refuses_what_is_not_a_regular_file(capsys: pytest.CaptureFixture[str]) -> None:
    code, [line] = run_parse(capsys, "/dev/zero")
    assert code == 1 and line == {"path": "/dev/zero", "error": "not a regular file"}


def test_parse_reads_a_whole_folder_whatever_its_bad_files(tmp_path: Path) -> None:
    good = (PAGES / "daum_yonhap_006.html").read_bytes()
    (tmp_path / "a_good.html").write_bytes(good)
    os.mkfifo(tmp_path / "b_fifo.html")  # reading it would wait for a writer forever
    (tmp_path / "c_folder.html").mkdir()
    (tmp_path / "d_zero.html").symlink_to("/dev/zero")
    (tmp_path / "e_missing.html").symlink_to(tmp_path / "nowhere")
    (tmp_path / "f_big.html").write_bytes(b" " * (cli_parse.MAX_FILE_BYTES + 1))
    (tmp_path / os.fsdecode(b"g_\xb1\xe2.html")).write_bytes(good)  # an EUC-KR file name
    (tmp_path / "h_good.html").write_bytes(good)
    newsetl = str(Path(sys.executable).parent / "newsetl")
    proc = subprocess.run([newsetl, "parse", str(tmp_path)], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1 and proc.stderr == ""
    lines = [json.loads(line) for line in proc.stdout.splitlines()]
    errors = {Path(line["path"]).name: line.get("error") for line in lines}
    assert errors == {
        "a_good.html": None,
        "b_fifo.html": "not a regular file",
        "c_folder.html": "not a regular file",
        "d_zero.html": "not a regular file",
        "e_missing.html": "No such file or directory",
        "f_big.html": f"too large: {cli_parse.MAX_FILE_BYTES + 1} bytes > {cli_parse.MAX_FILE_BYTES}",
        "g_\ufffd\ufffd.html": None,
        "h_good.html": None,
    }


def test_parse_gives_one_line_per_bad_url(server: HostileServer, capsys: pytest.CaptureFixture[str]) -> None:
    server.route("/v/1", response(headers=[("Content-Length", "5")]))
    server.route("/v/2", redirect(b"http://127.0.0.1\x00/"))
    targets = [server.base_url + "/v/1", server.base_url + "/v/2", "http://[::1/", "https://"]
    code, lines = run_parse(capsys, *targets, "--allow-private")
    assert code == 1 and [line["path"] for line in lines] == targets
    assert all(set(line) == {"path", "error"} and "\n" not in line["error"] for line in lines)


# --- the DAG: every task has an execution_timeout -------------------------------------------------------


def test_every_task_of_the_dag_has_an_execution_timeout() -> None:
    from airflow.dag_processing.dagbag import DagBag

    dag = DagBag(dag_folder=str(Path(__file__).resolve().parents[1] / "dags")).dags["news_daily"]
    for task in dag.tasks:
        assert task.execution_timeout is not None and task.execution_timeout > timedelta(0), task.task_id
