"""Merge a GeoNames country dump (e.g. SY.txt, 19 tab-separated columns) into the CSV.

Places already in the CSV keep their id, name, curated point and names; the dump only
adds spellings, a larger population and its feature code. The dump's country and
first-level region rows fold into the existing cc:/adm1: rows. Admin1 codes become the
admin1 names the CSV already uses, or stay empty when no mapping is known.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from pathlib import Path

from geo.errors import InputError
from geo.gazetteer.rows import COLUMNS, Row, join_names, read_csv, write_csv
from geo.gazetteer.supplement import read_points
from geo.names import name_key

GEONAMES_COLUMNS = 19
# Feature classes worth mapping in news: places, regions, terrain, areas, water, spots.
KEPT_CLASSES = frozenset("PATLHS")
# The dump's raw admin1 code, kept beside the row until it is mapped to a name.
_CODE = "_admin1code"


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
        "admin1": "",  # set from _CODE by _admin1_names
        "feature_class": f[6],
        "feature_code": f[7],
        "population": str(population),
        "source": f"geonames-dump:{path.name}",
        "geonameid": str(geonameid),
        _CODE: f[10],
    }


def _read_dump(dump_path: Path) -> list[Row]:
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
    return new_rows


def _names(row: Row) -> list[str]:
    return [row["name"], *filter(None, row["alternate_names"].split("|"))]


def _admin1_names(rows: dict[str, Row], dump: list[Row], by_gnid: dict[str, str]) -> dict[str, str]:
    """(country, admin1 code) -> the admin1 name the CSV uses, keyed "CC.code".

    adm1:<CC>-<code> rows name their region; other codes take the admin1 most often
    written on CSV places that the dump lists under that code.
    """
    votes: dict[str, Counter[str]] = defaultdict(Counter)
    for d in dump:
        existing = rows.get(by_gnid.get(d["geonameid"], ""))
        if existing is not None and existing["admin1"] and d[_CODE]:
            votes[f"{d['country_code']}.{d[_CODE]}"][existing["admin1"]] += 1
    out = {k: max(sorted(v), key=lambda n: v[n]) for k, v in votes.items()}
    for r in rows.values():
        if r["id"].startswith("adm1:") and r["admin1"]:
            cc, _, code = r["id"][len("adm1:") :].partition("-")
            out[f"{cc}.{code}"] = r["admin1"]
    return out


def _broad_match(rows: dict[str, Row], d: Row) -> Row | None:
    """The existing cc:/adm1: row for a dump country (PCL*) or ADM1 row, if any."""
    if d["feature_code"].startswith("PCL"):
        return rows.get(f"cc:{d['country_code']}")
    if d["feature_code"] != "ADM1":
        return None
    by_code = rows.get(f"adm1:{d['country_code']}-{d[_CODE]}")
    if by_code is not None:
        return by_code
    keys = {name_key(n) for n in _names(d)}
    named = sorted(
        r["id"]
        for r in rows.values()
        if r["id"].startswith(f"adm1:{d['country_code']}-")
        and keys & {name_key(n) for n in [*_names(r), r["admin1"]]}
    )
    return rows[named[0]] if len(named) == 1 else None


def _add_names(target: Row, d: Row) -> None:
    target["alternate_names"] = join_names(
        [*target["alternate_names"].split("|"), *_names(d)], target["name"]
    )


def _merge_place(target: Row, d: Row, keep_point: bool) -> None:
    """Fold a dump row into the existing place with the same geonameid."""
    _add_names(target, d)
    if not keep_point:
        target["lat"], target["lon"] = d["lat"], d["lon"]
    for key in ("feature_class", "feature_code", "country_code", "admin1"):
        target[key] = d[key] or target[key]
    if int(d["population"]) > int(target["population"] or 0):
        target["population"] = d["population"]


def import_geonames(dump_path: Path, csv_path: Path, supplement_dir: Path | None = None) -> int:
    """Merge the dump's P/A/T/L/H/S rows into csv_path; returns the number of rows added.

    supplement_dir (default: "supplement" beside the CSV) names, through points.csv,
    the rows whose curated point the dump must not move. The caller rebuilds the index.
    """
    dump = _read_dump(Path(dump_path))
    rows = read_csv(csv_path)
    if supplement_dir is None:
        supplement_dir = csv_path.parent / "supplement"
    points_csv = supplement_dir / "points.csv"
    curated = {p["id"] for p in read_points(points_csv)} if points_csv.exists() else set()
    by_gnid: dict[str, str] = {}
    for place_id in sorted(rows):
        if rows[place_id]["geonameid"]:
            by_gnid.setdefault(rows[place_id]["geonameid"], place_id)
    admin1 = _admin1_names(rows, dump, by_gnid)
    added = 0
    for d in dump:
        d["admin1"] = admin1.get(f"{d['country_code']}.{d[_CODE]}", "") if d[_CODE] else ""
        existing = rows.get(by_gnid.get(d["geonameid"], ""))
        broad = _broad_match(rows, d)
        if broad is None and existing is not None and not existing["id"].startswith("gn:"):
            broad = existing  # a cc:/adm1:/rgn: row that points.csv tied to this geonameid
        if broad is not None:
            _add_names(broad, d)
            broad["geonameid"] = broad["geonameid"] or d["geonameid"]
            by_gnid.setdefault(d["geonameid"], broad["id"])
        elif existing is not None:
            keep = existing["id"] in curated or existing["source"].startswith("supplement:")
            _merge_place(existing, d, keep_point=keep)
        else:
            rows[d["id"]] = {k: d[k] for k in COLUMNS}
            by_gnid[d["geonameid"]] = d["id"]
            added += 1
    write_csv(rows.values(), csv_path)
    return added
