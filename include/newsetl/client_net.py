"""The client's network layer: connections that check the address they reach, and a deadline per request.

Two holes of issue 14 sit below requests' API, so they are closed where the socket is made:

* SSRF and DNS rebinding: a host name is resolved once, every address it resolves to is checked, and the
  connection goes to a checked address. A check before the request (the old ``lru_cache``'d one) is
  worthless against a DNS server that answers a public address first and 127.0.0.1 when urllib3 asks.
* A server that drips one byte every 0.5 s never trips a read timeout, which is per read. A watchdog
  thread shuts down the sockets of a request whose deadline has passed: every read blocked on them
  returns at once, whether it was reading the status line, a header, a chunk size or the body, plain or
  TLS. The caller then sees a broken connection and asks ``Deadline.expired`` why.

``GuardedAdapter`` is requests' ``HTTPAdapter`` with urllib3 pools whose connections do both.
"""

from __future__ import annotations

import heapq
import ipaddress
import itertools
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from typing import Any

from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import ConnectTimeoutError, NameResolutionError, NewConnectionError
from urllib3.poolmanager import PoolManager
from urllib3.util.connection import allowed_gai_family, create_connection


class RefusedAddress(Exception):
    """The host resolves to an address the source may not reach (loopback, private, link-local ...).

    Deliberately not an OSError nor a urllib3 error: urllib3 and requests let it through untouched, so it
    is neither retried nor reworded on its way up to the client."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def is_public_address(ip: str) -> bool:
    """True for a globally routable unicast address; an IPv4-mapped IPv6 address is judged as its IPv4."""
    address = ipaddress.ip_address(ip)
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return address.is_global and not address.is_multicast


class Deadline:
    """One request's time limit, and the sockets it used (shut down when the limit passes)."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.expires_at = time.monotonic() + seconds
        self.expired = False
        self._done = False
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()

    def remaining(self) -> float:
        return self.expires_at - time.monotonic()

    def track(self, sock: socket.socket) -> None:
        """A socket this request reads from; one tracked after the deadline is shut down at once."""
        with self._lock:
            if self._done:
                return
            self._sockets.append(sock)
            if not self.expired:
                return
        _shut(sock)

    def expire(self) -> None:
        """Called by the watchdog: mark the request late and unblock every read on its sockets."""
        with self._lock:
            if self._done:
                return
            self.expired = True
            sockets = list(self._sockets)
        for sock in sockets:
            _shut(sock)

    def finish(self) -> None:
        """The request is over: its sockets (back in the pool, maybe used by another request) are left alone."""
        with self._lock:
            self._done = True
            self._sockets.clear()


def _shut(sock: socket.socket) -> None:
    """shutdown(), not close(): close() does not wake a recv() blocked in another thread."""
    with suppress(OSError):  # already closed: nothing left to unblock
        sock.shutdown(socket.SHUT_RDWR)


class _Watchdog:
    """One thread that expires deadlines in time order (started at the first deadline, stopped by close)."""

    def __init__(self) -> None:
        self._heap: list[tuple[float, int, Deadline]] = []
        self._order = itertools.count()
        self._wake = threading.Condition()
        self._thread: threading.Thread | None = None
        self._closed = False

    def watch(self, deadline: Deadline) -> None:
        with self._wake:
            heapq.heappush(self._heap, (deadline.expires_at, next(self._order), deadline))
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="newsetl-deadlines", daemon=True)
                self._thread.start()
            self._wake.notify()

    def _run(self) -> None:
        with self._wake:
            while not self._closed:
                now = time.monotonic()
                while self._heap and self._heap[0][0] <= now:
                    heapq.heappop(self._heap)[2].expire()
                self._wake.wait(self._heap[0][0] - now if self._heap else None)

    def close(self) -> None:
        with self._wake:
            self._closed = True
            self._wake.notify()
        if self._thread is not None:
            self._thread.join()


