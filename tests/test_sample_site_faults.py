"""Fault mode of the sample site: the plan is a pure function, each fault misbehaves as specified.

Real HTTP with requests against servers on free loopback ports; the hostile responses are read from a raw
socket, byte for byte, since requests and http.client would parse (or refuse) exactly what is under test.
With faults off /__faults is a 404 (the site is then byte-for-byte the normal one, which 404s every unknown
path).
"""

from __future__ import annotations

import datetime as dt
import gzip
import os
import re
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit
from urllib.robotparser import RobotFileParser

import pytest
import requests
from lxml import html as lxml_html
from urllib3.util import parse_url

from newsetl_tools.faultreport import UrlOutcome, fault_table
from newsetl_tools.sample_site import faults, make_server, running, site, templates
from newsetl_tools.sample_site.faults import (
    EXPECTED_REASON,
    EXPECTED_STATE,
    FAULT_ARTICLES_PER_DAY,
    FAULT_KINDS,
    fault_plan,
)

DAY = dt.date(2025, 7, 3)
REG = f"{DAY:%Y%m%d}"
TEN_MB = 10 * 1024 * 1024
SLOW_SECONDS = 1.5
LISTING_LINKS = "//ul[contains(@class,'list_allnews')]/li//strong[@class='tit_thumb']/a/@href"
INCLUDE_DIR = Path(__file__).resolve().parents[1] / "include"


@pytest.fixture(scope="module")
def base() -> Iterator[str]:
    """A fault-mode server (seed 7, 80 articles a day, short slow faults)."""
    with running(faults=True, slow_seconds=SLOW_SECONDS) as url:
        yield url


def paths_of(base: str, kind: str, day: str = REG) -> list[str]:
    """Paths the server's /__faults says have this fault on a day."""
    plan = requests.get(f"{base}/__faults?regDate={day}", timeout=10).json()["plan"]
    paths = sorted(path for path, planned in plan.items() if planned == kind)
    assert paths, f"no URL has the fault {kind}"  # a test looping over none would pass without checking
    return paths


def listing_links(base: str) -> list[str]:
    """Every article link of the day's listing (all pages, until the first empty one)."""
    links: list[str] = []
    for page in range(1, 100):
        response = requests.get(f"{base}/breakingnews?page={page}&regDate={REG}", timeout=10)
        assert response.status_code == 200
        hrefs = [str(href) for href in lxml_html.fromstring(response.content).xpath(LISTING_LINKS)]
        if not hrefs:
            return links
        links += hrefs
    raise AssertionError("the listing never ends")


def listing_paths(base: str) -> list[str]:
    """Paths of every article link of the day's listing linked at the base URL."""
    return [link.removeprefix(base) for link in listing_links(base) if link.startswith(base + "/")]


def normal_body(path: str, base: str) -> bytes:
    """What the site renders for a path without faults (the /blocked prefix and any query dropped)."""
    page = site.render_path(urlsplit(path).path.removeprefix("/blocked"), base, FAULT_ARTICLES_PER_DAY)
    assert page.status == 200
    return page.body


def raw_get(base: str, path: str | bytes, host: str | None = None) -> bytes:
    """Everything the server sends for one GET (Host: host, else the base's) until it closes the connection."""
    address, port = base.removeprefix("http://").split(":")
    target = path.encode("ascii") if isinstance(path, str) else path
    request = b"GET " + target + f" HTTP/1.1\r\nHost: {host or address}:{port}\r\nConnection: close\r\n\r\n".encode()
    with socket.create_connection((address, int(port)), timeout=10) as sock:
        sock.sendall(request)
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


def raw_response(base: str, path: str | bytes, host: str | None = None) -> tuple[bytes, list[bytes], bytes]:
    """(status line, header lines, body) of one GET, exactly as sent: no parser between them and the test."""
    head, separator, body = raw_get(base, path, host).partition(b"\r\n\r\n")
    assert separator, "no end of the header block"
    status, *fields = head.split(b"\r\n")
    return status, fields, body


