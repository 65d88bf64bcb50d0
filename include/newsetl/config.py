"""Source configuration (config/sources.yaml) as typed, validated records.

A source is what an operator tunes: whether it runs, its base URL, which site module reads it (everything
specific to the site lives there: newsetl/sites/<site>.py), politeness and limits."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

if TYPE_CHECKING:
    from newsetl.sites.base import Site

CONFIG_DIR = Path(__file__).parent / "config"
SOURCES_FILE = CONFIG_DIR / "sources.yaml"
DEFAULT_MAX_BODY_BYTES = 10 * 1024 * 1024
DEFAULT_MAX_PAGES = 100
# Bounds on what one listing can make a day do (the sites' listing pages show 10 to 20 links): past
# them discovery stops reading and warns that the day may have more.
DEFAULT_MAX_LINKS_PER_PAGE = 500
DEFAULT_MAX_URLS_PER_DAY = 50_000
DEFAULT_DEADLINE_S = 60.0
DEFAULT_RETRY_BUDGET_S = 120.0
DEFAULT_MAX_CRAWL_DELAY_S = 10.0
# The article fields a drift alarm may watch (news.article's, as in staging.normalized_article's data).
DRIFT_FIELDS = frozenset({"title", "published_at", "press", "reporters", "modified_at", "summary", "media"})
# A sitemap index may name other indexes: at most this many levels are followed, and at most this many
# sitemaps of one index (a real news site's index names a few hundred).
DEFAULT_MAX_SITEMAP_DEPTH = 3
DEFAULT_MAX_SITEMAP_CHILDREN = 1000
DISCOVERY_KINDS = ("listing", "feed", "sitemap")
_ENV_REF = re.compile(r"\$\{(\w+)(?::-([^}]*))?\}")


class ConfigError(ValueError):
    """The source configuration is missing a key or has a wrong value."""


def expand_env(text: str) -> str:
    """Replace ${VAR} and ${VAR:-default} with the environment's value."""
    return _ENV_REF.sub(lambda m: os.environ.get(m.group(1)) or (m.group(2) or ""), text)


@dataclass(frozen=True, slots=True)
class Drift:
    """When a source's day is a markup change rather than news (quality.check_day fails the run on it).

    A day always alarms on fewer than ``min_links`` listed URLs (0 at least), and when more than
    ``max_no_body_share`` of its read pages have no article body or more than ``max_missing_field_share``
    lack one of ``fields``; with ``median_days`` earlier days of history that were no alarm, also on fewer
    URLs than ``min_share_of_median`` of their median."""

    min_links: int = 1
    median_days: int = 7
    min_share_of_median: float = 0.3
    max_no_body_share: float = 0.2
    max_missing_field_share: float = 0.5
    fields: tuple[str, ...] = ("title", "published_at")


@dataclass(frozen=True, slots=True)
class Discovery:
    """How a source's day of URLs is found (sources.yaml ``discovery:``; docs/operations.md "Discovery kinds").

    ``kind``: ``listing`` (the site module's rule, an HTML or a cursor listing), ``feed`` (RSS 2.0 or Atom)
    or ``sitemap`` (a sitemap, news sitemap or sitemap index); ``urls``: the feeds' or sitemaps' URL
    templates (``{base_url}``, ``{day:%Y%m%d}``, ``{section}``); ``robots_sitemaps``: take the sitemaps
    robots.txt lists too; ``sections``: name -> code, each section read in turn and its name kept as the
    section of its URLs; ``undated``: whether a feed or sitemap entry without a date is kept (by default
    not: it would belong to every day that reads the feed)."""

    kind: str = "listing"
    listing: str | None = None  # one of the site module's named listings (Site.listings) instead of its default
    urls: tuple[str, ...] = ()
    robots_sitemaps: bool = False
    sections: tuple[tuple[str, str], ...] = ()
    undated: bool = False
    max_sitemap_depth: int = DEFAULT_MAX_SITEMAP_DEPTH
    max_sitemap_children: int = DEFAULT_MAX_SITEMAP_CHILDREN


