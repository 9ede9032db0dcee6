"""`python -m geo`: subcommands that parse arguments, call the library and print.

Results go to stdout, logs and errors to stderr; `main(argv)` returns the exit code. Each
command group lives in its own module with a `register(sub)` that adds its parsers and sets
`handler`; this module only assembles them.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence

from geo.cli import articles, evaluate, gazetteer, ingest, places, trust
from geo.errors import GeoError

COMMAND_GROUPS = (ingest, places, articles, trust, gazetteer, evaluate)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m geo",
        description="Geoparse news articles: find, resolve and map the places they name.",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log more to stderr")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for group in COMMAND_GROUPS:
        group.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(levelname)s: %(message)s",
        stream=sys.stderr,
    )
    try:
        return args.handler(args)
    except GeoError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        return 0
    except KeyboardInterrupt as exc:  # Ctrl-C, or SIGTERM during `ingest` (its Interrupted)
        print(f"stopped: {exc or 'interrupted'}", file=sys.stderr)
        return int(getattr(exc, "exit_code", 130))
