"""Adding a site is one module, its fixtures and one sources.yaml entry (docs/adding-a-site.md).

The worked example, tests/fixtures/example_site/, is added here and nothing else: its module is put on the
site package's path (as if dropped into include/newsetl/sites/), its pages are served by a real HTTP server on
127.0.0.1, and its sources.yaml entry is the only configuration. The whole day then runs as for any source.
"""

from __future__ import annotations

import json
import shutil
import threading
from collections.abc import Iterator
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

import newsetl.sites
from newsetl.config import load_sources
from newsetl.extract import extract_article
from newsetl.pipeline import run_pipeline

EXAMPLE = Path(__file__).parent / "fixtures" / "example_site"
DAY = date(2025, 7, 3)


@pytest.fixture
def example_site_module(tmp_path: Path) -> Iterator[str]:
    """The example module on the sites package's path, found by name like any module of include/newsetl/sites/."""
    folder = tmp_path / "sites"
    folder.mkdir()
    shutil.copy(EXAMPLE / "example_press.py", folder / "example_press.py")
    newsetl.sites.__path__.append(str(folder))
    try:
        yield "example_press"
    finally:
        newsetl.sites.__path__.remove(str(folder))


class _Handler(BaseHTTPRequestHandler):
    """The example site: its listing by date and page, its articles by idxno, nothing else."""

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        parts = urlsplit(self.path)
        query = {k: v[0] for k, v in parse_qs(parts.query).items()}
        name = None
        if parts.path == "/news/articleList.html":
            name = f"list_{query.get('sc_date')}_{query.get('page')}.html"
        elif parts.path == "/news/articleView.html":
            name = f"{query.get('idxno')}.html"
        page = EXAMPLE / "pages" / name if name else None
        if page is None or not page.is_file() or "/" in name:
            body, status = b"not found", 404
        else:
            body, status = page.read_bytes(), 200
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def example_server(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_address[1]}"
    monkeypatch.setenv("EXAMPLE_PRESS_URL", url)
    monkeypatch.setenv("NEWS_SOURCES_FILE", str(EXAMPLE / "sources.yaml"))
    try:
        yield url
    finally:
        server.shutdown()
        server.server_close()


def test_the_new_module_is_a_site_like_the_others(example_site_module: str) -> None:
    site = newsetl.sites.get_site(example_site_module)
    assert site in newsetl.sites.all_sites()
    assert site.article_id("https://www.example-press.test/news/articleView.html?idxno=1001") == "1001"
    assert newsetl.sites.get_site("daum").article_id("https://www.example-press.test/x") is None


def test_its_page_is_recognised_and_read_field_by_field(example_site_module: str) -> None:
    """The golden test of the example: the page's site is detected, and every field comes out as expected."""
    page = (EXAMPLE / "pages" / "1001.html").read_bytes()
    got = extract_article(page, "https://www.example-press.test/news/articleView.html?idxno=1001").to_json()
    expected = json.loads((EXAMPLE / "1001.json").read_text(encoding="utf-8"))
    assert got == expected


def test_without_the_module_the_page_is_only_generic() -> None:
    """The module is what reads the page: without it, detection falls back to the generic reader."""
    page = (EXAMPLE / "pages" / "1001.html").read_bytes()
    assert extract_article(page).parser == "generic"


def test_a_source_of_the_new_site_runs_a_whole_day(
    example_site_module: str, example_server: str, clean_db: Engine
) -> None:
    sources = load_sources()
    assert [(s.name, s.site) for s in sources] == [("example", "example_press")]
    counts = run_pipeline(clean_db, DAY, sources)
    assert counts["discover"] == {"example": 3}
    assert counts["check"] == {"loaded": 3}
    with clean_db.connect() as conn:
        rows = conn.execute(
            sa.text(
                "SELECT source_id, title, press, reporters, emails, published_at, parser, "
                "(SELECT count(*) FROM news.media m WHERE m.article_id = a.article_id) AS images "
                "FROM news.article a ORDER BY source_id"
            )
        ).all()
    assert [(r.source_id, r.press, r.reporters, r.parser, r.images) for r in rows] == [
        ("1001", "예시일보", ["홍길동"], "example_press", 1),
        ("1002", "예시일보", ["김철수"], "example_press", 0),
        ("1003", "예시일보", ["이영희"], "example_press", 1),
    ]
    assert rows[2].emails == ["lee@example-press.test"]
    assert rows[2].published_at.isoformat() == "2025-07-03T08:45:00+00:00"
    assert run_pipeline(clean_db, DAY, sources)["load"] == {"unchanged": 3}
