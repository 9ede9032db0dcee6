"""Corrections and user places as one CSV, to share with colleagues.

One row per user place (kind "place") then one per active correction (kind "correction"),
oldest first. Articles are named by content hash and mentions by offsets, so the file means
the same in any store holding the same articles. Importing a file twice adds nothing.
"""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass, field
from typing import Any, TextIO

from sqlalchemy import select
from sqlalchemy.engine import Connection

from geo.errors import InputError, StoreError
from geo.models import CORRECTION_SCOPES, Place, UserPlace
from geo.names import name_key
from geo.store import corrections as corr
from geo.store.export import _cell
from geo.store.schema import corrections, places
from geo.store.user_places import add_user_place, list_user_places, make_user_place
from geo.store.writes import _insert, place_row

COLUMNS = (
    "kind", "created_at", "scope", "name", "article_hash", "start", "end", "place_id",
    "place_name", "alternate_names", "lat", "lon", "country_code", "admin1", "feature_code",
    "note",
)  # fmt: skip
_STAMP = "%Y-%m-%dT%H:%M:%SZ"


def _stamp(value: dt.datetime) -> str:
    if value.tzinfo is not None:
        value = value.astimezone(dt.UTC).replace(tzinfo=None)
    return value.strftime(_STAMP)


def _parse_stamp(text: str) -> dt.datetime:
    return dt.datetime.strptime(text, _STAMP).replace(tzinfo=dt.UTC)


def write_corrections_csv(conn: Connection, file: TextIO) -> int:
    """Write the store's user places and active corrections; returns the rows written."""
    writer = csv.writer(file, lineterminator="\n")
    writer.writerow(COLUMNS)
    written = 0
    for user in sorted(list_user_places(conn), key=lambda u: u.place.id):
        p = user.place
        writer.writerow(
            [_cell(v) for v in ("place", "", "", "", "", "", "", p.id, p.name)]
            + [_cell("|".join(user.alternate_names)), p.lat, p.lon]
            + [_cell(v) for v in (p.country_code, p.admin1, p.feature_code, user.note)]
        )
        written += 1
    for c in corr.list_corrections(conn):
        p = c.place
        writer.writerow(
            [_cell(v) for v in ("correction", _stamp(c.created_at), c.scope, c.name)]
            + [c.article_hash, "" if c.start is None else c.start, "" if c.end is None else c.end]
            + [_cell(p.id if p else ""), _cell(p.name if p else ""), ""]
            + ([p.lat, p.lon] if p else ["", ""])
            + [_cell(v) for v in (p.country_code if p else "", p.admin1 if p else "")]
            + [_cell(p.feature_code if p else ""), _cell(c.note)]
        )
        written += 1
    return written


def _text(value: str) -> str:
    """Undo the spreadsheet guard of exports: "'=x" was written for "=x"."""
    return value[1:] if value.startswith("'") and value[1:2] in "=+-@\t\r" else value


@dataclass
class ImportRows:
    """A checked import file, applied in one transaction by `apply`."""

    places: list[UserPlace] = field(default_factory=list)
    corrections: list[dict[str, Any]] = field(default_factory=list)

    def apply(self, conn: Connection) -> tuple[int, int]:
        corr.lock_for_corrections(conn)
        for user in self.places:
            add_user_place(conn, user)
        c = corrections.c
        added = 0
        for row in self.corrections:
            place = row["place"]
            same = select(c.id).where(
                c.undone_at.is_(None),
                c.scope == row["scope"],
                c.name_key == name_key(row["name"]),
                c.article_hash == row["article_hash"],
                c.place_id.is_(None) if place is None else c.place_id == place.id,
            )
            if any(
                _stamp(r.created_at) == _stamp(row["created_at"])
                for r in conn.execute(select(corrections).where(c.id.in_(same)))
            ):
                continue  # imported before
            if place is not None:
                known = select(places.c.id).where(places.c.id == place.id)
                if conn.execute(known).first() is None:
                    conn.execute(_insert(conn, places).values(**place_row(place)))
            corr.add_correction(
                conn,
                row["scope"],
                row["name"],
                place,
                article_hash=row["article_hash"],
                start=row["start"],
                end=row["end"],
                note=row["note"],
                created_at=row["created_at"],
                refresh_place=False,
            )
            added += 1
        return len(self.places), added


def read_corrections_csv(file: TextIO, source: str) -> ImportRows:
    """Check every row first: a bad file changes nothing and the error names its line."""
    reader = csv.DictReader(file)
    missing = set(COLUMNS) - set(reader.fieldnames or ())
    if missing:
        raise InputError(source, f"not a corrections export (missing {', '.join(sorted(missing))})")
    rows = ImportRows()
    for line, raw in enumerate(reader, start=2):
        try:
            r = {k: _text(v or "") for k, v in raw.items() if k}
            if r["kind"] == "place":
                rows.places.append(
                    make_user_place(
                        r["name"] or r["place_name"],
                        float(r["lat"]),
                        float(r["lon"]),
                        r["country_code"],
                        r["feature_code"],
                        tuple(a for a in r["alternate_names"].split("|") if a),
                        r["admin1"],
                        r["note"],
                        place_id=r["place_id"],
                    )
                )
            elif r["kind"] == "correction":
                rows.corrections.append(_correction(r))
            else:
                raise ValueError(f"unknown kind {r['kind']!r}")
        except (ValueError, KeyError, StoreError) as exc:
            raise InputError(source, f"line {line}: {exc}") from exc
    return rows


def _correction(r: dict[str, str]) -> dict[str, Any]:
    if r["scope"] not in CORRECTION_SCOPES:
        raise ValueError(f"unknown scope {r['scope']!r}")
    place = None
    if r["place_id"]:
        place = Place(
            id=r["place_id"],
            name=r["place_name"],
            lat=float(r["lat"]),
            lon=float(r["lon"]),
            country_code=r["country_code"],
            admin1=r["admin1"],
            feature_code=r["feature_code"],
        )
    return {
        "scope": r["scope"],
        "name": r["name"],
        "article_hash": r["article_hash"],
        "start": int(r["start"]) if r["start"] else None,
        "end": int(r["end"]) if r["end"] else None,
        "note": r["note"],
        "created_at": _parse_stamp(r["created_at"]),
        "place": place,
    }
