"""`gazetteer build|import|index|lookup`."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from geo.cli.common import GAZETTEER_CSV, SUPPLEMENT_DIR, place_cells, print_table


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
    elif args.action == "lookup":
        gaz = gz.Gazetteer.load()
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
                for c in gaz.candidates(args.name, limit=args.limit)
            ],
        )
    return 0