def field(fields: list[bytes], name: bytes) -> list[bytes]:
    """The raw values of every header line named name (case-insensitive), in order."""
    prefix = name.lower() + b":"
    return [line[len(prefix) :].strip(b" ") for line in fields if line.lower().startswith(prefix)]


# --- the plan --------------------------------------------------------------------------------


def test_plan_is_a_pure_function_of_day_and_seed() -> None:
    """Same inputs, same plan; another seed or day, another plan."""
    plan = fault_plan(DAY, 7)
    assert plan == fault_plan(DAY, 7, FAULT_ARTICLES_PER_DAY) == fault_plan(DAY, 7, 80)
    assert fault_plan(DAY, 8) != plan
    assert fault_plan(DAY + dt.timedelta(days=1), 7) != plan


@pytest.mark.parametrize("per_kind", [1, 2, 3])
def test_plan_has_per_kind_distinct_served_articles(per_kind: int) -> None:
    """per_kind URLs per kind, none shared between kinds, all real article ids of the day."""
    plan = fault_plan(DAY, 7, 100, per_kind=per_kind)
    assert len(plan) == per_kind * len(FAULT_KINDS)  # dict keys: distinct across kinds
    for kind in FAULT_KINDS:
        assert sum(1 for planned in plan.values() if planned == kind) == per_kind
    for path, kind in plan.items():
        prefix = "/blocked/v/" if kind == "robots_disallowed" else "/v/"
        assert path.startswith(prefix)
        assert site.parse_article_id(path.removeprefix(prefix), 100) is not None
        assert path[len(prefix) : len(prefix) + 8] == REG


def test_plan_scales_and_refuses_too_small_days() -> None:
    """Works at the 100k maximum; a day with fewer articles than faults is an error."""
    big = fault_plan(DAY, 7, site.MAX_ARTICLES_PER_DAY)
    assert len(big) == 2 * len(FAULT_KINDS)
    with pytest.raises(ValueError):
        fault_plan(DAY, 7, 2 * len(FAULT_KINDS) - 1)
    with pytest.raises(ValueError):
        make_server(articles_per_day=10, faults=True)


def test_fault_mode_has_the_http_kinds_of_issue_14_and_a_day_big_enough_for_them() -> None:
    """At least 24 distinct kinds, 2 URLs each, in a fault-mode day of 80 articles (40 without faults)."""
    assert len(FAULT_KINDS) == len(set(FAULT_KINDS)) >= 24
    assert len(fault_plan(DAY, 7)) == 2 * len(FAULT_KINDS) <= FAULT_ARTICLES_PER_DAY
    with make_server(faults=True) as faulty, make_server() as normal:
        assert (faulty.articles_per_day, normal.articles_per_day) == (FAULT_ARTICLES_PER_DAY, 40)


def test_expected_state_covers_every_kind() -> None:
    """Every kind has exactly one expected state out of the three; expected reasons name only known kinds."""
    assert set(EXPECTED_STATE) == set(FAULT_KINDS)
    assert set(EXPECTED_STATE.values()) == {"loaded", "failed", "quarantined"}
    assert set(EXPECTED_REASON) <= set(FAULT_KINDS)
    assert all(reason and "\n" not in reason for reason in EXPECTED_REASON.values())


def test_faults_endpoint_serves_the_plan(base: str) -> None:
    """/__faults gives the seed and exactly fault_plan(day, seed); a bad date is a 404."""
    response = requests.get(f"{base}/__faults?regDate={REG}", timeout=10)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/json"
    document = response.json()
    assert document["seed"] == 7
    assert document["plan"] == fault_plan(DAY, 7, FAULT_ARTICLES_PER_DAY)
    assert document["expected"] == EXPECTED_STATE
    assert requests.get(f"{base}/__faults?regDate=2025073", timeout=10).status_code == 404


def test_same_seed_same_plan_on_another_server(base: str) -> None:
    """A second server with the same seed agrees; another seed does not."""
    mine = requests.get(f"{base}/__faults?regDate={REG}", timeout=10).json()["plan"]
    with running(faults=True, fault_seed=7) as same, running(faults=True, fault_seed=8) as other:
        assert requests.get(f"{same}/__faults?regDate={REG}", timeout=10).json()["plan"] == mine
        assert requests.get(f"{other}/__faults?regDate={REG}", timeout=10).json()["plan"] != mine


