"""Polite HTTP for one source: one keep-alive session, timeouts, a deadline, retries with backoff within a
budget, robots.txt, allowed origins only, a body size cap. Used by discover and fetch (and ``newsetl parse``).

The rule every method keeps: whatever a server sends, a request for one URL ends in a ``Response`` or a
``FetchError`` with a one-line reason, retryable or not; nothing else escapes, so one hostile response
never loses the rest of its batch (issue 14).

Retries are urllib3's ``Retry``, mounted on the session's adapter, rather than a loop of our own: urllib3
already knows which failures are safe to repeat (connection errors, read timeouts, the statuses in
RETRY_STATUSES, for GET only), how to back off exponentially with jitter, and how to read ``Retry-After``
in both its forms. What it is told here, and why:

* ``total = max_attempts - 1``: the source configures attempts, Retry counts retries.
* ``redirect=False``: urllib3 must hand every 3xx back, because each hop is checked (allowed origin, no
  https to http, robots.txt) and paced before it is followed, which only this client can do.
* ``raise_on_status=False``: when the retries run out on a 503 the last response comes back, and
  ``_read`` turns it into ``FetchError("HTTP 503", retryable=True, retry_after=...)`` like any status.
* ``retry_after_max`` and ``backoff_max`` = MAX_WAIT_S: a server answering ``Retry-After: 999999`` must
  not stall a task for days.

``_PoliteRetry`` adds what the stock class lacks: every wait is charged to the task's retry budget and
must fit in the request's deadline (else the URL is ``failed`` at once, for the next run), and retried
requests wait for the source's rate limiter like first requests do.

Requests go through ``client_net.GuardedAdapter`` directly, not ``Session.send``: ``Session.send`` parses
every ``Location`` even with ``allow_redirects=False``, and raised UnicodeDecodeError or ValueError on the
bad ones before this client could see them. So no cookies are kept between requests either (news pages
need none, and a jar shared by threads is one more thing a hostile server could trip).
"""

from __future__ import annotations

import logging
import re
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass
from typing import Any, Self
from urllib.parse import unquote, urlparse, urlsplit
from urllib.robotparser import RobotFileParser

import requests
from urllib3.exceptions import HTTPError as Urllib3Error
from urllib3.exceptions import InvalidHeader, MaxRetryError, ReadTimeoutError, ResponseError
from urllib3.response import BaseHTTPResponse
from urllib3.util.retry import RequestHistory, Retry

from newsetl import __version__
from newsetl.client_net import Guard, GuardedAdapter, RefusedAddress
from newsetl.client_urls import AllowedOrigins, BadURL, location_url, origin_of, request_url
from newsetl.config import Source

log = logging.getLogger(__name__)

USER_AGENT = f"newsetl/{__version__} (+https://github.com/newsetl/newsetl; Korean news ETL)"
MAX_REDIRECTS = 5
RETRY_STATUSES = frozenset({408, 429, 500, 502, 503, 504})
# Media types taken as pages, compared exactly (a prefix let "text/html-evil" in). text/plain: the board
# site reads plain-text dumps of board pages (sites/board.py).
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml", "text/plain"})
# Feeds and sitemaps: the XML types, and the HTML ones many sites serve them as; a cursor listing's JSON pages.
XML_TYPES = HTML_TYPES | {"application/xml", "text/xml", "application/rss+xml", "application/atom+xml"}
JSON_TYPES = HTML_TYPES | {"application/json", "text/json", "text/javascript"}
# Longest single wait between two attempts, whether Retry-After asked for it or the backoff grew to it.
MAX_WAIT_S = 60
# robots.txt is read up to this size and the rules read so far apply (RFC 9309 §2.5 allows 500 KiB).
ROBOTS_MAX_BYTES = 512 * 1024
ROBOTS_UNAVAILABLE = "robots.txt unavailable"
READ_CHUNK = 64 * 1024
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
# SourceClient._wait_to_retry(wait, last failure, its status), handed to _PoliteRetry
_WaitToRetry = Callable[[float, str, int | None], None]


