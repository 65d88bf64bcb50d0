"""Progress lines of the scripts: on stderr with the time and the script's label (stdout keeps the figures)."""

from __future__ import annotations

import sys
import time


def progress(label: str, message: str) -> None:
    """One progress line, e.g. ``[bench 12:34:56] e2e: first run``."""
    print(f"[{label} {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)
