"""``newsetl capture URL [--name NAME] [--dir DIR] [--site NAME] [--day YYYY-MM-DD] [--allow-private] [--force]``:
a live page saved as a golden fixture to review.

Someone with network access turns a real page into a fixture in one command: ``NAME.html`` is the page's
bytes exactly as served, ``NAME.json`` the current extraction of those bytes, marked ``"draft": true``
with ``captured_from`` (the URL asked for) and ``captured_at`` (UTC). A person then reads every field
against the page, corrects what the extraction got wrong, and removes ``draft``; the golden test
(tests/test_parse.py) refuses a draft, so an unreviewed capture never passes as an expectation.

The page is fetched as ``newsetl parse`` fetches it: by the pipeline's own client with the limits of the
source whose allowed hosts include the URL's (sources.yaml), else conservative defaults (one request a
second, robots.txt respected); private, loopback and link-local addresses are refused unless
``--allow-private``. Nothing is overwritten without ``--force``.

The draft is the extraction of the saved bytes alone, as the golden test reads them (with ``given_url``,
the URL the page was finally served from, and ``day`` when one is given): a charset that only the server's
Content-Type names is not in the file, so when that changes the article a warning says so. A page that is
no article is saved all the same (a site module can then be written against it), its JSON holding the
reason as ``error``, and the command exits 1.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from newsetl.cli_parse import source_for
from newsetl.client import FetchError, Response, SourceClient
from newsetl.errors import QuarantineError
from newsetl.parsing.normalize import normalize
from newsetl.parsing.page import http_charset
from newsetl.records import Article
from newsetl.sites import parse_page, site_names

# A live Daum page is the full page; ``daum_`` names the compact fixtures (the accuracy report's layouts
# are read from the name's prefix).
_PREFIX = {"daum": "daumfull"}
_UNSAFE = re.compile(r"[^0-9A-Za-z_-]+")
_MAX_NAME = 80  # characters of a derived name: an id is a few dozen at most


class CaptureError(Exception):
    """Why nothing was captured, in one line."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(slots=True)
class Draft:
    """The extraction of a captured page: the article, or why the page is none."""

    article: Article | None
    error: str | None
    charset_note: str | None  # set when the server's charset would read the page differently


def add_capture_arguments(parser: argparse.ArgumentParser) -> None:
    """Arguments of the ``capture`` subcommand."""
    parser.add_argument("target", metavar="URL", help="the article page to capture (http or https)")
    parser.add_argument("--name", help="file name without suffix (default: <site>_<article id>)")
    parser.add_argument("--dir", type=Path, default=Path("."), help="where to write NAME.html and NAME.json")
    parser.add_argument("--site", choices=site_names(), help="read the page with this site module (default: detected)")
    parser.add_argument("--day", type=date.fromisoformat, help="YYYY-MM-DD for year-less dates (written as day)")
    parser.add_argument(
        "--allow-private",
        action="store_true",
        help="let the URL reach private, loopback and link-local addresses (refused by default)",
    )
    parser.add_argument("--force", action="store_true", help="overwrite NAME.html and NAME.json if they exist")


def run_capture(args: argparse.Namespace) -> int:
    """Capture one page; print one JSON line saying what was written (or why nothing was); 1 on failure."""
    try:
        result = capture(args.target, args.dir, args.name, args.site, args.day, args.allow_private, args.force)
    except CaptureError as exc:
        print(json.dumps({"url": args.target, "error": exc.reason}, ensure_ascii=False), flush=True)
        return 1
    print(json.dumps(result, ensure_ascii=False), flush=True)
    return 1 if "error" in result else 0


