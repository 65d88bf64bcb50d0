"""Fault mode of the sample site: which article URLs misbehave on a day, and how.

The plan is a pure function of (day, seed, articles_per_day): a report can recompute it (or ask
the server's /__faults endpoint) and compare each URL's final state with EXPECTED_STATE.
The body and header values below are pure too; the socket-level behaviour lives in server.py.
"""

from __future__ import annotations

import datetime as dt
import gzip
import random
from urllib.parse import urlsplit

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
    # the HTTP-level kinds of issue 14: hostile headers, redirects, bodies and robots.txt
    "gzip_not_gzipped",
    "gzip_stacked",
    "content_length_conflict",
    "content_length_not_digits",
    "retry_after_not_digits",
    "redirect_bad_ipv6",
    "redirect_bad_port",
    "redirect_euc_kr",
    "nul_content_type",
    "nul_etag",
    "nul_last_modified",
    "redirect_userinfo",
    "redirect_backslash",
    "html_type_prefix",
    "drip",
    "retry_after_huge",
    "robots_unavailable",
    "redirect_to_blocked",
    "bogus_charset",
)

# Final state of a faulted URL after a run with retries, a 1 s read timeout, a few seconds' deadline per
# request and retry budget per task (scripts/faults.py and the fault-matrix test set them).
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
    "gzip_not_gzipped": "quarantined",
    "gzip_stacked": "quarantined",
    "content_length_conflict": "quarantined",
    "content_length_not_digits": "quarantined",
    # the unreadable Retry-After is ignored: the backoff applies and the third request gets the page
    "retry_after_not_digits": "loaded",
    "redirect_bad_ipv6": "quarantined",
    "redirect_bad_port": "quarantined",
    # the client percent-encodes the raw bytes and follows; the site serves the article whatever the query
    "redirect_euc_kr": "loaded",
    # a NUL in these headers is stripped by the client (Postgres text cannot hold one)
    "nul_content_type": "loaded",
    "nul_etag": "loaded",
    "nul_last_modified": "loaded",
    "redirect_userinfo": "quarantined",
    "redirect_backslash": "quarantined",
    "html_type_prefix": "quarantined",
    # only the total deadline per request ends a body that keeps trickling in under the read timeout
    "drip": "failed",
    # Retry-After is capped and the task's retry budget runs out: the next run retries
    "retry_after_huge": "failed",
    # RFC 9309: robots.txt unreachable (5xx) means disallow all for that origin, for this run only
    "robots_unavailable": "failed",
    "redirect_to_blocked": "quarantined",
    "bogus_charset": "loaded",
}

# The one-line reason a kind's URLs must end with (a substring of it), where the behaviour was agreed:
# the right state for another reason is still a wrong outcome (faultreport counts it apart from lost).
EXPECTED_REASON: dict[str, str] = {
    "too_large": "too large",
    "not_html": "not HTML",
    "redirect_loop": "too many redirects",
    "redirect_offsite": "not allowed",
    # /blocked/v/<id> is not a Daum article path (ids are read from the whole path, /v/<17 digits>), so discovery
    # records it without an id before robots.txt is asked; robots.txt on a real article path is the matrix's
    # redirect_to_blocked (every redirect hop is checked) and the client's own tests
    "robots_disallowed": "no article id in URL",
    "redirect_bad_ipv6": "bad redirect location",
    "redirect_bad_port": "bad redirect location",
    "html_type_prefix": "not HTML",
    # without a deadline the drip would still end failed (the server cuts it after a minute): the reason tells
    "drip": "deadline exceeded",
    # the capped 60 s wait never fits in the matrix's 3 s deadline, so that rule fails it before any sleep
    "retry_after_huge": "deadline exceeded",
    "robots_unavailable": "robots.txt unavailable",
    "redirect_to_blocked": "blocked by robots.txt",
}

DEFAULT_SEED = 7
DEFAULT_PER_KIND = 2
# 2 URLs for each of the 32 kinds do not fit the normal 40-article day: fault mode serves 80 by default.
FAULT_ARTICLES_PER_DAY = 80
# Burst kinds answer with an error this many times per URL, then serve the page.
BURST_LENGTH = 2
RETRY_AFTER_SECONDS = 1
BLOCKED_PREFIX = "/blocked"
OFFSITE_HOST = "offsite.invalid"
OFFSITE_BASE = f"http://{OFFSITE_HOST}"
# robots_unavailable articles are linked on this host (same server, same port): robots.txt is per origin,
# so its 500 only disallows them, and the rest of the day (on 127.0.0.1) keeps its own robots.txt.
UNAVAILABLE_ROBOTS_HOST = "localhost"
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

