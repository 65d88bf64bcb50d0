"""Polite HTTP for one source: one keep-alive session, timeouts, retries with backoff, robots.txt,
allowed hosts only, a body size cap. Used by discover and fetch."""

from __future__ import annotations

import ipaddress
import logging
import random
import socket
import threading
import time
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from functools import lru_cache
from urllib.parse import urljoin, urlsplit
from urllib.robotparser import RobotFileParser

import requests
from requests.adapters import HTTPAdapter

from newsetl import __version__
from newsetl.config import Source

log = logging.getLogger(__name__)

USER_AGENT = f"newsetl/{__version__} (+https://github.com/newsetl/newsetl; Korean news ETL)"
MAX_REDIRECTS = 5
RETRY_STATUSES = frozenset({408, 429, 500, 502, 503, 504})
HTML_TYPES = ("text/html", "application/xhtml+xml", "text/plain")


class FetchError(Exception):
    """A request that did not give a usable page. ``retryable`` says whether a later run may succeed."""

    def __init__(self, reason: str, *, retryable: bool, status: int | None = None,
                 retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retryable = retryable
        self.status = status
        self.retry_after = retry_after  # seconds the server asked us to wait (Retry-After)


@dataclass(slots=True)
class Response:
    url: str  # final URL after redirects
    status: int
    content_type: str | None
    body: bytes
    etag: str | None
    last_modified: str | None


class RateLimiter:
    """At most ``rate`` request starts per second across threads (0 disables)."""

    def __init__(self, rate: float) -> None:
        self._interval = 1.0 / rate if rate > 0 else 0.0
        self._next = 0.0
        self._lock = threading.Lock()

    def wait(self) -> None:
        if not self._interval:
            return
        with self._lock:
            now = time.monotonic()
            start = max(now, self._next)
            self._next = start + self._interval
        if start > now:
            time.sleep(start - now)


class SourceClient:
    """HTTP client bound to one source's politeness and safety rules."""

    def __init__(self, source: Source, *, backoff_s: float = 0.5) -> None:
        self.source = source
        self.max_body_bytes = source.max_body_bytes
        self.backoff_s = backoff_s
        self.session = requests.Session()
        self.session.headers.update({"User-Agent": USER_AGENT, "Accept": "text/html,application/xhtml+xml"})
        adapter = HTTPAdapter(pool_connections=4, pool_maxsize=max(4, source.concurrency), max_retries=0)
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)
        self.session.max_redirects = MAX_REDIRECTS
        self._limiter = RateLimiter(source.requests_per_second)
        self._robots: dict[str, RobotFileParser | None] = {}
        self._robots_lock = threading.Lock()

    def close(self) -> None:
        self.session.close()

    def __enter__(self) -> SourceClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- safety checks -------------------------------------------------------------------------
    def check_url(self, url: str) -> None:
        """Refuse hosts outside the source's allow-list, and private addresses unless allowed."""
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise FetchError(f"not an http(s) URL: {url}", retryable=False)
        host = parts.hostname
        if self.source.allowed_hosts and host not in self.source.allowed_hosts:
            raise FetchError(f"host {host} is not allowed for source {self.source.name}", retryable=False)
        if not self.source.allow_private_addresses and _is_private(host):
            raise FetchError(f"host {host} resolves to a private or loopback address", retryable=False)

    def allowed_by_robots(self, url: str) -> bool:
        """robots.txt, read once per host per client (a missing robots.txt allows all)."""
        if not self.source.respect_robots:
            return True
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        with self._robots_lock:
            if origin not in self._robots:
                self._robots[origin] = self._read_robots(origin)
            rules = self._robots[origin]
        return rules is None or rules.can_fetch(USER_AGENT, url)

    def _read_robots(self, origin: str) -> RobotFileParser | None:
        try:
            resp = self._request(origin + "/robots.txt", accept_any_type=True)
        except FetchError as exc:
            if exc.status is not None and 400 <= exc.status < 500:
                return None  # no robots.txt: everything allowed
            raise
        rules = RobotFileParser()
        rules.parse(resp.body.decode("utf-8", "replace").splitlines())
        return rules

    # --- requests ------------------------------------------------------------------------------
    def get(self, url: str, *, etag: str | None = None, last_modified: str | None = None) -> Response:
        """GET a page with retries; raises FetchError with a one-line reason."""
        self.check_url(url)
        if not self.allowed_by_robots(url):
            raise FetchError("blocked by robots.txt", retryable=False)
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        return self._request(url, headers=headers)

    def _request(self, url: str, *, headers: dict[str, str] | None = None, accept_any_type: bool = False) -> Response:
        attempts = self.source.max_attempts
        for attempt in range(1, attempts + 1):
            self._limiter.wait()
            try:
                return self._once(url, headers or {}, accept_any_type)
            except FetchError as exc:
                if not exc.retryable or attempt == attempts:
                    raise
                delay = exc.retry_after or self.backoff_s * 2 ** (attempt - 1)
                time.sleep(min(delay, 60.0) * (1 + random.random() * 0.25))  # jitter spreads retries
        raise AssertionError("unreachable")

    def _once(self, url: str, headers: dict[str, str], accept_any_type: bool) -> Response:
        try:
            with self.session.get(url, headers=headers, timeout=self.source.timeout_s, stream=True,
                                  allow_redirects=False) as resp:
                hops = 0
                while resp.is_redirect:
                    hops += 1
                    if hops > MAX_REDIRECTS:
                        raise FetchError("too many redirects", retryable=False)
                    target = urljoin(resp.url, resp.headers["Location"])
                    self.check_url(target)
                    resp.close()
                    resp = self.session.get(target, headers=headers, timeout=self.source.timeout_s, stream=True,
                                            allow_redirects=False)
                return self._read(resp, accept_any_type)
        except (requests.ConnectionError, requests.Timeout) as exc:
            raise FetchError(f"{type(exc).__name__}: {str(exc)[:200]}", retryable=True) from exc
        except requests.exceptions.ChunkedEncodingError as exc:
            raise FetchError(f"truncated body: {str(exc)[:200]}", retryable=True) from exc

    def _read(self, resp: requests.Response, accept_any_type: bool) -> Response:
        status = resp.status_code
        if status == 304:
            return Response(resp.url, 304, None, b"", resp.headers.get("ETag"), resp.headers.get("Last-Modified"))
        if status != 200:
            raise FetchError(f"HTTP {status}", retryable=status in RETRY_STATUSES, status=status,
                             retry_after=_retry_after(resp.headers.get("Retry-After")))
        ctype = resp.headers.get("Content-Type", "")
        if not accept_any_type and ctype and not ctype.split(";")[0].strip().lower().startswith(HTML_TYPES):
            raise FetchError(f"not HTML: content type {ctype.split(';')[0]}", retryable=False, status=status)
        declared = resp.headers.get("Content-Length")
        if declared and declared.isdigit() and int(declared) > self.max_body_bytes:
            raise FetchError(f"too large: {declared} bytes > {self.max_body_bytes}", retryable=False, status=status)
        chunks, size = [], 0
        for chunk in resp.iter_content(64 * 1024):
            size += len(chunk)
            if size > self.max_body_bytes:
                raise FetchError(f"too large: over {self.max_body_bytes} bytes", retryable=False, status=status)
            chunks.append(chunk)
        body = b"".join(chunks)
        if declared and declared.isdigit() and len(body) < int(declared):
            raise FetchError(f"truncated body: {len(body)} of {declared} bytes", retryable=True, status=status)
        return Response(resp.url, status, ctype or None, body, resp.headers.get("ETag"),
                        resp.headers.get("Last-Modified"))


def _retry_after(value: str | None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or HTTP date)."""
    if not value:
        return None
    if value.strip().isdigit():
        return float(value)
    try:
        return max(0.0, parsedate_to_datetime(value).timestamp() - time.time())
    except (TypeError, ValueError):
        return None


@lru_cache(maxsize=256)
def _is_private(host: str) -> bool:
    """True when the host is, or resolves to, a loopback/private/link-local address."""
    try:
        infos = socket.getaddrinfo(host, None)
    except socket.gaierror:
        return False  # unresolvable: the request itself will fail and be retried
    return any(not ipaddress.ip_address(info[4][0]).is_global for info in infos)