_DISCOVERY_KEYS = frozenset(
    {"kind", "listing", "urls", "robots_sitemaps", "sections", "undated", "max_sitemap_depth", "max_sitemap_children"}
)


def _discovery(raw: Any) -> Discovery:
    """The ``discovery:`` mapping of a source; ValueError (made a ConfigError by the caller) when it is wrong."""
    if raw is None:
        return Discovery()
    if not isinstance(raw, dict):
        raise ValueError("discovery must be a mapping")
    unknown = sorted(set(raw) - _DISCOVERY_KEYS)
    if unknown:
        raise ValueError(f"unknown discovery key(s) {', '.join(unknown)}; known: {', '.join(sorted(_DISCOVERY_KEYS))}")
    kind = str(raw.get("kind", "listing"))
    if kind not in DISCOVERY_KINDS:
        raise ValueError(f"discovery kind {kind!r} is none of {', '.join(DISCOVERY_KINDS)}")
    urls = tuple(str(u) for u in raw.get("urls") or ())
    robots = _flag(raw.get("robots_sitemaps", False))
    if kind == "feed" and not urls:
        raise ValueError("a feed needs its urls")
    if kind == "sitemap" and not (urls or robots):
        raise ValueError("a sitemap needs its urls or robots_sitemaps: true")
    if kind == "listing" and (urls or robots):
        raise ValueError("a listing's URL is its site module's: urls and robots_sitemaps are for feeds and sitemaps")
    sections = raw.get("sections") or {}
    if not isinstance(sections, dict):
        raise ValueError("discovery sections must be a mapping of section name to its code")
    listing = raw.get("listing")
    if listing is not None and kind != "listing":
        raise ValueError("discovery listing names a site's listing: only for kind listing")
    return Discovery(
        kind=kind,
        listing=None if listing is None else str(listing),
        urls=urls,
        robots_sitemaps=robots,
        sections=tuple((str(name), str(code)) for name, code in sections.items()),
        undated=_flag(raw.get("undated", False)),
        max_sitemap_depth=max(1, int(raw.get("max_sitemap_depth", DEFAULT_MAX_SITEMAP_DEPTH))),
        max_sitemap_children=max(1, int(raw.get("max_sitemap_children", DEFAULT_MAX_SITEMAP_CHILDREN))),
    )


@dataclass(frozen=True, slots=True)
class Source:
    """One configured source: a site module at a base URL, with the operator's politeness and limits."""

    name: str
    enabled: bool
    base_url: str
    site: str  # the site module, newsetl/sites/<site>.py
    allowed_hosts: tuple[str, ...]
    allow_private_addresses: bool
    respect_robots: bool
    requests_per_second: float
    concurrency: int
    timeout_s: tuple[float, float]
    max_attempts: int
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES
    max_pages: int = DEFAULT_MAX_PAGES  # listing pages read per day at most
    max_links_per_page: int = DEFAULT_MAX_LINKS_PER_PAGE  # links taken from one listing page at most
    max_urls_per_day: int = DEFAULT_MAX_URLS_PER_DAY  # URLs discovered per day at most
    # The most one URL may take, all its attempts, redirect hops and waits included: a server dripping a
    # byte every 0.5 s never trips the read timeout, which is per read.
    deadline_s: float = DEFAULT_DEADLINE_S
    # Seconds one task may spend waiting between attempts (Retry-After, backoff), all its URLs together;
    # once spent, retryable failures end `failed` at once and the next run retries them.
    retry_budget_s: float = DEFAULT_RETRY_BUDGET_S
    max_crawl_delay_s: float = DEFAULT_MAX_CRAWL_DELAY_S  # robots.txt Crawl-delay is honoured up to this
    drift: Drift = Drift()  # the thresholds of the drift alarms
    discovery: Discovery = Discovery()  # how the day's URLs are found: the site's listing by default

    def site_class(self) -> type[Site]:
        """The site module's Site class."""
        from newsetl.sites import get_site  # the parsers load only where a source's site is used

        return get_site(self.site)

    def article_id(self, url: str) -> str | None:
        """The article's own id at this source, read from its URL by the site's rule."""
        return self.site_class().article_id(url)


