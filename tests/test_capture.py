"""`newsetl capture URL`: a live page saved as bytes as served plus a draft expected JSON, fetched by the
pipeline's polite client from a real HTTP server on 127.0.0.1."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from newsetl.cli import main
from newsetl.parsing.normalize import normalize
from newsetl.sites import parse_page

PAGES = Path(__file__).parent / "fixtures" / "pages"
NAVER = "naver_news1_018"
NAVER_PATH = "/mnews/article/421/0007212345"
DAUM = "daumfull_yonhap_006"
DAUM_PATH = "/v/20231031142847811"
NOT_AN_ARTICLE = b"<html><head><title>x</title></head><body><p>no article here</p></body></html>"


@dataclass
class Served:
    """The test server's pages and what it was asked for."""

    base: str
    pages: dict[str, tuple[bytes, str]]
    requests: list[str] = field(default_factory=list)


@pytest.fixture
def server() -> Iterator[Served]:
    """A real HTTP server on 127.0.0.1: a Naver and a Daum fixture page, a page that is no article, 404 else."""
    pages = {
        NAVER_PATH: ((PAGES / f"{NAVER}.html").read_bytes(), "text/html; charset=utf-8"),
        DAUM_PATH: ((PAGES / f"{DAUM}.html").read_bytes(), "text/html;charset=UTF-8"),
        "/empty": (NOT_AN_ARTICLE, "text/html"),
    }
    served = Served("", pages)

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (http.server's name)
            served.requests.append(self.path)
            body, content_type = served.pages.get(self.path, (b"not found", "text/plain"))
            self.send_response(200 if self.path in served.pages else 404)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    served.base = f"http://127.0.0.1:{httpd.server_address[1]}"
    try:
        yield served
    finally:
        httpd.shutdown()
        httpd.server_close()


def capture(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, dict[str, Any]]:
    """Run `newsetl capture …` in-process: its exit code and its one JSON line."""
    code = main(["capture", *argv])
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 1
    return code, json.loads(lines[0])


def test_capture_saves_the_bytes_as_served_and_a_draft_of_the_extraction(
    server: Served, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = server.base + NAVER_PATH
    code, out = capture(capsys, url, "--dir", str(tmp_path), "--allow-private")
    assert code == 0
    # the name is the site and the article's id (oid/aid, "/" made safe)
    assert out == {
        "url": url,
        "html": str(tmp_path / "naver_421_0007212345.html"),
        "json": str(tmp_path / "naver_421_0007212345.json"),
        "parser": "naver",
        "title": "울산공항 거점 하이에어, 운항증명 효력 정지…매각 작업 착수",
    }
    assert Path(out["html"]).read_bytes() == server.pages[NAVER_PATH][0]
    draft = json.loads(Path(out["json"]).read_text(encoding="utf-8"))
    assert list(draft)[:4] == ["draft", "captured_from", "captured_at", "given_url"]
    assert draft["draft"] is True and draft["captured_from"] == url and draft["given_url"] == url
    assert draft["captured_at"].endswith("+00:00")
    # the draft is what the fixture's reviewed expectation says, but for the URL it was served from
    golden = json.loads((PAGES / f"{NAVER}.json").read_text(encoding="utf-8"))
    for key in ("title", "press", "reporters", "published_at", "modified_at", "paragraphs", "media", "summary"):
        assert draft[key] == golden[key], key
    assert draft["url"] == url and draft["source_id"] == "421/0007212345"


def test_a_reviewed_capture_reads_back_as_the_golden_test_reads_it(
    server: Served, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The saved file, read as tests/test_parse.py reads a fixture (bytes and given_url), gives the draft."""
    code, out = capture(capsys, server.base + DAUM_PATH, "--dir", str(tmp_path), "--allow-private")
    assert code == 0 and Path(out["html"]).name == "daumfull_20231031142847811.html"
    draft = json.loads(Path(out["json"]).read_text(encoding="utf-8"))
    raw = parse_page(Path(out["html"]).read_bytes(), url=draft["given_url"])
    reread = normalize(raw).to_json()
    notes = {"draft", "captured_from", "captured_at", "given_url"}
    assert {k: v for k, v in draft.items() if k not in notes} == reread
    assert reread["modified_at"] == "2023-10-31T15:02:00+09:00" and len(reread["summary"]) == 2


def test_capture_refuses_to_overwrite_without_force(
    server: Served, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = server.base + NAVER_PATH
    (tmp_path / "mine.json").write_text("reviewed", encoding="utf-8")
    code, out = capture(capsys, url, "--dir", str(tmp_path), "--name", "mine", "--allow-private")
    assert code == 1 and out["error"] == f"{tmp_path / 'mine.json'} exists (--force overwrites)"
    assert (tmp_path / "mine.json").read_text(encoding="utf-8") == "reviewed"
    assert not (tmp_path / "mine.html").exists()
    assert server.requests == []  # a named capture is refused before any request
    # a derived name is known only after the fetch: still nothing is overwritten
    capture(capsys, url, "--dir", str(tmp_path), "--allow-private")
    saved = tmp_path / "naver_421_0007212345.json"
    saved.write_text("reviewed", encoding="utf-8")
    code, out = capture(capsys, url, "--dir", str(tmp_path), "--allow-private")
    assert code == 1 and "exists (--force overwrites)" in out["error"]
    assert saved.read_text(encoding="utf-8") == "reviewed"
    code, out = capture(capsys, url, "--dir", str(tmp_path), "--name", "mine", "--allow-private", "--force")
    assert code == 0 and json.loads((tmp_path / "mine.json").read_text(encoding="utf-8"))["draft"] is True


def test_capture_refuses_private_addresses_unless_allowed(
    server: Served, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out = capture(capsys, server.base + NAVER_PATH, "--dir", str(tmp_path))
    assert code == 1 and "private or loopback address" in out["error"]
    assert server.requests == [] and list(tmp_path.iterdir()) == []


def test_capture_uses_the_limits_of_the_source_that_allows_the_host(
    server: Served, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A source of sources.yaml whose allowed hosts include the URL's lends the client its limits: here a
    body limit below the page's size, so the page is refused as the pipeline would refuse it."""
    sources = tmp_path / "sources.yaml"
    sources.write_text(
        "sources:\n  local:\n    enabled: true\n"
        f'    base_url: "{server.base}"\n    site: naver\n    allow_private_addresses: false\n'
        "    requests_per_second: 0\n    max_body_bytes: 10000\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("NEWS_SOURCES_FILE", str(sources))
    out_dir = tmp_path / "out"
    code, out = capture(capsys, server.base + NAVER_PATH, "--dir", str(out_dir), "--allow-private")
    assert code == 1 and out["error"].startswith("too large")
    assert not out_dir.exists()


def test_a_page_that_is_no_article_is_saved_with_its_reason(
    server: Served, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out = capture(capsys, server.base + "/empty", "--dir", str(tmp_path), "--allow-private")
    assert code == 1 and out["error"] and "\n" not in out["error"]  # the extraction's one-line reason
    assert Path(out["html"]).name == "page_empty.html"  # no article id: the URL's last segment
    assert Path(out["html"]).read_bytes() == NOT_AN_ARTICLE
    draft = json.loads(Path(out["json"]).read_text(encoding="utf-8"))
    assert draft["draft"] is True and draft["error"] == out["error"] and "title" not in draft


def test_a_page_that_cannot_be_fetched_writes_nothing(
    server: Served, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out = capture(capsys, server.base + "/gone", "--dir", str(tmp_path), "--allow-private")
    assert code == 1 and "404" in out["error"] and "\n" not in out["error"]
    assert list(tmp_path.iterdir()) == []
    code, out = capture(capsys, "file:///etc/passwd", "--dir", str(tmp_path))
    assert code == 1 and out["error"] == "not an http(s) URL"
