"""Offline sample news site (Daum-style listing + articles, gnuboard-like board) over HTTP."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import ThreadingHTTPServer

from newsetl.sample_site.server import SampleSiteServer

__all__ = ["make_server", "running"]


def make_server(
    host: str = "127.0.0.1", port: int = 0, articles_per_day: int = 40
) -> ThreadingHTTPServer:
    """Bind (port 0 = any free port) a server for the sample site; not yet serving."""
    return SampleSiteServer((host, port), articles_per_day=articles_per_day)


@contextmanager
def running(host: str = "127.0.0.1", port: int = 0, **kw: int) -> Iterator[str]:
    """Serve in a daemon thread; yield the base URL; shut down on exit."""
    server = SampleSiteServer((host, port), **kw)
    thread = threading.Thread(
        target=server.serve_forever, name="sample-site", daemon=True
    )
    thread.start()
    try:
        yield server.base_url
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