def test_fault_report_counts_lost_urls_and_wrong_reasons_apart() -> None:
    """lost: no final state or another state; wrong reason: the right state for a reason that is not the agreed
    one (a robots.txt 500 surfacing as a plain "HTTP 500"); both make the matrix fail."""
    kind = "robots_unavailable"
    agreed = EXPECTED_REASON[kind]
    right = UrlOutcome("/v/1", kind, "failed", "failed", f"{agreed} (HTTP 500)", "http://h/v/1", agreed)
    wrong = UrlOutcome("/v/2", kind, "failed", "failed", "HTTP 500", "http://h/v/2", agreed)
    lost = UrlOutcome("/v/3", kind, "failed", "loaded", None, "http://h/v/3", agreed)
    never = UrlOutcome("/v/4", "slow", "failed", None, "never discovered")
    unchanged = UrlOutcome("/v/5", "none", "loaded", "unchanged", None, "http://h/v/5")
    assert [(o.lost, o.wrong_reason) for o in (right, wrong, lost, never, unchanged)] == [
        (False, False),
        (False, True),
        (True, False),
        (True, False),
        (False, False),
    ]
    text, bad = fault_table([right, wrong, lost, never, unchanged], FAULT_KINDS)
    assert bad == 3
    assert text.splitlines()[-1] == ("faults=2 kinds urls=5 loaded=2 quarantined=0 failed=2 lost=2 wrong_reason=1")


# --- the listing -----------------------------------------------------------------------------


def test_listing_is_unfaulted_and_links_every_article(base: str) -> None:
    """All 80 articles are listed once: robots_disallowed ones under /blocked/, robots_unavailable ones on the
    second origin (http://localhost:<port>), the rest at the base under /v/."""
    links = listing_links(base)
    assert len(links) == FAULT_ARTICLES_PER_DAY == len(set(links))
    elsewhere = {link for link in links if not link.startswith(base + "/")}
    port = urlsplit(base).port
    assert elsewhere == {f"http://localhost:{port}{path}" for path in paths_of(base, "robots_unavailable")}
    assert set(fault_plan(DAY, 7)) <= {urlsplit(link).path for link in links}
    paths = listing_paths(base)
    blocked = {path for path in paths if path.startswith("/blocked/")}
    assert blocked == set(paths_of(base, "robots_disallowed"))
    assert len(blocked) == len(elsewhere) == 2


# --- each kind -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "status", "retry_after"),
    [("rate_limited", 429, "1"), ("server_error_burst", 500, None), ("unavailable_burst", 503, "1")],
)
def test_burst_then_page(base: str, kind: str, status: int, retry_after: str | None) -> None:
    """Two error answers (with Retry-After where specified), then the normal page, for each URL."""
    for path in paths_of(base, kind):
        for _ in range(2):
            response = requests.get(base + path, timeout=10)
            assert response.status_code == status
            assert response.headers.get("Retry-After") == retry_after
        response = requests.get(base + path, timeout=10)
        assert response.status_code == 200
        assert response.content == normal_body(path, base)


def test_slow_times_out_without_blocking_others(base: str) -> None:
    """A read timeout shorter than slow_seconds raises ReadTimeout; other URLs stay fast meanwhile."""
    path = paths_of(base, "slow")[0]
    errors: list[BaseException] = []

    def fetch_slow() -> None:
        """Hit the slow URL, record the exception."""
        try:
            requests.get(base + path, timeout=(1, 0.5))
        except requests.RequestException as exc:
            errors.append(exc)

    worker = threading.Thread(target=fetch_slow)
    worker.start()
    started = time.perf_counter()
    assert requests.get(f"{base}/robots.txt", timeout=5).status_code == 200
    assert time.perf_counter() - started < 0.5
    worker.join(timeout=10)
    assert len(errors) == 1 and isinstance(errors[0], requests.ReadTimeout)
    # a patient client gets the page after slow_seconds
    started = time.perf_counter()
    response = requests.get(base + path, timeout=(1, 10))
    assert response.status_code == 200
    assert SLOW_SECONDS - 0.1 < time.perf_counter() - started < SLOW_SECONDS + 2


