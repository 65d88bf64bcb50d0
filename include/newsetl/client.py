"""Polite HTTP for one source: one keep-alive session, timeouts, retries with backoff, robots.txt,
allowed hosts only, a body size cap. Used by discover and fetch.

Retries are urllib3's ``Retry``, mounted on the session's ``HTTPAdapter``, rather than a loop of our own:
urllib3 already knows which failures are safe to repeat (connection errors, read timeouts, the statuses in
RETRY_STATUSES, for GET only), how to back off exponentially with jitter, and how to read ``Retry-After``
in both its forms. What it is told here, and why:

* ``total = max_attempts - 1``: the source configures attempts, Retry counts retries.
* ``redirect=False``: urllib3 must hand every 3xx back, because each hop is checked by ``check_url``
  (allowed hosts, no private addresses) before it is followed, which only this client can do.
* ``raise_on_status=False``: when the retries run out on a 503 the last response comes back, and
  ``_read`` turns it into ``FetchError("HTTP 503", retryable=True, retry_after=...)`` like any status.
* ``retry_after_max`` and ``backoff_max`` = MAX_WAIT_S: a server answering ``Retry-After: 999999`` must
  not stall a task for days.

``_PoliteRetry`` adds the one thing the stock class lacks: retried requests wait for the source's rate
limiter like first requests do. The only retry left by hand is a body that breaks off while it is read
(see ``_request``): requests streams bodies, so urllib3 has handed the response over before it is read.
"""

from __future__ import annotations

import ipaddress
import logging
import socket
import threading
import time
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Self
from urllib.parse import urljoin, urlsplit
from urllib.robotparser import RobotFileParser

import requests
from requests.adapters import HTTPAdapter
from urllib3.exceptions import InvalidHeader, MaxRetryError, ReadTimeoutError, ResponseError
from urllib3.response import BaseHTTPResponse
from urllib3.util.retry import Retry

from newsetl import __version__
from newsetl.config import Source

log = logging.getLogger(__name__)

USER_AGENT = f"newsetl/{__version__} (+https://github.com/newsetl/newsetl; Korean news ETL)"
MAX_REDIRECTS = 5
RETRY_STATUSES = frozenset({408, 429, 500, 502, 503, 504})
HTML_TYPES = ("text/html", "application/xhtml+xml", "text/plain")
# Longest single wait between two attempts, whether Retry-After asked for it or the backoff grew to it.
MAX_WAIT_S = 60


class FetchError(Exception):
    """A request that did not give a usable page. ``retryable`` says whether a later run may succeed."""

    def __init__(
        self, reason: str, *, retryable: bool, status: int | None = None, retry_after: float | None = None
    ) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retryable = retryable
        self.status = status
        self.retry_after = retry_after  # seconds the server asked us to wait (Retry-After, capped)


class _BodyCut(FetchError):
    """The body broke off while it was read: the one failure ``_request`` retries by hand."""

    def __init__(self, reason: str, *, status: int | None = None) -> None:
        super().__init__(reason, retryable=True, status=status)


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


