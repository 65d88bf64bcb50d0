"""`newsetl`: the project's command line (parse pages, migrate, run or report a day, sample site)."""

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
    from newsetl.days import parse_day
    from newsetl.db import engine
    from newsetl.pipeline import run_day

    counts = run_day(engine(args.url), parse_day(args.day), load_sources(args.source or None),
                     force_refetch=args.force_refetch, reparse=args.reparse)
    print(json.dumps(counts, ensure_ascii=False))
    return 0


def _cmd_report(args: argparse.Namespace) -> int:
    from newsetl.days import parse_day
    from newsetl.db import engine
    from newsetl.report import day_report

    print(day_report(engine(args.url), parse_day(args.day), limit=args.limit))
    return 0


def _cmd_sample_site(args: argparse.Namespace) -> int:
    from newsetl.sample_site.__main__ import main

    argv = ["--host", args.host, "--port", str(args.port), "--articles-per-day", str(args.articles_per_day)]
    if args.faults:
        argv += ["--faults", "--fault-seed", str(args.fault_seed), "--slow-seconds", str(args.slow_seconds)]
    return main(argv)


def _cmd_airflow_env(args: argparse.Namespace) -> int:
    """Print `export` lines: the `news_warehouse` connection from the warehouse URL, the fetch pool."""
    from newsetl.config import fetch_pool
    from newsetl.db import warehouse_url

    url = warehouse_url().set(drivername="postgresql")
    print(f"export AIRFLOW_CONN_NEWS_WAREHOUSE={shlex.quote(url.render_as_string(hide_password=False))}")
    name, slots = fetch_pool()
    print(f"export NEWS_FETCH_POOL={shlex.quote(name)} NEWS_FETCH_POOL_SLOTS={slots}")
    return 0


def _cmd_accuracy(args: argparse.Namespace) -> int:
    from pathlib import Path

    from newsetl.accuracy import evaluate, render

    report = evaluate(Path(args.folder), with_trafilatura=not args.no_trafilatura)
    if not report.pages:
        print(f"no pages with an expected JSON beside them in {args.folder}", file=sys.stderr)
        return 2
    print(render(report))
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

    p = sub.add_parser("migrate", help="create or upgrade the warehouse schema")
    p.add_argument("--url", help="SQLAlchemy URL (default: NEWS_WAREHOUSE_URL or the embedded cluster)")
    p.set_defaults(func=_cmd_migrate)

    p = sub.add_parser("run-day", help="run every stage for one KST day without Airflow")
    p.add_argument("day", help="YYYY-MM-DD (Asia/Seoul)")
    p.add_argument("--source", action="append", help="only this source (repeatable)")
    p.add_argument("--force-refetch", action="store_true")
    p.add_argument("--reparse", action="store_true")
    p.add_argument("--url", help="warehouse URL")
    p.set_defaults(func=_cmd_run_day)

    p = sub.add_parser("report", help="print what landed for a day")
    p.add_argument("day", help="YYYY-MM-DD (Asia/Seoul)")
    p.add_argument("--limit", type=int, default=5)
    p.add_argument("--url", help="warehouse URL")
    p.set_defaults(func=_cmd_report)

    p = sub.add_parser("sample-site", help="serve the offline sample news site in the foreground")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8765)
    p.add_argument("--articles-per-day", type=int, default=40)
    p.add_argument("--faults", action="store_true", help="serve the seeded fault matrix")
    p.add_argument("--fault-seed", type=int, default=7)
    p.add_argument("--slow-seconds", type=float, default=3.0)
    p.set_defaults(func=_cmd_sample_site)

    p = sub.add_parser("accuracy", help="per-field extraction accuracy over pages with expected JSON")
    p.add_argument("folder", help="folder of NAME.html|.txt pages with NAME.json beside them")
    p.add_argument("--no-trafilatura", action="store_true", help="skip the trafilatura baseline")
    p.set_defaults(func=_cmd_accuracy)

    p = sub.add_parser("airflow-env", help="print the AIRFLOW_CONN_NEWS_WAREHOUSE export for the warehouse")
    p.set_defaults(func=_cmd_airflow_env)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s", stream=sys.stderr)
    return int(args.func(args) or 0)


if __name__ == "__main__":
    sys.exit(main())
