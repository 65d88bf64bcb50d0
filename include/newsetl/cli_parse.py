"""``newsetl parse PATH_OR_URL... [--url SOURCE_URL] [--day YYYY-MM-DD] [--site NAME]``: one JSON line per page."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import requests

from newsetl.errors import QuarantineError
from newsetl.parsing.dates import parse_date
from newsetl.parsing.normalize import normalize
from newsetl.sites import parse_page, site_names, source_id

PAGE_SUFFIXES = (".html", ".htm", ".txt")
FETCH_TIMEOUT = 10  # seconds


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Arguments of the ``parse`` subcommand."""
    parser.add_argument("targets", nargs="+", metavar="PATH_OR_URL", help="files, folders or URLs")
    parser.add_argument("--url", help="article URL of a parsed file (sets source_id)")
    parser.add_argument(
        "--day",
        type=date.fromisoformat,
        help="YYYY-MM-DD for year-less dates (default: the page's own full date, if any)",
    )
    parser.add_argument(
        "--site", choices=site_names(), help="read every page with this site module (default: detected)"
    )


def _inputs(targets: list[str]) -> Iterator[str]:
    """Expand folders into their pages (sorted); URLs and files pass through."""
    for target in targets:
        path = Path(target)
        if path.is_dir():
            pages = (p for p in sorted(path.iterdir()) if p.suffix.lower() in PAGE_SUFFIXES)
            yield from (str(p) for p in pages)
        else:
            yield target


def _read(target: str) -> tuple[bytes, str | None]:
    """Page bytes and its URL (for http(s) targets)."""
    if target.startswith(("http://", "https://")):
        response = requests.get(target, timeout=FETCH_TIMEOUT)
        response.raise_for_status()
        return response.content, response.url
    return Path(target).read_bytes(), None


def parse_one(target: str, url: str | None = None, day: date | None = None, site: str | None = None) -> dict[str, Any]:
    """One page → its JSON object (or {"path", "error"} when it is not an article)."""
    try:
        content, fetched_url = _read(target)
        raw = parse_page(content, url=url or fetched_url, site=site)
    except QuarantineError as exc:
        return {"path": target, "error": exc.reason}
    except (OSError, requests.RequestException) as exc:
        return {"path": target, "error": str(exc).splitlines()[0] if str(exc) else type(exc).__name__}
    if url:
        raw.url, raw.source_id = url, source_id(url)
    if day is None:  # the page's own full date, if it has one, anchors year-less dates
        own, _ = parse_date(raw.date_text)
        day = own.date() if own else None
    return {"path": target, **normalize(raw, day).to_json()}


def run(args: argparse.Namespace) -> int:
    """Print one JSON line per page; exit code 1 if any page failed."""
    failed = False
    for target in _inputs(args.targets):
        data = parse_one(target, args.url, args.day, args.site)
        failed = failed or "error" in data
        print(json.dumps(data, ensure_ascii=False), flush=True)
    return 1 if failed else 0


def main(argv: list[str] | None = None) -> int:
    """Standalone entry point: ``python -m newsetl.cli_parse …``."""
    parser = argparse.ArgumentParser(prog="newsetl parse", description=__doc__)
    add_arguments(parser)
    return run(parser.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
