"""``newsetl parse PATH_OR_URL... [--url SOURCE_URL] [--day YYYY-MM-DD] [--site NAME] [--allow-private]``:
one JSON line per page.

A URL is fetched with the pipeline's own client (``newsetl.client.SourceClient``) and its limits: the body
size (decoded, so a gzip bomb stops there), the deadline, retries, robots.txt. Redirects stay on the URL's
own origin unless a configured source allows that origin (then they may go wherever that source may);
private, loopback and link-local addresses are refused unless ``--allow-private``. A file must be a
regular file within the same size limit (``/dev/zero`` or a FIFO would never end). Every page gives one
line, ``{"path", "error"}`` for a bad one, and a folder is read to its end whatever its files hold.
"""

from __future__ import annotations

import argparse
import json
import os
import stat
import sys
from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from newsetl.client import FetchError, SourceClient
from newsetl.client_urls import AllowedOrigins, BadURL, origin_of, request_url
from newsetl.config import DEFAULT_MAX_BODY_BYTES, Source, load_sources
from newsetl.errors import QuarantineError
from newsetl.parsing.dates import parse_date
from newsetl.parsing.normalize import normalize
from newsetl.sites import parse_page, site_names, source_id

PAGE_SUFFIXES = (".html", ".htm", ".txt")
MAX_FILE_BYTES = DEFAULT_MAX_BODY_BYTES  # the limit fetch puts on a page


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
    parser.add_argument(
        "--allow-private",
        action="store_true",
        help="let URLs reach private, loopback and link-local addresses (refused by default)",
    )


def _is_url(target: str) -> bool:
    return target.lower().startswith(("http://", "https://"))


def _inputs(targets: list[str]) -> Iterator[tuple[str, str | None]]:
    """Each page to read, with the error that stops it before reading (a folder that cannot be listed)."""
    for target in targets:
        path = Path(target)
        if _is_url(target) or not path.is_dir():
            yield target, None
            continue
        try:
            pages = sorted(p for p in path.iterdir() if p.suffix.lower() in PAGE_SUFFIXES)
        except OSError as exc:
            yield target, _os_error(exc)
            continue
        yield from ((str(p), None) for p in pages)


def _read_file(path: str) -> bytes:
    """A regular file's bytes, at most MAX_FILE_BYTES. Opened without blocking (a FIFO would wait for a
    writer) and checked on the open descriptor, so the file checked is the file read."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):  # a folder, a FIFO, a device such as /dev/zero
            raise QuarantineError("not a regular file")
        if info.st_size > MAX_FILE_BYTES:
            raise QuarantineError(f"too large: {info.st_size} bytes > {MAX_FILE_BYTES}")
        data = _read_at_most(fd, MAX_FILE_BYTES + 1)  # it may have grown since fstat
    finally:
        os.close(fd)
    if len(data) > MAX_FILE_BYTES:
        raise QuarantineError(f"too large: over {MAX_FILE_BYTES} bytes")
    return data


def _read_at_most(fd: int, limit: int) -> bytes:
    """Up to ``limit`` bytes of a file descriptor (read() may return less than asked for)."""
    chunks: list[bytes] = []
    size = 0
    while size < limit and (chunk := os.read(fd, limit - size)):
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks)


def source_for(url: str, allow_private: bool) -> Source:
    """The configured source whose allowed origins include the URL's (its limits and allowed hosts), else
    the default limits with the URL's own origin alone allowed; private addresses only if asked for."""
    try:
        start = request_url(url)
        origin = origin_of(start)
    except BadURL as exc:
        raise FetchError(f"bad URL: {exc.reason}", retryable=False) from exc
    for source in load_sources():
        if AllowedOrigins(source.base_url, source.allowed_hosts).allows(origin):
            return replace(source, allow_private_addresses=allow_private)
    parts = urlsplit(start)
    return Source(
        name="newsetl-parse",
        enabled=True,
        base_url=f"{parts.scheme}://{parts.netloc}",
        site="generic",
        allowed_hosts=(),
        allow_private_addresses=allow_private,
        respect_robots=True,
        requests_per_second=1,
        concurrency=1,
        timeout_s=(5.0, 20.0),
        max_attempts=3,
    )


def _fetch(url: str, allow_private: bool) -> tuple[bytes, str]:
    """A page fetched the way the pipeline fetches it; its bytes and final URL."""
    with SourceClient(source_for(url, allow_private)) as client:
        response = client.get(url)
    return response.body, response.url


def _read(target: str, allow_private: bool) -> tuple[bytes, str | None]:
    """Page bytes and its URL (for http(s) targets)."""
    if _is_url(target):
        return _fetch(target, allow_private)
    return _read_file(target), None


def parse_one(
    target: str,
    url: str | None = None,
    day: date | None = None,
    site: str | None = None,
    allow_private: bool = False,
) -> dict[str, Any]:
    """One page → its JSON object (or {"path", "error"} when it is not an article)."""
    try:
        content, fetched_url = _read(target, allow_private)
        raw = parse_page(content, url=url or fetched_url, site=site)
    except (QuarantineError, FetchError) as exc:
        return {"path": target, "error": exc.reason}
    except OSError as exc:
        return {"path": target, "error": _os_error(exc)}
    if url:
        raw.url, raw.source_id = url, source_id(url)
    if day is None:  # the page's own full date, if it has one, anchors year-less dates
        own, _ = parse_date(raw.date_text)
        day = own.date() if own else None
    return {"path": target, **normalize(raw, day).to_json()}


def _os_error(exc: OSError) -> str:
    """One line: "No such file or directory", "Permission denied" ... (the path is printed beside it)."""
    return " ".join((exc.strerror or type(exc).__name__).split())


def _printable(path: str) -> str:
    """A path as printable text: a file name that is not UTF-8 (an EUC-KR one) holds surrogate escapes,
    which stdout cannot encode; they are shown as U+FFFD instead of stopping the run."""
    return path.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def run(args: argparse.Namespace) -> int:
    """Print one JSON line per page; exit code 1 if any page failed."""
    failed = False
    for target, error in _inputs(args.targets):
        if error is None:
            data = parse_one(target, args.url, args.day, args.site, args.allow_private)
        else:
            data = {"path": target, "error": error}
        data["path"] = _printable(target)
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