class Guard:
    """What one client's connections may do: reach private addresses or not, and whose deadline they obey.

    The deadline of the request a thread is making is thread-local: urllib3 makes (or reuses) the
    connection in the calling thread, so the connection finds the deadline it must report to there."""

    def __init__(self, *, allow_private: bool) -> None:
        self.allow_private = allow_private
        self._local = threading.local()
        self._watchdog = _Watchdog()

    @contextmanager
    def deadline(self, seconds: float) -> Iterator[Deadline]:
        """A deadline for what this thread requests inside the block (nested blocks restore the outer one)."""
        deadline = Deadline(seconds)
        outer = getattr(self._local, "deadline", None)
        self._local.deadline = deadline
        self._watchdog.watch(deadline)
        try:
            yield deadline
        finally:
            deadline.finish()
            self._local.deadline = outer

    def current(self) -> Deadline | None:
        """The deadline of the request this thread is making, if any."""
        deadline: Deadline | None = getattr(self._local, "deadline", None)
        return deadline

    def track(self, sock: socket.socket) -> None:
        """Hand a socket this thread is about to use to its current deadline."""
        deadline: Deadline | None = getattr(self._local, "deadline", None)
        if deadline is not None:
            deadline.track(sock)

    def addresses(self, host: str, port: int) -> list[str]:
        """The host's addresses, resolved once; RefusedAddress if any is not public (unless allowed)."""
        infos = socket.getaddrinfo(host.strip("[]"), port, allowed_gai_family(), socket.SOCK_STREAM)
        ips = list(dict.fromkeys(str(info[4][0]) for info in infos))
        if not self.allow_private:
            refused = [ip for ip in ips if not is_public_address(ip)]
            if refused:  # one private answer is enough: which one a connection would use is the DNS's choice
                raise RefusedAddress(f"host {host} resolves to a private or loopback address ({refused[0]})")
        return ips

    def close(self) -> None:
        self._watchdog.close()


def _connect_checked(conn: HTTPConnection, guard: Guard) -> socket.socket:
    """urllib3's _new_conn, connecting to the addresses the guard checked instead of resolving again."""
    try:
        sock = _first_connection(guard.addresses(conn._dns_host, conn.port), conn)
    except socket.gaierror as exc:
        raise NameResolutionError(conn.host, conn, exc) from exc
    except TimeoutError as exc:
        raise ConnectTimeoutError(
            conn, f"Connection to {conn.host} timed out. (connect timeout={conn.timeout})"
        ) from exc
    except OSError as exc:
        raise NewConnectionError(conn, f"Failed to establish a new connection: {exc}") from exc
    guard.track(sock)
    return sock


def _first_connection(ips: list[str], conn: HTTPConnection) -> socket.socket:
    """A socket to the first address that accepts (numeric addresses: no second DNS lookup)."""
    error: OSError = OSError(f"no address for {conn.host}")
    for ip in ips:
        try:
            return create_connection(
                (ip, conn.port), conn.timeout, source_address=conn.source_address, socket_options=conn.socket_options
            )
        except OSError as exc:
            error = exc
    raise error


class _GuardedHTTPConnection(HTTPConnection):
    """An HTTP connection that connects to checked addresses and reports its socket to the deadline."""

    def __init__(self, *args: Any, guard: Guard, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._guard = guard

    def _new_conn(self) -> socket.socket:
        return _connect_checked(self, self._guard)

    def request(self, *args: Any, **kwargs: Any) -> None:
        if self.sock is not None:  # a kept-alive connection: this request's deadline covers it now
            self._guard.track(self.sock)
        super().request(*args, **kwargs)


class _GuardedHTTPSConnection(HTTPSConnection):
    """The same for HTTPS (the TLS handshake runs on the tracked socket, so a dripping handshake is cut too)."""

    def __init__(self, *args: Any, guard: Guard, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._guard = guard

    def _new_conn(self) -> socket.socket:
        return _connect_checked(self, self._guard)

    def request(self, *args: Any, **kwargs: Any) -> None:
        if self.sock is not None:
            self._guard.track(self.sock)
        super().request(*args, **kwargs)


class _GuardedHTTPPool(HTTPConnectionPool):
    ConnectionCls = _GuardedHTTPConnection


class _GuardedHTTPSPool(HTTPSConnectionPool):
    ConnectionCls = _GuardedHTTPSConnection


class _GuardedPoolManager(PoolManager):
    """urllib3's PoolManager with guarded pools. The guard goes into each pool's connection arguments
    after the pool is made: as a pool keyword it would have to be part of urllib3's pool key."""

    def __init__(self, guard: Guard, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._guard = guard
        self.pool_classes_by_scheme = {"http": _GuardedHTTPPool, "https": _GuardedHTTPSPool}

    def _new_pool(
        self, scheme: str, host: str, port: int, request_context: dict[str, Any] | None = None
    ) -> HTTPConnectionPool:
        pool = super()._new_pool(scheme, host, port, request_context)
        pool.conn_kw["guard"] = self._guard
        return pool


class GuardedAdapter(HTTPAdapter):
    """requests' HTTPAdapter whose connections go through the guard (addresses checked, deadlines kept)."""

    def __init__(self, guard: Guard, **kwargs: Any) -> None:
        self.guard = guard  # before super().__init__, which builds the pool manager
        super().__init__(**kwargs)

    def init_poolmanager(self, connections: int, maxsize: int, block: bool = False, **pool_kwargs: Any) -> None:
        self._pool_connections = connections
        self._pool_maxsize = maxsize
        self._pool_block = block
        self.poolmanager = _GuardedPoolManager(
            self.guard, num_pools=connections, maxsize=maxsize, block=block, **pool_kwargs
        )