def test_shutdown_does_not_wait_for_slow_handlers() -> None:
    """Leaving running() while a 30 s slow request is in flight returns promptly."""
    outcome: list[object] = []
    with running(faults=True, slow_seconds=30) as url:
        path = paths_of(url, "slow")[0]

        def fetch_slow() -> None:
            """Wait for the slow URL; record how it ended."""
            try:
                outcome.append(requests.get(url + path, timeout=(1, 60)).status_code)
            except requests.RequestException as exc:
                outcome.append(exc)

        worker = threading.Thread(target=fetch_slow, daemon=True)
        worker.start()
        time.sleep(0.3)  # let the request reach the handler's wait
        started = time.perf_counter()
    assert time.perf_counter() - started < 3
    worker.join(timeout=5)
    # the handler dropped the request instead of finishing its 30 s wait
    assert len(outcome) == 1 and isinstance(outcome[0], requests.ConnectionError)


def test_connection_reset(base: str) -> None:
    """No response at all, the connection is reset: ConnectionError, not a timeout, every time."""
    for path in paths_of(base, "connection_reset"):
        for _ in range(2):
            started = time.perf_counter()
            with pytest.raises(requests.ConnectionError) as caught:
                requests.get(base + path, timeout=(1, 5))
            assert not isinstance(caught.value, requests.Timeout)
            assert time.perf_counter() - started < 1
        # on the wire: an RST (SO_LINGER 0), not an orderly FIN
        with pytest.raises(ConnectionResetError):
            raw_get(base, path)


