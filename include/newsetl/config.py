"""Source configuration (config/sources.yaml) as typed, validated records."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import yaml

CONFIG_DIR = Path(__file__).parent / "config"
SOURCES_FILE = CONFIG_DIR / "sources.yaml"
DEFAULT_MAX_BODY_BYTES = 10 * 1024 * 1024
_ENV_REF = re.compile(r"\$\{(\w+)(?::-([^}]*))?\}")


class ConfigError(ValueError):
    """The source configuration is missing a key or has a wrong value."""


def expand_env(text: str) -> str:
    """Replace ${VAR} and ${VAR:-default} with the environment's value."""
    return _ENV_REF.sub(lambda m: os.environ.get(m.group(1)) or (m.group(2) or ""), text)


@dataclass(frozen=True, slots=True)
class Listing:
    url: str
    link_xpath: str
    page_size: int
    max_pages: int

    def page_url(self, base_url: str, day: date, page: int) -> str:
        """The listing URL of one page of one day."""
        return self.url.format(base_url=base_url.rstrip("/"), page=page, day=day)


@dataclass(frozen=True, slots=True)
class Source:
    name: str
    enabled: bool
    base_url: str
    parser: str
    listing: Listing
    article_id_pattern: re.Pattern[str]
    allowed_hosts: tuple[str, ...]
    allow_private_addresses: bool
    respect_robots: bool
    requests_per_second: float
    concurrency: int
    timeout_s: tuple[float, float]
    max_attempts: int
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES

    def article_id(self, url: str) -> str | None:
        """The article's own id at this source, read from its URL."""
        match = self.article_id_pattern.search(url)
        return match.group(1) if match else None


def _expand(value: Any) -> Any:
    """Apply ${VAR:-default} to every string of a config tree."""
    if isinstance(value, str):
        return expand_env(value)
    if isinstance(value, list):
        return [_expand(v) for v in value]
    if isinstance(value, dict):
        return {k: _expand(v) for k, v in value.items()}
    return value


def _source(name: str, raw: dict[str, Any]) -> Source:
    raw = _expand(raw)
    try:
        listing = raw["listing"]
        connect, read = raw.get("timeout_s", [5, 20])
        return Source(
            name=name,
            enabled=_flag(raw.get("enabled", True)),
            base_url=str(raw["base_url"]).rstrip("/"),
            parser=str(raw["parser"]),
            listing=Listing(
                url=str(listing["url"]),
                link_xpath=str(listing["link_xpath"]),
                page_size=int(listing["page_size"]),
                max_pages=int(listing.get("max_pages", 100)),
            ),
            article_id_pattern=re.compile(raw["article_id_pattern"]),
            allowed_hosts=tuple(raw.get("allowed_hosts", [])),
            allow_private_addresses=_flag(raw.get("allow_private_addresses", False)),
            respect_robots=_flag(raw.get("respect_robots", True)),
            requests_per_second=float(raw.get("requests_per_second", 1)),
            concurrency=max(1, int(raw.get("concurrency", 2))),
            timeout_s=(float(connect), float(read)),
            max_attempts=max(1, int(raw.get("max_attempts", 3))),
            max_body_bytes=int(raw.get("max_body_bytes", DEFAULT_MAX_BODY_BYTES)),
        )
    except KeyError as exc:
        raise ConfigError(f"source {name!r} has no {exc.args[0]!r}") from exc
    except ValueError as exc:
        raise ConfigError(f"source {name!r}: {exc}") from exc


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
