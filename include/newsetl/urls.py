"""Canonical URLs: one spelling per address, and the links that are no address to follow.

Discovery canonicalizes every link of a listing before it records it, so two spellings of one address are
one ``news.crawl_url`` row and a site's article id is read from a clean path (``Site.article_id``). The
canonical form:
  * scheme and host lower-cased, the default port dropped, the fragment dropped, an empty path is ``/``;
  * percent-encoding normalized: every character outside the URL syntax (non-ASCII, space, ``"<>|{}^```)
    percent-encoded as UTF-8, escapes in upper case, escapes of unreserved characters (``A-Za-z0-9-._~``)
    decoded, a ``%`` that starts no escape encoded as ``%25``;
  * ``.`` and ``..`` path segments resolved (RFC 3986 5.2.4), after the escapes (``%2E`` is a dot);
  * the query kept as it is (its parameters are not sorted), only its encoding normalized, except that
    tracking parameters (``utm_*``, ``fbclid``, ``gclid`` … ``TRACKING_PARAMS``) are dropped: a feed's link
    ``/v/1?utm_source=rss`` and a listing's ``/v/1`` are one article, not two URLs loading it twice.

Leading and trailing spaces and C0 control characters are stripped, and tabs and line breaks inside are
removed, as browsers do (a long href wrapped over lines). A link is refused (``BadUrl``, whose ``kind``
is what a listing's log counts) when it is empty, still holds a control character, holds a backslash
(browsers read it as ``/``, other parsers do not: ``\\\\evil.test`` is a host to one and a path to
another), userinfo (``http://trusted@evil.test/``), an unparseable or odd host (``http://[::1/``, a zone
id, ``http://2130706433/``), a bad port, a scheme other than http and https, or is longer than
``MAX_URL_CHARS`` once canonical.
"""

from __future__ import annotations

import ipaddress
import re
from urllib.parse import SplitResult, quote, urljoin, urlsplit

# Below the ~2.7 KB btree entry limit of crawl_url's primary key (day, source, url), with room to spare:
# a longer link would make the whole insert of its listing fail.
MAX_URL_CHARS = 2000
DEFAULT_PORTS = {"http": 80, "https": 443}

