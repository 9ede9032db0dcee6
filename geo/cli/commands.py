"""The CLI's subcommands: each takes parsed arguments, calls the library, prints, returns a code."""

from __future__ import annotations

import argparse
import io
import json
import sys
import time
from pathlib import Path

from geo.cli import GAZETTEER_CSV, SUPPLEMENT_DIR, log, print_json
from geo.errors import GeoError, InputError
from geo.models import Filters, Mention


def _store(args: argparse.Namespace):
    from geo.store import Store

    return Store.open(args.db)


def _parser(model: str | None):
    from geo.gazetteer import Gazetteer
    from geo.pipeline import Geoparser, load_nlp

    return Geoparser(load_nlp(model), Gazetteer.load())


def cmd_ingest(args: argparse.Namespace) -> int:
    from geo.ingest import ingest_paths

    with _store(args) as store:
        if args.if_empty and not store.is_empty():
            log.info("store already holds %d articles; nothing to do", store.article_count())
            return 0
        started = time.perf_counter()
        report = ingest_paths(
            args.paths, store, workers=args.workers, dask_address=args.dask, model=args.model
        )
        elapsed = time.perf_counter() - started
    for error in report.errors:
        print(f"error: {error}", file=sys.stderr)
    print(
        f"added {report.added} articles, skipped {report.skipped} already stored, "
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


def _place_cells(place) -> list[object]:
    if place is None:
        return ["-", "", "", ""]
    return [place.name, place.country_code, f"{place.lat:.4f}", f"{place.lon:.4f}"]


def _print_table(headers: list[str], rows: list[list[object]], width: int = 32) -> None:
    """A plain aligned table: numbers right, text left, long text cut at `width`."""
    cells = [[str(c)[:width] for c in row] for row in rows]
    widths = [max([len(h)] + [len(r[i]) for r in cells]) for i, h in enumerate(headers)]
    numeric = [all(_is_number(r[i]) for r in cells) and bool(cells) for i in range(len(headers))]

    def line(values: list[str]) -> str:
        return "  ".join(
            v.rjust(w) if num else v.ljust(w)
            for v, w, num in zip(values, widths, numeric, strict=True)
        ).rstrip()

    print(line(headers))
    for row in cells:
        print(line(row))


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _read_for_extract(path: str) -> str:
    """The file's text exactly as stored (offsets point into it); legacy encodings decoded."""
    from geo.articles import decode_bytes

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
        parser = _parser(args.model)
        for (doc_id, _), found in zip(rows, parser.parse_many(t for _, t in rows), strict=True):
            print_json({"id": doc_id, "toponyms": [_toponym_json(m) for m in found]})
        return 0
    if not args.file:
        raise GeoError("extract needs FILE, - for stdin, or --jsonl IN.jsonl")
    text = sys.stdin.read() if args.file == "-" else _read_for_extract(args.file)
    found = _parser(args.model).parse(text)
    if args.json:
        for m in found:
            print_json(_toponym_json(m))
        return 0
    _print_table(
        ["start", "end", "text", "role", "place", "cc", "lat", "lon", "score"],
        [
            [m.start, m.end, m.surface, m.role, *_place_cells(m.place), f"{m.score:.2f}"]
            for m in found
        ],
    )
    return 0


def _filters(args: argparse.Namespace) -> Filters:
    return Filters(
        date_from=args.date_from,
        date_to=args.date_to,
        countries=tuple(c.upper() for c in getattr(args, "country", []) or []),
    )


def cmd_places(args: argparse.Namespace) -> int:
    with _store(args) as store:
        counts = store.place_counts(_filters(args))
    if args.json:
        for pc in counts:
            p = pc.place
            print_json(
                {
                    "id": p.id,
                    "name": p.name,
                    "lat": p.lat,
                    "lon": p.lon,
                    "country_code": p.country_code,
                    "feature_code": p.feature_code,
                    "mentions": pc.count,
                    "articles": pc.articles,
                    "last_date": pc.last_date,
                }
            )
        return 0
    _print_table(
        ["mentions", "articles", "place", "cc", "lat", "lon", "type"],
        [[pc.count, pc.articles, *_place_cells(pc.place), pc.place.feature_code] for pc in counts],
    )
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from geo.export import to_geojson, write_csv

    with _store(args) as store:
        counts = store.place_counts(_filters(args))
    buffer = io.StringIO()
    if args.format == "csv":
        write_csv(counts, buffer)
    else:
        buffer.write(json.dumps(to_geojson(counts), ensure_ascii=False))
        buffer.write("\n")
    if args.output:
        try:
            Path(args.output).write_text(buffer.getvalue(), encoding="utf-8")
        except OSError as exc:
            raise InputError(args.output, f"cannot write: {exc.strerror or exc}") from exc
    else:
        sys.stdout.write(buffer.getvalue())
    return 0


def cmd_gazetteer(args: argparse.Namespace) -> int:
    from geo import gazetteer as gz

    index = gz.DEFAULT_INDEX
    if args.action == "build":
        from geo.gazetteer_build import build_gazetteer

        rows = build_gazetteer(GAZETTEER_CSV, SUPPLEMENT_DIR)
        gz.build_index(GAZETTEER_CSV, index)
        print(f"wrote {rows} places to {GAZETTEER_CSV} and rebuilt {index}", file=sys.stderr)
    elif args.action == "import":
        added = gz.import_geonames(Path(args.file), GAZETTEER_CSV)
        gz.build_index(GAZETTEER_CSV, index)
        print(f"merged {added} places from {args.file}; rebuilt {index}", file=sys.stderr)
    elif args.action == "index":
        started = time.perf_counter()
        gz.build_index(GAZETTEER_CSV, index)
        print(f"built {index} in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    elif args.action == "lookup":
        gaz = gz.Gazetteer.load()
        _print_table(
            ["match", "id", "place", "cc", "lat", "lon", "type", "population"],
            [
                [
                    f"{c.name_score:.2f}",
                    c.place.id,
                    *_place_cells(c.place),
                    c.place.feature_code,
                    c.place.population,
                ]
                for c in gaz.candidates(args.name, limit=args.limit)
            ],
        )
    return 0


def cmd_evaluate(args: argparse.Namespace) -> int:
    from geo.evaluate import evaluate, format_report, load_gold, markdown_table

    gold = load_gold(Path(args.gold))
    parser = _parser(args.model)
    report = evaluate(gold, lambda texts: list(parser.parse_many(texts)), profile=args.profile)
    if args.markdown:
        print(markdown_table({f"{Path(args.gold).name} ({args.profile})": report}))
    else:
        print(format_report(report, errors=args.errors))
    return 0
