"""Exports of the current selection as CSV and GeoJSON.

Everything that comes from articles is written as plain data (csv quoting, JSON strings):
an export is never HTML, so nothing in an article can become markup or script.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import Any, TextIO

from geo.models import PlaceCount
from geo.store.queries import MentionRow

PLACE_COLUMNS = (
    "place_id", "name", "country_code", "admin1", "feature_code", "lat", "lon",
    "mentions", "articles", "last_date",
)  # fmt: skip
MENTION_COLUMNS = (
    "article_id", "title", "date", "source", "path", "place_id", "place_name",
    "country_code", "lat", "lon", "surface", "role", "score", "start", "end", "sentence",
)  # fmt: skip

# The passage export: a reader's columns, one row per mention ("offsets" are start:end).
PASSAGE_COLUMNS = (
    "article", "date", "source", "url", "place", "region", "country", "sentence",
    "offsets", "confidence", "place_id", "article_id",
)  # fmt: skip

# Spreadsheets run cells that start with these as formulas; a leading quote disarms them.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return "" if value is None else value


def write_csv(place_counts: Iterable[PlaceCount], file: TextIO) -> int:
    """Write one row per place (PLACE_COLUMNS); returns the number of rows."""
    writer = csv.writer(file, quoting=csv.QUOTE_MINIMAL, lineterminator="\n")
    writer.writerow(PLACE_COLUMNS)
    rows = 0
    for pc in place_counts:
        place = pc.place
        writer.writerow(
            [
                _cell(place.id),
                _cell(place.name),
                _cell(place.country_code),
                _cell(place.admin1),
                _cell(place.feature_code),
                place.lat,
                place.lon,
                pc.count,
                pc.articles,
                pc.last_date.isoformat() if pc.last_date else "",
            ]
        )
        rows += 1
    return rows


def write_mentions_csv(rows: Iterable[MentionRow], file: TextIO) -> int:
    """Write one row per mention (MENTION_COLUMNS), e.g. from Store.mention_rows."""
    writer = csv.writer(file, quoting=csv.QUOTE_MINIMAL, lineterminator="\n")
    writer.writerow(MENTION_COLUMNS)
    written = 0
    for row in rows:
        values = [getattr(row, col) for col in MENTION_COLUMNS]
        writer.writerow([v.isoformat() if hasattr(v, "isoformat") else _cell(v) for v in values])
        written += 1
    return written


def write_passages_csv(rows: Iterable[MentionRow], file: TextIO) -> int:
    """Write one row per mention (PASSAGE_COLUMNS): article title, date, source, url, place
    name, region, country, sentence, start:end offsets in the article, resolver confidence."""
    writer = csv.writer(file, quoting=csv.QUOTE_MINIMAL, lineterminator="\n")
    writer.writerow(PASSAGE_COLUMNS)
    written = 0
    for row in rows:
        values = (
            row.title, row.date.isoformat() if row.date else "", row.source, row.url,
            row.place_name, row.admin1, row.country_code, row.sentence,
            f"{row.start}:{row.end}", round(row.score, 3), row.place_id, row.article_id,
        )  # fmt: skip
        writer.writerow([_cell(v) for v in values])
        written += 1
    return written


def to_geojson(place_counts: Iterable[PlaceCount]) -> dict[str, Any]:
    """A GeoJSON FeatureCollection with one Point per place (coordinates are lon, lat)."""
    features = [
        {
            "type": "Feature",
            "id": pc.place.id,
            "geometry": {"type": "Point", "coordinates": [pc.place.lon, pc.place.lat]},
            "properties": {
                "place_id": pc.place.id,
                "name": pc.place.name,
                "country": pc.place.country_code,
                "admin1": pc.place.admin1,
                "feature_code": pc.place.feature_code,
                "count": pc.count,
                "articles": pc.articles,
                "last_date": pc.last_date.isoformat() if pc.last_date else None,
            },
        }
        for pc in place_counts
    ]
    return {"type": "FeatureCollection", "features": features}