class FetchError(Exception):
    """A request that did not give a usable page. ``retryable`` says whether a later run may succeed.

    The reason lands in ``news.crawl_url.reason``: it is made one line, without control characters (a
    NUL would make Postgres refuse the whole batch), at most 300 characters."""

    def __init__(
        self, reason: str, *, retryable: bool, status: int | None = None, retry_after: float | None = None
    ) -> None:
        reason = " ".join(_CONTROL.sub(" ", reason).split())[:300]
        super().__init__(reason)
        self.reason = reason
        self.retryable = retryable
        self.status = status
        self.retry_after = retry_after  # seconds the server asked us to wait (Retry-After, capped)


class _BodyCut(FetchError):
    """The body broke off while it was read: the one failure ``_attempts`` retries by hand."""

    def __init__(self, reason: str, *, status: int | None = None) -> None:
        super().__init__(reason, retryable=True, status=status)


class _Refused(FetchError):
    """The host resolves to an address the source may not reach."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason, retryable=False)


@dataclass(slots=True)
class Response:
    url: str  # final URL after redirects
    status: int
    content_type: str | None
    body: bytes
    etag: str | None
    last_modified: str | None


class RateLimiter:
    """At most one request start per interval across threads (rate 0: no limit until slow_to)."""

    def __init__(self, rate: float) -> None:
        self._interval = 1.0 / rate if rate > 0 else 0.0
        self._next = 0.0
        self._lock = threading.Lock()

    def slow_to(self, interval: float) -> None:
        """Keep at least ``interval`` seconds between starts from now on, if that is slower (Crawl-delay)."""
        with self._lock:
            self._interval = max(self._interval, interval)

    def wait(self) -> None:
        if not self._interval:
            return
        with self._lock:
            now = time.monotonic()
            start = max(now, self._next)
            self._next = start + self._interval
        if start > now:
            time.sleep(start - now)


class _RetryBudget:
    """The seconds one task (one client) may spend waiting between attempts, shared by its threads.

    Once a wait does not fit, the budget is spent for good: later retryable failures of the task end as
    ``failed`` without waiting or retrying, and the next run tries them again."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self._left = seconds
        self._spent = False
        self._lock = threading.Lock()

    def take(self, wait: float) -> bool:
        with self._lock:
            if self._spent or wait > self._left:
                self._spent = True
                return False
            self._left -= wait
            return True


