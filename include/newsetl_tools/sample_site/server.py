"""HTTP layer of the sample site: stdlib ThreadingHTTPServer with ETag/Last-Modified, optional faults.

Pages, and faults in their bodies or timing, go through http.server's own response methods. Error statuses,
redirects and the hostile headers (a NUL, a Latin-1 byte, two Content-Lengths, raw EUC-KR in a Location) are
written to the socket byte for byte by ``_send_raw``, so what a client receives is exactly what the fault
says, whatever http.server would make of the values.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import socket
import struct
import threading
from collections.abc import Callable, Mapping
from email.utils import format_datetime
from functools import lru_cache
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

# imported under another name: `faults` is also the on/off option of the server
from newsetl_tools.sample_site import faults as fault_mode
from newsetl_tools.sample_site import site, templates
from newsetl_tools.sample_site.drift import Redesign

# Fixed date for pages without an article time (robots, index, 404), so output stays stable.
_EPOCH = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)


@lru_cache(maxsize=64)
def _cached_plan(day: dt.date, seed: int, articles_per_day: int) -> dict[str, str]:
    """fault_plan, computed once per day (callers must not mutate the dict)."""
    return fault_mode.fault_plan(day, seed, articles_per_day)


@lru_cache(maxsize=64)
def _cached_prefixes(day: dt.date, seed: int, articles_per_day: int, base: str) -> dict[str, str]:
    """Ids the listing links elsewhere than base/v/<id> on a day (callers must not mutate the dict)."""
    return fault_mode.link_prefixes(_cached_plan(day, seed, articles_per_day), base)


# One header field as it goes on the wire: name, then one value per line sent (two values: the field twice).
RawFields = dict[bytes, list[bytes]]


class SampleSiteServer(ThreadingHTTPServer):
    """ThreadingHTTPServer carrying the site's settings (and, in fault mode, per-URL hit counts)."""

    # a slow or stuck handler must never keep the process (or server_close) alive
    daemon_threads = True

    def __init__(
        self,
        address: tuple[str, int],
        articles_per_day: int | None = None,
        faults: bool = False,
        fault_seed: int = fault_mode.DEFAULT_SEED,
        slow_seconds: float = 3.0,
        redesign: Redesign | None = None,
        public_url: str | None = None,
        revised: bool = False,
    ) -> None:
        """Bind and remember the site's size (by default 40 articles a day, 80 with faults) and fault settings."""
        if articles_per_day is None:
            articles_per_day = fault_mode.FAULT_ARTICLES_PER_DAY if faults else site.ARTICLES_PER_DAY
        if not 1 <= articles_per_day <= site.MAX_ARTICLES_PER_DAY:
            raise ValueError(f"articles_per_day must be 1..{site.MAX_ARTICLES_PER_DAY}")
        if slow_seconds < 0:
            raise ValueError("slow_seconds must be >= 0")
        if faults:
            # fail at startup, not on the first request, when the day is too small for the plan
            _cached_plan(dt.date(2000, 1, 1), fault_seed, articles_per_day)
        self.articles_per_day = articles_per_day
        self.faults = faults
        self.fault_seed = fault_seed
        self.slow_seconds = slow_seconds
        self.redesign = redesign  # the markup change from a day on (drift.py), None: never
        # corrected Daum article pages (revisions.py); a plain attribute, so a test can switch a running site
        self.revised = revised
        # the site's own address in absolute links, as a real site's configured host: a server bound to
        # 0.0.0.0 in a container is reached as http://sample-site:8765, never as http://0.0.0.0:8765
        self.public_url = public_url.rstrip("/") if public_url else None
        # set on shutdown so slow handlers stop sleeping at once
        self.stop_event = threading.Event()
        self._hits: dict[str, int] = {}
        self.not_modified = 0  # 304s answered: what a client's conditional requests saved (tests count them)
        self._hits_lock = threading.Lock()
        super().__init__(address, SampleSiteHandler)

    @property
    def base_url(self) -> str:
        """The public URL when one is given, else http://host:port as bound (port 0 resolved to the real port)."""
        if self.public_url:
            return self.public_url
        host, port = self.server_address[:2]
        # server_bind() stored getsockname(), whose host is a str; typeshed types the attribute as the
        # constructor's argument, which may also be bytes
        assert isinstance(host, str)
        return f"http://{host}:{port}"

    def plan(self, day: dt.date) -> dict[str, str]:
        """The day's fault plan (path as linked -> kind); empty when faults are off."""
        if not self.faults:
            return {}
        return _cached_plan(day, self.fault_seed, self.articles_per_day)

    def link_prefixes(self, day: dt.date) -> Mapping[str, str]:
        """Article ids linked elsewhere than base/v/<id> on a day (fault mode only)."""
        return _cached_prefixes(day, self.fault_seed, self.articles_per_day, self.base_url)

    def fault_for(self, path: str) -> str | None:
        """Fault kind of a request path, None when it is served normally."""
        day = fault_mode.day_of_path(path) if self.faults else None
        return self.plan(day).get(path) if day is not None else None

    def hit(self, path: str) -> int:
        """Count one more request for a path; return the count including this one."""
        with self._hits_lock:
            self._hits[path] = self._hits.get(path, 0) + 1
            return self._hits[path]

    def shutdown(self) -> None:
        """Wake slow handlers, then stop serve_forever."""
        self.stop_event.set()
        super().shutdown()

    def server_close(self) -> None:
        """Wake slow handlers, then close the listening socket."""
        self.stop_event.set()
        super().server_close()


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
    """GET/HEAD handler; all content comes from site.render_path."""

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
        """Answer a request: a fault when the plan says so, else the rendered page."""
        path = urlsplit(self.path).path
        try:
            kind = self.server.fault_for(path)
            if kind is not None and _FAULTS[kind](self, path, send_body):
                return
            if self.server.faults and path == "/__faults":
                self._send_page(self._plan_page(), send_body)
                return
            if self.server.faults and path == "/robots.txt" and self._host() == fault_mode.UNAVAILABLE_ROBOTS_HOST:
                self._send_error_page(500, None, send_body)
                return
            self._send_page(self._render(), send_body)
        except (BrokenPipeError, ConnectionResetError):
            # the client gave up (timed out, or refused a too-large body): nothing to answer
            self.close_connection = True

    def _host(self) -> str:
        """The request's Host header without its port, lower-cased ("" when absent)."""
        return urlsplit("//" + self.headers.get("Host", "")).hostname or ""

    def _render(self) -> site.Page:
        """The site's page for this request (fault-mode routes only when faults are on)."""
        prefixes = self.server.link_prefixes if self.server.faults else None
        page = site.render_path(
            self.path, self.server.base_url, self.server.articles_per_day, prefixes, self.server.revised
        )
        return self.server.redesign.page(self.path, page) if self.server.redesign else page

    def _send_page(self, page: site.Page, send_body: bool) -> None:
        """Answer 200/404, or 304 when the client already has this body."""
        etag = etag_of(page.body)
        if page.status == 200 and etag_matches(self.headers.get("If-None-Match"), etag):
            with self.server._hits_lock:
                self.server.not_modified += 1
            self.send_response(304)
            self.send_header("ETag", etag)
            self.end_headers()
            return
        self._send_headers(page, len(page.body), etag)
        if send_body:
            self.wfile.write(page.body)

    def _send_headers(self, page: site.Page, length: int, etag: str | None) -> None:
        """Status line and headers of a page whose body is length bytes long."""
        modified = (page.modified or _EPOCH).astimezone(dt.UTC)
        self.send_response(page.status)
        self.send_header("Content-Type", page.content_type)
        self.send_header("Content-Length", str(length))
        if etag is not None:
            self.send_header("ETag", etag)
        self.send_header("Last-Modified", format_datetime(modified, usegmt=True))
        self.end_headers()

    def _plan_page(self) -> site.Page:
        """GET /__faults?regDate=YYYYMMDD: the day's plan as JSON, 404 for a bad date."""
        values = parse_qs(urlsplit(self.path).query).get("regDate", [])
        day = site.compact_day(values[0]) if len(values) == 1 else None
        if day is None:
            return site.not_found()
        document = {
            "seed": self.server.fault_seed,
            "day": day.isoformat(),
            "plan": self.server.plan(day),
            "expected": fault_mode.EXPECTED_STATE,
        }
        body = json.dumps(document, ensure_ascii=False, sort_keys=True).encode("utf-8")
        return site.Page(200, body, "application/json")

    # --- faults: each returns True when it answered, False to serve the page normally ---

    def _send_raw(self, status: int, fields: RawFields, body: bytes, send_body: bool) -> bool:
        """Status line, header fields and body written as the very bytes given; then the connection closes.

        A client cannot trust the framing of a response with two Content-Lengths or one that is no number, so
        every raw fault says Connection: close and ends the connection (the body then ends where it closes).
        """
        lines = [b"HTTP/1.1 %d %s" % (status, HTTPStatus(status).phrase.encode("ascii"))]
        lines += [name + b": " + value for name, values in fields.items() for value in values]
        lines.append(b"Connection: close")
        self.wfile.write(b"\r\n".join(lines) + b"\r\n\r\n" + (body if send_body else b""))
        self.close_connection = True
        return True

    def _page_fields(self, page: site.Page, body: bytes) -> RawFields:
        """The fields _send_headers gives a page whose body is body, as bytes, for a fault to alter."""
        modified = (page.modified or _EPOCH).astimezone(dt.UTC)
        return {
            b"Content-Type": [page.content_type.encode("ascii")],
            b"Content-Length": [str(len(body)).encode("ascii")],
            b"ETag": [etag_of(body).encode("ascii")],
            b"Last-Modified": [format_datetime(modified, usegmt=True).encode("ascii")],
        }

    def _send_raw_page(
        self, alter: Callable[[RawFields], RawFields], send_body: bool, encode: Callable[[bytes], bytes] = bytes
    ) -> bool:
        """The page (its body passed through encode) with its header fields altered by alter, sent raw."""
        page = self._render()
        body = encode(page.body)
        return self._send_raw(page.status, alter(self._page_fields(page, body)), body, send_body)

    def _send_error_page(self, status: int, retry_after: bytes | None, send_body: bool) -> bool:
        """A short HTML error page, with a Retry-After field (any bytes) when given."""
        body = f"<html><body><p>HTTP {status}</p></body></html>".encode()
        fields: RawFields = {b"Content-Type": [b"text/html; charset=utf-8"], b"Content-Length": [b"%d" % len(body)]}
        if retry_after is not None:
            fields[b"Retry-After"] = [retry_after]
        return self._send_raw(status, fields, body, send_body)

    def _burst(self, path: str, status: int, retry_after: bytes | None, send_body: bool) -> bool:
        """The first BURST_LENGTH requests of a path get an error status, later ones the page."""
        if self.server.hit(path) > fault_mode.BURST_LENGTH:
            return False
        return self._send_error_page(status, retry_after, send_body)

    def _slow(self, path: str, send_body: bool) -> bool:
        """Say nothing for slow_seconds, then serve normally (or drop the request on shutdown)."""
        if self.server.stop_event.wait(self.server.slow_seconds):
            self.close_connection = True
            return True
        return False

    def _reset(self, path: str, send_body: bool) -> bool:
        """Close abruptly: SO_LINGER 0 makes close() send RST instead of FIN."""
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        # rfile holds a reference to the socket: the fd (and the RST) goes only when both close
        self.rfile.close()
        self.connection.close()
        self.close_connection = True
        return True

    def _truncated(self, path: str, send_body: bool) -> bool:
        """Full Content-Length, half the body, then close: the client must notice."""
        page = self._render()
        self._send_headers(page, len(page.body), etag_of(page.body))
        if send_body:
            self.wfile.write(page.body[: len(page.body) // 2])
        self.close_connection = True
        return True

    def _drip(self, path: str, send_body: bool) -> bool:
        """Full Content-Length, then one byte every DRIP_INTERVAL_S: never a read timeout, only a deadline ends it.

        After DRIP_BYTES (or on shutdown) the connection closes, so a client without a total deadline gets a
        cut body after a minute rather than a stuck task for hours; a client that gave up makes the next
        write fail (BrokenPipe/ConnectionReset, handled in _respond).
        """
        page = self._render()
        self._send_headers(page, len(page.body), etag_of(page.body))
        self.close_connection = True
        if not send_body:
            return True
        for offset in range(min(fault_mode.DRIP_BYTES, len(page.body))):
            if self.server.stop_event.wait(fault_mode.DRIP_INTERVAL_S):
                break
            self.wfile.write(page.body[offset : offset + 1])
        return True

    def _send_recoded(self, encode: Callable[[bytes], bytes], content_type: str, send_body: bool) -> bool:
        """Serve the page re-encoded by encode, under the given Content-Type."""
        page = self._render()
        recoded = site.Page(page.status, encode(page.body), content_type, page.modified)
        self._send_page(recoded, send_body)
        return True

    def _wrong_charset(self, path: str, send_body: bool) -> bool:
        """UTF-8 bytes declared as euc-kr, no meta charset."""
        return self._send_recoded(fault_mode.wrong_charset_body, "text/html; charset=euc-kr", send_body)

    def _missing_charset(self, path: str, send_body: bool) -> bool:
        """CP949 bytes with no charset anywhere."""
        return self._send_recoded(fault_mode.missing_charset_body, "text/html", send_body)

    def _bogus_charset(self, path: str, send_body: bool) -> bool:
        """UTF-8 bytes declared punycode by the header and "undefined" by the meta tag."""
        return self._send_recoded(fault_mode.bogus_charset_body, fault_mode.BOGUS_CHARSET_TYPE, send_body)

    def _html_type_prefix(self, path: str, send_body: bool) -> bool:
        """The page itself, under a content type that only starts like text/html."""
        return self._send_recoded(bytes, fault_mode.EVIL_HTML_TYPE, send_body)

    def _too_large(self, path: str, send_body: bool) -> bool:
        """The page with an 11 MiB comment, streamed in 64 KiB chunks with a true Content-Length."""
        page = self._render()
        head, tail, total = fault_mode.too_large_parts(page.body)
        # no ETag: it would name the unpadded page
        self._send_headers(page, total, None)
        if send_body:
            self.wfile.write(head)
            for _ in range(fault_mode.PADDING_CHUNKS):
                self.wfile.write(fault_mode.PADDING_CHUNK)
            self.wfile.write(tail)
        return True

    def _not_html(self, path: str, send_body: bool) -> bool:
        """A 200 PDF."""
        self._send_page(site.Page(200, fault_mode.PDF_BODY, "application/pdf"), send_body)
        return True

    def _redirect(self, location: bytes, send_body: bool) -> bool:
        """302 to location, sent as the bytes given, with an empty body."""
        return self._send_raw(302, {b"Location": [location], b"Content-Length": [b"0"]}, b"", send_body)

    def _redirect_loop(self, path: str, send_body: bool) -> bool:
        """302 to this very URL, forever."""
        return self._redirect((self.server.base_url + self.path).encode("ascii"), send_body)

    def _redirect_offsite(self, path: str, send_body: bool) -> bool:
        """302 to the same path on a host no source allows."""
        return self._redirect(fault_mode.offsite_location(path).encode("ascii"), send_body)

    def _redirect_euc_kr(self, path: str, send_body: bool) -> bool:
        """302 to the same path with a raw EUC-KR query; the page itself once a query is there (any query)."""
        if urlsplit(self.path).query:
            return False
        return self._redirect(fault_mode.euc_kr_location(path), send_body)

    def _robots_disallowed(self, path: str, send_body: bool) -> bool:
        """Served normally under /blocked/: only robots.txt stops a polite client."""
        return False

    def _robots_unavailable(self, path: str, send_body: bool) -> bool:
        """Served normally: the listing links it on the second origin, whose robots.txt is a 500 (_respond)."""
        return False

    def _not_article(self, path: str, send_body: bool) -> bool:
        """A 200 login wall: HTML, titled, but no article."""
        body = templates.login_wall(self.server.base_url).encode("utf-8")
        self._send_page(site.Page(200, body), send_body)
        return True

    def log_message(self, format: str, *args: object) -> None:
        """Stay quiet: benchmarks and tests would drown in access logs."""


def _with(name: bytes, *values: bytes) -> Callable[[RawFields], RawFields]:
    """An alteration of a page's fields: name set to values (several values: the field repeated)."""
    return lambda fields: {**fields, name: list(values)}


def _with_nul(name: bytes) -> Callable[[RawFields], RawFields]:
    """An alteration of a page's fields: a NUL after the value of name."""
    return lambda fields: {**fields, name: [value + fault_mode.NUL for value in fields[name]]}


def _with_conflicting_length(fields: RawFields) -> RawFields:
    """The page's Content-Length, then a second one that disagrees."""
    length = int(fields[b"Content-Length"][0])
    second = b"%d" % (length + fault_mode.CONFLICTING_LENGTH_EXTRA)
    return {**fields, b"Content-Length": [fields[b"Content-Length"][0], second]}


FaultHandler = Callable[[SampleSiteHandler, str, bool], bool]

_FAULTS: dict[str, FaultHandler] = {
    "rate_limited": lambda h, path, body: h._burst(path, 429, b"%d" % fault_mode.RETRY_AFTER_SECONDS, body),
    "server_error_burst": lambda h, path, body: h._burst(path, 500, None, body),
    "unavailable_burst": lambda h, path, body: h._burst(path, 503, b"%d" % fault_mode.RETRY_AFTER_SECONDS, body),
    "slow": SampleSiteHandler._slow,
    "connection_reset": SampleSiteHandler._reset,
    "truncated": SampleSiteHandler._truncated,
    "wrong_charset": SampleSiteHandler._wrong_charset,
    "missing_charset": SampleSiteHandler._missing_charset,
    "too_large": SampleSiteHandler._too_large,
    "not_html": SampleSiteHandler._not_html,
    "bogus_charset": SampleSiteHandler._bogus_charset,
    "redirect_loop": SampleSiteHandler._redirect_loop,
    "redirect_offsite": SampleSiteHandler._redirect_offsite,
    "robots_disallowed": SampleSiteHandler._robots_disallowed,
    "not_article": SampleSiteHandler._not_article,
    "gzip_not_gzipped": lambda h, path, body: h._send_raw_page(_with(b"Content-Encoding", b"gzip"), body),
    "gzip_stacked": lambda h, path, body: h._send_raw_page(
        _with(b"Content-Encoding", fault_mode.STACKED_GZIP), body, fault_mode.stacked_gzip_body
    ),
    "content_length_conflict": lambda h, path, body: h._send_raw_page(_with_conflicting_length, body),
    "content_length_not_digits": lambda h, path, body: h._send_raw_page(
        _with(b"Content-Length", fault_mode.NOT_DIGITS), body
    ),
    "retry_after_not_digits": lambda h, path, body: h._burst(path, 503, fault_mode.NOT_DIGITS, body),
    "redirect_bad_ipv6": lambda h, path, body: h._redirect(fault_mode.BAD_IPV6_LOCATION, body),
    "redirect_bad_port": lambda h, path, body: h._redirect(fault_mode.bad_port_location(h.server.base_url, path), body),
    "redirect_euc_kr": SampleSiteHandler._redirect_euc_kr,
    "nul_content_type": lambda h, path, body: h._send_raw_page(_with_nul(b"Content-Type"), body),
    "nul_etag": lambda h, path, body: h._send_raw_page(_with_nul(b"ETag"), body),
    "nul_last_modified": lambda h, path, body: h._send_raw_page(_with_nul(b"Last-Modified"), body),
    "redirect_userinfo": lambda h, path, body: h._redirect(fault_mode.userinfo_location(h.server.base_url, path), body),
    "redirect_backslash": lambda h, path, body: h._redirect(
        fault_mode.backslash_location(h.server.base_url, path), body
    ),
    "html_type_prefix": SampleSiteHandler._html_type_prefix,
    "drip": SampleSiteHandler._drip,
    "retry_after_huge": lambda h, path, body: h._send_error_page(503, fault_mode.HUGE_RETRY_AFTER, body),
    "robots_unavailable": SampleSiteHandler._robots_unavailable,
    "redirect_to_blocked": lambda h, path, body: h._redirect(
        (h.server.base_url + fault_mode.BLOCKED_PREFIX + path).encode("ascii"), body
    ),
}
