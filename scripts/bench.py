"""`make bench`: how fast and how lean the pipeline is, each figure against a baseline measured in the same run.

1. parse+normalize of a synthetic in-memory corpus (the fixture pages, each copy made distinct) against
   trafilatura and against a bare lxml parse of the same bytes;
2. load+media of a real 5,000-article day (staged by the real stages from the sample site) against a bare
   COPY of the same article rows into an unindexed table;
3. the DAG end to end through `airflow dags test` for a 5,000-article day, then the same day again, then a
   1-article day (Airflow's fixed cost); Airflow's metadata goes to a database of the bench's own;
4. the peak RSS of every stage run in its own process, for a 5,000- and a 20,000-article day; then the
   20,000-article day through a real scheduler (LocalExecutor, a stack of its own) in one batch, each task
   instance reporting its own process's peak RSS (Airflow's task runner adds ~110 MB to a bare process).

5. newsetl.stories.cluster_day of a 20,000-article day of republished stories (made from the corpus, inserted
   directly) in its own process: seconds and peak RSS, then its rerun (`--only stories` runs just this part).

Everything runs in its own database beside the warehouse (<db>_bench, emptied first) against the sample
site on free loopback ports. Figures go to stdout as they are measured, progress to stderr; the last line is
    parse_vs_trafilatura=<x>x parse_vs_lxml=<x>x load_vs_copy=<r> e2e_5000_s=<s> rerun_ratio=<r> rerun_net_ratio=<r>
    peak_rss_mb=<m> parse_full_vs_lxml=<x>x parse_full_vs_trafilatura=<x>x stories_20000_s=<s> stories_peak_rss_mb=<m>
(on one line). parse_vs_lxml is information only on these compact ~7 KB pages; rerun_net_ratio is the rerun net of
`airflow dags test`'s fixed cost (the 1-article day): (rerun - floor) / (first - floor).

`python scripts/bench.py --stage NAME --day YYYY-MM-DD` is the child mode of part 4 (one stage, the database
from NEWS_BENCH_DB_URL, the site from NEWS_SAMPLE_SITE_URL; prints its counts and seconds as JSON).
"""

from __future__ import annotations

import argparse
import functools
import gc
import io
import json
import os
import platform
import re
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import console  # scripts/, beside this file
import sqlalchemy as sa
from local_site import site

