"""`newsetl probe SOURCE [--day]` against the sample site: the installed console script, as an operator runs it."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from newsetl_tools.sample_site import running

NEWSETL = str(Path(sys.executable).parent / "newsetl")
BEFORE, CHANGED = "2025-07-02", "2025-07-03"


def probe(base_url: str, *args: str, sources_file: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, NEWS_SAMPLE_SITE_URL=base_url)
    if sources_file:
        env["NEWS_SOURCES_FILE"] = str(sources_file)
    return subprocess.run([NEWSETL, "probe", *args], capture_output=True, text=True, timeout=120, env=env)


@pytest.fixture(scope="module", params=["listing", "body", "date"])
def redesigned(request: pytest.FixtureRequest) -> Iterator[tuple[str, str]]:
    """(kind, base URL) of a sample site whose Daum markup changes on CHANGED (drift.py's kind: the param)."""
    with running(markup_change_from=CHANGED, markup_change=request.param) as url:
        yield request.param, url


def test_a_good_source_exits_0_and_shows_every_selector(sample_site: str) -> None:
    done = probe(sample_site, "sample_daum", "--day", BEFORE)
    assert done.returncode == 0, done.stdout + done.stderr
    out = done.stdout
    assert f"listing {sample_site}/breakingnews?page=1&regDate=20250702" in out
    assert "  links         15 of the day, 15 read; the link selector //ul[" in out
    assert out.count("\narticle ") == 3
    for field in ("title", "published_at", "modified_at", "press", "reporters", "paragraphs", "media", "summary"):
        assert out.count(f"\n  {field} ") == 3, field
    assert "published_at  2025-07-02T" in out
    assert out.rstrip().endswith("probe ok: the listing and every required field found something")
    assert done.stderr == ""  # reading one listing page is what probe does: no "stopped at max_pages" warning


@pytest.mark.parametrize(
    ("source", "kind"),
    [
        ("sample_naver", "the link selector //div"),
        ("sample_press_rss", "the feed"),
        ("sample_press_sitemap", "the sitemap"),
    ],
)
def test_every_discovery_kind_is_probed(sample_site: str, source: str, kind: str) -> None:
    """A cursor listing, a feed and a sitemap (from robots.txt) are probed as discovery reads them."""
    done = probe(sample_site, source, "--day", BEFORE)
    assert done.returncode == 0, done.stdout + done.stderr
    links = next(line for line in done.stdout.splitlines() if line.startswith("  links "))
    assert int(links.split()[1]) >= 3 and f"read; {kind}" in links, links
    assert done.stdout.count("\narticle ") == 3


def test_a_disabled_source_can_be_probed(sample_site: str, tmp_path: Path) -> None:
    """Probing is what comes before enabling: the source need not be enabled."""
    sources = tmp_path / "sources.yaml"
    sources.write_text(
        "sources:\n  not_yet:\n    enabled: false\n    base_url: ${NEWS_SAMPLE_SITE_URL}\n    site: sample_press\n"
        "    allowed_hosts: ['127.0.0.1']\n    allow_private_addresses: true\n    requests_per_second: 0\n",
        encoding="utf-8",
    )
    done = probe(sample_site, "not_yet", "--day", BEFORE, sources_file=sources)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "  links         20 of the day, 20 read; the link selector //ul[@class='press_list']" in done.stdout


def test_the_probe_keeps_to_robots_txt(sample_site: str, tmp_path: Path) -> None:
    """Politely, as a run: the sample site's robots.txt disallows /private/, so its listing there is not read."""
    sources = tmp_path / "sources.yaml"
    sources.write_text(
        "sources:\n  private:\n    base_url: ${NEWS_SAMPLE_SITE_URL}/private\n    site: daum\n"
        "    allowed_hosts: ['127.0.0.1']\n    allow_private_addresses: true\n    respect_robots: true\n",
        encoding="utf-8",
    )
    done = probe(sample_site, "private", "--day", BEFORE, sources_file=sources)
    assert done.returncode == 1
    assert "PROBE FAILED: listing: " in done.stdout and "blocked by robots.txt" in done.stdout


def test_a_changed_markup_exits_non_zero_naming_what_found_nothing(redesigned: tuple[str, str]) -> None:
    kind, base_url = redesigned
    assert probe(base_url, "sample_daum", "--day", BEFORE).returncode == 0  # the day before the redesign
    done = probe(base_url, "sample_daum", "--day", CHANGED)
    assert done.returncode == 1, done.stdout + done.stderr
    failures = [line for line in done.stdout.splitlines() if line.startswith("PROBE FAILED: ")]
    if kind == "listing":
        assert failures == [
            f"PROBE FAILED: listing: the link selector //ul[contains(concat(' ', normalize-space(@class), ' '), "
            f"' list_allnews ')]/li//strong[contains(@class, 'tit_thumb')]/a[contains(@class, 'link_txt')]/@href "
            f"of site 'daum' found no link of the day on {base_url}/breakingnews?page=1&regDate=20250703"
        ]
        assert "\narticle " not in done.stdout
        assert "  links         0 of the day, 0 read; " in done.stdout
    elif kind == "body":
        assert len(failures) == 3
        assert all(f.endswith(": no article body (daum layout)") for f in failures)
    else:
        assert len(failures) == 3
        assert all("field 'published_at' found nothing" in f for f in failures)


def test_an_unknown_source_is_a_one_line_error(sample_site: str) -> None:
    done = probe(sample_site, "no_such_source")
    assert done.returncode == 2
    assert done.stderr.startswith("newsetl probe: unknown source(s): no_such_source;")
    assert done.stderr.count("\n") == 1
