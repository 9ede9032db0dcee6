"""The gazetteer: a prebuilt SQLite index over data/gazetteer.csv, queried by name keys.

The index (data/gazetteer.idx) is built once at install time by `build_index`; loading it
only opens the file read-only, so start-up costs milliseconds and lookups are B-tree
probes on the name_key / loose_key columns.
"""

from __future__ import annotations

import csv
import sqlite3
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from rapidfuzz import fuzz, process

from geo.errors import GazetteerError
from geo.gazetteer.overlay import UserOverlay
from geo.models import Candidate, Place, UserPlace
from geo.names import fuzzy_score, loose_key, name_key

REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_CSV = REPO_ROOT / "data" / "gazetteer.csv"
DEFAULT_INDEX = REPO_ROOT / "data" / "gazetteer.idx"
INDEX_VERSION = "1"

LOOKUP_CACHE_SIZE = 50_000  # distinct names remembered per lookup kind (a few MB)
LOOSE_SCORE = 0.9  # a loose-key match: same skeleton, different spelling
FUZZY_WEIGHT = 0.85  # fuzzy matches always rank below loose ones
FUZZY_CUTOFF = 80.0  # rapidfuzz ratio (0..100) on loose keys
FUZZY_POOL = 50_000  # most distinct keys a fuzzy probe may score

_PLACE_COLUMNS = (
    "id, name, lat, lon, country_code, admin1, feature_class, feature_code, "
    "population, source, geonameid"
)
_SCHEMA = f"""
CREATE TABLE meta (k TEXT PRIMARY KEY, v TEXT);
CREATE TABLE places (rowid INTEGER PRIMARY KEY, {_PLACE_COLUMNS.replace(", ", " , ")});
CREATE TABLE names (key TEXT, loose TEXT, name TEXT, place INTEGER);
CREATE TABLE demonyms (key TEXT PRIMARY KEY, place INTEGER);
"""
_INDEXES = """
CREATE UNIQUE INDEX places_id ON places(id);
CREATE INDEX names_key ON names(key);
CREATE INDEX names_loose ON names(loose);
"""


def _rows_for_index(csv_path: Path) -> tuple[list[tuple[object, ...]], list[tuple[object, ...]]]:
    places: list[tuple[object, ...]] = []
    names: list[tuple[object, ...]] = []
    with csv_path.open(encoding="utf-8", newline="") as f:
        for rowid, r in enumerate(csv.DictReader(f), start=1):
            places.append(
                (
                    rowid,
                    r["id"],
                    r["name"],
                    float(r["lat"]),
                    float(r["lon"]),
                    r["country_code"],
                    r["admin1"],
                    r["feature_class"],
                    r["feature_code"],
                    int(r["population"] or 0),
                    r["source"],
                    int(r["geonameid"]) if r["geonameid"] else None,
                )
            )
            seen: set[str] = set()
            for n in [r["name"], *r["alternate_names"].split("|")]:
                key = name_key(n)
                if key and key not in seen:
                    seen.add(key)
                    names.append((key, loose_key(n), n, rowid))
    return places, names


def build_index(csv_path: Path, index_path: Path, demonyms_csv: Path | None = None) -> None:
    """Build the SQLite index from the gazetteer CSV (and the demonym table beside it)."""
    if not csv_path.exists():
        raise GazetteerError(f"{csv_path}: gazetteer CSV not found")
    demonyms_csv = demonyms_csv or csv_path.parent / "supplement" / "demonyms.csv"
    try:
        places, names = _rows_for_index(csv_path)
    except (KeyError, ValueError) as exc:
        raise GazetteerError(f"{csv_path}: malformed gazetteer CSV ({exc})") from exc
    tmp = index_path.with_name(index_path.name + ".tmp")
    tmp.unlink(missing_ok=True)
    con = sqlite3.connect(tmp)
    try:
        con.executescript("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;" + _SCHEMA)
        con.executemany(f"INSERT INTO places VALUES ({','.join('?' * 12)})", places)
        con.executemany("INSERT INTO names VALUES (?,?,?,?)", names)
        con.executescript(_INDEXES)
        if demonyms_csv.exists():
            rowids = dict(con.execute("SELECT id, rowid FROM places"))
            with demonyms_csv.open(encoding="utf-8", newline="") as f:
                for d in csv.DictReader(f):
                    if d["place_id"] not in rowids:
                        raise GazetteerError(f"{demonyms_csv}: unknown place id {d['place_id']}")
                    con.execute(
                        "INSERT OR REPLACE INTO demonyms VALUES (?, ?)",
                        (name_key(d["word"]), rowids[d["place_id"]]),
                    )
        con.executemany(
            "INSERT INTO meta VALUES (?, ?)",
            [("version", INDEX_VERSION), ("places", str(len(places)))],
        )
        con.commit()
        con.execute("VACUUM")
    finally:
        con.close()
    tmp.replace(index_path)