def capture(
    url: str,
    folder: Path,
    name: str | None = None,
    site: str | None = None,
    day: date | None = None,
    allow_private: bool = False,
    force: bool = False,
) -> dict[str, Any]:
    """Fetch ``url``, write NAME.html and NAME.json in ``folder``; what was written (``error`` if the page is
    no article). CaptureError when nothing could be written."""
    if not url.lower().startswith(("http://", "https://")):
        raise CaptureError("not an http(s) URL")
    if name is not None:
        _refuse_existing(folder, _safe(name), force)  # before any request: nothing to fetch in vain
    response = _fetch(url, allow_private)
    draft = extract_draft(response, site, day)
    if name is None:
        name = _derived_name(draft.article, site, response.url)
        _refuse_existing(folder, name, force)
    else:
        name = _safe(name)
    expected = _expected(draft, url, response.url, day)
    html_path, json_path = folder / f"{name}.html", folder / f"{name}.json"
    _write(html_path, response.body, force)
    _write(json_path, (json.dumps(expected, ensure_ascii=False, indent=1) + "\n").encode("utf-8"), force)
    if draft.charset_note:
        print(f"capture: {draft.charset_note}", file=sys.stderr)
    result: dict[str, Any] = {"url": url, "html": str(html_path), "json": str(json_path)}
    if draft.article is not None:
        result.update(parser=draft.article.parser, title=draft.article.title)
    else:
        result["error"] = draft.error
    return result


def _fetch(url: str, allow_private: bool) -> Response:
    """The page, fetched the way `newsetl parse` and the pipeline fetch it."""
    try:
        with SourceClient(source_for(url, allow_private)) as client:
            return client.get(url)
    except FetchError as exc:
        raise CaptureError(exc.reason) from exc


def extract_draft(response: Response, site: str | None, day: date | None) -> Draft:
    """The page's article as the golden test will read the saved file: its bytes and final URL only."""
    try:
        article = normalize(parse_page(response.body, url=response.url, site=site), day)
    except QuarantineError as exc:
        return Draft(None, exc.reason, None)
    return Draft(article, None, _charset_note(response, article, site, day))


def _charset_note(response: Response, article: Article, site: str | None, day: date | None) -> str | None:
    """A warning when the server's charset, which the saved file does not hold, reads the page differently."""
    charset = http_charset(response.content_type)
    if charset is None:
        return None
    try:
        served = normalize(parse_page(response.body, url=response.url, site=site, charset=charset), day)
    except QuarantineError:
        served = None
    if served is not None and served.to_json() == article.to_json():
        return None
    return (
        f"the server's charset ({charset}) reads the page differently from its bytes alone; the draft is "
        "what the bytes give (as the golden test reads them): check the text"
    )


def _expected(draft: Draft, asked: str, served_from: str, day: date | None) -> dict[str, Any]:
    """The draft expected JSON: the review marks first, then how to read the page, then the article."""
    expected: dict[str, Any] = {
        "draft": True,
        "captured_from": asked,
        "captured_at": datetime.now(UTC).replace(microsecond=0).isoformat(),
        "given_url": served_from,
    }
    if day is not None:
        expected["day"] = day.isoformat()
    if draft.article is not None:
        expected.update(draft.article.to_json())
    else:
        expected["error"] = draft.error
    return expected


def _derived_name(article: Article | None, site: str | None, served_from: str) -> str:
    """``<site>_<article id>`` (``daumfull_`` for a Daum page), from the article, else from the URL's path."""
    parser = article.parser if article is not None else (site or "page")
    ident = article.source_id if article is not None and article.source_id else None
    if ident is None:
        segments = [s for s in urlsplit(served_from).path.split("/") if s]
        ident = segments[-1] if segments else "index"
    return _safe(f"{_PREFIX.get(parser, parser)}_{ident}")


def _safe(name: str) -> str:
    """A file name without a folder or odd characters (an id may hold "/", a --name anything)."""
    cleaned = _UNSAFE.sub("_", name).strip("_")[:_MAX_NAME]
    if not cleaned:
        raise CaptureError(f"no usable file name in {name[:_MAX_NAME]!r}")
    return cleaned


def _refuse_existing(folder: Path, name: str, force: bool) -> None:
    """CaptureError when NAME.html or NAME.json exists and ``force`` is not given."""
    if force:
        return
    for suffix in (".html", ".json"):
        if (folder / f"{name}{suffix}").exists():
            raise CaptureError(f"{folder / (name + suffix)} exists (--force overwrites)")


def _write(path: Path, data: bytes, force: bool) -> None:
    """Write a file; without ``force`` it must not exist (created exclusively, so a file made since the
    check is not overwritten either)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb" if force else "xb") as out:
            out.write(data)
    except FileExistsError as exc:
        raise CaptureError(f"{path} exists (--force overwrites)") from exc
    except OSError as exc:
        raise CaptureError(f"cannot write {path}: {' '.join((exc.strerror or type(exc).__name__).split())}") from exc
