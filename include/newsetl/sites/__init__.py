"""The site modules: one per site or page family, each holding everything specific to it (see base.py).

Adding a site is adding a module here that defines ``SITE``: the registry finds it by its name (what
``sources.yaml`` names in ``site:``), and detection asks it about pages whose site is not known.
"""

from __future__ import annotations

import importlib
import pkgutil
from functools import lru_cache

from newsetl.parsing.page import Page, read_page
from newsetl.records import RawArticle
from newsetl.sites.base import Site, split_url

__all__ = ["Site", "all_sites", "detect", "get_site", "parse_page", "site_names", "source_id"]
_NOT_SITES = frozenset({"base"})


def site_names() -> list[str]:
    """The names of every site module, sorted."""
    return sorted(m.name for m in pkgutil.iter_modules(__path__) if m.name not in _NOT_SITES)


def get_site(name: str) -> type[Site]:
    """The Site class of the module ``newsetl.sites.<name>`` (ValueError naming the known ones)."""
    registry = _registry(tuple(__path__))
    if name not in registry:
        raise ValueError(f"unknown site {name!r}; known: {', '.join(registry)}")
    return registry[name]


def all_sites() -> list[type[Site]]:
    """Every site, in detection order (priority, then name)."""
    return list(_in_order(tuple(__path__)))


@lru_cache(maxsize=4)
def _in_order(path: tuple[str, ...]) -> tuple[type[Site], ...]:
    return tuple(sorted(_registry(path).values(), key=lambda s: (s.priority, s.name)))


@lru_cache(maxsize=4)
def _registry(path: tuple[str, ...]) -> dict[str, type[Site]]:
    """Name → Site class of every module on the package path ``path`` (a module added to the path is found)."""
    registry = {}
    for name in site_names():
        site = getattr(importlib.import_module(f"{__name__}.{name}"), "SITE", None)
        if not (isinstance(site, type) and issubclass(site, Site)) or site.name != name:
            raise ValueError(f"site module {name!r} must define SITE, a Site subclass named {name!r}")
        registry[name] = site
    return registry


def detect(page: Page) -> type[Site]:
    """The first site, in priority order, that recognises the page (the generic fallback takes any page)."""
    for site in _in_order(tuple(__path__)):
        if site.recognises(page):
            return site
    raise ValueError("no site recognises the page, not even the generic fallback")  # a broken registry


def source_id(url: str | None) -> str | None:
    """An article's id from its URL: the first site whose id pattern matches, else the last path segment."""
    if not url:
        return None
    for site in _in_order(tuple(__path__)):
        if (found := site.article_id(url)) is not None:
            return found
    parts = split_url(url)
    segments = [s for s in parts.path.split("/") if s] if parts else []
    return segments[-1] if segments else None


def parse_page(
    content: str | bytes, url: str | None = None, site: str | None = None, charset: str | None = None
) -> RawArticle:
    """Take the article out of a page, text as shown (``site``: its module, else detected; ``charset``: the
    one the server declared); a QuarantineError with a one-line reason when it cannot."""
    page = read_page(content, charset)
    cls = get_site(site) if site is not None else detect(page)
    return cls(page, url).parse()