def _place(row: tuple[object, ...]) -> Place:
    return Place(
        id=str(row[0]),
        name=str(row[1]),
        lat=float(row[2]),  # type: ignore[arg-type]
        lon=float(row[3]),  # type: ignore[arg-type]
        country_code=str(row[4]),
        admin1=str(row[5]),
        feature_class=str(row[6]),
        feature_code=str(row[7]),
        population=int(row[8]),  # type: ignore[call-overload]
        source=str(row[9]),
        geonameid=int(row[10]) if row[10] is not None else None,  # type: ignore[call-overload]
    )


# Regions, seas, continents and the hand-kept major physical features: ranked as big cities.
_REGION_CODES = frozenset({"CONT", "RGN", "SEA", "OCN", "STRT", "CNL"})
_REGION_WEIGHT = 10_000_000
_MAJOR_SOURCES = frozenset({"supplement:physical"})


def _importance(c: Candidate, key: str) -> float:
    """Tie-break among equal name scores: population, with alias matches discounted tenfold.
    "Aleppo" the city (own name) beats "Aleppo Governorate" (alias), yet "U.S." (an alias
    of the United States) still beats the French village named "Us".
    """
    big = c.place.feature_code in _REGION_CODES or c.place.source in _MAJOR_SOURCES
    size = _REGION_WEIGHT if big else c.place.population
    return size if name_key(c.place.name) == key else size / 10


def _not_user(c: Candidate) -> bool:
    return c.place.source != "user"