class _PoliteRetry(Retry):
    """urllib3's Retry, plus: every retried request waits for the source's rate limiter.

    urllib3 calls ``sleep()`` right before it sends a retry (after a connection error or a retryable
    status), so waiting on the limiter there, after the backoff, paces retries like first requests.
    urllib3 builds a fresh object with ``type(self)(**params)`` in ``new()`` at every attempt, so the
    limiter is handed on there, or the copy would lose it.
    """

    # urllib3 would also retry a 413 that carries Retry-After; here only RETRY_STATUSES are retried,
    # as the status_forcelist says (429 and 503, the other two, are in it).
    RETRY_AFTER_STATUS_CODES: frozenset[int] = frozenset()

    def __init__(self, *, limiter: RateLimiter, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.limiter = limiter

    def new(self, **kwargs: Any) -> Self:
        """The next attempt's copy, with the same limiter."""
        return super().new(limiter=self.limiter, **kwargs)

    def sleep(self, response: BaseHTTPResponse | None = None) -> None:
        """Retry-After or the backoff, then the rate limiter's next slot: the retry goes out right after."""
        super().sleep(response)
        self.limiter.wait()

    def get_retry_after(self, response: BaseHTTPResponse) -> float | None:
        """Retry-After in seconds, at most ``retry_after_max``; None when absent or unreadable.

        urllib3 raises InvalidHeader for a value it cannot read, which would turn a retryable 503 into
        an error that is not even a FetchError; a server's bad header should just mean "back off".
        """
        try:
            seconds = super().get_retry_after(response)
        except InvalidHeader:
            return None
        return None if seconds is None else float(seconds)


class SourceClient:
    """HTTP client bound to one source's politeness and safety rules."""

    def __init__(self, source: Source, *, backoff_s: float = 0.5) -> None:
        self.source = source
        self.max_body_bytes = source.max_body_bytes
        self.backoff_s = backoff_s
        self._limiter = RateLimiter(source.requests_per_second)
        self._retry = _PoliteRetry(
            limiter=self._limiter,
            total=source.max_attempts - 1,  # Retry counts retries, the source counts attempts
            allowed_methods=frozenset({"GET"}),
            status_forcelist=RETRY_STATUSES,
            raise_on_status=False,  # the last retryable response comes back for _read to classify
            redirect=False,  # 3xx come back to _follow, which checks every hop
            # urllib3 2.x: the first retry goes at once (the limiter still paces it), later ones
            # after backoff_s * 2, * 4, ...; jitter spreads the retries of threads that failed together
            backoff_factor=backoff_s,
            backoff_jitter=backoff_s / 2,
            backoff_max=MAX_WAIT_S,
            retry_after_max=MAX_WAIT_S,
        )
        self.session = requests.Session()
        self.session.headers.update({"User-Agent": USER_AGENT, "Accept": "text/html,application/xhtml+xml"})
        adapter = HTTPAdapter(pool_connections=4, pool_maxsize=max(4, source.concurrency), max_retries=self._retry)
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)
        self.session.max_redirects = MAX_REDIRECTS
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
        """GET through the adapter's Retry, and retry by hand the one thing it cannot: a cut body.

        urllib3 returns the response once its headers are in; the body is streamed afterwards (so that
        max_body_bytes can stop it), out of Retry's reach. A body that breaks off, or falls short of its
        Content-Length, is retried here, counted and backed off by a copy of the same policy: at most
        max_attempts cut bodies. Each of those GETs has its own Retry budget for errors and statuses, so a
        server that mixes both could see up to max_attempts ** 2 requests for one URL (paced by the limiter).
        """
        retry: Retry = self._retry
        while True:
            try:
                return self._once(url, headers or {}, accept_any_type)
            except _BodyCut as cut:
                try:
                    retry = retry.increment(method="GET", url=url, error=cut)
                except MaxRetryError:
                    raise cut from None
                log.info("retrying %s after %s", url, cut.reason)
                time.sleep(retry.get_backoff_time())  # the rate limiter waits in _send

    def _once(self, url: str, headers: dict[str, str], accept_any_type: bool) -> Response:
        """One GET (repeated by Retry as needed), its redirects followed, its body read."""
        resp = self._follow(url, headers)
        try:
            return self._read(resp, accept_any_type)
        finally:
            resp.close()

    def _follow(self, url: str, headers: dict[str, str]) -> requests.Response:
        """The response at the end of the redirects, every hop allowed by check_url, at most MAX_REDIRECTS."""
        resp = self._send(url, headers)
        hops = 0
        while resp.is_redirect:
            resp.close()
            hops += 1
            if hops > MAX_REDIRECTS:
                raise FetchError("too many redirects", retryable=False)
            target = urljoin(resp.url, resp.headers["Location"])
            self.check_url(target)
            resp = self._send(target, headers)
        return resp

    def _send(self, url: str, headers: dict[str, str]) -> requests.Response:
        """One request through the session, paced by the rate limiter (``_PoliteRetry`` paces its retries)."""
        self._limiter.wait()
        try:
            return self.session.get(
                url, headers=headers, timeout=self.source.timeout_s, stream=True, allow_redirects=False
            )
        except (requests.ConnectionError, requests.Timeout, requests.exceptions.RetryError) as exc:
            raise FetchError(_failure_reason(exc), retryable=True) from exc

    def _read(self, resp: requests.Response, accept_any_type: bool) -> Response:
        """The page of a final (non-redirect) response, or a FetchError saying why it is not usable."""
        status = resp.status_code
        if status == 304:
            return Response(resp.url, 304, None, b"", resp.headers.get("ETag"), resp.headers.get("Last-Modified"))
        if status != 200:
            raise FetchError(
                f"HTTP {status}",
                retryable=status in RETRY_STATUSES,
                status=status,
                retry_after=self._retry.get_retry_after(resp.raw),
            )
        ctype = resp.headers.get("Content-Type", "")
        if not accept_any_type and ctype and not ctype.split(";")[0].strip().lower().startswith(HTML_TYPES):
            raise FetchError(f"not HTML: content type {ctype.split(';')[0]}", retryable=False, status=status)
        declared = resp.headers.get("Content-Length")
        if declared and declared.isdigit() and int(declared) > self.max_body_bytes:
            raise FetchError(f"too large: {declared} bytes > {self.max_body_bytes}", retryable=False, status=status)
        body = self._read_body(resp, status)
        if declared and declared.isdigit() and len(body) < int(declared):
            raise _BodyCut(f"truncated body: {len(body)} of {declared} bytes", status=status)
        return Response(
            resp.url, status, ctype or None, body, resp.headers.get("ETag"), resp.headers.get("Last-Modified")
        )

    def _read_body(self, resp: requests.Response, status: int) -> bytes:
        """The streamed body, refused past max_body_bytes; _BodyCut when the connection breaks off."""
        chunks: list[bytes] = []
        size = 0
        try:
            for chunk in resp.iter_content(64 * 1024):
                size += len(chunk)
                if size > self.max_body_bytes:
                    raise FetchError(f"too large: over {self.max_body_bytes} bytes", retryable=False, status=status)
                chunks.append(chunk)
        except requests.exceptions.ChunkedEncodingError as exc:  # urllib3's IncompleteRead, among others
            raise _BodyCut(f"truncated body: {_one_line(exc)}") from exc
        except requests.ConnectionError as exc:  # a read timeout or reset in the middle of the body
            raise _BodyCut(_failure_reason(exc)) from exc
        return b"".join(chunks)


