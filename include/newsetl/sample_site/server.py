"""HTTP layer of the sample site: stdlib ThreadingHTTPServer with ETag/Last-Modified."""

from __future__ import annotations

import datetime as dt
import hashlib
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from newsetl.sample_site import site

# Fixed date for pages without an article time (robots, index, 404), so output stays stable.
_EPOCH = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)


class SampleSiteServer(ThreadingHTTPServer):
    """ThreadingHTTPServer carrying the site's settings."""

    daemon_threads = True

    def __init__(self, address: tuple[str, int], articles_per_day: int = 40) -> None:
        """Bind and remember how many Daum articles each day has."""
        if not 1 <= articles_per_day <= site.MAX_ARTICLES_PER_DAY:
            raise ValueError(f"articles_per_day must be 1..{site.MAX_ARTICLES_PER_DAY}")
        self.articles_per_day = articles_per_day
        super().__init__(address, SampleSiteHandler)

    @property
    def base_url(self) -> str:
        """http://host:port as bound (port 0 resolved to the real port)."""
        host, port = self.server_address[:2]
        return f"http://{host}:{port}"


def etag_of(body: bytes) -> str:
    """Strong ETag: a stable hash of the body."""
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


def etag_matches(header: str | None, etag: str) -> bool:
    """True when an If-None-Match header names this ETag (weak comparison, or '*')."""
    if not header:
        return False
    for candidate in header.split(","):
        tag = candidate.strip()
        if tag == "*" or tag.removeprefix("W/") == etag:
            return True
    return False


class SampleSiteHandler(BaseHTTPRequestHandler):
    """GET/HEAD handler; all content comes from site.render."""

    # keep-alive, like a real site; safe because every response has a Content-Length
    protocol_version = "HTTP/1.1"
    # headers and body go out in two writes; without TCP_NODELAY keep-alive clients
    # hit Nagle + delayed ACK and wait ~40 ms per request
    disable_nagle_algorithm = True
    server_version = "SampleSite/1.0"
    server: SampleSiteServer

    def do_GET(self) -> None:
        """Serve a page."""
        self._respond(send_body=True)

    def do_HEAD(self) -> None:
        """Same headers as GET, no body."""
        self._respond(send_body=False)

    def _respond(self, send_body: bool) -> None:
        """Render, then answer 200/404 or 304 when the client already has this body."""
        page = site.render(
            self.path, self.server.base_url, self.server.articles_per_day
        )
        etag = etag_of(page.body)
        if page.status == 200 and etag_matches(self.headers.get("If-None-Match"), etag):
            self.send_response(304)
            self.send_header("ETag", etag)
            self.end_headers()
            return
        modified = (page.modified or _EPOCH).astimezone(dt.UTC)
        self.send_response(page.status)
        self.send_header("Content-Type", page.content_type)
        self.send_header("Content-Length", str(len(page.body)))
        self.send_header("ETag", etag)
        self.send_header("Last-Modified", format_datetime(modified, usegmt=True))
        self.end_headers()
        if send_body:
            self.wfile.write(page.body)

    def log_message(self, format: str, *args: object) -> None:
        """Stay quiet: benchmarks and tests would drown in access logs."""
