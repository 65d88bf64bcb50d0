"""`newsetl-tools`: the sample news site and the accuracy report (tooling; the pipeline is `newsetl`)."""

from __future__ import annotations

import argparse
import sys


def _cmd_sample_site(args: argparse.Namespace) -> int:
    from newsetl_tools.sample_site.__main__ import main

    argv = ["--host", args.host, "--port", str(args.port)]
    if args.public_url:
        argv += ["--public-url", args.public_url]
    if args.articles_per_day is not None:  # else the site's default: 40 a day, 80 with --faults
        argv += ["--articles-per-day", str(args.articles_per_day)]
    if args.faults:
        argv += ["--faults", "--fault-seed", str(args.fault_seed), "--slow-seconds", str(args.slow_seconds)]
    return main(argv)


def _cmd_accuracy(args: argparse.Namespace) -> int:
    from pathlib import Path

    from newsetl_tools.accuracy import accuracy_table, evaluate

    report = evaluate(Path(args.folder), with_trafilatura=not args.no_trafilatura)
    if not report.pages:
        print(f"no pages with an expected JSON beside them in {args.folder}", file=sys.stderr)
        return 2
    print(accuracy_table(report))
    return 0


def tools_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="newsetl-tools", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("sample-site", help="serve the offline sample news site in the foreground")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8765)
    p.add_argument("--public-url", default=None, help="the address in absolute links (default http://HOST:PORT)")
    p.add_argument("--articles-per-day", type=int, default=None, help="default 40, or 80 with --faults")
    p.add_argument("--faults", action="store_true", help="serve the seeded fault matrix")
    p.add_argument("--fault-seed", type=int, default=7)
    p.add_argument("--slow-seconds", type=float, default=3.0)
    p.set_defaults(func=_cmd_sample_site)

    p = sub.add_parser("accuracy", help="per-field extraction accuracy over pages with expected JSON")
    p.add_argument("folder", help="folder of NAME.html|.txt pages with NAME.json beside them")
    p.add_argument("--no-trafilatura", action="store_true", help="skip the trafilatura baseline")
    p.set_defaults(func=_cmd_accuracy)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = tools_parser().parse_args(argv)
    return int(args.func(args) or 0)


if __name__ == "__main__":
    sys.exit(main())
