"""CSV and GeoJSON exports: plain data, formula-safe, round-trippable."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

from geo.models import Place, PlaceCount
from geo.store.export import MENTION_COLUMNS, to_geojson, write_csv, write_mentions_csv
from geo.store.queries import MentionRow

HOSTILE = 'Idlib "<script>alert(1)</script>", city\nsecond line'
PLACE = Place("gn:169389", HOSTILE, 35.93, 36.63, "SY", "=cmd|' /C calc'!A0", "P", "PPLA")
COUNTS = [
    PlaceCount(PLACE, 7, 3, dt.date(2018, 9, 17)),
    PlaceCount(Place("cc:SY", "Syria", 35.0, 38.0, "SY", feature_code="PCLI"), 2, 2, None),
]


def test_csv_round_trips_hostile_text_and_disarms_formulas() -> None:
    buffer = io.StringIO()
    assert write_csv(COUNTS, buffer) == 2
    rows = list(csv.DictReader(io.StringIO(buffer.getvalue())))
    assert len(rows) == 2
    assert rows[0]["name"] == HOSTILE  # quoted, not mangled or escaped into HTML
    assert rows[0]["admin1"].startswith("'=")
    assert rows[0]["mentions"] == "7" and rows[0]["last_date"] == "2018-09-17"
    assert rows[1]["last_date"] == "" and float(rows[1]["lon"]) == 38.0


def test_geojson_is_a_feature_collection_of_points() -> None:
    data = to_geojson(COUNTS)
    assert data["type"] == "FeatureCollection" and len(data["features"]) == 2
    first = data["features"][0]
    assert first["geometry"] == {"type": "Point", "coordinates": [36.63, 35.93]}
    assert first["properties"]["name"] == HOSTILE
    assert first["properties"]["count"] == 7 and first["properties"]["country"] == "SY"
    assert first["properties"]["place_id"] == "gn:169389"
    assert json.loads(json.dumps(data)) == data
    assert to_geojson([]) == {"type": "FeatureCollection", "features": []}


def test_mentions_csv() -> None:
    row = MentionRow(1, 2, "=HYPERLINK()", dt.date(2020, 2, 8), "AP", "a.txt", "gn:1", "Idlib",
                     "SY", 35.9, 36.6, "Idlib", "place", 0.9, 10, 15, 'In Idlib, "x".')  # fmt: skip
    buffer = io.StringIO()
    assert write_mentions_csv([row], buffer) == 1
    (out,) = list(csv.DictReader(io.StringIO(buffer.getvalue())))
    assert list(out) == list(MENTION_COLUMNS)
    assert out["title"] == "'=HYPERLINK()" and out["date"] == "2020-02-08"
    assert out["sentence"] == 'In Idlib, "x".' and out["end"] == "15"