from newsetl.db import empty_tables
from newsetl.pipeline import STAGES as PIPELINE_STAGES

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
PAGES = ROOT / "tests" / "fixtures" / "pages"
LOGS = ROOT / ".airflow" / "logs" / "bench"
SOURCE = "sample_daum"
DAY = "2025-07-03"
BIG_DAY = "2025-07-04"
STAGES = tuple(PIPELINE_STAGES)  # every stage of the day, in order
ARTICLE_COLUMNS = (
    "source, source_id, url, title, press, reporters, emails, published_at, body_text, paragraphs, "
    "parser, content_hash, day, fetched_at"
)
FULL_SIZE_BYTES = 50_000  # a page at least this big is served with its site's chrome (press, full Daum, Naver)
ONE_BATCH = 1_000_000  # a batch_size no day reaches: the whole day in one mapped task instance per stage
KEYS = (
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
_FORMATS = {
    "parse_vs_trafilatura": "{:.1f}x",
    "parse_vs_lxml": "{:.2f}x",
    "load_vs_copy": "{:.2f}",
    "e2e_5000_s": "{:.1f}",
    "rerun_ratio": "{:.3f}",
    "rerun_net_ratio": "{:.3f}",
    "peak_rss_mb": "{:.0f}",
    "parse_full_vs_lxml": "{:.2f}x",
    "parse_full_vs_trafilatura": "{:.1f}x",
    "stories_20000_s": "{:.1f}",
    "stories_peak_rss_mb": "{:.0f}",
}


progress = functools.partial(console.progress, "bench")


def say(message: str) -> None:
    print(message, flush=True)


# --- the last line ----------------------------------------------------------------------------------------


def format_ratio_line(figures: dict[str, float]) -> str:
    """The benchmark's last line: the six figures, in a fixed order and format."""
    return " ".join(f"{key}={_FORMATS[key].format(figures[key])}" for key in KEYS)


def parse_ratio_line(line: str) -> dict[str, float]:
    """The figures of a last line (inverse of format_ratio_line)."""
    figures = {}
    for item in line.split():
        key, _, value = item.partition("=")
        figures[key] = float(value.removesuffix("x"))
    if tuple(figures) != KEYS:
        raise ValueError(f"not a benchmark line: {line!r}")
    return figures


# --- machine ----------------------------------------------------------------------------------------------


def machine() -> str:
    cpu = "unknown CPU"
    with open("/proc/cpuinfo", encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    mem_kb = 0
    with open("/proc/meminfo", encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("MemTotal:"):
                mem_kb = int(line.split()[1])
                break
    usable = len(os.sched_getaffinity(0))
    return (
        f"machine: nproc={usable} (of {os.cpu_count()}), cpu={cpu}, memory={mem_kb / 1024 / 1024:.1f} GiB, "
        f"python={platform.python_version()}, {platform.system()} {platform.release()}"
    )


# --- 1. parse + normalize, in memory ----------------------------------------------------------------------


@dataclass(slots=True)
class Page:
    body: bytes
    url: str | None
    day: date | None


def fixture_pages(folder: Path = PAGES, *, full_size: bool = False) -> list[tuple[bytes, dict[str, Any]]]:
    """The compact fixture pages (NAME.html|.txt, under FULL_SIZE_BYTES), or the full-size ones (pages as sites
    serve them, with all their chrome), with their expected JSON, sorted by name."""
    pages = []
    for path in sorted(folder.iterdir()):
        if path.suffix in (".html", ".txt") and path.with_suffix(".json").exists():
            body = path.read_bytes()
            if (len(body) >= FULL_SIZE_BYTES) == full_size:
                pages.append((body, json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))))
    return pages


_SECTION_END = re.compile(rb"</section>", re.I)
_BODY_END = re.compile(rb"</body>", re.I)
_DAUM_URL_ID = re.compile(r"(/v/\d{12})\d{5}$")
_WR_ID = re.compile(r"([?&]wr_id=)\d+")


def synthetic_corpus(n: int, folder: Path = PAGES) -> list[Page]:
    """n distinct pages: the fixture pages cycled, copy k with its own id and a marker paragraph."""
    from newsetl.parsing.page import declared_charset  # here: the per-stage child processes never need the parser

    base = fixture_pages(folder)
    corpus = []
    for k in range(n):
        body, expected = base[k % len(base)]
        # the marker in the page's own encoding (a UTF-8 marker in an EUC-KR page would make it undecodable)
        marker = f'<p dmcf-ptype="general">(사본 {k})</p>'.encode(declared_charset(body) or "utf-8")
        where = _SECTION_END.search(body) or _BODY_END.search(body)
        body = body[: where.start()] + marker + body[where.start() :] if where else body + marker
        url = expected.get("url")
        if url:
            url = _DAUM_URL_ID.sub(lambda m, k=k: f"{m.group(1)}{k % 100_000:05d}", url)
            url = _WR_ID.sub(lambda m, k=k: f"{m.group(1)}{100_000 + k}", url)
        day = date.fromisoformat(expected["day"]) if expected.get("day") else None
        corpus.append(Page(body, url, day))
    return corpus


def _timed(pages: list[Page], work: Callable[[Page], object]) -> float:
    """Seconds to run work over pages once (after one warm-up call), GC off while timing."""
    work(pages[0])
    gc.collect()
    gc.disable()
    try:
        started = time.perf_counter()
        for page in pages:
            work(page)
        return time.perf_counter() - started
    finally:
        gc.enable()


def bench_parse(n_pages: int = 2080, trafilatura_pages: int = 312) -> dict[str, float]:
    """pages/s of our extract+normalize, trafilatura and a bare lxml parse over the same synthetic pages."""
    import lxml.html
    import trafilatura

    from newsetl.errors import QuarantineError
    from newsetl.extract import extract_article

    kinds = len(fixture_pages())
    # Whole cycles of the fixture pages, so each kind of page weighs the same in every figure.
    n_pages = round(n_pages / kinds) * kinds if n_pages >= kinds else n_pages
    corpus = synthetic_corpus(n_pages)
    quarantined = 0

    def ours(page: Page) -> None:
        nonlocal quarantined
        try:
            extract_article(page.body, page.url, day=page.day)
        except QuarantineError:
            quarantined += 1

    progress(f"parse: {len(corpus)} synthetic pages ({sum(len(p.body) for p in corpus) / 1e6:.1f} MB)")
    ours_s = _timed(corpus, ours)
    ours_pps = len(corpus) / ours_s
    say(
        f"parse: newsetl extract+normalize {ours_pps:,.0f} pages/s ({len(corpus)} pages in {ours_s:.2f}s"
        + (f", {quarantined} quarantined" if quarantined else "")
        + ")"
    )
    lxml_s = _timed(corpus, lambda p: lxml.html.fromstring(p.body))
    lxml_pps = len(corpus) / lxml_s
    say(f"parse: bare lxml.html.fromstring {lxml_pps:,.0f} pages/s ({lxml_s:.2f}s)")
    if trafilatura_pages >= kinds:
        trafilatura_pages = round(trafilatura_pages / kinds) * kinds
    subset = corpus[: max(1, min(len(corpus), trafilatura_pages))]
    progress(f"parse: trafilatura on {len(subset)} of the pages")
    traf_s = _timed(subset, lambda p: trafilatura.extract(p.body, include_images=False, include_comments=False))
    traf_pps = len(subset) / traf_s
    say(f"parse: trafilatura.extract {traf_pps:,.1f} pages/s ({len(subset)} pages in {traf_s:.2f}s)")
    figures = {
        "ours_pps": ours_pps,
        "lxml_pps": lxml_pps,
        "trafilatura_pps": traf_pps,
        "parse_vs_trafilatura": ours_pps / traf_pps,
        "parse_vs_lxml": lxml_pps / ours_pps,
    }
    say(
        f"parse: parse_vs_trafilatura={figures['parse_vs_trafilatura']:.1f}x (target >= 10), "
        f"parse_vs_lxml={figures['parse_vs_lxml']:.2f}x our time / lxml time (information only on these compact "
        "pages: lxml's parse is a small share of a 7 KB page's work)"
    )
    return figures


def bench_parse_full(rounds: int = 20) -> dict[str, float]:
    """The same three over the full-size fixture pages (74-382 KB, the chrome of real sites), each page ``rounds``
    times: our time over lxml's (target <= 2) and our pages/s over trafilatura's (target >= 5)."""
    import lxml.html
    import trafilatura

    from newsetl.errors import QuarantineError
    from newsetl.extract import extract_article

    pages = [Page(body, expected.get("url"), None) for body, expected in fixture_pages(full_size=True)]
    if not pages:
        sys.exit("bench: no full-size fixture page (>= 50 KB) in tests/fixtures/pages")
    corpus = pages * rounds

    def ours(page: Page) -> None:
        try:
            extract_article(page.body, page.url)
        except QuarantineError:
            pass

    size = sum(len(p.body) for p in pages) / len(pages) / 1024
    progress(f"parse full: {len(pages)} full-size pages (mean {size:.0f} KiB) x {rounds}")
    ours_s = _timed(corpus, ours)
    lxml_s = _timed(corpus, lambda p: lxml.html.fromstring(p.body))
    traf_s = _timed(
        pages * max(1, rounds // 4), lambda p: trafilatura.extract(p.body, include_images=False, include_comments=False)
    )
    traf_pps = len(pages) * max(1, rounds // 4) / traf_s
    figures = {
        "full_pps": len(corpus) / ours_s,
        "parse_full_vs_lxml": ours_s / lxml_s,
        "parse_full_vs_trafilatura": len(corpus) / ours_s / traf_pps,
    }
    say(
        f"parse full: newsetl {figures['full_pps']:,.0f} pages/s, bare lxml {len(corpus) / lxml_s:,.0f} pages/s, "
        f"trafilatura {traf_pps:,.1f} pages/s over {len(pages)} full-size pages (mean {size:.0f} KiB)"
    )
    say(
        f"parse full: parse_full_vs_lxml={figures['parse_full_vs_lxml']:.2f}x (target <= 2), "
        f"parse_full_vs_trafilatura={figures['parse_full_vs_trafilatura']:.1f}x (target >= 5)"
    )
    return figures


# --- database and site ------------------------------------------------------------------------------------


def bench_db() -> sa.engine.URL:
    """<warehouse db>_bench beside the warehouse, created if missing, migrated."""
    from newsetl.db import sibling_database
    from newsetl.migrate import upgrade

    target = sibling_database("_bench")
    upgrade(target)
    return target


def airflow_db() -> str:
    """Airflow metadata of the bench's own (<metadata db>_bench beside the usual one, airflow_metadata.metadata_url),
    so its `airflow dags test` runs never meet another run of the same DAG and date (dags test replaces those)."""
    from airflow_metadata import metadata_url  # scripts/, beside this file

    from newsetl.config import fetch_pool

    text = metadata_url("_bench").render_as_string(hide_password=False)
    env = {**os.environ, "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": text}
    airflow = str(BIN / "airflow")
    if subprocess.run([airflow, "db", "check-migrations", "-t", "0"], env=env, capture_output=True).returncode:
        progress("airflow: migrating the bench's own metadata database")
        subprocess.run([airflow, "db", "migrate"], env=env, capture_output=True, check=True)
    name, slots = fetch_pool()
    subprocess.run(
        [airflow, "pools", "set", name, str(slots), "news_daily network tasks"],
        env=env,
        capture_output=True,
        check=True,
    )
    return text


def db_env(db_url: sa.engine.URL, site_url: str, airflow_conn: str | None = None) -> dict[str, str]:
    plain = db_url.set(drivername="postgresql").render_as_string(hide_password=False)
    env = {
        **os.environ,
        "NEWS_SAMPLE_SITE_URL": site_url,
        "AIRFLOW_CONN_NEWS_WAREHOUSE": plain,
        "NEWS_BENCH_DB_URL": plain,
    }
    if airflow_conn:
        env["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"] = airflow_conn
    return env


# --- 4. one stage per process (child mode and parent) -----------------------------------------------------


def run_stage_child(stage: str, day_text: str) -> int:
    """Child mode: run one stage of the pipeline for the day; print counts and seconds as JSON."""
    import logging
    from dataclasses import asdict

    from newsetl.config import load_sources
    from newsetl.db import engine
    from newsetl.stories import cluster_day

    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    functions: dict[str, Callable[..., Any]] = {name: stage.run for name, stage in PIPELINE_STAGES.items()}
    functions["imports"] = lambda e, d, s: {}
    functions["stories"] = lambda e, d, s: asdict(cluster_day(e, d))
    eng = engine(os.environ["NEWS_BENCH_DB_URL"])
    sources = load_sources([SOURCE])
    started = time.perf_counter()
    counts = functions[stage](eng, date.fromisoformat(day_text), sources)
    seconds = time.perf_counter() - started
    with open("/proc/self/status", encoding="utf-8") as fh:  # the cross-check of the launcher's ru_maxrss
        hwm = int(re.search(r"^VmHWM:\s+(\d+)", fh.read(), re.M).group(1))
    print(json.dumps({"seconds": seconds, "counts": counts, "vm_hwm_kb": hwm}, default=str), flush=True)
    return 0


@dataclass(slots=True)
class StageRun:
    stage: str
    wall_s: float
    work_s: float
    rss_mb: float
    counts: dict[str, Any] = field(default_factory=dict)


# Linux carries a process's high-water RSS across fork+exec (exec records the old address space's peak), so
# a child forked straight from this big process would report at least our own RSS. A tiny launcher forks the
# stage instead and reports the stage's ru_maxrss from os.wait4.
_LAUNCHER = (
    "import json, os, subprocess, sys\n"
    "proc = subprocess.Popen(sys.argv[1:])\n"
    "_, status, usage = os.wait4(proc.pid, 0)\n"
    "print(json.dumps({'exit': os.waitstatus_to_exitcode(status), 'maxrss_kb': usage.ru_maxrss}), flush=True)\n"
)


def stage_in_child(stage: str, day: str, env: dict[str, str]) -> StageRun:
    """Run one stage in its own process; its peak RSS from os.wait4's rusage (through the launcher)."""
    LOGS.mkdir(parents=True, exist_ok=True)
    log = LOGS / f"stage-{day}-{stage}.log"
    started = time.perf_counter()
    with log.open("w") as err:
        proc = subprocess.run(
            [
                sys.executable,
                "-c",
                _LAUNCHER,
                sys.executable,
                str(Path(__file__).resolve()),
                "--stage",
                stage,
                "--day",
                day,
            ],
            env=env,
            stdout=subprocess.PIPE,
            stderr=err,
            cwd=ROOT,
        )
    wall = time.perf_counter() - started
    lines = proc.stdout.decode().strip().splitlines()
    launcher = json.loads(lines[-1]) if lines else {"exit": proc.returncode}
    if proc.returncode != 0 or launcher["exit"] != 0:
        sys.exit(f"bench: stage {stage} of {day} failed (exit {launcher['exit']}); see {log}")
    result = json.loads(lines[-2])
    if abs(result["vm_hwm_kb"] - launcher["maxrss_kb"]) > 0.1 * launcher["maxrss_kb"]:
        progress(f"note: {stage} ru_maxrss {launcher['maxrss_kb']} kB but VmHWM {result['vm_hwm_kb']} kB")
    return StageRun(stage, wall, float(result["seconds"]), launcher["maxrss_kb"] / 1024, result["counts"])


def stages_in_children(day: str, env: dict[str, str], n: int) -> list[StageRun]:
    runs = [stage_in_child("imports", day, env)]
    say(f"memory {n}: interpreter + imports alone: {runs[0].rss_mb:.0f} MB")
    for stage in STAGES:
        progress(f"memory {n}: stage {stage} of {day} in its own process")
        run = stage_in_child(stage, day, env)
        say(
            f"memory {n}: {stage:<9} peak RSS {run.rss_mb:6.0f} MB, work {run.work_s:6.2f}s "
            f"(process {run.wall_s:.2f}s) {json.dumps(run.counts, default=str)}"
        )
        runs.append(run)
    return runs


# --- raw-page storage: the staged day's pages under each TOAST compression -------------------------------

# (name, how the copy's column is set): Postgres' default pglz, lz4, and none (EXTERNAL: out of line, uncompressed).
RAW_STORAGE = (
    ("pglz", "ALTER TABLE public.bench_raw_page ALTER COLUMN body SET COMPRESSION pglz"),
    ("lz4", "ALTER TABLE public.bench_raw_page ALTER COLUMN body SET COMPRESSION lz4"),
    ("none", "ALTER TABLE public.bench_raw_page ALTER COLUMN body SET STORAGE EXTERNAL"),
)
# Each copy takes body || '': a new value, which the copy compresses its own way (INSERT … SELECT of the stored
# value would keep the compression it has in staging.raw_page).
_RAW_COPY = (
    "INSERT INTO public.bench_raw_page SELECT source, url, http_status, content_type, etag, last_modified, "
    "body || ''::bytea, body_sha256, fetched_at FROM staging.raw_page"
)


@dataclass
class Stored:
    """One compression's figures: bytes on disk (table + TOAST + index), seconds to write and to read back."""

    method: str
    bytes: int
    write_s: float
    read_s: float


def bench_raw_storage(engine: sa.engine.Engine) -> tuple[int, int, list[Stored]]:
    """(pages, raw bytes, figures per method): staging.raw_page's pages copied into a table of each compression.

    write_s is the INSERT (what the fetch stage pays per day for the compression), read_s a full read of the
    bodies (what the extract stage pays to detoast them)."""
    figures = []
    with engine.begin() as conn:
        pages, raw = conn.execute(
            sa.text("SELECT count(*), coalesce(sum(octet_length(body)), 0) FROM staging.raw_page")
        ).one()
    for method, setting in RAW_STORAGE:
        with engine.begin() as conn:
            conn.execute(sa.text("DROP TABLE IF EXISTS public.bench_raw_page"))
            conn.execute(sa.text("CREATE TABLE public.bench_raw_page (LIKE staging.raw_page INCLUDING ALL)"))
            conn.execute(sa.text(setting))
        with engine.begin() as conn:
            started = time.perf_counter()
            conn.execute(sa.text(_RAW_COPY))
        write_s = time.perf_counter() - started
        with engine.begin() as conn:
            started = time.perf_counter()
            # body || '' reads each value whole (length() alone reads only the TOAST header)
            conn.execute(sa.text("SELECT sum(octet_length(body || ''::bytea)) FROM public.bench_raw_page")).scalar()
            read_s = time.perf_counter() - started
            size = conn.execute(sa.text("SELECT pg_total_relation_size('public.bench_raw_page')")).scalar_one()
            conn.execute(sa.text("DROP TABLE public.bench_raw_page"))
        figures.append(Stored(method, int(size), write_s, read_s))
    return int(pages), int(raw), figures


def report_raw_storage(engine: sa.engine.Engine, day: str) -> None:
    """The raw_page line: bytes a day of full-size pages takes in staging.raw_page under each compression."""
    progress(f"raw_page: the staged pages of {day} under pglz, lz4 and none")
    pages, raw, figures = bench_raw_storage(engine)
    if not pages:
        sys.exit("bench: staging.raw_page is empty; is the day staged?")
    with engine.connect() as conn:
        current = conn.execute(
            sa.text(
                "SELECT coalesce(attcompression, '') FROM pg_attribute WHERE attrelid = 'staging.raw_page'::regclass "
                "AND attname = 'body'"
            )
        ).scalar_one()
    parts = ", ".join(
        f"{f.method} {f.bytes / 2**20:,.0f} MiB ({f.bytes / raw:.0%}; write {f.write_s:.2f}s, read {f.read_s:.2f}s)"
        for f in figures
    )
    say(
        f"raw_page: {pages} pages of {day}, {raw / 2**20:,.0f} MiB as fetched ({raw / pages / 1024:,.0f} KiB a page); "
        f"stored: {parts}; the column uses {ATTCOMPRESSION.get(current, current)}"
    )


ATTCOMPRESSION = {"": "the server default (default_toast_compression)", "p": "pglz", "l": "lz4"}


# --- 2. load + media against COPY -------------------------------------------------------------------------


def bench_load(db_url: sa.engine.URL, day: str, repeats: int = 3) -> dict[str, float]:
    """Best of `repeats`: load_day+media_day of the staged day into an emptied news.article/news.media,
    against COPY of the same article rows (text format) into an unindexed temp table."""
    from newsetl.config import load_sources
    from newsetl.db import engine as make_engine
    from newsetl.load import index_day, load_day
    from newsetl.media import media_day

    engine = make_engine(db_url)
    the_day = date.fromisoformat(day)
    sources = load_sources([SOURCE])
    load_times = []
    counts: dict[str, Any] = {}
    for i in range(repeats):
        empty_tables(engine, ("news.media", "news.article_version", "news.article"))
        progress(f"load: load_day + media_day of {day}, try {i + 1}/{repeats}")
        started = time.perf_counter()
        loaded = load_day(engine, the_day, sources)
        middle = time.perf_counter()
        media = media_day(engine, the_day, sources)
        done = time.perf_counter()
        load_times.append((done - started, middle - started, done - middle))
        counts = {"load": loaded, "media": media}
    best, load_s, media_s = min(load_times)
    # The DAG's index task, beside media: merges the pending search entries the last try's load left.
    started = time.perf_counter()
    merged = index_day(engine, the_day, sources)
    index_s = time.perf_counter() - started
    with engine.connect() as conn:
        n_articles = conn.execute(sa.text("SELECT count(*) FROM news.article WHERE day = :d"), {"d": the_day}).scalar()
        n_media = conn.execute(sa.text("SELECT count(*) FROM news.media")).scalar()
    if not n_articles:
        sys.exit("bench: the load wrote no article; is the day staged?")
    our_rate = n_articles / best
    say(
        f"load: load_day+media_day {our_rate:,.0f} articles/s ({n_articles} articles, {n_media} media in "
        f"{best:.2f}s = load {load_s:.2f}s + media {media_s:.2f}s; best of {repeats}: "
        f"{', '.join(f'{t[0]:.2f}' for t in load_times)}s) {json.dumps(counts)}"
    )
    say(
        f"load: + the index task (search index merge, its own task beside media, not in the figure above) "
        f"{index_s:.2f}s {json.dumps(merged)}; load+media+index {n_articles / (best + index_s):,.0f} articles/s"
    )

    # The baseline: the very rows the load wrote, as COPY text, into a table with no index. The figure is a
    # regular (WAL-logged) table, durable like news.article; a TEMP table (no WAL at all) is shown beside it.
    raw = engine.raw_connection()
    copy_times: dict[str, list[float]] = {"logged": [], "temp": []}
    try:
        cur = raw.cursor()
        cur.execute(
            "CREATE TEMP TABLE bench_src AS SELECT source, source_id, url, title, press, reporters, emails, "
            "published_at, body_text, paragraphs, parser, content_hash, day, fetched_at FROM news.article "
            "WHERE day = %(day)s ORDER BY article_id",
            {"day": the_day},
        )
        cur.execute("DROP TABLE IF EXISTS public.bench_copy")
        cur.execute("CREATE TABLE public.bench_copy (LIKE bench_src)")  # no index, no constraint
        cur.execute("CREATE TEMP TABLE bench_copy_temp (LIKE bench_src)")
        buffer = io.StringIO()
        cur.copy_expert("COPY bench_src TO STDOUT", buffer)
        data = buffer.getvalue()
        raw.commit()
        for _ in range(repeats):
            for kind, table in (("logged", "public.bench_copy"), ("temp", "bench_copy_temp")):
                cur.execute(f"TRUNCATE {table}")
                raw.commit()
                started = time.perf_counter()
                cur.copy_expert(f"COPY {table} ({ARTICLE_COLUMNS}) FROM STDIN", io.StringIO(data))
                raw.commit()
                copy_times[kind].append(time.perf_counter() - started)
        cur.execute("SELECT count(*) FROM public.bench_copy")
        copied = cur.fetchone()[0]
        cur.execute("DROP TABLE bench_src, public.bench_copy, bench_copy_temp")
        raw.commit()
    finally:
        raw.close()
    copy_rate = copied / min(copy_times["logged"])
    temp_rate = copied / min(copy_times["temp"])
    say(
        f"load: bare COPY into an unindexed table {copy_rate:,.0f} rows/s ({copied} rows, "
        f"{len(data.encode()) / 1e6:.1f} MB of COPY text, in {min(copy_times['logged']):.2f}s, best of {repeats}); "
        f"into an unindexed TEMP table (no WAL) {temp_rate:,.0f} rows/s ({min(copy_times['temp']):.2f}s)"
    )
    ratio = our_rate / copy_rate
    say(
        f"load: load_vs_copy={ratio:.2f} (target >= 0.5; {our_rate / temp_rate:.2f} of the TEMP table's COPY); "
        "articles/s target >= 5,000"
    )
    return {
        "load_articles_per_s": our_rate,
        "copy_rows_per_s": copy_rate,
        "copy_temp_rows_per_s": temp_rate,
        "load_vs_copy": ratio,
    }


# --- 3. end to end through Airflow ------------------------------------------------------------------------

_TASK_LINE = re.compile(r"^(\S+Z)\s.*\[DAG TEST\] (starting|end task) task_id=(\w+)(?: map_index=(-?\d+))?")


@dataclass(slots=True)
class DagTiming:
    wall_s: float
    tasks: dict[str, float]  # task_id -> seconds, summed over its mapped instances
    instances: dict[str, int]  # task_id -> number of task instances run
    before_first_s: float  # process start -> first task starts (CLI start-up, DAG parsing, run creation)
    after_last_s: float  # last task ends -> process exit

    @property
    def between_s(self) -> float:
        return self.wall_s - self.before_first_s - self.after_last_s - sum(self.tasks.values())

    def describe(self) -> str:
        tasks = ", ".join(
            f"{t} {s:.1f}s" + (f" ({self.instances[t]} mapped)" if self.instances[t] > 1 else "")
            for t, s in self.tasks.items()
        )
        return (
            f"{self.wall_s:.1f}s wall = before the first task {self.before_first_s:.1f}s + tasks "
            f"{sum(self.tasks.values()):.1f}s [{tasks}] + between tasks {self.between_s:.1f}s + after the last "
            f"task {self.after_last_s:.1f}s"
        )


def task_durations(log_text: str) -> dict[str, float]:
    """Seconds per task (summed over mapped instances) from `airflow dags test` log lines."""
    return task_timeline(log_text)[0]


def task_timeline(log_text: str) -> tuple[dict[str, float], dict[str, int], datetime | None, datetime | None]:
    """(seconds per task, instances per task, first start, last end) from the [DAG TEST] lines."""
    starts: dict[tuple[str, str], datetime] = {}
    durations: dict[str, float] = {}
    instances: dict[str, int] = {}
    first = last = None
    for line in log_text.splitlines():
        if match := _TASK_LINE.match(line):
            stamp = datetime.fromisoformat(match.group(1).replace("Z", "+00:00"))
            key = (match.group(3), match.group(4) or "-1")
            if match.group(2) == "starting":
                starts[key] = stamp
                first = first or stamp
            elif key in starts:
                task = key[0]
                durations[task] = durations.get(task, 0.0) + (stamp - starts.pop(key)).total_seconds()
                instances[task] = instances.get(task, 0) + 1
                last = stamp
    return durations, instances, first, last


def timed_dags_test(day: str, env: dict[str, str], log: Path) -> DagTiming:
    """Wall seconds of `airflow dags test` (process start to exit) and where they went."""
    from airflow_api import dags_test

    started_epoch, started = time.time(), time.perf_counter()
    text = dags_test(day, env, log, [SOURCE])
    wall = time.perf_counter() - started
    tasks, instances, first, last = task_timeline(text)
    before = first.timestamp() - started_epoch if first else 0.0
    after = started_epoch + wall - last.timestamp() if last else 0.0
    return DagTiming(wall, tasks, instances, before, after)


def bench_e2e(db_url: sa.engine.URL, site_url: str, day: str) -> dict[str, float]:
    from newsetl.db import engine as make_engine

    env = db_env(db_url, site_url, airflow_db())
    engine = make_engine(db_url)
    empty_tables(engine)
    walls = []
    for name in ("first", "rerun"):
        progress(f"e2e: airflow dags test news_daily {day} ({name} run)")
        timing = timed_dags_test(day, env, LOGS / f"e2e-{day}-{name}.log")
        with engine.connect() as conn:
            states = dict(
                conn.execute(
                    sa.text("SELECT state, count(*) FROM news.crawl_url WHERE day = :d GROUP BY state ORDER BY state"),
                    {"d": date.fromisoformat(day)},
                ).all()
            )
        say(f"e2e {name}: {timing.describe()}; URL states {states}")
        walls.append(timing.wall_s)
    figures = {"e2e_5000_s": walls[0], "rerun_ratio": walls[1] / walls[0]}
    # The floor: the same command for a day of one article is almost only Airflow's fixed cost.
    floor_day = "2025-07-06"
    with site("--articles-per-day", "1") as tiny:
        progress(f"e2e: airflow dags test news_daily {floor_day} with a 1-article site (Airflow's fixed cost)")
        floor = timed_dags_test(
            floor_day,
            db_env(db_url, tiny, env["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"]),
            LOGS / f"e2e-{floor_day}-floor.log",
        )
    say(f"e2e floor (1 article): {floor.describe()}")
    # Net of the fixed cost every `airflow dags test` pays (CLI start-up, the execution API's first request,
    # interpreter exit), which the floor run measures: what the rerun itself costs against the first run.
    figures["rerun_net_ratio"] = (walls[1] - floor.wall_s) / (walls[0] - floor.wall_s)
    say(
        f"e2e: with this floor, rerun_ratio cannot go below {floor.wall_s / walls[0]:.2f} at e2e_5000_s="
        f"{walls[0]:.1f}; net of it, rerun_net_ratio = (rerun {walls[1]:.1f}s - floor {floor.wall_s:.1f}s) / "
        f"(first {walls[0]:.1f}s - floor) = {figures['rerun_net_ratio']:.3f} (target <= 0.2)"
    )
    say(
        f"e2e: e2e_5000_s={figures['e2e_5000_s']:.1f} (target <= 60), rerun_ratio={figures['rerun_ratio']:.3f} "
        f"(raw), rerun_net_ratio={figures['rerun_net_ratio']:.3f} (target <= 0.2)"
    )
    return figures


# --- 4b. the big day under a real scheduler -----------------------------------------------------------------


def bench_airflow_memory(day: str, articles: int) -> dict[str, Any]:
    """The day through Airflow's scheduler and LocalExecutor on a stack of its own, in one batch (each task
    handles the whole day: the worst case for memory); every task instance reports its own process's peak RSS
    in its return value (news_airflow.peak_rss_mb), read back here through the REST API."""
    from airflow_api import task_return_value, trigger_day, triggered_stack

    progress(f"airflow: starting a LocalExecutor stack for the {articles}-article day {day}")
    with site("--articles-per-day", str(articles)) as url, triggered_stack(url, "_benchaf") as stack:
        progress(f"airflow: running {day} in one batch (one task instance per stage)")
        result = trigger_day(stack, day, {"batch_size": ONE_BATCH}, "bench", timeout_s=1200)
        if result.state != "success":
            sys.exit(f"bench: the Airflow run {result.run_id} ended {result.state}; see .airflow-benchaf/logs")
        rss: dict[str, int] = {}
        for ti in sorted(result.task_instances, key=lambda t: (t["start_date"] or "", t["task_id"])):
            if ti["task_id"] == "plan":  # returns the batches, not counts
                continue
            name = ti["task_id"] + (f"[{ti['map_index']}]" if ti["map_index"] >= 0 else "")
            rss[name] = int(task_return_value(stack, result.run_id, ti["task_id"], ti["map_index"])["peak_rss_mb"])
    say(
        f"airflow {articles}: the run took {result.wall_s:.1f}s (scheduler + LocalExecutor, start to end); peak RSS "
        "of each task instance's process (MB): " + ", ".join(f"{k} {v}" for k, v in rss.items())
    )
    return {"airflow_peak_rss_mb": max(rss.values()), "airflow_wall_s": result.wall_s}


# --- 5. story clusters of a big day ------------------------------------------------------------------------

STORY_PRESSES = (
    "연합뉴스",
    "뉴스1",
    "뉴시스",
    "머니투데이",
    "헤럴드경제",
    "서울신문",
    "매일경제",
    "한국일보",
    "이데일리",
    "MBN",
)
# copies per story (the original included) and how often: most stories are one press's own, wire stories
# are carried by up to 15; about 3 articles a story on average
STORY_SIZES = ((1, 50), (2, 15), (3, 12), (5, 10), (8, 8), (15, 5))
_HANGUL_FIRST, _HANGUL_COUNT = 0xAC00, 11172


def _shifted(text: str, offset: int) -> str:
    """Every Hangul syllable moved by `offset` in the syllable block: a text of the same shape and length that
    shares no shingle with the original (a distinct story made out of a corpus article)."""
    return "".join(
        chr(_HANGUL_FIRST + (ord(c) - _HANGUL_FIRST + offset) % _HANGUL_COUNT) if "가" <= c <= "힣" else c for c in text
    )


def _copy(paragraphs: list[str], edit: int) -> list[str]:
    """A republished copy: 0 as is, 1 a byline added and the lead's first sentence dropped, 2 the last third
    cut, 3 boilerplate added."""
    if edit == 1:
        return ["(서울=뉴스1) 기자 = " + paragraphs[0].split(". ", 1)[-1], *paragraphs[1:]]
    if edit == 2:
        return paragraphs[: max(1, len(paragraphs) * 2 // 3)]
    if edit == 3:
        return [*paragraphs, "ⓒ 무단 전재 및 재배포 금지"]
    return paragraphs


def story_day_rows(n: int, day: str, seed: int = 18) -> list[tuple[str, ...]]:
    """n article rows (COPY columns of news.article) of one day: distinct stories made from the corpus
    articles (shifted syllables), each republished a number of times (STORY_SIZES) with _copy's edits."""
    import hashlib
    import random

    from newsetl_tools.sample_site.corpus import corpus

    rng = random.Random(seed)
    articles = corpus()
    sizes, weights = zip(*STORY_SIZES, strict=True)
    rows: list[tuple[str, ...]] = []
    story = 0
    while len(rows) < n:
        base = articles[story % len(articles)]
        paragraphs = [_shifted(p, 1 + story * 7919 % (_HANGUL_COUNT - 1)) for p in base.paragraphs]
        for copy in range(min(n - len(rows), rng.choices(sizes, weights)[0])):
            text = "\n\n".join(_copy(paragraphs, 0 if copy == 0 else rng.randrange(4)))
            k = len(rows)
            press = STORY_PRESSES[(story + copy) % len(STORY_PRESSES)]
            published = f"{day} {(k // 60) % 24:02d}:{k % 60:02d}:00+09"
            content_hash = hashlib.sha256(text.encode()).hexdigest()
            rows.append(
                (f"{story}-{copy}", f"http://127.0.0.1/stories/{k}", base.title, press, published, text, content_hash)
            )
        story += 1
    return rows


def bench_stories(db_url: sa.engine.URL, n: int, day: str = BIG_DAY) -> dict[str, float]:
    """newsetl.stories.cluster_day of an n-article day in its own process (seconds, peak RSS), then its rerun."""
    import csv

    from newsetl.db import engine as make_engine

    engine = make_engine(db_url)
    empty_tables(engine)
    progress(f"stories: building a {n}-article day {day} of republished stories")
    rows = story_day_rows(n, day)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for source_id, url, title, press, published, text, content_hash in rows:
        writer.writerow(
            ["bench_stories", source_id, url, title, press, published, text, "generic", content_hash, day, published]
        )
    raw = engine.raw_connection()
    try:
        cur = raw.cursor()
        cur.copy_expert(
            "COPY news.article (source, source_id, url, title, press, published_at, body_text, parser, content_hash, "
            "day, fetched_at) FROM STDIN WITH (FORMAT csv)",
            io.StringIO(buffer.getvalue()),
        )
        raw.commit()
    finally:
        raw.close()
    del rows, buffer
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(sa.text("VACUUM ANALYZE news.article"))
    env = {**os.environ, "NEWS_BENCH_DB_URL": db_url.set(drivername="postgresql").render_as_string(hide_password=False)}
    progress(f"stories: cluster_day of {day} in its own process")
    first = stage_in_child("stories", day, env)
    rerun = stage_in_child("stories", day, env)
    with engine.connect() as conn:
        stories, multi, clustered = conn.execute(
            sa.text(
                "SELECT count(*), count(*) FILTER (WHERE n_presses >= 2), coalesce(sum(n_articles), 0) FROM news.story"
            )
        ).one()
    say(
        f"stories {n}: cluster_day {first.work_s:.1f}s (process {first.wall_s:.1f}s), peak RSS {first.rss_mb:.0f} MB "
        f"{json.dumps(first.counts)}; {stories} stories ({multi} of two presses or more) holding {clustered} articles"
    )
    say(f"stories {n}: the rerun {rerun.work_s:.2f}s, peak RSS {rerun.rss_mb:.0f} MB {json.dumps(rerun.counts)}")
    say(f"stories: stories_{n}_s={first.work_s:.1f} (target <= 30), stories_peak_rss_mb={first.rss_mb:.0f}")
    # the key names the default size, like e2e_5000_s (--big-articles changes both)
    return {"stories_20000_s": first.work_s, "stories_peak_rss_mb": first.rss_mb}


# --- main -------------------------------------------------------------------------------------------------


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--stage", choices=(*STAGES, "imports", "stories"), help="child mode: run one stage and exit")
    parser.add_argument("--only", choices=("stories",), help="run only this part (prints its own figures)")
    parser.add_argument("--day", default=DAY)
    parser.add_argument("--parse-pages", type=int, default=2080)
    parser.add_argument("--trafilatura-pages", type=int, default=312)
    parser.add_argument("--articles", type=int, default=5000, help="articles of the day for load, e2e, memory")
    parser.add_argument("--big-articles", type=int, default=20000, help="articles of the big day (memory)")
    args = parser.parse_args(argv)
    if args.stage:
        return run_stage_child(args.stage, args.day)
    if args.only == "stories":
        say(machine())
        figures = bench_stories(bench_db(), args.big_articles)
        say(" ".join(f"{key}={_FORMATS[key].format(figures[key])}" for key in KEYS if key in figures))
        return 0

    bench_started = time.perf_counter()
    say(machine())
    figures: dict[str, float] = {}
    figures.update(bench_parse(args.parse_pages, args.trafilatura_pages))
    figures.update(bench_parse_full())

    from newsetl.db import engine as make_engine

    db_url = bench_db()
    engine = make_engine(db_url)
    with engine.connect() as conn:
        say(f"database: {db_url.database} (PostgreSQL {conn.execute(sa.text('SHOW server_version')).scalar()})")
    empty_tables(engine)
    memory: dict[int, list[StageRun]] = {}
    with site("--articles-per-day", str(args.articles)) as url:
        # The stages of the day, each in its own process: the memory table and the staging for the load.
        progress(f"memory: {args.articles}-article day {DAY} on {url}")
        memory[args.articles] = stages_in_children(DAY, db_env(db_url, url), args.articles)
        report_raw_storage(engine, DAY)
        figures.update(bench_load(db_url, DAY))
        figures.update(bench_e2e(db_url, url, DAY))
    with site("--articles-per-day", str(args.big_articles)) as url:
        progress(f"memory: {args.big_articles}-article day {BIG_DAY} on {url}")
        memory[args.big_articles] = stages_in_children(BIG_DAY, db_env(db_url, url), args.big_articles)

    in_airflow = bench_airflow_memory(BIG_DAY, args.big_articles)
    figures.update(bench_stories(db_url, args.big_articles))

    sizes = list(memory)
    say("memory: peak RSS (MB) and work seconds per stage, each stage in its own process")
    say(f"  {'stage':<10}" + "".join(f"{f'{n} RSS':>12}{f'{n} s':>10}" for n in sizes))
    for i, stage in enumerate(("imports", *STAGES)):
        say(f"  {stage:<10}" + "".join(f"{memory[n][i].rss_mb:12.0f}{memory[n][i].work_s:10.2f}" for n in sizes))
    alone = max(run.rss_mb for runs in memory.values() for run in runs)
    figures["peak_rss_mb"] = max(alone, in_airflow["airflow_peak_rss_mb"])
    say(
        f"memory: peak_rss_mb={figures['peak_rss_mb']:.0f} (target < 300): the largest of {alone:.0f} MB (a stage "
        f"alone) and {in_airflow['airflow_peak_rss_mb']} MB (an Airflow task instance, {args.big_articles} articles)"
    )
    progress(f"done in {time.perf_counter() - bench_started:.0f}s")
    say(format_ratio_line(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