def _expand(value: Any) -> Any:
    """Apply ${VAR:-default} to every string of a config tree."""
    if isinstance(value, str):
        return expand_env(value)
    if isinstance(value, list):
        return [_expand(v) for v in value]
    if isinstance(value, dict):
        return {k: _expand(v) for k, v in value.items()}
    return value


_KEYS = frozenset(
    {
        "enabled",
        "base_url",
        "site",
        "allowed_hosts",
        "allow_private_addresses",
        "respect_robots",
        "requests_per_second",
        "concurrency",
        "timeout_s",
        "max_attempts",
        "max_body_bytes",
        "max_pages",
        "max_links_per_page",
        "max_urls_per_day",
        "deadline_s",
        "retry_budget_s",
        "max_crawl_delay_s",
        "drift",
        "discovery",
    }
)
_DRIFT_KEYS = frozenset(Drift.__dataclass_fields__)


def _source(name: str, raw: dict[str, Any]) -> Source:
    raw = _expand(raw)
    unknown = sorted(set(raw) - _KEYS)
    if unknown:  # e.g. a listing or parser left from before sites were modules: say so instead of ignoring it
        raise ConfigError(f"source {name!r}: unknown key(s) {', '.join(unknown)}; known: {', '.join(sorted(_KEYS))}")
    try:
        connect, read = raw.get("timeout_s", [5, 20])
        source = Source(
            name=name,
            enabled=_flag(raw.get("enabled", True)),
            base_url=str(raw["base_url"]).rstrip("/"),
            site=str(raw["site"]),
            allowed_hosts=tuple(raw.get("allowed_hosts", [])),
            allow_private_addresses=_flag(raw.get("allow_private_addresses", False)),
            respect_robots=_flag(raw.get("respect_robots", True)),
            requests_per_second=float(raw.get("requests_per_second", 1)),
            concurrency=max(1, int(raw.get("concurrency", 2))),
            timeout_s=(float(connect), float(read)),
            max_attempts=max(1, int(raw.get("max_attempts", 3))),
            max_body_bytes=int(raw.get("max_body_bytes", DEFAULT_MAX_BODY_BYTES)),
            max_pages=max(1, int(raw.get("max_pages", DEFAULT_MAX_PAGES))),
            max_links_per_page=max(1, int(raw.get("max_links_per_page", DEFAULT_MAX_LINKS_PER_PAGE))),
            max_urls_per_day=max(1, int(raw.get("max_urls_per_day", DEFAULT_MAX_URLS_PER_DAY))),
            deadline_s=_positive(raw.get("deadline_s", DEFAULT_DEADLINE_S), "deadline_s"),
            retry_budget_s=max(0.0, float(raw.get("retry_budget_s", DEFAULT_RETRY_BUDGET_S))),
            max_crawl_delay_s=max(0.0, float(raw.get("max_crawl_delay_s", DEFAULT_MAX_CRAWL_DELAY_S))),
            drift=_drift(raw.get("drift") or {}),
            discovery=_discovery(raw.get("discovery")),
        )
    except KeyError as exc:
        raise ConfigError(f"source {name!r} has no {exc.args[0]!r}") from exc
    except ValueError as exc:
        raise ConfigError(f"source {name!r}: {exc}") from exc
    try:
        site = source.site_class()
    except ValueError as exc:
        raise ConfigError(f"source {name!r}: {exc}") from exc
    if source.discovery.kind == "listing":
        _check_listing(source, site)
    return source