# --- the hostile header values, as the bytes that go on the wire ---
# urllib3 refuses a chain of more than 5 decoders; 6 real gzip layers make the body a true decompression chain
STACKED_GZIP_LAYERS = 6
STACKED_GZIP = b", ".join([b"gzip"] * STACKED_GZIP_LAYERS)
# the second Content-Length disagrees with the first (the body has the first's length)
CONFLICTING_LENGTH_EXTRA = 7
# SUPERSCRIPT TWO in Latin-1: str.isdigit() says yes, int() says no
NOT_DIGITS = b"\xb2"
# about three years: a client that obeys it (or sleeps for it) never finishes the day
HUGE_RETRY_AFTER = b"99999999"
# "http://[::1": an IPv6 literal that never closes; urlsplit raises ValueError on it
BAD_IPV6_LOCATION = b"http://[::1"
BAD_PORT = 999999
# '기사' ("article") in EUC-KR, sent raw in the Location's query as legacy Korean sites do
EUC_KR_QUERY = b"t=" + "기사".encode("euc-kr")
NUL = b"\x00"
EVIL_HTML_TYPE = "text/html-evil"
# One byte per interval: 4 reads a second keep a 1 s read timeout from ever firing. After DRIP_BYTES
# (a minute) the server cuts the body, so a client without a total deadline fails slowly instead of hanging.
DRIP_INTERVAL_S = 0.25
DRIP_BYTES = 240


def fault_plan(
    day: dt.date,
    seed: int = DEFAULT_SEED,
    articles_per_day: int = FAULT_ARTICLES_PER_DAY,
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


def unavailable_robots_origin(base: str) -> str:
    """The second origin of the same server, whose robots.txt answers 500 (http://localhost:<port>)."""
    return f"http://{UNAVAILABLE_ROBOTS_HOST}:{urlsplit(base).port}"


def link_prefixes(plan: dict[str, str], base: str) -> dict[str, str]:
    """Article id -> what its listing link has in place of the base, for the ids not linked at base/v/<id>."""
    prefixes: dict[str, str] = {}
    for path, kind in plan.items():
        article = path.rsplit("/", 1)[1]
        if kind == "robots_disallowed":
            prefixes[article] = base + BLOCKED_PREFIX
        elif kind == "robots_unavailable":
            prefixes[article] = unavailable_robots_origin(base)
    return prefixes


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


def stacked_gzip_body(html: bytes) -> bytes:
    """The page gzipped STACKED_GZIP_LAYERS times (mtime 0: the same bytes every time)."""
    for _ in range(STACKED_GZIP_LAYERS):
        html = gzip.compress(html, mtime=0)
    return html


def offsite_location(path: str) -> str:
    """Where redirect_offsite sends a client: same path on a host no source allows."""
    return OFFSITE_BASE + path


def userinfo_location(base: str, path: str) -> bytes:
    """http://127.0.0.1:<port>\\@offsite.invalid/v/<id>: RFC 3986 reads the host offsite.invalid (userinfo
    "127.0.0.1:<port>\\"), WHATWG and urllib3 read 127.0.0.1 (the backslash ends the authority)."""
    return f"{base}\\@{OFFSITE_HOST}{path}".encode()


def backslash_location(base: str, path: str) -> bytes:
    """http://offsite.invalid\\@127.0.0.1:<port>/v/<id>, the other way round: urlsplit reads the allowed host
    127.0.0.1, urllib3 connects to offsite.invalid. A check made with one parser and a request made with the
    other is the SSRF hole."""
    return f"http://{OFFSITE_HOST}\\@{base.removeprefix('http://')}{path}".encode()


def bad_port_location(base: str, path: str) -> bytes:
    """The same article on the server's host at a port past 65535."""
    return f"http://{urlsplit(base).hostname}:{BAD_PORT}{path}".encode()


def euc_kr_location(path: str) -> bytes:
    """The article's own path with a raw (not percent-encoded) EUC-KR query."""
    return path.encode("ascii") + b"?" + EUC_KR_QUERY
