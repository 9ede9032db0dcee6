"""The gazetteer CSV format: columns, name lists, deterministic order, reading and writing."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from pathlib import Path

from geo.names import name_key

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

Row = dict[str, str]


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


def read_csv(path: Path) -> dict[str, Row]:
    """The rows of a gazetteer CSV by id, in file order."""
    with path.open(encoding="utf-8", newline="") as f:
        return {r["id"]: r for r in csv.DictReader(f)}


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
