"""`newsetl`: the pipeline's command line (parse pages, migrate, run or report a day, its stories, the Airflow
environment).

The sample site and the accuracy report are tooling: `newsetl-tools` (the newsetl_tools package)."""

from __future__ import annotations

import argparse
import logging
import shlex
import sys

from newsetl import __version__


def _cmd_migrate(args: argparse.Namespace) -> int:
    from newsetl.migrate import upgrade

    upgrade(args.url)
    return 0


def _cmd_run_day(args: argparse.Namespace) -> int:
    import json

    from newsetl.config import load_sources
    from newsetl.days import read_day
    from newsetl.db import engine
    from newsetl.options import RunOptions
    from newsetl.pipeline import run_pipeline

    options = RunOptions(force_refetch=args.force_refetch, reextract=args.reextract)
    counts = run_pipeline(engine(args.url), read_day(args.day), load_sources(args.source or None), options)
    print(json.dumps(counts, ensure_ascii=False))
    return 0


def _cmd_report(args: argparse.Namespace) -> int:
    from newsetl.days import read_day
    from newsetl.db import engine
    from newsetl.report import day_report

    print(day_report(engine(args.url), read_day(args.day), limit=args.limit))
    return 0


def _cmd_stories(args: argparse.Namespace) -> int:
    """Cluster the day's articles into stories (newsetl.stories) and print the counts as JSON."""
    import json
    from dataclasses import asdict

    from newsetl.days import read_day
    from newsetl.db import engine
    from newsetl.stories import cluster_day

    print(json.dumps(asdict(cluster_day(engine(args.url), read_day(args.day)))))
    return 0


def _cmd_probe(args: argparse.Namespace) -> int:
    """Probe one source (enabled or not): exit 1 naming the selector that found nothing."""
    from datetime import datetime

    from newsetl.config import ConfigError, load_sources
    from newsetl.days import KST, DayError, read_day
    from newsetl.probe import probe_source, report

    try:
        day = read_day(args.day) if args.day else datetime.now(KST).date()
        source = load_sources([args.source])[0]
    except (ConfigError, DayError) as exc:  # an operator's typo: one line, not a traceback
        print(f"newsetl probe: {exc}", file=sys.stderr)
        return 2
    if not args.verbose:  # probe reads one listing page on purpose: "stopped at max_pages=1" is no news
        logging.getLogger("newsetl.discover").setLevel(logging.ERROR)
    return report(probe_source(source, day), sys.stdout)


def _cmd_airflow_env(args: argparse.Namespace) -> int:
    """Print `export` lines: the `news_warehouse` connection from the warehouse URL, the fetch pool."""
    from newsetl.config import fetch_pool
    from newsetl.db import warehouse_url

    url = warehouse_url().set(drivername="postgresql")
    print(f"export AIRFLOW_CONN_NEWS_WAREHOUSE={shlex.quote(url.render_as_string(hide_password=False))}")
    name, slots = fetch_pool()
    print(f"export NEWS_FETCH_POOL={shlex.quote(name)} NEWS_FETCH_POOL_SLOTS={slots}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="newsetl", description=__doc__)
    parser.add_argument("--version", action="version", version=__version__)
    parser.add_argument("-v", "--verbose", action="store_true", help="log progress to stderr")
    sub = parser.add_subparsers(dest="command", required=True)

    from newsetl import cli_parse

    p = sub.add_parser("parse", help="parse pages (files, folders, URLs) and print one JSON object per page")
    cli_parse.add_arguments(p)
    p.set_defaults(func=cli_parse.run)

    from newsetl import capture

    p = sub.add_parser("capture", help="save a live page and a draft expected JSON of it, to review into a fixture")
    capture.add_capture_arguments(p)
    p.set_defaults(func=capture.run_capture)

    p = sub.add_parser("migrate", help="create or upgrade the warehouse schema")
    p.add_argument("--url", help="SQLAlchemy URL (default: NEWS_WAREHOUSE_URL or the embedded cluster)")
    p.set_defaults(func=_cmd_migrate)

    p = sub.add_parser("run-day", help="run every stage for one KST day without Airflow")
    p.add_argument("day", help="YYYY-MM-DD (Asia/Seoul)")
    p.add_argument("--source", action="append", help="only this source (repeatable)")
    p.add_argument("--force-refetch", action="store_true")
    p.add_argument("--reextract", action="store_true", help="extract every stored page again")
    p.add_argument("--url", help="warehouse URL")
    p.set_defaults(func=_cmd_run_day)

    p = sub.add_parser("report", help="print what landed for a day")
    p.add_argument("day", help="YYYY-MM-DD (Asia/Seoul)")
    p.add_argument("--limit", type=int, default=5)
    p.add_argument("--url", help="warehouse URL")
    p.set_defaults(func=_cmd_report)

    p = sub.add_parser("stories", help="cluster a day's articles into stories across presses (near-duplicates)")
    p.add_argument("day", help="YYYY-MM-DD (Asia/Seoul): its articles against the day ± 2 days")
    p.add_argument("--url", help="warehouse URL")
    p.set_defaults(func=_cmd_stories)

    p = sub.add_parser("probe", help="read a source's first listing page and 3 articles; show what each selector found")
    p.add_argument("source", help="a source of sources.yaml, enabled or not")
    p.add_argument("--day", help="YYYY-MM-DD (Asia/Seoul; default today in Seoul)")
    p.set_defaults(func=_cmd_probe)

    p = sub.add_parser("airflow-env", help="print the AIRFLOW_CONN_NEWS_WAREHOUSE export for the warehouse")
    p.set_defaults(func=_cmd_airflow_env)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    return int(args.func(args) or 0)


if __name__ == "__main__":
    sys.exit(main())
