"""Build data/gazetteer.csv from pinned packages and the hand-kept supplement CSVs.

The rows come from geo.gazetteer.sources (countries, admin1 regions, towns),
geo.gazetteer.admin2 (counties and districts) and geo.gazetteer.supplement
(data/supplement/*.csv). The output is sorted and fully determined by those inputs.
"""

from __future__ import annotations

from pathlib import Path

from geo.gazetteer.admin2 import adm2_rows
from geo.gazetteer.rows import COLUMNS, Row, join_names, write_csv
from geo.gazetteer.sources import admin1_rows, city_rows, country_rows
from geo.gazetteer.supplement import apply_points, merge_supplements

# Kept importable from here for callers written before the split.
__all__ = ["COLUMNS", "Row", "build_gazetteer", "join_names", "write_csv"]


def build_gazetteer(out_csv: Path, supplement_dir: Path) -> int:
    """Write the full gazetteer CSV; returns the number of places written."""
    cities, admin_names, admin_codes = city_rows()
    rows: dict[str, Row] = {r["id"]: r for r in cities}
    adm2, _unmapped = adm2_rows(admin_names, admin_codes)
    for r in admin1_rows(cities, admin_names) + adm2 + country_rows(cities):
        rows[r["id"]] = r
    merge_supplements(rows, supplement_dir)
    apply_points(rows, supplement_dir)
    return write_csv(rows.values(), out_csv)
