"""Places the analyst adds to the store: kept in the `user_places` table, and in `places` so
that mentions and corrections can point at them. Everyone sharing the store sees them."""

from __future__ import annotations

import datetime as dt
import hashlib

from sqlalchemy import select
from sqlalchemy.engine import Connection

from geo.errors import StoreError
from geo.models import Place, UserPlace
from geo.names import name_key
from geo.store.schema import user_places
from geo.store.writes import _insert, upsert_places

u = user_places.c
USER_SOURCE = "user"


def user_place_id(name: str, lat: float, lon: float, country_code: str) -> str:
    """A stable id from what defines the place: the same place added twice is one place."""
    digest = hashlib.sha1(f"{name_key(name)}|{lat:.5f}|{lon:.5f}|{country_code}".encode())
    slug = "-".join(name_key(name).split())[:40] or "place"
    return f"user:{slug}-{digest.hexdigest()[:8]}"


def make_user_place(
    name: str,
    lat: float,
    lon: float,
    country_code: str,
    feature_code: str = "PPL",
    alternate_names: tuple[str, ...] = (),
    admin1: str = "",
    note: str = "",
    place_id: str = "",
) -> UserPlace:
    """Check and build a user place; raises StoreError on a bad name or point."""
    name = name.strip()
    if not name_key(name):
        raise StoreError(f"a place needs a name with letters, not {name!r}")
    if not (-90.0 <= lat <= 90.0 and -180.0 <= lon <= 180.0):
        raise StoreError(f"point ({lat}, {lon}) is not a latitude/longitude")
    code = country_code.strip().upper()
    if code and (len(code) != 2 or not code.isalpha()):
        raise StoreError(f"country must be a two-letter ISO code, not {country_code!r}")
    feature = (feature_code or "PPL").strip().upper()
    alts = tuple(dict.fromkeys(a.strip() for a in alternate_names if a.strip() and a != name))
    place = Place(
        id=place_id or user_place_id(name, lat, lon, code),
        name=name,
        lat=float(lat),
        lon=float(lon),
        country_code=code,
        admin1=admin1.strip(),
        feature_class=_feature_class(feature),
        feature_code=feature,
        source=USER_SOURCE,
    )
    return UserPlace(place=place, alternate_names=alts, note=note)


def _feature_class(code: str) -> str:
    """GeoNames feature class of a code: ADM*/PCL* are A, PPL* P; camps and checkpoints S."""
    if code.startswith(("ADM", "PCL")):
        return "A"
    if code.startswith("PPL"):
        return "P"
    return {"CMP": "S", "CMPQ": "S", "CKP": "S", "RGN": "L", "AREA": "L"}.get(code, "S")


def add_user_place(conn: Connection, up: UserPlace) -> str:
    """Insert or update a user place (and its `places` row); returns its id."""
    place = up.place
    row = {
        "id": place.id,
        "name": place.name,
        "alternate_names": "|".join(up.alternate_names),
        "lat": place.lat,
        "lon": place.lon,
        "country_code": place.country_code,
        "admin1": place.admin1,
        "feature_code": place.feature_code,
        "note": up.note,
        "created_at": dt.datetime.now(dt.UTC),
    }
    stmt = _insert(conn, user_places).values(**row)
    stmt = stmt.on_conflict_do_update(
        index_elements=["id"],
        set_={k: stmt.excluded[k] for k in row if k not in ("id", "created_at")},
    )
    conn.execute(stmt)
    upsert_places(conn, [place])
    return place.id


def list_user_places(conn: Connection) -> list[UserPlace]:
    rows = conn.execute(select(user_places).order_by(u.created_at, u.id)).all()
    return [
        make_user_place(
            r.name,
            r.lat,
            r.lon,
            r.country_code,
            r.feature_code,
            tuple(a for a in r.alternate_names.split("|") if a),
            r.admin1,
            r.note,
            place_id=r.id,
        )
        for r in rows
    ]
