"""python -m newsetl_tools.sample_site: serve the sample site in the foreground."""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from types import FrameType

from newsetl_tools.sample_site import make_server
from newsetl_tools.sample_site.faults import DEFAULT_SEED


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(prog="python -m newsetl_tools.sample_site", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument(
        "--public-url",
        default=None,
        help="the site's address in its absolute links (default: http://HOST:PORT), e.g. http://sample-site:8765",
    )
    parser.add_argument(
        "--articles-per-day",
        type=int,
        default=None,
        help="articles a day (default 40, or 80 with --faults: two URLs for each fault kind)",
    )
    parser.add_argument(
        "--faults",
        action="store_true",
        help="serve the deterministic fault plan (see GET /__faults?regDate=YYYYMMDD)",
    )
    parser.add_argument("--fault-seed", type=int, default=DEFAULT_SEED)
    parser.add_argument(
        "--slow-seconds",
        type=float,
        default=3.0,
        help="how long 'slow' faults stay silent",
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Serve until SIGTERM/SIGINT, then shut down cleanly and return 0."""
    args = parse_args(argv)
    server = make_server(
        args.host,
        args.port,
        articles_per_day=args.articles_per_day,
        faults=args.faults,
        fault_seed=args.fault_seed,
        slow_seconds=args.slow_seconds,
        public_url=args.public_url,
    )
    stop = threading.Event()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        """Only set a flag: shutdown() must not run in the serving thread."""
        stop.set()

    previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGTERM, signal.SIGINT)}
    thread = threading.Thread(target=server.serve_forever, name="sample-site", daemon=True)
    thread.start()
    print(f"sample site on {server.base_url}", flush=True)
    try:
        # wait with a timeout so signals are handled promptly on every platform
        while not stop.wait(0.5):
            pass
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    return 0


if __name__ == "__main__":
    sys.exit(main())