def _failure_reason(exc: requests.RequestException) -> str:
    """One-line reason for a request that got no usable response, named after what actually failed.

    When Retry gives up, urllib3 raises MaxRetryError and requests wraps it by the last error's kind:
    a read timeout then surfaces as ConnectionError, too many retryable statuses as RetryError (which
    raise_on_status=False should prevent). The reason unwraps it: "ReadTimeout: ...", "ConnectionError: ...".
    """
    cause: object = exc.args[0] if exc.args else exc
    if isinstance(cause, MaxRetryError) and cause.reason is not None:
        cause = cause.reason
    if isinstance(cause, ReadTimeoutError):
        name = "ReadTimeout"
    elif isinstance(cause, ResponseError):
        name = "RetryError"
    else:
        name = type(exc).__name__
    return f"{name}: {_one_line(cause)}"


def _one_line(value: object) -> str:
    """str(value) with whitespace runs folded, cut to 200 characters."""
    return " ".join(str(value).split())[:200]


@lru_cache(maxsize=256)
def _is_private(host: str) -> bool:
    """True when the host is, or resolves to, a loopback/private/link-local address."""
    try:
        infos = socket.getaddrinfo(host, None)
    except socket.gaierror:
        return False  # unresolvable: the request itself will fail and be retried
    return any(not ipaddress.ip_address(info[4][0]).is_global for info in infos)
