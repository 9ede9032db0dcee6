"""Merge the hand-kept data/supplement CSVs: extra places, aliases and GeoNames points."""

from __future__ import annotations

import csv
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

from geopy.distance import great_circle

from geo.errors import GazetteerError
from geo.gazetteer.rows import COLUMNS, Row, join_names
from geo.names import loose_key

SUPPLEMENT_COLUMNS = COLUMNS[:10]
# Files in the supplement folder that are not place rows.
NON_PLACE_FILES = frozenset({"demonyms.csv", "aliases.csv", "points.csv"})
# Columns of points.csv: GeoNames' own point and geonameid for broad features.
POINT_COLUMNS = ("id", "lat", "lon", "geonameid", "source_note")
# A supplement row this close to a GeoNames place with a shared loose key is the same place.
SAME_PLACE_KM = 8.0


def read_supplement(path: Path) -> Iterator[Row]:
    """Rows of a hand-kept supplement CSV; InputError-free: a bad file is a build error."""
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        missing = set(SUPPLEMENT_COLUMNS) - set(reader.fieldnames or ())
        if missing:
            raise GazetteerError(f"{path}: missing columns {sorted(missing)}")
        for line, r in enumerate(reader, start=2):
            try:
                float(r["lat"]), float(r["lon"])
            except ValueError as exc:
                raise GazetteerError(f"{path}:{line}: bad lat/lon") from exc
            yield {k: (r[k] or "").strip() for k in SUPPLEMENT_COLUMNS}


def merge_supplements(rows: dict[str, Row], supplement_dir: Path) -> None:
    """Add supplement places; a row naming a GeoNames place nearby only adds spellings."""
    by_loose: dict[tuple[str, str], list[Row]] = defaultdict(list)
    for r in rows.values():
        if r["feature_class"] == "P":
            for n in [r["name"], *r["alternate_names"].split("|")]:
                by_loose[(r["country_code"], loose_key(n))].append(r)
    for path in sorted(supplement_dir.glob("*.csv")):
        if path.name in NON_PLACE_FILES:
            continue
        for s in read_supplement(path):
            names = [s["name"], *filter(None, s["alternate_names"].split("|"))]
            lat, lon = float(s["lat"]), float(s["lon"])
            same = [
                r
                for n in names
                for r in by_loose.get((s["country_code"], loose_key(n)), [])
                if great_circle((lat, lon), (float(r["lat"]), float(r["lon"]))).km < SAME_PLACE_KM
            ]
            if same and s["feature_class"] == "P":
                target = same[0]
                target["alternate_names"] = join_names(
                    [*target["alternate_names"].split("|"), *names], target["name"]
                )
                continue
            rows[s["id"]] = {**s, "source": f"supplement:{path.stem}", "geonameid": ""}
    aliases = supplement_dir / "aliases.csv"
    if aliases.exists():
        with aliases.open(encoding="utf-8", newline="") as f:
            for a in csv.DictReader(f):
                target = rows.get(a["id"])
                if target is None:
                    raise GazetteerError(f"{aliases}: unknown place id {a['id']}")
                target["alternate_names"] = join_names(
                    [*target["alternate_names"].split("|"), *a["alternate_names"].split("|")],
                    target["name"],
                )


def read_points(path: Path) -> list[Row]:
    """Rows of points.csv; a bad coordinate or an unknown column is a build error."""
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        missing = set(POINT_COLUMNS) - set(reader.fieldnames or ())
        if missing:
            raise GazetteerError(f"{path}: missing columns {sorted(missing)}")
        out: list[Row] = []
        for line, r in enumerate(reader, start=2):
            try:
                lat, lon = float(r["lat"]), float(r["lon"])
            except ValueError as exc:
                raise GazetteerError(f"{path}:{line}: bad lat/lon") from exc
            if not (-90 <= lat <= 90 and -180 <= lon <= 180):
                raise GazetteerError(f"{path}:{line}: lat/lon out of range")
            out.append({k: (r[k] or "").strip() for k in POINT_COLUMNS})
        return out


def apply_points(rows: dict[str, Row], supplement_dir: Path) -> int:
    """Move broad features to GeoNames' own point (and geonameid); returns rows changed.

    Country and admin1 points otherwise come from countryinfo or town medians, which can
    sit hundreds of km from the GeoNames feature that reference data uses.
    """
    path = supplement_dir / "points.csv"
    if not path.exists():
        return 0
    points = read_points(path)
    for p in points:
        target = rows.get(p["id"])
        if target is None:
            raise GazetteerError(f"{path}: unknown place id {p['id']}")
        target["lat"] = f"{float(p['lat']):.5f}"
        target["lon"] = f"{float(p['lon']):.5f}"
        if p["geonameid"]:
            target["geonameid"] = p["geonameid"]
    return len(points)
