"""Offline sample news site (Daum-style listing + articles, gnuboard-like board) over HTTP."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from newsetl_tools.sample_site import drift, revisions
from newsetl_tools.sample_site.faults import DEFAULT_SEED
from newsetl_tools.sample_site.server import SampleSiteServer

__all__ = ["make_server", "running"]


def make_server(
    host: str = "127.0.0.1",
    port: int = 0,
    articles_per_day: int | None = None,
    faults: bool = False,
    fault_seed: int = DEFAULT_SEED,
    slow_seconds: float = 3.0,
    markup_change_from: str | dt.date | None = None,
    markup_change: str | None = None,
    public_url: str | None = None,
    revised: bool | None = None,
) -> SampleSiteServer:
    """Bind (port 0 = any free port) a server for the sample site; not yet serving.

    articles_per_day defaults to 40, or to the fault mode's 80 (two URLs for each fault kind) with faults.
    public_url: the address absolute links use (default: the bound one).
    markup_change_from/markup_change: the redesign of drift.py from that day on; by default the one the
    environment sets (NEWS_SAMPLE_MARKUP_CHANGE_FROM, NEWS_SAMPLE_MARKUP_CHANGE), so a started site has it too.
    revised: serve every 7th Daum article of a day corrected (revisions.py); by default as NEWS_SAMPLE_REVISED says.
    """
    redesign = drift.redesign(markup_change_from, markup_change) if markup_change_from else drift.from_env()
    return SampleSiteServer(
        (host, port),
        articles_per_day=articles_per_day,
        faults=faults,
        fault_seed=fault_seed,
        slow_seconds=slow_seconds,
        redesign=redesign,
        public_url=public_url,
        revised=revisions.revised_from_env() if revised is None else revised,
    )


@contextmanager
def running(
    host: str = "127.0.0.1",
    port: int = 0,
    articles_per_day: int | None = None,
    faults: bool = False,
    fault_seed: int = DEFAULT_SEED,
    slow_seconds: float = 3.0,
    markup_change_from: str | dt.date | None = None,
    markup_change: str | None = None,
    revised: bool | None = None,
) -> Iterator[str]:
    """Serve in a daemon thread; yield the base URL; shut down on exit."""
    server = make_server(
        host,
        port,
        articles_per_day,
        faults,
        fault_seed,
        slow_seconds,
        markup_change_from,
        markup_change,
        revised=revised,
    )
    thread = threading.Thread(target=server.serve_forever, name="sample-site", daemon=True)
    thread.start()
    try:
        yield server.base_url
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
