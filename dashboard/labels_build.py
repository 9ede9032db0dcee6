"""Place-name labels for the basemap, from the bundled gazetteer (data/gazetteer.csv).

    python -m dashboard.labels_build          # writes dashboard/static/labels/ (not in git)

`make install` runs it, and the launcher (`python -m dashboard`) runs it when the files are
missing or older than the gazetteer. Every country, first-level region and populated place
becomes a label with the first zoom at which it may show; the browser places them by rank
and drops any that would overlap one already placed (dashboard/static/geomap/geomap.js).

Labels that may show from zoom WORLD_MAX_ZOOM or further out go in one file; the others,
towns and villages, in CELL-degree cells loaded only for the part of the map on screen.
Each label is [name, lat, lon, kind, min_zoom, rank], highest rank first.
"""

from __future__ import annotations

import csv
import json
import math
import sys
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

from unidecode import unidecode

ROOT = Path(__file__).resolve().parent.parent
GAZETTEER = ROOT / "data" / "gazetteer.csv"
OUT = ROOT / "dashboard" / "static" / "labels"
CELL = 5
WORLD_MAX_ZOOM = 6
COUNTRY_CODES = {"PCLI", "PCLD", "PCLIX", "PCLS", "PCLF", "PCL", "TERR"}
# (minimum population, first zoom) for populated places, largest first.
TOWN_ZOOMS = ((1_000_000, 4), (300_000, 5), (100_000, 6), (30_000, 7), (10_000, 8), (3_000, 9))
VILLAGE_ZOOM = 10


def display_name(name: str) -> str:
    """The name as an English-language map prints it: 'Arīḩā' -> 'Ariha'."""
    return " ".join(unidecode(name).replace("`", "'").split())


def label_zoom(feature_class: str, feature_code: str, population: int) -> tuple[str, int] | None:
    """(kind, first zoom) for a gazetteer row, or None when it gets no label."""
    if feature_code in COUNTRY_CODES:
        # Small territories wait until there is room for them.
        return "country", 2 if population >= 5_000_000 else 3 if population >= 300_000 else 5
    if feature_code == "ADM1":
        return "region", 5
    if feature_class != "P":
        return None
    if feature_code == "PPLC":
        return "city", 3
    for minimum, zoom in TOWN_ZOOMS:
        if population >= minimum:
            return ("city" if zoom <= 6 else "town"), zoom
    return "village", VILLAGE_ZOOM


def rank(kind: str, population: int) -> int:
    """Higher draws first: countries, then regions, then places by population."""
    base = {"country": 3_000_000_000, "region": 2_000_000_000}.get(kind, 0)
    return base + min(population, 1_999_999_999)


def read_labels(gazetteer: Path = GAZETTEER) -> Iterator[list]:
    with gazetteer.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            try:
                population = int(float(row["population"] or 0))
                lat, lon = float(row["lat"]), float(row["lon"])
            except ValueError:
                continue
            found = label_zoom(row["feature_class"], row["feature_code"], population)
            name = display_name(row["name"])
            if found is None or not name or not (-90 <= lat <= 90 and -180 <= lon <= 180):
                continue
            kind, zoom = found
            yield [name, round(lat, 4), round(lon, 4), kind, zoom, rank(kind, population)]


def cell_key(lat: float, lon: float) -> str:
    return f"{math.floor(lon / CELL)}_{math.floor(lat / CELL)}"


def build(gazetteer: Path = GAZETTEER, out: Path = OUT) -> dict:
    """Write world.json, the cell files and index.json; returns the index."""
    world: list[list] = []
    cells: dict[str, list[list]] = defaultdict(list)
    for label in read_labels(gazetteer):
        if label[4] <= WORLD_MAX_ZOOM:
            world.append(label)
        else:
            cells[cell_key(label[1], label[2])].append(label)
    (out / "cells").mkdir(parents=True, exist_ok=True)
    for old in (out / "cells").glob("*.json"):
        old.unlink()

    def write(path: Path, labels: list[list]) -> None:
        labels.sort(key=lambda label: -label[5])
        path.write_text(json.dumps(labels, ensure_ascii=False, separators=(",", ":")))

    write(out / "world.json", world)
    for key, labels in cells.items():
        write(out / "cells" / f"{key}.json", labels)
    index = {"cell": CELL, "cellMinZoom": WORLD_MAX_ZOOM + 1, "cells": sorted(cells)}
    (out / "index.json").write_text(json.dumps(index, separators=(",", ":")))
    return index


def is_stale(gazetteer: Path = GAZETTEER, out: Path = OUT) -> bool:
    index = out / "index.json"
    return not index.exists() or index.stat().st_mtime < gazetteer.stat().st_mtime


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    gazetteer = Path(args[0]) if args else GAZETTEER
    index = build(gazetteer)
    print(f"wrote labels: world.json and {len(index['cells'])} cells under {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
