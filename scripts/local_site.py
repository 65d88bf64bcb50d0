"""The sample site in its own process on a free loopback port, for scripts/faults.py and scripts/bench.py."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def site(*flags: str, port: int | None = None) -> Iterator[str]:
    """`newsetl-tools sample-site FLAGS` on port (default: a free one); yields its base URL once it answers,
    stops it on exit."""
    port = port or free_port()
    proc = subprocess.Popen(
        [str(BIN / "newsetl-tools"), "sample-site", "--port", str(port), *flags],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(150):
            try:
                urllib.request.urlopen(url + "/robots.txt", timeout=1).read()
                break
            except OSError:
                time.sleep(0.1)
        else:
            sys.exit(f"the sample site did not start on {url}")
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=30)
