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


def cmd_extract(args: argparse.Namespace) -> int:
    if args.jsonl:
        rows = _read_jsonl_texts(args.jsonl)
        parser = _parser(args.model)
        for (doc_id, _), found in zip(rows, parser.parse_many(t for _, t in rows), strict=True):
            print_json({"id": doc_id, "toponyms": [_toponym_json(m) for m in found]})
        return 0
    if not args.file:
        raise GeoError("extract needs FILE, - for stdin, or --jsonl IN.jsonl")
    if args.file == "-":
        text = sys.stdin.read()
    else:
        from geo.articles import decode_bytes

        try:
            text = decode_bytes(Path(args.file).read_bytes(), args.file)
        except OSError as exc:
            raise InputError(args.file, f"cannot read: {exc.strerror or exc}") from exc
    found = _parser(args.model).parse(text)
    if args.json:
        for m in found:
            print_json(_toponym_json(m))
        return 0
    print(
        f"{'start':>6} {'end':>6}  {'text':<24} {'role':<12} {'place':<28} {'cc':<3} {'lat':>9} {'lon':>10} {'score':>5}"
    )
    for m in found:
        p = m.place
        print(
            f"{m.start:>6} {m.end:>6}  {m.surface[:24]:<24} {m.role:<12} "
            f"{(p.name if p else '-')[:28]:<28} {(p.country_code if p else ''):<3} "
            f"{(p.lat if p else float('nan')):>9.4f} {(p.lon if p else float('nan')):>10.4f} {m.score:>5.2f}"
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
    print(
        f"{'mentions':>8} {'articles':>8}  {'place':<32} {'cc':<3} {'type':<6} {'lat':>9} {'lon':>10}"
    )
    for pc in counts:
        p = pc.place
        print(
            f"{pc.count:>8} {pc.articles:>8}  {p.name[:32]:<32} {p.country_code:<3} {p.feature_code:<6} "
            f"{p.lat:>9.4f} {p.lon:>10.4f}"
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
        Path(args.output).write_text(buffer.getvalue(), encoding="utf-8")
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
        for c in gaz.candidates(args.name, limit=args.limit):
            p = c.place
            print(
                f"{c.name_score:5.2f}  {p.id:<20} {p.name[:30]:<30} {p.country_code:<3} {p.feature_code:<6} "
                f"{p.lat:>9.4f} {p.lon:>10.4f} pop={p.population}"
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