def test_truncated_body(base: str) -> None:
    """Content-Length of the whole page, half of it sent, then the connection closes."""
    for path in paths_of(base, "truncated"):
        full = normal_body(path, base)
        response = requests.get(base + path, timeout=10, stream=True)
        assert response.status_code == 200
        assert response.headers["Content-Length"] == str(len(full))
        with pytest.raises(requests.exceptions.ChunkedEncodingError):
            for _ in response.iter_content(4096):
                pass
        # on the wire: exactly the first half, then EOF (urllib3 hides the partial bytes)
        received = raw_get(base, path).partition(b"\r\n\r\n")[2]
        assert received == full[: len(full) // 2]


def test_wrong_charset(base: str) -> None:
    """UTF-8 bytes labelled euc-kr, with the meta charset removed."""
    for path in paths_of(base, "wrong_charset"):
        response = requests.get(base + path, timeout=10)
        assert response.status_code == 200
        assert response.headers["Content-Type"] == "text/html; charset=euc-kr"
        assert b"charset" not in response.content
        assert response.content == normal_body(path, base).replace(b'<meta charset="utf-8">', b"", 1)
        with pytest.raises(UnicodeDecodeError):
            response.content.decode("euc-kr")


def test_bogus_charset(base: str) -> None:
    """UTF-8 bytes declared in codecs no page is written in: punycode (header), "undefined" (meta)."""
    for path in paths_of(base, "bogus_charset"):
        response = requests.get(base + path, timeout=10)
        assert response.status_code == 200
        assert response.headers["Content-Type"] == "text/html; charset=punycode"
        assert response.content == normal_body(path, base).replace(b'charset="utf-8"', b'charset="undefined"', 1)
        with pytest.raises(UnicodeError):  # what the extract stage raised before it ignored such charsets
            response.content.decode("undefined")


def test_missing_charset(base: str) -> None:
    """CP949 bytes, no charset in the header or the page, Korean text intact."""
    for path in paths_of(base, "missing_charset"):
        response = requests.get(base + path, timeout=10)
        assert response.status_code == 200
        assert response.headers["Content-Type"] == "text/html"
        assert b"charset" not in response.content
        text = response.content.decode("cp949")
        title = lxml_html.fromstring(normal_body(path, base)).xpath("string(//h3[@class='tit_view'])")
        # compared as parsed text: a title with quotes is &quot; in the markup
        assert title and lxml_html.fromstring(text).xpath("string(//h3[@class='tit_view'])") == title
        with pytest.raises(UnicodeDecodeError):
            response.content.decode("utf-8")


def test_too_large(base: str) -> None:
    """A 200 HTML page over 10 MB with a true Content-Length; HEAD says the same without a body."""
    path = paths_of(base, "too_large")[0]
    response = requests.get(base + path, timeout=10)
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/html")
    assert int(response.headers["Content-Length"]) == len(response.content) > TEN_MB
    assert response.content.endswith(b"</body></html>")
    head = requests.head(base + path, timeout=10)
    assert head.headers["Content-Length"] == response.headers["Content-Length"]
    assert head.content == b""
    # a client that stops reading early does not break the server
    with requests.get(base + paths_of(base, "too_large")[1], timeout=10, stream=True) as early:
        assert int(early.headers["Content-Length"]) > TEN_MB
    assert requests.get(f"{base}/robots.txt", timeout=5).status_code == 200


def test_not_html(base: str) -> None:
    """A 200 PDF."""
    for path in paths_of(base, "not_html"):
        response = requests.get(base + path, timeout=10)
        assert response.status_code == 200
        assert response.headers["Content-Type"] == "application/pdf"
        assert response.content.startswith(b"%PDF-1.4")


def test_redirect_loop(base: str) -> None:
    """302 to itself, every time; a client following redirects gives up."""
    path = paths_of(base, "redirect_loop")[0]
    for _ in range(3):
        response = requests.get(base + path, timeout=10, allow_redirects=False)
        assert response.status_code == 302
        assert response.headers["Location"] == base + path
    with requests.Session() as session:
        session.max_redirects = 5
        with pytest.raises(requests.TooManyRedirects):
            session.get(base + path, timeout=10)


def test_redirect_offsite(base: str) -> None:
    """302 to the same article path on offsite.invalid."""
    for path in paths_of(base, "redirect_offsite"):
        response = requests.get(base + path, timeout=10, allow_redirects=False)
        assert response.status_code == 302
        assert response.headers["Location"] == f"http://offsite.invalid{path}"


def test_robots_disallows_blocked_articles(base: str) -> None:
    """robots.txt forbids /blocked/ (before Allow: /); the article is served there all the same."""
    robots = requests.get(f"{base}/robots.txt", timeout=10).text
    assert "Disallow: /blocked/" in robots
    assert robots.index("Disallow: /blocked/") < robots.index("Allow: /")
    rules = RobotFileParser()
    rules.parse(robots.splitlines())
    for path in paths_of(base, "robots_disallowed"):
        assert path.startswith("/blocked/v/")
        assert not rules.can_fetch("newsetl", base + path)
        assert rules.can_fetch("newsetl", base + path.removeprefix("/blocked"))
        response = requests.get(base + path, timeout=10)
        assert response.status_code == 200
        assert response.content == normal_body(path, base)


def test_not_article(base: str) -> None:
    """A titled HTML page with a login box and no article."""
    for path in paths_of(base, "not_article"):
        response = requests.get(base + path, timeout=10)
        assert response.status_code == 200
        assert response.headers["Content-Type"].startswith("text/html")
        tree = lxml_html.fromstring(response.content)
        assert tree.xpath("string(//title)")
        assert tree.xpath("//form//input[@type='password']")
        assert not tree.xpath("//*[contains(@class,'article_view')]")
        assert tree.xpath("//meta[@property='og:type']/@content") != ["article"]


# --- the HTTP-level kinds of issue 14, on the wire ------------------------------------------


def test_gzip_not_gzipped(base: str) -> None:
    """Content-Encoding: gzip on the plain page (what a decoder must refuse, not crash on)."""
    for path in paths_of(base, "gzip_not_gzipped"):
        status, fields, body = raw_response(base, path)
        assert status == b"HTTP/1.1 200 OK"
        assert field(fields, b"Content-Encoding") == [b"gzip"]
        assert body == normal_body(path, base)
        assert field(fields, b"Content-Length") == [str(len(body)).encode()]
        assert not body.startswith(b"\x1f\x8b")


def test_gzip_stacked(base: str) -> None:
    """Six stacked gzip encodings, and a body that really is the page gzipped six times."""
    for path in paths_of(base, "gzip_stacked"):
        status, fields, body = raw_response(base, path)
        assert status == b"HTTP/1.1 200 OK"
        assert field(fields, b"Content-Encoding") == [b"gzip, gzip, gzip, gzip, gzip, gzip"]
        assert field(fields, b"Content-Length") == [str(len(body)).encode()]
        for _ in range(6):
            body = gzip.decompress(body)
        assert body == normal_body(path, base)


def test_content_length_conflict(base: str) -> None:
    """Two Content-Length lines that disagree; the body has the first one's length, then the server closes."""
    for path in paths_of(base, "content_length_conflict"):
        status, fields, body = raw_response(base, path)
        assert status == b"HTTP/1.1 200 OK"
        page = normal_body(path, base)
        assert field(fields, b"Content-Length") == [b"%d" % len(page), b"%d" % (len(page) + 7)]
        assert field(fields, b"Connection") == [b"close"]
        assert body == page


def test_content_length_not_digits(base: str) -> None:
    """Content-Length: the single byte 0xB2 (SUPERSCRIPT TWO: isdigit() but not int()), body until close."""
    for path in paths_of(base, "content_length_not_digits"):
        status, fields, body = raw_response(base, path)
        assert status == b"HTTP/1.1 200 OK"
        assert field(fields, b"Content-Length") == [b"\xb2"]
        value = field(fields, b"Content-Length")[0].decode("latin-1")
        assert value.isdigit()
        with pytest.raises(ValueError):
            int(value)
        assert body == normal_body(path, base)


def test_retry_after_not_digits_on_a_503_burst(base: str) -> None:
    """Two 503s whose Retry-After is the byte 0xB2, then the page."""
    for path in paths_of(base, "retry_after_not_digits"):
        for _ in range(2):
            status, fields, _ = raw_response(base, path)
            assert status == b"HTTP/1.1 503 Service Unavailable"
            assert field(fields, b"Retry-After") == [b"\xb2"]
        assert requests.get(base + path, timeout=10).content == normal_body(path, base)


def test_retry_after_huge_on_every_503(base: str) -> None:
    """Always a 503 asking to come back in about three years."""
    for path in paths_of(base, "retry_after_huge"):
        for _ in range(4):
            status, fields, _ = raw_response(base, path)
            assert status == b"HTTP/1.1 503 Service Unavailable"
            assert field(fields, b"Retry-After") == [b"99999999"]


@pytest.mark.parametrize(
    ("kind", "location"),
    [
        ("redirect_bad_ipv6", lambda base, path: b"http://[::1"),
        ("redirect_bad_port", lambda base, path: f"http://127.0.0.1:999999{path}".encode()),
    ],
)
def test_redirect_to_an_unparsable_location(base: str, kind: str, location) -> None:
    """302 to a URL that Python's own parser refuses (an IPv6 literal never closed, a port past 65535)."""
    for path in paths_of(base, kind):
        status, fields, body = raw_response(base, path)
        assert status == b"HTTP/1.1 302 Found"
        assert field(fields, b"Location") == [location(base, path)]
        assert body == b""
        with pytest.raises(ValueError):
            urlsplit(location(base, path).decode()).port  # noqa: B018 - the property raises


def test_redirect_euc_kr(base: str) -> None:
    """302 to the same path with a raw EUC-KR query; that URL, percent-encoded or raw, is the article."""
    for path in paths_of(base, "redirect_euc_kr"):
        status, fields, _ = raw_response(base, path)
        assert status == b"HTTP/1.1 302 Found"
        euc_kr = "기사".encode("euc-kr")
        assert field(fields, b"Location") == [path.encode() + b"?t=" + euc_kr]
        with pytest.raises(UnicodeDecodeError):
            field(fields, b"Location")[0].decode("utf-8")
        encoded = path + "?t=" + "".join(f"%{byte:02X}" for byte in euc_kr)
        assert requests.get(base + encoded, timeout=10, allow_redirects=False).content == normal_body(path, base)
        status, _, body = raw_response(base, path.encode() + b"?t=" + euc_kr)
        assert status == b"HTTP/1.1 200 OK" and body == normal_body(path, base)


@pytest.mark.parametrize(
    ("kind", "name"),
    [("nul_content_type", b"Content-Type"), ("nul_etag", b"ETag"), ("nul_last_modified", b"Last-Modified")],
)
def test_nul_in_a_header(base: str, kind: str, name: bytes) -> None:
    """The page, with a NUL at the end of one header's value (and nowhere else)."""
    for path in paths_of(base, kind):
        status, fields, body = raw_response(base, path)
        assert status == b"HTTP/1.1 200 OK"
        assert body == normal_body(path, base)
        value = field(fields, name)
        assert len(value) == 1 and value[0].endswith(b"\x00") and value[0].count(b"\x00") == 1
        assert sum(line.count(b"\x00") for line in fields) == 1
        if name == b"Content-Type":
            assert value[0] == b"text/html; charset=utf-8\x00"


def test_redirect_userinfo_and_backslash_confuse_url_parsers(base: str) -> None:
    """The two SSRF shapes: Python's urlsplit and urllib3's parse_url read different hosts from each Location."""
    authority = base.removeprefix("http://")
    for kind, location, python_host, urllib3_host in [
        ("redirect_userinfo", f"{base}\\@offsite.invalid", "offsite.invalid", "127.0.0.1"),
        ("redirect_backslash", f"http://offsite.invalid\\@{authority}", "127.0.0.1", "offsite.invalid"),
    ]:
        for path in paths_of(base, kind):
            status, fields, _ = raw_response(base, path)
            assert status == b"HTTP/1.1 302 Found"
            assert field(fields, b"Location") == [(location + path).encode()]
            assert urlsplit(location + path).hostname == python_host
            assert parse_url(location + path).host == urllib3_host


def test_html_type_prefix(base: str) -> None:
    """The article itself, as text/html-evil."""
    for path in paths_of(base, "html_type_prefix"):
        response = requests.get(base + path, timeout=10)
        assert response.status_code == 200
        assert response.headers["Content-Type"] == "text/html-evil"
        assert response.content == normal_body(path, base)


def test_drip_sends_one_byte_at_a_time(base: str) -> None:
    """The headers at once with the whole page's Content-Length, then the body a byte per DRIP_INTERVAL_S."""
    path = paths_of(base, "drip")[0]
    page = normal_body(path, base)
    address, port = base.removeprefix("http://").split(":")
    with socket.create_connection((address, int(port)), timeout=10) as sock:
        sock.sendall(f"GET {path} HTTP/1.1\r\nHost: {address}\r\n\r\n".encode())
        head = b""
        while b"\r\n\r\n" not in head:
            head += sock.recv(1)  # byte by byte, so nothing of the body is read with the head
        assert f"Content-Length: {len(page)}\r\n".encode() in head
        started = time.perf_counter()
        received = [sock.recv(65536) for _ in range(4)]
        # the server sleeps between bytes: however busy the machine, four reads take three intervals at least
        assert time.perf_counter() - started >= 3 * faults.DRIP_INTERVAL_S
    assert received == [page[i : i + 1] for i in range(4)]


def test_drip_ends_after_drip_bytes_and_at_shutdown(monkeypatch) -> None:
    """A client without a deadline gets a cut body after DRIP_BYTES; stopping the server stops the drip."""
    monkeypatch.setattr(faults, "DRIP_INTERVAL_S", 0.01)
    monkeypatch.setattr(faults, "DRIP_BYTES", 5)
    with running(faults=True) as url:
        path = paths_of(url, "drip")[0]
        status, fields, body = raw_response(url, path)
        assert status == b"HTTP/1.1 200 OK"
        assert int(field(fields, b"Content-Length")[0]) > 5
        assert body == normal_body(path, url)[:5]
    monkeypatch.setattr(faults, "DRIP_INTERVAL_S", 30)
    with running(faults=True) as url:
        path = paths_of(url, "drip")[0]
        address, port = url.removeprefix("http://").split(":")
        sock = socket.create_connection((address, int(port)), timeout=10)
        sock.sendall(f"GET {path} HTTP/1.1\r\nHost: {address}\r\n\r\n".encode())
        head = b""
        while b"\r\n\r\n" not in head:  # the headers come first: the handler is now in its 30 s wait
            head += sock.recv(1)
    with sock:
        # leaving running() woke the handler: the connection ends with no byte of the body (a recv timeout
        # of 10 s would raise instead)
        assert sock.recv(65536) == b""


def test_robots_unavailable_on_the_second_origin(base: str) -> None:
    """robots.txt is a 500 when asked for as localhost (by the Host header), the usual one as 127.0.0.1; the
    articles of this kind are linked on localhost and served normally there."""
    status, _, _ = raw_response(base, "/robots.txt", host="localhost")
    assert status == b"HTTP/1.1 500 Internal Server Error"
    status, _, body = raw_response(base, "/robots.txt")
    assert status == b"HTTP/1.1 200 OK" and body.decode() == templates.ROBOTS_FAULTS
    other = base.replace("127.0.0.1", "localhost")
    assert requests.get(f"{other}/robots.txt", timeout=10).status_code == 500
    for path in paths_of(base, "robots_unavailable"):
        assert other + path in listing_links(base)
        assert requests.get(other + path, timeout=10).content == normal_body(path, base)


def test_redirect_to_blocked(base: str) -> None:
    """302 to the same article under /blocked/, which robots.txt disallows and the site serves."""
    rules = RobotFileParser()
    rules.parse(requests.get(f"{base}/robots.txt", timeout=10).text.splitlines())
    for path in paths_of(base, "redirect_to_blocked"):
        assert rules.can_fetch("newsetl", base + path)
        status, fields, _ = raw_response(base, path)
        assert status == b"HTTP/1.1 302 Found"
        target = base + "/blocked" + path
        assert field(fields, b"Location") == [target.encode()]
        assert not rules.can_fetch("newsetl", target)
        assert requests.get(target, timeout=10, allow_redirects=False).content == normal_body(path, base)


# --- faults off ------------------------------------------------------------------------------


def test_faults_off_serves_no_faults() -> None:
    """Without --faults: /__faults is a 404, every planned URL is the normal page, robots unchanged on both
    origins, every article linked at the base."""
    with running(articles_per_day=FAULT_ARTICLES_PER_DAY) as url:
        assert requests.get(f"{url}/__faults?regDate={REG}", timeout=10).status_code == 404
        robots = requests.get(f"{url}/robots.txt", timeout=10).text
        assert "/blocked/" not in robots
        status, _, body = raw_response(url, "/robots.txt", host="localhost")
        assert status == b"HTTP/1.1 200 OK" and body.decode() == robots
        assert all(link.startswith(url + "/v/") for link in listing_links(url))
        for path in fault_plan(DAY, 7):
            if path.startswith("/blocked/"):
                assert requests.get(url + path, timeout=10).status_code == 404
                path = path.removeprefix("/blocked")
            response = requests.get(url + path, timeout=(1, 5), allow_redirects=False)
            assert response.status_code == 200
            assert response.headers["Content-Type"] == "text/html; charset=utf-8"
            assert response.content == normal_body(path, url)
        assert not any(path.startswith("/blocked/") for path in listing_paths(url))


def test_cli_fault_flags() -> None:
    """python -m newsetl_tools.sample_site --faults --fault-seed N serves that seed's plan."""
    env = {**os.environ, "PYTHONPATH": str(INCLUDE_DIR)}
    command = [
        sys.executable,
        "-m",
        "newsetl_tools.sample_site",
        "--port",
        "0",
        "--faults",
        "--fault-seed",
        "3",
        "--slow-seconds",
        "0.5",
    ]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True, env=env)
    try:
        assert process.stdout is not None
        match = re.fullmatch(r"sample site on (http://127\.0\.0\.1:\d+)", process.stdout.readline().strip())
        assert match
        document = requests.get(f"{match.group(1)}/__faults?regDate={REG}", timeout=10).json()
        assert document["seed"] == 3
        assert document["plan"] == fault_plan(DAY, 3)
        process.terminate()
        assert process.wait(timeout=10) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
