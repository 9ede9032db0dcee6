"""`gazetteer build|import|index|lookup`."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from geo.cli.common import (
    GAZETTEER_CSV,
    SUPPLEMENT_DIR,
    add_db,
    open_store,
    place_cells,
    print_json,
    print_table,
)
from geo.models import Place


def register(sub: argparse._SubParsersAction) -> None:
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
    g.add_argument("--json", action="store_true", help="JSON lines instead of a table")
    g.add_argument("--db", help="also the user places of this store (SQLite path or URL)")
    g = gsub.add_parser("add", help="add a place the gazetteer lacks to a store (user place)")
    g.add_argument("name")
    g.add_argument("--lat", type=float, required=True)
    g.add_argument("--lon", type=float, required=True)
    g.add_argument("--country", required=True, metavar="CC", help="ISO country code")
    g.add_argument("--type", default="PPL", metavar="CODE", help="feature code (PPL, CMP, CKP...)")
    g.add_argument("--alt", action="append", default=[], metavar="NAME", help="another name")
    g.add_argument("--region", default="", help="first-level region's name (e.g. Idlib)")
    g.add_argument("--note", default="")
    add_db(g)
    p.set_defaults(handler=cmd_gazetteer)


def cmd_gazetteer(args: argparse.Namespace) -> int:
    from geo import gazetteer as gz

    index = gz.DEFAULT_INDEX
    if args.action == "build":
        from geo.gazetteer.build import build_gazetteer

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
    elif args.action == "add":
        from geo.store import make_user_place

        place = make_user_place(
            args.name, args.lat, args.lon, args.country, args.type, tuple(args.alt), args.region,
            args.note,
        )  # fmt: skip
        with open_store(args) as store:
            store.add_user_place(place)
        print(place.place.id)
        print(
            f"added {place.place.name} to the store; `python -m geo reresolve` applies it "
            "to stored articles",
            file=sys.stderr,
        )
    elif args.action == "lookup":
        gaz = gz.Gazetteer.load()
        if args.db:
            with open_store(args, readonly=True) as store:
                gaz.use_user_places(store.user_places())
        found = gaz.candidates(args.name, limit=args.limit)
        if args.json:
            for c in found:
                print_json(lookup_json(c.place))
            return 0
        print_table(
            ["match", "id", "place", "cc", "lat", "lon", "type", "population"],
            [
                [
                    f"{c.name_score:.2f}",
                    c.place.id,
                    *place_cells(c.place),
                    c.place.feature_code,
                    c.place.population,
                ]
                for c in found
            ],
        )
    return 0


def lookup_json(place: Place) -> dict[str, object]:
    """One `lookup --json` line; `id` is the id `places --json` prints for the same place."""
    return {
        "id": place.id,
        "name": place.name,
        "admin1": place.admin1,
        "country_code": place.country_code,
        "lat": place.lat,
        "lon": place.lon,
        "feature_code": place.feature_code,
        "population": place.population,
    }