_STRIPPED = "".join(map(chr, range(0x21)))  # C0 controls and space, at both ends
_TAB_OR_NEWLINE = re.compile("[\t\n\r]")
_CONTROL = re.compile("[\x00-\x1f\x7f]")
_STRAY_PERCENT = re.compile("%(?![0-9A-Fa-f]{2})")
_ESCAPE = re.compile("%[0-9A-Fa-f]{2}")
_UNRESERVED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
# Characters left as they are (quote() never encodes letters, digits and "_.-~"): the sub-delimiters, ":" and
# "@" of RFC 3986's pchar, "/" (and "?" in the query), and "%" whose escapes are normalized separately.
_PATH_SAFE = "!$&'()*+,;=:@/%"
_QUERY_SAFE = _PATH_SAFE + "?"
_LABEL = "[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?"
_HOST_NAME = re.compile(rf"(?:{_LABEL}\.)*{_LABEL}\.?")
# A last label of digits or 0x-hex makes a host an IPv4 address to browsers (WHATWG), in any of the forms
# 127.1, 2130706433 or 0x7f.0.0.1: only the dotted-quad form is accepted.
_NUMERIC_LABEL = re.compile("(?:[0-9]+|0x[0-9a-f]*)")
# Query parameters that say where a click came from, never which page: dropped (compared lower-cased).
TRACKING_PARAMS = frozenset(
    {"fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "igshid", "mc_cid", "mc_eid", "_ga", "_gl"}
)
_TRACKING_HINT = re.compile("(?i)utm_|clid|igshid|mc_[ce]id|_g[al]=")


class BadUrl(ValueError):
    """A link that is no address to follow; ``kind`` says why in a few words (what a listing's log counts)."""

    def __init__(self, kind: str) -> None:
        super().__init__(kind)
        self.kind = kind


def canonical_url(link: str, base: str | None = None) -> str:
    """The canonical absolute form of ``link`` (resolved against ``base`` when it is relative); BadUrl if it is
    no address to follow."""
    text = _TAB_OR_NEWLINE.sub("", link.strip(_STRIPPED))
    if not text:
        raise BadUrl("empty")
    if _CONTROL.search(text):
        raise BadUrl("control character")
    if "\\" in text:
        raise BadUrl("backslash")
    try:
        parts = urlsplit(urljoin(base, text) if base else text)
    except ValueError as exc:  # "Invalid IPv6 URL" (http://[::1/), a netloc NFKC turns into another
        raise BadUrl("unparseable") from exc
    scheme = parts.scheme
    if scheme not in DEFAULT_PORTS:
        raise BadUrl("not http(s)")
    if "@" in parts.netloc:
        raise BadUrl("userinfo")
    netloc = _host(parts.hostname) + _port(parts, scheme)
    path = _remove_dot_segments(_normalize_escapes(parts.path, _PATH_SAFE)) or "/"
    query = _normalize_escapes(_without_tracking(parts.query), _QUERY_SAFE)
    url = f"{scheme}://{netloc}{path}" + (f"?{query}" if query else "")
    if len(url) > MAX_URL_CHARS:
        raise BadUrl("too long")
    return url


def _without_tracking(query: str) -> str:
    """The query without its tracking parameters, the others kept in order as written (one search first:
    most queries hold none, and are returned as they are)."""
    if not query or not _TRACKING_HINT.search(query):
        return query
    kept = [p for p in query.split("&") if not _is_tracking(p.split("=", 1)[0].lower())]
    return "&".join(kept)


def _is_tracking(name: str) -> bool:
    return name.startswith("utm_") or name in TRACKING_PARAMS


def _host(hostname: str | None) -> str:
    """The host as the canonical URL spells it (lower case, IPv6 compressed in brackets, IDNA as ASCII)."""
    if not hostname:
        raise BadUrl("bad host")
    if ":" in hostname:  # urlsplit has checked the brackets: an IPv6 literal
        if "%" in hostname:  # a zone id names an interface of this machine
            raise BadUrl("bad host")
        try:
            return f"[{ipaddress.IPv6Address(hostname).compressed}]"
        except ValueError as exc:
            raise BadUrl("bad host") from exc
    if not hostname.isascii():
        try:
            hostname = hostname.encode("idna").decode("ascii")
        except UnicodeError as exc:
            raise BadUrl("bad host") from exc
    if len(hostname) > 253 or not _HOST_NAME.fullmatch(hostname):
        raise BadUrl("bad host")
    if _NUMERIC_LABEL.fullmatch(hostname.rstrip(".").rsplit(".", 1)[-1]):
        try:
            ipaddress.IPv4Address(hostname)
        except ValueError as exc:
            raise BadUrl("bad host") from exc
    return hostname


def _port(parts: SplitResult, scheme: str) -> str:
    """``:port`` unless it is the scheme's default (or none); BadUrl for a port no server listens on."""
    try:
        port = parts.port  # ValueError for ":http" or ":99999"
    except ValueError as exc:
        raise BadUrl("bad port") from exc
    if port is None or port == DEFAULT_PORTS[scheme]:
        return ""
    if port == 0:
        raise BadUrl("bad port")
    return f":{port}"


def _normalize_escapes(text: str, safe: str) -> str:
    """Percent-encode what the URL syntax does not allow, upper-case escapes, decode unreserved ones."""
    if "%" in text:
        text = _STRAY_PERCENT.sub("%25", text)
    try:
        text = quote(text, safe=safe)  # returns a text with nothing to encode as it is
    except UnicodeEncodeError as exc:  # a lone surrogate: no UTF-8 for it
        raise BadUrl("unparseable") from exc
    return _ESCAPE.sub(_normal_escape, text) if "%" in text else text


def _normal_escape(match: re.Match[str]) -> str:
    """One %XX escape: its character when unreserved, else the escape in upper case."""
    char = chr(int(match.group(0)[1:], 16))
    return char if char in _UNRESERVED else match.group(0).upper()


def _remove_dot_segments(path: str) -> str:
    """RFC 3986 5.2.4: ``/a/./b/../c`` is ``/a/c``; a ``..`` above the root stays at the root."""
    if "." not in path:
        return path
    output: list[str] = []
    segments = path.split("/")
    for index, segment in enumerate(segments):
        last = index == len(segments) - 1
        if segment == ".":
            if last:
                output.append("")
        elif segment == "..":
            if len(output) > 1:
                output.pop()
            if last:
                output.append("")
        else:
            output.append(segment)
    return "/".join(output)
