"""URLs as the client really requests them, the redirect locations it follows, and the origins a source allows.

The SSRF hole of issue 14: ``urlsplit`` read ``http://127.0.0.1:47001\\@v.daum.net/`` as host v.daum.net
(allowed), while urllib3 connected to 127.0.0.1, because two parsers read one string two ways. So a URL is
first refused if it holds what parsers disagree on (a backslash, control characters, userinfo), then
prepared by requests (urllib3's parser, IDNA, percent-encoding); the prepared string is what requests'
adapter parses to pick its connection pool, so the origin checked here is the one connected to.

An origin is scheme + host + port: an allowed host does not open its other ports, nor plain http on an
https source.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import requests

DEFAULT_PORTS = {"http": 80, "https": 443}
_UNSAFE = re.compile(r"[\x00-\x1f\x7f\\]")
_UNSAFE_BYTES = re.compile(rb"[\x00-\x1f\x7f\\]")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_TO_ESCAPE = re.compile(rb"[\x80-\xff ]")  # what a browser percent-encodes in a raw Location


class BadURL(ValueError):
    """A URL the client will not request; ``reason`` is one line."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True, slots=True)
class Origin:
    scheme: str
    host: str
    port: int

    def __str__(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{self.scheme}://{host}:{self.port}"


def request_url(url: str) -> str:
    """The URL exactly as requests will send it; BadURL when it is not an absolute http(s) URL or holds what
    parsers read differently."""
    unsafe = _UNSAFE.search(url)
    if unsafe:
        raise BadURL(f"{_char_name(unsafe.group())} in URL")
    prepared = requests.PreparedRequest()
    try:
        prepared.prepare_url(url, None)
    except (requests.RequestException, ValueError) as exc:  # InvalidURL (bad port, IDNA), MissingSchema ...
        raise BadURL(f"unparseable URL ({_one_line(exc)})") from exc
    final = str(prepared.url)
    origin_of(final)  # the scheme, host and port must read back
    return final


def origin_of(url: str) -> Origin:
    """Scheme, host and port of a prepared URL, read with the parser requests' adapter uses (urlparse)."""
    try:
        parts = urlsplit(url)
        port = parts.port  # a property: raises for a port out of range
    except ValueError as exc:  # "Invalid IPv6 URL", "Port out of range 0-65535"
        raise BadURL(f"unparseable URL ({_one_line(exc)})") from exc
    if parts.scheme not in DEFAULT_PORTS:
        raise BadURL(f"not an http(s) URL: {_one_line(url)[:100]}")
    if "@" in parts.netloc:
        raise BadURL("userinfo in URL")
    if not parts.hostname or port == 0:
        raise BadURL(f"no host or port in URL: {_one_line(url)[:100]}")
    return Origin(parts.scheme, parts.hostname, port or DEFAULT_PORTS[parts.scheme])


def location_url(current: str, location: str) -> str:
    """The URL a redirect's Location leads to, resolved against the current URL; BadURL if unusable.

    http.client decodes header bytes as Latin-1, so encoding back gives the bytes the server sent. Legacy
    Korean sites send EUC-KR there: bytes over 0x7F (and spaces) are percent-encoded one by one, as browsers
    do, so ``?t=\\xb1\\xe2`` becomes ``?t=%B1%E2`` and the redirect works. Control bytes (a NUL in the host)
    and backslashes are refused rather than guessed at."""
    try:
        raw = location.encode("latin-1").strip(b" \t")
    except UnicodeEncodeError as exc:  # not from the wire: only a caller could pass such a str
        raise BadURL("characters outside Latin-1") from exc
    unsafe = _UNSAFE_BYTES.search(raw)
    if unsafe:
        raise BadURL(f"{_char_name(unsafe.group().decode('latin-1'))} in location")
    if not raw:
        raise BadURL("empty location")
    escaped = _TO_ESCAPE.sub(lambda m: b"%%%02X" % m.group()[0], raw).decode("ascii")
    try:
        joined = urljoin(current, escaped)
    except ValueError as exc:  # "Invalid IPv6 URL" from urlsplit
        raise BadURL(f"unparseable URL ({_one_line(exc)})") from exc
    return request_url(joined)


class AllowedOrigins:
    """The origins a source may request: its base URL's, and those of its ``allowed_hosts`` entries.

    An entry is ``host`` (that host on the base URL's scheme, at the scheme's default port or the base URL's
    own port: the sample site runs on 127.0.0.1 at a random port), ``host:port``, or ``scheme://host[:port]``.
    """

    def __init__(self, base_url: str, entries: Iterable[str]) -> None:
        base = origin_of(request_url(base_url))
        self.base = base
        self._origins = {base}
        for entry in entries:
            self._origins |= _entry_origins(entry, base)
        self._hosts = {origin.host for origin in self._origins}

    def allows(self, origin: Origin) -> bool:
        return origin in self._origins

    def refusal(self, origin: Origin) -> str:
        """Why an origin is refused: its host, or only its scheme or port."""
        return f"host {origin.host}" if origin.host not in self._hosts else str(origin)


def _entry_origins(entry: str, base: Origin) -> set[Origin]:
    if "://" in entry:
        return {origin_of(request_url(entry))}
    origin = origin_of(request_url(f"{base.scheme}://{entry}"))
    if urlsplit(f"//{entry}").port is not None:
        return {origin}
    return {origin, Origin(base.scheme, origin.host, base.port)}


def _char_name(char: str) -> str:
    return "backslash" if char == "\\" else f"control character {char!r}"


def _one_line(value: object) -> str:
    """str(value) with whitespace runs folded and control characters dropped, at most 200 characters."""
    return " ".join(_CONTROL.sub(" ", str(value)).split())[:200]
