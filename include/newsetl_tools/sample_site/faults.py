"""Fault mode of the sample site: which article URLs misbehave on a day, and how.

The plan is a pure function of (day, seed, articles_per_day): a report can recompute it (or ask
the server's /__faults endpoint) and compare each URL's final state with EXPECTED_STATE.
The body transforms below are pure too; the socket-level behaviour lives in server.py.
"""

from __future__ import annotations

import datetime as dt
import random

from newsetl_tools.sample_site import site

# Order matters: fault_plan hands out the sampled URLs kind by kind in this order.
FAULT_KINDS: tuple[str, ...] = (
    "rate_limited",
    "server_error_burst",
    "unavailable_burst",
    "slow",
    "connection_reset",
    "truncated",
    "wrong_charset",
    "missing_charset",
    "too_large",
    "not_html",
    "redirect_loop",
    "redirect_offsite",
    "robots_disallowed",
    "not_article",
    "bogus_charset",
)

# Final state of a faulted URL after a run with retries and a 1 s read timeout.
EXPECTED_STATE: dict[str, str] = {
    "rate_limited": "loaded",
    "server_error_burst": "loaded",
    "unavailable_burst": "loaded",
    "slow": "failed",
    "connection_reset": "failed",
    "truncated": "failed",
    "wrong_charset": "loaded",
    "missing_charset": "loaded",
    "too_large": "quarantined",
    "not_html": "quarantined",
    "redirect_loop": "quarantined",
    "redirect_offsite": "quarantined",
    "robots_disallowed": "quarantined",
    "not_article": "quarantined",
    "bogus_charset": "loaded",
}

DEFAULT_SEED = 7
DEFAULT_PER_KIND = 2
# Burst kinds answer with an error this many times per URL, then serve the page.
BURST_LENGTH = 2
RETRY_AFTER_SECONDS = 1
BLOCKED_PREFIX = "/blocked"
OFFSITE_BASE = "http://offsite.invalid"
# 11 MiB of padding, streamed as one reused 64 KiB chunk (never built whole).
PADDING_CHUNK = b"x" * (64 * 1024)
PADDING_CHUNKS = 176
PDF_BODY = (
    b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
    b"2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n"
    b"trailer\n<< /Root 1 0 R >>\n%%EOF\n"
)
_META_UTF8 = '<meta charset="utf-8">'
# bogus_charset: codecs Python knows but no page is written in (punycode, "undefined" raise a bare UnicodeError)
BOGUS_CHARSET_TYPE = "text/html; charset=punycode"
_META_BOGUS = '<meta charset="undefined">'


def fault_plan(
    day: dt.date,
    seed: int = DEFAULT_SEED,
    articles_per_day: int = 40,
    per_kind: int = DEFAULT_PER_KIND,
) -> dict[str, str]:
    """Map the article path as linked in the listing to its fault kind, for one day."""
    needed = per_kind * len(FAULT_KINDS)
    if per_kind < 1 or articles_per_day < needed:
        raise ValueError(
            f"fault mode needs per_kind >= 1 and articles_per_day >= {needed} "
            f"({per_kind} per kind x {len(FAULT_KINDS)} kinds)"
        )
    # A string seed is hashed with SHA-512 by random.Random, so no PYTHONHASHSEED dependence.
    rng = random.Random(f"{seed}:{day.isoformat()}")
    # sample() over a range is O(needed), fine at 100k articles, and never repeats a sequence.
    seqs = rng.sample(range(1, articles_per_day + 1), needed)
    plan: dict[str, str] = {}
    for index, kind in enumerate(FAULT_KINDS):
        for seq in seqs[index * per_kind : (index + 1) * per_kind]:
            plan[article_path(day, seq, kind)] = kind
    return plan


def article_path(day: dt.date, seq: int, kind: str | None = None) -> str:
    """Path of an article as the listing links it (robots_disallowed ones live under /blocked)."""
    path = f"/v/{site.article_id(day, seq)}"
    return BLOCKED_PREFIX + path if kind == "robots_disallowed" else path


def blocked_ids(plan: dict[str, str]) -> frozenset[str]:
    """Article ids the listing must link under /blocked/ for this plan."""
    return frozenset(path.rsplit("/", 1)[1] for path, kind in plan.items() if kind == "robots_disallowed")


def day_of_path(path: str) -> dt.date | None:
    """Day of an article path (/v/<id> or /blocked/v/<id>), None for anything else."""
    rest = path.removeprefix(BLOCKED_PREFIX)
    if not rest.startswith("/v/"):
        return None
    return site.compact_day(rest[len("/v/") : len("/v/") + 8])


def without_meta_charset(html: bytes) -> str:
    """Decode the UTF-8 page and drop its <meta charset>, so only the header (or nothing) declares it."""
    return html.decode("utf-8").replace(_META_UTF8, "", 1)


def wrong_charset_body(html: bytes) -> bytes:
    """UTF-8 bytes without the meta charset (the header will lie: euc-kr)."""
    return without_meta_charset(html).encode("utf-8")


def missing_charset_body(html: bytes) -> bytes:
    """CP949 bytes without the meta charset; characters CP949 lacks become &#NNN; references."""
    return without_meta_charset(html).encode("cp949", errors="xmlcharrefreplace")


def bogus_charset_body(html: bytes) -> bytes:
    """The UTF-8 page with its meta tag declaring "undefined" (the header will declare punycode)."""
    return html.replace(_META_UTF8.encode(), _META_BOGUS.encode(), 1)


def too_large_parts(html: bytes) -> tuple[bytes, bytes, int]:
    """(head, tail, total length): the page split where an 11 MiB comment goes, before </body>."""
    cut = html.rindex(b"</body>")
    head = html[:cut] + b"<!-- "
    tail = b" -->" + html[cut:]
    return head, tail, len(head) + PADDING_CHUNKS * len(PADDING_CHUNK) + len(tail)


def offsite_location(path: str) -> str:
    """Where redirect_offsite sends a client: same path on a host no source allows."""
    return OFFSITE_BASE + path