class _PoliteRetry(Retry):
    """urllib3's Retry, plus: every wait goes through the client (deadline, budget), and every retried
    request waits for the source's rate limiter.

    urllib3 calls ``sleep()`` right before it sends a retry (after a connection error or a retryable
    status). urllib3 builds a fresh object with ``type(self)(**params)`` in ``new()`` at every attempt, so
    the limiter and the client's wait are handed on there, or the copy would lose them.
    """

    # urllib3 would also retry a 413 that carries Retry-After; here only RETRY_STATUSES are retried,
    # as the status_forcelist says (429 and 503, the other two, are in it).
    RETRY_AFTER_STATUS_CODES: frozenset[int] = frozenset()

    def __init__(self, *, limiter: RateLimiter, wait_to_retry: _WaitToRetry, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.limiter = limiter
        self.wait_to_retry = wait_to_retry

    def new(self, **kwargs: Any) -> Self:
        """The next attempt's copy, with the same limiter and wait."""
        return super().new(limiter=self.limiter, wait_to_retry=self.wait_to_retry, **kwargs)

    def sleep(self, response: BaseHTTPResponse | None = None) -> None:
        """Retry-After (or the backoff), charged to the budget, then the rate limiter's next slot."""
        wait = self.get_retry_after(response) if response is not None else None
        self.wait_to_retry(wait or self.get_backoff_time(), *_last_failure(self.history))
        self.limiter.wait()

    def get_retry_after(self, response: BaseHTTPResponse) -> float | None:
        """Retry-After in seconds, at most ``retry_after_max``; None when absent or unreadable.

        urllib3 raises InvalidHeader for a value it cannot read, and a date too far out for the platform
        raises OverflowError: a server's bad header should just mean "back off"."""
        try:
            seconds = super().get_retry_after(response)
        except (InvalidHeader, ValueError, OverflowError):
            return None
        return None if seconds is None else float(seconds)


def _last_failure(history: tuple[RequestHistory, ...]) -> tuple[str, int | None]:
    """What the last attempt got, for the reason of a URL that may not wait for another."""
    if not history:
        return "retry", None
    last = history[-1]
    if last.status:
        return f"HTTP {last.status}", last.status
    return f"{type(last.error).__name__}: {_one_line(last.error)}", None


@dataclass(frozen=True, slots=True)
class _Robots:
    """What robots.txt of one origin says for this run: rules, everything allowed (no rules), or unavailable."""

    rules: RobotFileParser | None = None
    unavailable: bool = False
    refused: _Refused | None = None  # the origin itself may not be reached


class SourceClient:
    """HTTP client bound to one source's politeness and safety rules (one per task and source)."""

    def __init__(self, source: Source, *, backoff_s: float = 0.5) -> None:
        self.source = source
        self.max_body_bytes = source.max_body_bytes
        self.backoff_s = backoff_s
        self._origins = AllowedOrigins(source.base_url, source.allowed_hosts)
        self._limiter = RateLimiter(source.requests_per_second)
        self._budget = _RetryBudget(source.retry_budget_s)
        self._retry = _PoliteRetry(
            limiter=self._limiter,
            wait_to_retry=self._wait_to_retry,
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
        self.session.trust_env = False  # no proxy or .netrc from the environment: the guard sees the peer
        self.session.headers.update({"User-Agent": USER_AGENT, "Accept": "text/html,application/xhtml+xml"})
        self._guard = Guard(allow_private=source.allow_private_addresses)
        self._adapter = GuardedAdapter(
            self._guard, pool_connections=4, pool_maxsize=max(4, source.concurrency), max_retries=self._retry
        )
        self.session.mount("http://", self._adapter)
        self.session.mount("https://", self._adapter)
        self._robots: dict[str, Future[_Robots]] = {}
        self._robots_lock = threading.Lock()

    def close(self) -> None:
        self.session.close()
        self._guard.close()

    def __enter__(self) -> SourceClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- what may be requested -----------------------------------------------------------------
    def check_url(self, url: str) -> str:
        """The URL as it will be requested, if it is well formed and its origin is allowed; else FetchError.

        Private addresses are refused later, at connect time, on the address actually connected to."""
        try:
            target = request_url(url)
        except BadURL as exc:
            raise FetchError(f"bad URL: {exc.reason}", retryable=False) from exc
        self._check_origin(target)
        return target

    def _check_origin(self, url: str) -> None:
        origin = origin_of(url)
        if not self._origins.allows(origin):
            refused = self._origins.refusal(origin)
            raise FetchError(f"{refused} is not allowed for source {self.source.name}", retryable=False)

    def _check_robots(self, url: str) -> None:
        """FetchError unless robots.txt of the URL's origin lets us fetch it (read once per origin and client)."""
        if not self.source.respect_robots:
            return
        robots = self._robots_of(url)
        if robots.refused is not None:
            raise _Refused(robots.refused.reason)
        if robots.unavailable:  # RFC 9309 §2.3.1.4: unreachable means disallowed; the next run asks again
            raise FetchError(ROBOTS_UNAVAILABLE, retryable=True)
        if robots.rules is not None and not _robots_allow(robots.rules, url):
            raise FetchError("blocked by robots.txt", retryable=False)

    def _robots_of(self, url: str) -> _Robots:
        """The origin's robots.txt outcome. The first thread to ask reads it, the others wait for that one
        read only: no lock is held while it is fetched, so other origins never wait."""
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        with self._robots_lock:
            future = self._robots.get(origin)
            first = future is None
            if future is None:
                future = self._robots[origin] = Future()
        if first:
            try:
                future.set_result(self._read_robots(origin + "/robots.txt"))
            except BaseException as exc:  # never leave the waiting threads hanging; the error propagates
                future.set_exception(exc)
                raise
        return future.result()

    def _read_robots(self, url: str) -> _Robots:
        """RFC 9309 §2.3.1: a 4xx allows everything, a 5xx, network error or timeout disallows everything."""
        try:
            response = self._request(url, {}, for_robots=True)
        except _Refused as exc:
            return _Robots(refused=exc)
        except FetchError as exc:
            if exc.status is not None and 400 <= exc.status < 500 and exc.status != 429:
                return _Robots()  # no robots.txt (429 is "slow down", not "absent": treated as unreachable)
            log.warning("%s: %s (%s): the origin's pages fail this run", url, ROBOTS_UNAVAILABLE, exc.reason)
            return _Robots(unavailable=True)
        rules = _robots_rules(response.body)
        delay = rules.crawl_delay(USER_AGENT)
        if delay:  # honoured when slower than requests_per_second, up to the source's maximum
            self._limiter.slow_to(min(float(delay), self.source.max_crawl_delay_s))
        return _Robots(rules=rules)

    # --- requests ------------------------------------------------------------------------------
    def get(
        self,
        url: str,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        types: frozenset[str] = HTML_TYPES,
    ) -> Response:
        """GET a page with retries (``types``: the media types taken, HTML's unless a feed, sitemap or JSON
        listing is read; a 304 to ``etag``/``last_modified`` comes back with an empty body); raises
        FetchError with a one-line reason."""
        target = self.check_url(url)
        self._check_robots(target)
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        if types is not HTML_TYPES:
            headers["Accept"] = ", ".join(sorted(types - HTML_TYPES)) + ", */*;q=0.5"
        return self._request(target, headers, types=types)

    def robots_sitemaps(self) -> list[str]:
        """The sitemap URLs the base URL's robots.txt lists (read once per client, as for its rules)."""
        robots = self._robots_of(self.check_url(self.source.base_url))
        if robots.refused is not None:
            raise FetchError(robots.refused.reason, retryable=False)
        if robots.unavailable:
            raise FetchError(ROBOTS_UNAVAILABLE, retryable=True)
        return list(robots.rules.site_maps() or []) if robots.rules is not None else []

    def _request(
        self, url: str, headers: dict[str, str], *, for_robots: bool = False, types: frozenset[str] = HTML_TYPES
    ) -> Response:
        """One URL within its deadline: every attempt, redirect hop and wait of it.

        When the deadline passes, the watchdog cuts the connection; whatever error that causes (or a body
        that merely looks complete, for a response without a length) is reported as the deadline."""
        with self._guard.deadline(self.source.deadline_s) as deadline:
            try:
                response = self._attempts(url, headers, for_robots, types)
            except FetchError as exc:
                if deadline.expired and exc.retryable:
                    raise self._late(exc.status) from exc
                raise
            if deadline.expired:
                raise self._late(response.status)
            return response

    def _late(self, status: int | None, during: str = "") -> FetchError:
        reason = f"deadline exceeded: over {self.source.deadline_s:g} s"
        return FetchError(f"{reason} ({during})" if during else reason, retryable=True, status=status)

    def _attempts(self, url: str, headers: dict[str, str], for_robots: bool, types: frozenset[str]) -> Response:
        """GET through the adapter's Retry, and retry by hand the one thing it cannot: a cut body.

        urllib3 returns the response once its headers are in; the body is streamed afterwards (so that
        the size limit can stop it), out of Retry's reach. A body that breaks off, or falls short of its
        Content-Length, is retried here, counted and backed off by a copy of the same policy: at most
        max_attempts cut bodies. Each of those GETs has its own Retry budget for errors and statuses, so a
        server that mixes both could see up to max_attempts ** 2 requests for one URL (paced by the limiter,
        bounded by the deadline).
        """
        retry: Retry = self._retry
        while True:
            try:
                return self._once(url, headers, for_robots, types)
            except _BodyCut as cut:
                try:
                    retry = retry.increment(method="GET", url=url, error=cut)
                except MaxRetryError:
                    raise cut from None
                log.info("retrying %s after %s", url, cut.reason)
                self._wait_to_retry(retry.get_backoff_time(), cut.reason, cut.status)  # _send waits the limiter

    def _wait_to_retry(self, wait: float, last: str, status: int | None) -> None:
        """Sleep before a retry, if the deadline leaves time for it and the task's budget has it."""
        deadline = self._guard.current()
        if deadline is not None and wait >= deadline.remaining():
            raise self._late(status, last)
        if not self._budget.take(wait):
            raise FetchError(f"{last}; retry budget of {self._budget.seconds:g} s spent", retryable=True, status=status)
        if wait > 0:
            time.sleep(wait)

    def _once(self, url: str, headers: dict[str, str], for_robots: bool, types: frozenset[str]) -> Response:
        """One GET (repeated by Retry as needed), its redirects followed, its body read."""
        resp = self._follow(url, headers, for_robots)
        try:
            return self._read(resp, for_robots, types)
        finally:
            resp.close()

    def _follow(self, url: str, headers: dict[str, str], for_robots: bool) -> requests.Response:
        """The response at the end of the redirects: at most MAX_REDIRECTS hops, each one checked like the
        first URL (origin, robots.txt) and paced by the rate limiter."""
        resp = self._send(url, headers)
        hops = 0
        while resp.is_redirect:
            location, current = resp.headers["Location"], str(resp.url)
            resp.close()
            hops += 1
            if hops > MAX_REDIRECTS:
                raise FetchError("too many redirects", retryable=False)
            target = self._hop(current, location)
            if not for_robots:  # robots.txt itself is always fetched, wherever it redirects within the source
                self._check_robots(target)
            resp = self._send(target, headers)
        return resp

    def _hop(self, current: str, location: str) -> str:
        """The checked URL a redirect leads to."""
        try:
            target = location_url(current, location)
        except BadURL as exc:
            raise FetchError(f"bad redirect location: {exc.reason}: {location!r:.100}", retryable=False) from exc
        if current.startswith("https:") and target.startswith("http:"):
            raise FetchError("redirect from https to http refused", retryable=False)
        self._check_origin(target)
        return target

    def _send(self, url: str, headers: dict[str, str]) -> requests.Response:
        """One request through the guarded adapter, paced by the rate limiter (``_PoliteRetry`` paces its
        retries). Every exception a response can cause becomes a FetchError here."""
        deadline = self._guard.current()
        if deadline is not None and deadline.remaining() <= 0:
            raise self._late(None)
        self._limiter.wait()
        try:
            prepared = self.session.prepare_request(requests.Request("GET", url, headers=headers))
        except (requests.RequestException, ValueError) as exc:  # e.g. a stored ETag that is no header value
            raise FetchError(f"bad request: {_one_line(exc)}", retryable=False) from exc
        try:
            resp = self._adapter.send(prepared, stream=True, timeout=self.source.timeout_s)
        except RefusedAddress as exc:
            raise _Refused(exc.reason) from exc
        except (requests.ConnectionError, requests.Timeout, requests.exceptions.RetryError) as exc:
            raise FetchError(_failure_reason(exc), retryable=True) from exc
        except (requests.RequestException, Urllib3Error, ValueError) as exc:  # InvalidHeader: two Content-Lengths
            raise FetchError(f"bad response: {_one_line(exc)}", retryable=False) from exc
        return resp

    def _read(self, resp: requests.Response, for_robots: bool, types: frozenset[str] = HTML_TYPES) -> Response:
        """The page of a final (non-redirect) response, or a FetchError saying why it is not usable."""
        status = resp.status_code
        etag, modified = _header(resp, "ETag"), _header(resp, "Last-Modified")
        if status == 304:
            return Response(str(resp.url), 304, None, b"", etag, modified)
        if status != 200:
            raise FetchError(
                f"HTTP {status}",
                retryable=status in RETRY_STATUSES,
                status=status,
                retry_after=self._retry.get_retry_after(resp.raw),
            )
        ctype = _header(resp, "Content-Type")
        if not for_robots and ctype and ctype.split(";")[0].strip().lower() not in types:
            kind = "HTML" if types is HTML_TYPES else "XML" if "application/xml" in types else "JSON"
            raise FetchError(f"not {kind}: content type {ctype.split(';')[0]:.100}", retryable=False, status=status)
        declared = _declared_length(resp)
        limit = ROBOTS_MAX_BYTES if for_robots else self.max_body_bytes
        if declared is not None and declared > limit and not for_robots:
            raise FetchError(f"too large: {declared} bytes > {limit}", retryable=False, status=status)
        body = self._read_body(resp, status, limit, truncate=for_robots)
        stopped_early = for_robots and len(body) >= limit
        # bytes on the wire, not len(body): a gzip body may decode to fewer bytes than its Content-Length
        if declared is not None and not stopped_early and resp.raw.tell() < declared:
            raise _BodyCut(f"truncated body: {resp.raw.tell()} of {declared} bytes", status=status)
        return Response(str(resp.url), status, ctype, body, etag, modified)

    def _read_body(self, resp: requests.Response, status: int, limit: int, *, truncate: bool) -> bytes:
        """The streamed, decoded body: refused past ``limit`` bytes (a gzip bomb stops there too), or cut
        there when ``truncate``; _BodyCut when the connection breaks off."""
        chunks: list[bytes] = []
        size = 0
        try:
            for chunk in resp.iter_content(READ_CHUNK):
                size += len(chunk)
                if size > limit:
                    if not truncate:
                        raise FetchError(f"too large: over {limit} bytes", retryable=False, status=status)
                    chunks.append(chunk[: len(chunk) - (size - limit)])
                    break
                chunks.append(chunk)
        except requests.exceptions.ContentDecodingError as exc:  # gzip on a plain body, too many encodings
            raise FetchError(f"bad content encoding: {_one_line(exc)}", retryable=False, status=status) from exc
        except requests.exceptions.ChunkedEncodingError as exc:  # urllib3's IncompleteRead, among others
            raise _BodyCut(f"truncated body: {_one_line(exc)}", status=status) from exc
        except requests.ConnectionError as exc:  # a read timeout or reset in the middle of the body
            raise _BodyCut(_failure_reason(exc), status=status) from exc
        return b"".join(chunks)


def _header(resp: requests.Response, name: str) -> str | None:
    """A header's value without control characters (a NUL would reach a Postgres text column), or None."""
    value = resp.headers.get(name)
    if value is None:
        return None
    return _CONTROL.sub("", value).strip() or None


def _declared_length(resp: requests.Response) -> int | None:
    """Content-Length as a number, None when absent or overridden by chunked transfer coding.

    "10, 10" is one length (RFC 9110 §8.6); two different values never get here (urllib3 refuses them:
    "bad response"). A value that is not ASCII digits is a framing error: ``"²".isdigit()`` is true and
    ``int("²")`` raises, which is how it escaped before."""
    raw = resp.headers.get("Content-Length")
    if raw is None or "chunked" in resp.headers.get("Transfer-Encoding", "").lower():
        return None
    values = {value.strip() for value in raw.split(",")}
    value = values.pop() if len(values) == 1 else ""
    if not (value.isascii() and value.isdigit()):
        raise FetchError(f"bad Content-Length: {raw!r:.60}", retryable=False, status=resp.status_code)
    return int(value)


def _robots_rules(body: bytes) -> RobotFileParser:
    """robots.txt rules from at most ROBOTS_MAX_BYTES; a line cut by that limit is dropped, and so are lines
    Python's parser would crash on."""
    lines = body.decode("utf-8", "replace").splitlines()
    if len(body) >= ROBOTS_MAX_BYTES and not body.endswith(b"\n") and lines:
        lines.pop()
    rules = RobotFileParser()
    rules.parse([line for line in lines if _robots_line_ok(line)])
    return rules


def _robots_line_ok(line: str) -> bool:
    """False for a line RobotFileParser.parse would raise on: it tests Crawl-delay and Request-rate with
    ``isdigit()`` and then calls ``int()`` ("²" passes one, not the other), and it runs every Allow and
    Disallow value, unquoted, through ``urlparse`` ("//[" raises "Invalid IPv6 URL")."""
    key, sep, value = line.split("#", 1)[0].partition(":")
    key = key.strip().lower()
    if not sep:
        return True
    if key in ("crawl-delay", "request-rate"):
        return value.strip().isascii()
    if key in ("allow", "disallow"):
        try:
            urlparse(unquote(value.strip()))
        except ValueError:
            return False
    return True


def _robots_allow(rules: RobotFileParser, url: str) -> bool:
    """can_fetch, with the URL it cannot read taken as disallowed rather than a crash."""
    try:
        return rules.can_fetch(USER_AGENT, url)
    except ValueError:
        return False


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
