"""`places` and `export`: the store's places with their counts, as a table, JSON, CSV or GeoJSON."""

from __future__ import annotations

import argparse
import io
import json
import os
import sys
import tempfile
from pathlib import Path

from geo.cli.common import add_db, iso_date, open_store, place_cells, print_json, print_table
from geo.errors import InputError
from geo.models import Filters


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("places", help="places in the store with their mention counts")
    add_db(p)
    p.add_argument(
        "--from", dest="date_from", type=iso_date, help="first article date (YYYY-MM-DD)"
    )
    p.add_argument("--to", dest="date_to", type=iso_date, help="last article date (YYYY-MM-DD)")
    p.add_argument("--country", action="append", default=[], help="ISO country code (repeatable)")
    p.add_argument("--json", action="store_true", help="JSON lines instead of a table")
    p.set_defaults(handler=cmd_places)

    p = sub.add_parser("export", help="export the places of the store as CSV or GeoJSON")
    add_db(p)
    p.add_argument("--format", choices=["csv", "geojson"], required=True)
    p.add_argument("--from", dest="date_from", type=iso_date)
    p.add_argument("--to", dest="date_to", type=iso_date)
    p.add_argument("-o", "--output", help="file to write (default stdout)")
    p.set_defaults(handler=cmd_export)


def _filters(args: argparse.Namespace) -> Filters:
    return Filters(
        date_from=args.date_from,
        date_to=args.date_to,
        countries=tuple(c.upper() for c in getattr(args, "country", []) or []),
    )


def cmd_places(args: argparse.Namespace) -> int:
    with open_store(args, readonly=True) as store:
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
    print_table(
        ["mentions", "articles", "place", "cc", "lat", "lon", "type"],
        [[pc.count, pc.articles, *place_cells(pc.place), pc.place.feature_code] for pc in counts],
    )
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from geo.store.export import to_geojson, write_csv

    with open_store(args, readonly=True) as store:
        counts = store.place_counts(_filters(args))
    buffer = io.StringIO()
    if args.format == "csv":
        write_csv(counts, buffer)
    else:
        buffer.write(json.dumps(to_geojson(counts), ensure_ascii=False))
        buffer.write("\n")
    if args.output:
        write_atomically(Path(args.output), buffer.getvalue())
    else:
        sys.stdout.write(buffer.getvalue())
    return 0


def write_atomically(path: Path, text: str) -> None:
    """Write a temporary file beside `path`, then rename it over `path`: a failed write
    (full disk) leaves the previous file whole, never a truncated one."""
    try:
        fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:
        raise InputError(str(path), f"cannot write: {exc.strerror or exc}") from exc
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, 0o666 & ~_umask())  # mkstemp makes it 0600; an export is a normal file
        os.replace(temp, path)
    except BaseException as exc:
        Path(temp).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise InputError(str(path), f"cannot write: {exc.strerror or exc}") from exc
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