def _drift(raw: Any) -> Drift:
    """A source's ``drift:`` mapping over the defaults; a ValueError for an unknown key or a bad value."""
    if not isinstance(raw, dict):
        raise ValueError(f"drift must be a mapping, not {raw!r}")
    unknown = sorted(set(raw) - _DRIFT_KEYS)
    if unknown:
        raise ValueError(f"drift: unknown key(s) {', '.join(unknown)}; known: {', '.join(sorted(_DRIFT_KEYS))}")
    base = Drift()
    listed = raw.get("fields", base.fields)
    if isinstance(listed, str) or not isinstance(listed, list | tuple):
        raise ValueError(f"drift: fields must be a list of field names, not {listed!r}")
    fields = tuple(str(name) for name in listed)
    if not set(fields) <= DRIFT_FIELDS:
        bad = ", ".join(sorted(set(fields) - DRIFT_FIELDS))
        raise ValueError(f"drift: unknown field(s) {bad}; known: {', '.join(sorted(DRIFT_FIELDS))}")
    return Drift(
        min_links=max(1, int(raw.get("min_links", base.min_links))),  # 0 links is always an alarm
        median_days=max(1, int(raw.get("median_days", base.median_days))),
        min_share_of_median=_share(raw.get("min_share_of_median", base.min_share_of_median), "min_share_of_median"),
        max_no_body_share=_share(raw.get("max_no_body_share", base.max_no_body_share), "max_no_body_share"),
        max_missing_field_share=_share(
            raw.get("max_missing_field_share", base.max_missing_field_share), "max_missing_field_share"
        ),
        fields=fields,
    )


def _share(value: Any, key: str) -> float:
    """A share from 0 to 1."""
    number = float(value)
    if not 0 <= number <= 1:  # also refuses NaN
        raise ValueError(f"drift: {key} must be a share from 0 to 1, not {value!r}")
    return number


def _check_listing(source: Source, site: type[Site]) -> None:
    """ConfigError unless the site has the listing the source reads (whether its URL gets the sections it
    needs is checked when it is read: a source only loaded here, as `newsetl capture` loads them all, may
    name none)."""
    try:
        listing = site.listing_named(source.discovery.listing)
    except ValueError as exc:
        raise ConfigError(f"source {source.name!r}: {exc}") from exc
    if listing is None:
        raise ConfigError(f"source {source.name!r}: site {site.name!r} is a page family with no discovery rule")


def _positive(value: Any, key: str) -> float:
    """A number of seconds that must be above 0 (a deadline of 0 would fail every request)."""
    number = float(value)
    if not number > 0:  # also refuses NaN
        raise ValueError(f"{key} must be a number of seconds above 0, not {value!r}")
    return number


def _flag(value: Any) -> bool:
    """YAML booleans, or strings from the environment ("true"/"false"/"1"/"0")."""
    if isinstance(value, str):
        return value.strip().lower() in ("1", "true", "yes", "on")
    return bool(value)


@cache
def _raw_config(path: str) -> dict[str, Any]:
    with open(path, encoding="utf-8") as fh:
        return yaml.safe_load(fh) or {}


def fetch_pool(path: Path | None = None) -> tuple[str, int]:
    """Name and slot count of the Airflow pool shared by the network tasks."""
    raw = _raw_config(str(path or os.environ.get("NEWS_SOURCES_FILE") or SOURCES_FILE)).get("fetch_pool", {})
    return str(raw.get("name", "news_fetch")), int(raw.get("slots", 4))


def load_sources(names: list[str] | None = None, path: Path | None = None) -> list[Source]:
    """The configured sources: the named ones, else every enabled one (env expanded at call time)."""
    raw = _raw_config(str(path or os.environ.get("NEWS_SOURCES_FILE") or SOURCES_FILE)).get("sources", {})
    if names:
        unknown = sorted(set(names) - set(raw))
        if unknown:
            raise ConfigError(f"unknown source(s): {', '.join(unknown)}; configured: {', '.join(sorted(raw))}")
        return [_source(n, raw[n]) for n in names]
    return [s for s in (_source(n, r) for n, r in raw.items()) if s.enabled]
