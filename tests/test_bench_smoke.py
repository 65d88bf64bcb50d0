"""scripts/bench.py in miniature: the in-memory parse benchmark on a few pages and the last-line format.

No timing is asserted; this only keeps `make bench` from breaking unnoticed.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def bench():
    pytest.importorskip("trafilatura")
    spec = importlib.util.spec_from_file_location("bench", ROOT / "scripts" / "bench.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench"] = module
    spec.loader.exec_module(module)
    yield module
    sys.modules.pop("bench", None)


def test_synthetic_pages_are_distinct(bench) -> None:
    corpus = bench.synthetic_corpus(60)
    assert len(corpus) == 60
    assert len({page.body for page in corpus}) == 60
    assert corpus[0].body != corpus[52].body and b"(\xec\x82\xac\xeb\xb3\xb8 52)" in corpus[52].body  # (사본 52)


def test_synthetic_pages_parse_like_their_originals(bench) -> None:
    """Each copy is a valid page in its own encoding: the original's title and paragraphs, plus the marker
    where it landed inside the article (a board page's marker is outside the reposted article)."""
    from newsetl.sites import parse_page as extract

    originals = bench.fixture_pages()
    for k, page in enumerate(bench.synthetic_corpus(len(originals))):
        copy, original = extract(page.body), extract(originals[k][0])
        assert copy.title == original.title, k
        assert [p for p in copy.paragraphs if p != f"(사본 {k})"] == original.paragraphs, k


def test_parse_benchmark_and_last_line(bench) -> None:
    figures = bench.bench_parse(n_pages=20, trafilatura_pages=5)
    for key in ("ours_pps", "lxml_pps", "trafilatura_pps", "parse_vs_trafilatura", "parse_vs_lxml"):
        assert figures[key] > 0, key
    line = bench.format_ratio_line(
        {
            **figures,
            "load_vs_copy": 0.5,
            "e2e_5000_s": 42.0,
            "rerun_ratio": 0.4,
            "rerun_net_ratio": 0.05,
            "peak_rss_mb": 123.4,
            "parse_full_vs_lxml": 1.5,
            "parse_full_vs_trafilatura": 6.0,
            "stories_20000_s": 12.5,
            "stories_peak_rss_mb": 150.0,
        }
    )
    parsed = bench.parse_ratio_line(line)
    assert (
        tuple(parsed)
        == bench.KEYS
        == (
            "parse_vs_trafilatura",
            "parse_vs_lxml",
            "load_vs_copy",
            "e2e_5000_s",
            "rerun_ratio",
            "rerun_net_ratio",
            "peak_rss_mb",
            "parse_full_vs_lxml",
            "parse_full_vs_trafilatura",
            "stories_20000_s",
            "stories_peak_rss_mb",
        )
    )
    assert all(value > 0 for value in parsed.values())
    assert line.split()[0].endswith("x") and line.split()[1].endswith("x")


def test_task_durations_from_dag_test_log(bench) -> None:
    log = (
        "2026-11-28T01:58:43.396418Z [info     ] [DAG TEST] starting task_id=discover map_index=-1 [x] loc=dag.py:1\n"
        "2026-11-28T01:58:46.826178Z [info     ] [DAG TEST] end task task_id=discover map_index=-1 [x] loc=dag.py:2\n"
        "2026-11-28T01:58:46.832898Z [info     ] [DAG TEST] starting task_id=fetch map_index=-1 [x] loc=dag.py:1\n"
        "2026-11-28T01:58:47.832898Z [info     ] [DAG TEST] end task task_id=fetch map_index=-1 [x] loc=dag.py:2\n"
    )
    assert bench.task_durations(log) == pytest.approx({"discover": 3.42976, "fetch": 1.0})


def test_mapped_task_instances_are_summed(bench) -> None:
    log = "\n".join(
        f"2026-11-28T00:00:0{second}.000000Z [info     ] [DAG TEST] {kind} task_id=fetch map_index={index} [x]"
        for second, kind, index in ((0, "starting", 1), (1, "end task", 1), (1, "starting", 0), (3, "end task", 0))
    )
    durations, instances, first, last = bench.task_timeline(log)
    assert durations == pytest.approx({"fetch": 3.0}) and instances == {"fetch": 2}
    assert (last - first).total_seconds() == pytest.approx(3.0)


def test_compact_and_full_size_pages_are_benchmarked_apart(bench) -> None:
    """The compact figure keeps its corpus of ~7 KB pages; pages of real size are measured on their own."""
    compact, full = bench.fixture_pages(), bench.fixture_pages(full_size=True)
    assert compact and all(len(body) < bench.FULL_SIZE_BYTES for body, _ in compact)
    assert all(len(body) >= bench.FULL_SIZE_BYTES for body, _ in full)


def test_story_day_rows_are_stories_with_copies(bench) -> None:
    """The stories part's day: n rows (source_id STORY-COPY); distinct stories (shifted syllables) share
    nothing, a story's copies are near-duplicates of its first."""
    from newsetl.stories import is_copy, overlap, shingles

    rows = bench.story_day_rows(300, "2025-07-04")
    assert len(rows) == 300 and len({r[0] for r in rows}) == 300
    by_story: dict[str, list[set[str]]] = {}
    for row in rows:
        by_story.setdefault(row[0].split("-")[0], []).append(shingles(row[5]))
    assert 50 < len(by_story) < 200 and any(len(copies) >= 5 for copies in by_story.values())
    firsts = [copies[0] for copies in by_story.values()][:40]  # 40: each of the corpus articles once
    assert not any(is_copy(overlap(a, b)) for i, a in enumerate(firsts) for b in firsts[i + 1 :])
    # every copy long enough to compare (a trimmed brief may fall under MIN_CHARS) is a copy
    assert all(is_copy(overlap(copies[0], c)) for copies in by_story.values() for c in copies[1:] if c)