class Gazetteer:
    """Read-only access to the place index: candidates by name, places by id."""

    def __init__(self, con: sqlite3.Connection, path: Path) -> None:
        self._con = con
        self.path = path
        self._len = int(con.execute("SELECT v FROM meta WHERE k = 'places'").fetchone()[0])
        # Recognition and resolution ask for the same names again and again, within a text
        # and across texts; the index is read-only, so remembered answers never go stale.
        self._cached_has_name = lru_cache(maxsize=LOOKUP_CACHE_SIZE)(self._has_name)
        self._cached_demonym = lru_cache(maxsize=LOOKUP_CACHE_SIZE)(self._demonym)
        self._cached_candidates = lru_cache(maxsize=LOOKUP_CACHE_SIZE)(self._candidates)
        self._cached_admin1_count = lru_cache(maxsize=512)(self._admin1_count)
        self.user_places = UserOverlay(())

    def use_user_places(self, places: Iterable[UserPlace]) -> None:
        """Put the analyst's places (from the store) in front of the index, from now on."""
        self.user_places = UserOverlay(places)
        self._cached_has_name.cache_clear()
        self._cached_candidates.cache_clear()

    @classmethod
    def load(cls, index_path: Path | None = None) -> Gazetteer:
        path = Path(index_path) if index_path is not None else DEFAULT_INDEX
        if not path.exists():
            raise GazetteerError(
                f"gazetteer index {path} not found: run `python -m geo gazetteer index`"
            )
        try:
            # immutable: the index never changes once built, so SQLite can skip locking.
            con = sqlite3.connect(
                f"file:{path.resolve()}?mode=ro&immutable=1", uri=True, check_same_thread=False
            )
            version = con.execute("SELECT v FROM meta WHERE k = 'version'").fetchone()
        except sqlite3.DatabaseError as exc:
            raise GazetteerError(f"gazetteer index {path} unreadable ({exc}): rebuild it") from exc
        if version is None or version[0] != INDEX_VERSION:
            con.close()
            raise GazetteerError(
                f"gazetteer index {path} is outdated: run `python -m geo gazetteer index`"
            )
        return cls(con, path)

    def close(self) -> None:
        self._con.close()

    def __len__(self) -> int:
        return self._len + len(self.user_places)

    def get(self, place_id: str) -> Place | None:
        if place_id.startswith("user:"):
            return self.user_places.get(place_id)
        row = self._con.execute(
            f"SELECT {_PLACE_COLUMNS} FROM places WHERE id = ?", (place_id,)
        ).fetchone()
        return _place(row) if row else None

    def admin1_count(self, country_code: str) -> int:
        """How many first-level regions the country has (a size scale for one of them)."""
        return self._cached_admin1_count(country_code)

    def _admin1_count(self, country_code: str) -> int:
        sql = "SELECT count(*) FROM places WHERE country_code = ? AND feature_code = 'ADM1'"
        return int(self._con.execute(sql, (country_code,)).fetchone()[0])

    def has_name(self, text: str) -> bool:
        """True if the text is a known name (exact or loose key): the n-gram check."""
        return self._cached_has_name(text)

    def demonym(self, word: str) -> Place | None:
        """The place an adjective or demonym refers to: "Syrian" -> Syria."""
        return self._cached_demonym(word)

    def candidates(self, name: str, limit: int = 25) -> list[Candidate]:
        """Places the name may refer to: exact keys, else loose keys, else fuzzy matches.

        Sorted by name_score, own-name matches first, then population (bigger places are
        mentioned more often).
        """
        return list(self._cached_candidates(name, limit))  # a fresh list: callers may sort it

    def _has_name(self, text: str) -> bool:
        key = name_key(text)
        if not key:
            return False
        if self.user_places.has_name(text):
            return True
        con = self._con
        if con.execute("SELECT 1 FROM names WHERE key = ? LIMIT 1", (key,)).fetchone():
            return True
        loose = loose_key(text)
        return bool(
            loose
            and con.execute("SELECT 1 FROM names WHERE loose = ? LIMIT 1", (loose,)).fetchone()
        )

    def _demonym(self, word: str) -> Place | None:
        row = self._con.execute(
            f"SELECT {_PLACE_COLUMNS} FROM places WHERE rowid = "
            "(SELECT place FROM demonyms WHERE key = ?)",
            (name_key(word),),
        ).fetchone()
        return _place(row) if row else None

    def _matches(self, column: str, value: str) -> list[tuple[int, str]]:
        sql = f"SELECT place, name FROM names WHERE {column} = ?"
        return self._con.execute(sql, (value,)).fetchall()

    def _fuzzy(self, name: str, loose: str, limit: int) -> list[tuple[int, str, float]]:
        """Scored matches among keys sharing the first letters: bounded, never a full scan."""
        prefix = loose[:3] if len(loose) >= 4 else loose[:2]
        pool = [
            k
            for (k,) in self._con.execute(
                "SELECT DISTINCT loose FROM names WHERE loose >= ? AND loose < ? LIMIT ?",
                (prefix, prefix + "\x7f", FUZZY_POOL),
            )
            if abs(len(k) - len(loose)) <= 3
        ]
        hits = process.extract(
            loose, pool, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF, limit=limit
        )
        out: list[tuple[int, str, float]] = []
        for k, _, _ in hits:
            for rowid, matched in self._matches("loose", k):
                out.append((rowid, matched, FUZZY_WEIGHT * fuzzy_score(name, matched)))
        return out

    def _candidates(self, name: str, limit: int) -> tuple[Candidate, ...]:
        key, loose = name_key(name), loose_key(name)
        if not key:
            return ()
        scored: dict[int, tuple[float, str]] = {}
        for rowid, matched in self._matches("key", key):
            scored.setdefault(rowid, (1.0, matched))
        # A known spelling wins outright: loose keys of short names collide across the world.
        if not scored and loose:
            for rowid, matched in self._matches("loose", loose):
                scored.setdefault(rowid, (LOOSE_SCORE, matched))
        if not scored and len(loose) >= 3:
            for rowid, matched, score in self._fuzzy(name, loose, limit):
                if score > scored.get(rowid, (0.0, ""))[0]:
                    scored[rowid] = (score, matched)
        user = self.user_places.candidates(name)
        if not scored:
            return tuple(user[:limit])
        marks = ",".join("?" * len(scored))
        rows = self._con.execute(
            f"SELECT rowid, {_PLACE_COLUMNS} FROM places WHERE rowid IN ({marks})",
            list(scored),
        ).fetchall()
        result = [
            Candidate(place=_place(r[1:]), name_score=scored[r[0]][0], matched_name=scored[r[0]][1])
            for r in rows
        ]
        # The analyst's own places first among equal name scores: they were added on purpose.
        result = user + result
        result.sort(key=lambda c: (-c.name_score, _not_user(c), -_importance(c, key), c.place.id))
        return tuple(result[:limit])


def import_geonames(dump_path: Path, csv_path: Path) -> int:
    """Merge a GeoNames dump into the gazetteer CSV (see geo.gazetteer.geonames)."""
    from geo.gazetteer.geonames import import_geonames as _import

    return _import(dump_path, csv_path)
