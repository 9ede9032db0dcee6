"""Merge a GeoNames country dump (e.g. SY.txt, 19 tab-separated columns) into the CSV."""

from __future__ import annotations

import csv
from pathlib import Path

from geo.errors import InputError
from geo.gazetteer_build import COLUMNS, Row, join_names, write_csv

GEONAMES_COLUMNS = 19
# Feature classes worth mapping in news: places, regions, terrain, areas, water, spots.
KEPT_CLASSES = frozenset("PATLHS")


def _parse_line(line: str, path: Path, number: int) -> Row | None:
    f = line.rstrip("\n").split("\t")
    if len(f) != GEONAMES_COLUMNS:
        raise InputError(str(path), f"line {number}: {len(f)} columns, expected {GEONAMES_COLUMNS}")
    try:
        geonameid, lat, lon = int(f[0]), float(f[4]), float(f[5])
        population = int(f[14] or 0)
    except ValueError as exc:
        raise InputError(str(path), f"line {number}: bad number ({exc})") from exc
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise InputError(str(path), f"line {number}: coordinates out of range")
    if f[6] not in KEPT_CLASSES:
        return None
    return {
        "id": f"gn:{geonameid}",
        "name": f[1],
        "alternate_names": join_names([f[2], *f[3].split(",")], f[1]),
        "lat": f"{lat:.5f}",
        "lon": f"{lon:.5f}",
        "country_code": f[8],
        "admin1": f[10],  # replaced by the admin1 name when the CSV knows it
        "feature_class": f[6],
        "feature_code": f[7],
        "population": str(population),
        "source": f"geonames-dump:{path.name}",
        "geonameid": str(geonameid),
    }


def import_geonames(dump_path: Path, csv_path: Path) -> int:
    """Merge the dump's P/A/T/L/H/S rows into csv_path; returns the number of rows added.

    Rows with a geonameid already in the CSV are replaced (not counted as added).
    The caller rebuilds the index afterwards.
    """
    dump_path = Path(dump_path)
    try:
        text = dump_path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(str(dump_path), f"cannot read ({exc})") from exc
    new_rows = [
        row
        for number, line in enumerate(text.splitlines(), start=1)
        if line.strip() and not line.startswith("#")
        for row in [_parse_line(line, dump_path, number)]
        if row is not None
    ]
    if not new_rows:
        raise InputError(str(dump_path), "no GeoNames rows found")
    with csv_path.open(encoding="utf-8", newline="") as f:
        rows = {r["id"]: r for r in csv.DictReader(f)}
    admin_names = {
        (r["country_code"], r["id"].rpartition("-")[2]): r["admin1"]
        for r in rows.values()
        if r["id"].startswith("adm1:")
    }
    added = 0
    for r in new_rows:
        r["admin1"] = admin_names.get((r["country_code"], r["admin1"]), r["admin1"])
        added += r["id"] not in rows
        rows[r["id"]] = {k: r[k] for k in COLUMNS}
    write_csv(rows.values(), csv_path)
    return added
