"""A raw-socket HTTP server on 127.0.0.1 that sends whatever bytes a test scripts.

http.server cannot send a NUL in a header, a Location of raw EUC-KR bytes, two Content-Length headers or a
response that drips one byte at a time, so this one writes the bytes itself. Each path has a script: the
Nth request of a path gets the Nth reply (the last one repeats); a reply is raw bytes (sent, then the
connection closes) or a function given the client socket. Unscripted paths get a 404 (so robots.txt is
"unavailable": everything allowed). Every request is recorded with the time it came in.
"""

from __future__ import annotations

import socket
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field

Action = Callable[[socket.socket], None]
Reply = bytes | Action

PAGE = b"<html><head><title>t</title></head><body><p>page</p></body></html>"


def response(
    status: int = 200,
    headers: list[tuple[str, bytes | str]] | None = None,
    body: bytes = PAGE,
    *,
    length: bool = True,
    content_type: bytes | str | None = "text/html; charset=utf-8",
) -> bytes:
    """The bytes of one HTTP/1.1 response that closes its connection; header values may be raw bytes."""
    lines = [f"HTTP/1.1 {status} X".encode()]
    if content_type is not None:
        lines.append(b"Content-Type: " + _bytes(content_type))
    if length:
        lines.append(b"Content-Length: " + str(len(body)).encode())
    lines += [name.encode() + b": " + _bytes(value) for name, value in headers or []]
    lines.append(b"Connection: close")
    return b"\r\n".join(lines) + b"\r\n\r\n" + body


def redirect(location: bytes | str, status: int = 302) -> bytes:
    """A redirect with an empty body."""
    return response(status, [("Location", location)], b"", content_type=None)


def _bytes(value: bytes | str) -> bytes:
    return value if isinstance(value, bytes) else value.encode("latin-1")


class Drip:
    """An action that sends its bytes one at a time, every_s apart (each read gets a byte well within any
    read timeout), and records whether the client hung up before the last one: no clock in the test."""

    def __init__(self, data: bytes, every_s: float) -> None:
        self.data = data
        self.every_s = every_s
        self.done = threading.Event()
        self.cut: bool | None = None

    def __call__(self, conn: socket.socket) -> None:
        try:
            for i in range(len(self.data)):
                conn.sendall(self.data[i : i + 1])
                time.sleep(self.every_s)
            self.cut = False
        except OSError:  # the client shut the connection: a broken pipe or a reset
            self.cut = True
        finally:
            self.done.set()

    def was_cut(self, wait_s: float = 60) -> bool:
        """Whether the client hung up before the end (waits for the drip to notice)."""
        assert self.done.wait(wait_s), "the drip never ended"
        return bool(self.cut)


@dataclass
class HostileServer:
    """The scripts, the record of requests, and the listening socket's address."""

    sock: socket.socket
    scripts: dict[str, list[Reply]] = field(default_factory=dict)
    hits: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    targets: list[str] = field(default_factory=list)  # every request target, in order
    connections: int = 0  # TCP connections accepted, requests or not
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def port(self) -> int:
        return int(self.sock.getsockname()[1])

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def route(self, path: str, *replies: Reply) -> str:
        """Script a path; returns its URL."""
        self.scripts[path] = list(replies)
        return self.base_url + path

    def next_reply(self, target: str) -> Reply:
        path = target.split("?", 1)[0]
        with self._lock:
            self.targets.append(target)
            self.hits[path].append(time.monotonic())
            script = self.scripts.get(path) or [response(404, body=b"<html><p>no</p></html>")]
            return script[min(len(self.hits[path]), len(script)) - 1]


def _serve_one(server: HostileServer, conn: socket.socket) -> None:
    with conn:
        conn.settimeout(30)
        head = b""
        while b"\r\n\r\n" not in head:
            data = conn.recv(65536)
            if not data:
                return
            head += data
        target = head.split(b"\r\n", 1)[0].split(b" ")[1].decode("latin-1")
        reply = server.next_reply(target)
        with suppress(OSError):  # the client may hang up first (a deadline, a size limit)
            if isinstance(reply, bytes):
                conn.sendall(reply)
            else:
                reply(conn)


def _accept_loop(server: HostileServer) -> None:
    while True:
        try:
            conn, _ = server.sock.accept()
        except OSError:  # closed: the fixture is done
            return
        server.connections += 1
        threading.Thread(target=_serve_one, args=(server, conn), daemon=True).start()


@contextmanager
def hostile_server() -> Iterator[HostileServer]:
    """A running server on a free port of 127.0.0.1; closed afterwards."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    sock.listen(64)
    server = HostileServer(sock)
    thread = threading.Thread(target=_accept_loop, args=(server,), daemon=True)
    thread.start()
    try:
        yield server
    finally:
        with suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)  # wakes the blocked accept() (close alone does not on Linux)
        sock.close()
        thread.join(timeout=5)
