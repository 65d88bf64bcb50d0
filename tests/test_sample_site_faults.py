"""Fault mode of the sample site: the plan is a pure function, each fault misbehaves as specified.

Real HTTP with requests against servers on free loopback ports. With faults off /__faults is a 404
(the site is then byte-for-byte the normal one, which 404s every unknown path).
"""

from __future__ import annotations

import datetime as dt
import os
import re
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.robotparser import RobotFileParser

import pytest
import requests
from lxml import html as lxml_html

from newsetl_tools.sample_site import make_server, running, site
from newsetl_tools.sample_site.faults import EXPECTED_STATE, FAULT_KINDS, fault_plan

DAY = dt.date(2025, 7, 3)
REG = f"{DAY:%Y%m%d}"
TEN_MB = 10 * 1024 * 1024
SLOW_SECONDS = 1.5
LISTING_LINKS = "//ul[contains(@class,'list_allnews')]/li//strong[@class='tit_thumb']/a/@href"
INCLUDE_DIR = Path(__file__).resolve().parents[1] / "include"


@pytest.fixture(scope="module")
def base() -> Iterator[str]:
    """A fault-mode server (seed 7, 40 articles a day, short slow faults)."""
    with running(faults=True, slow_seconds=SLOW_SECONDS) as url:
        yield url


def paths_of(base: str, kind: str, day: str = REG) -> list[str]:
    """Paths the server's /__faults says have this fault on a day."""
    plan = requests.get(f"{base}/__faults?regDate={day}", timeout=10).json()["plan"]
    return sorted(path for path, planned in plan.items() if planned == kind)


def listing_paths(base: str) -> list[str]:
    """Paths of every article link of the day's listing (all pages)."""
    paths = []
    for page in range(1, 5):
        response = requests.get(f"{base}/breakingnews?page={page}&regDate={REG}", timeout=10)
        assert response.status_code == 200
        hrefs = lxml_html.fromstring(response.content).xpath(LISTING_LINKS)
        paths += [str(href).removeprefix(base) for href in hrefs]
    return paths


def normal_body(path: str, base: str) -> bytes:
    """What the site renders for a path without faults (the /blocked prefix dropped)."""
    page = site.render_path(path.removeprefix("/blocked"), base)
    assert page.status == 200
    return page.body


def raw_get(base: str, path: str) -> bytes:
    """Everything the server sends for one GET until it closes the connection."""
    host, port = base.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(f"GET {path} HTTP/1.1\r\nHost: {host}\r\n\r\n".encode())
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


# --- the plan --------------------------------------------------------------------------------


def test_plan_is_a_pure_function_of_day_and_seed() -> None:
    """Same inputs, same plan; another seed or day, another plan."""
    plan = fault_plan(DAY, 7)
    assert plan == fault_plan(DAY, 7, 40)
    assert fault_plan(DAY, 8) != plan
    assert fault_plan(DAY + dt.timedelta(days=1), 7) != plan


@pytest.mark.parametrize("per_kind", [1, 2, 3])
def test_plan_has_per_kind_distinct_served_articles(per_kind: int) -> None:
    """per_kind URLs per kind, none shared between kinds, all real article ids of the day."""
    plan = fault_plan(DAY, 7, 60, per_kind=per_kind)
    assert len(plan) == per_kind * len(FAULT_KINDS)  # dict keys: distinct across kinds
    for kind in FAULT_KINDS:
        assert sum(1 for planned in plan.values() if planned == kind) == per_kind
    for path, kind in plan.items():
        prefix = "/blocked/v/" if kind == "robots_disallowed" else "/v/"
        assert path.startswith(prefix)
        assert site.parse_article_id(path.removeprefix(prefix), 60) is not None
        assert path[len(prefix) : len(prefix) + 8] == REG


def test_plan_scales_and_refuses_too_small_days() -> None:
    """Works at the 100k maximum; a day with fewer articles than faults is an error."""
    big = fault_plan(DAY, 7, site.MAX_ARTICLES_PER_DAY)
    assert len(big) == 2 * len(FAULT_KINDS)
    with pytest.raises(ValueError):
        fault_plan(DAY, 7, 2 * len(FAULT_KINDS) - 1)
    with pytest.raises(ValueError):
        make_server(articles_per_day=10, faults=True)


def test_expected_state_covers_every_kind() -> None:
    """Every kind has exactly one expected state out of the three."""
    assert set(EXPECTED_STATE) == set(FAULT_KINDS)
    assert set(EXPECTED_STATE.values()) == {"loaded", "failed", "quarantined"}


def test_faults_endpoint_serves_the_plan(base: str) -> None:
    """/__faults gives the seed and exactly fault_plan(day, seed); a bad date is a 404."""
    response = requests.get(f"{base}/__faults?regDate={REG}", timeout=10)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/json"
    document = response.json()
    assert document["seed"] == 7
    assert document["plan"] == fault_plan(DAY, 7, 40)
    assert document["expected"] == EXPECTED_STATE
    assert requests.get(f"{base}/__faults?regDate=2025073", timeout=10).status_code == 404


def test_same_seed_same_plan_on_another_server(base: str) -> None:
    """A second server with the same seed agrees; another seed does not."""
    mine = requests.get(f"{base}/__faults?regDate={REG}", timeout=10).json()["plan"]
    with running(faults=True, fault_seed=7) as same, running(faults=True, fault_seed=8) as other:
        assert requests.get(f"{same}/__faults?regDate={REG}", timeout=10).json()["plan"] == mine
        assert requests.get(f"{other}/__faults?regDate={REG}", timeout=10).json()["plan"] != mine


# --- the listing -----------------------------------------------------------------------------


def test_listing_is_unfaulted_and_links_every_article(base: str) -> None:
    """All 40 articles are listed; robots_disallowed ones under /blocked/, the rest under /v/."""
    paths = listing_paths(base)
    assert len(paths) == 40 == len(set(paths))
    plan = fault_plan(DAY, 7)
    assert set(plan) <= set(paths)
    blocked = {path for path in paths if path.startswith("/blocked/")}
    assert blocked == set(paths_of(base, "robots_disallowed"))
    assert len(blocked) == 2


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
        assert title and title in text
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


# --- faults off ------------------------------------------------------------------------------


def test_faults_off_serves_no_faults() -> None:
    """Without --faults: /__faults is a 404, every planned URL is the normal page, robots unchanged."""
    with running() as url:
        assert requests.get(f"{url}/__faults?regDate={REG}", timeout=10).status_code == 404
        robots = requests.get(f"{url}/robots.txt", timeout=10).text
        assert "/blocked/" not in robots
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
