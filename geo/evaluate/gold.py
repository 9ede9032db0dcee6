"""Gold data: GeoWebNews-format JSONL, one annotated article a line, read into typed values."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from geo.errors import InputError

# Gold types that name a derived form, not the place: dropped by the "nouns" profile.
ADJECTIVAL_TYPES = frozenset({"Demonym", "Language"})


@dataclass(frozen=True)
class GoldToponym:
    start: int
    end: int
    name: str
    lat: float | None
    lon: float | None
    geonameid: int | None = None
    type: str = ""
    modifier_type: str | None = None

    @property
    def has_coords(self) -> bool:
        return self.lat is not None and self.lon is not None

    @property
    def is_adjectival(self) -> bool:
        """Adjectives, demonyms and languages ("Syrian", "Russians", "Persian")."""
        return self.modifier_type == "Adjective" or self.type in ADJECTIVAL_TYPES


@dataclass(frozen=True)
class GoldArticle:
    id: str
    text: str
    toponyms: tuple[GoldToponym, ...]


def _toponym(raw: Any, text: str) -> GoldToponym:
    if not isinstance(raw, dict):
        raise ValueError("a toponym is not an object")
    start, end, name = raw.get("start"), raw.get("end"), raw.get("name")
    if not isinstance(start, int) or not isinstance(end, int) or not isinstance(name, str):
        raise ValueError(f"toponym {raw!r} needs integer start/end and a string name")
    if not 0 <= start < end <= len(text) or text[start:end] != name:
        raise ValueError(f"toponym {name!r} at {start}:{end} does not match the text")
    lat, lon = raw.get("lat"), raw.get("lon")
    if (lat is None) != (lon is None):
        raise ValueError(f"toponym {name!r} at {start}:{end} has only one of lat/lon")
    if lat is not None and not (isinstance(lat, int | float) and isinstance(lon, int | float)):
        raise ValueError(f"toponym {name!r} at {start}:{end} has non-numeric coordinates")
    gid = raw.get("geonameid")
    return GoldToponym(
        start=start,
        end=end,
        name=name,
        lat=None if lat is None else float(lat),
        lon=None if lon is None else float(lon),
        geonameid=int(gid) if isinstance(gid, int) else None,
        type=str(raw.get("type") or ""),
        modifier_type=raw.get("modifier_type"),
    )


def _article(raw: Any) -> GoldArticle:
    if not isinstance(raw, dict):
        raise ValueError("the line is not a JSON object")
    text, toponyms = raw.get("text"), raw.get("toponyms")
    if not isinstance(text, str) or not isinstance(toponyms, list):
        raise ValueError('needs "text" (string) and "toponyms" (list)')
    tops = tuple(sorted((_toponym(t, text) for t in toponyms), key=lambda t: (t.start, t.end)))
    return GoldArticle(id=str(raw.get("id", "")), text=text, toponyms=tops)


def load_gold(path: Path) -> list[GoldArticle]:
    """Read a gold JSONL file; InputError names the file and the first bad line."""
    try:
        # Split on "\n" only: JSON strings may hold U+2028, U+0085 etc. raw, which
        # str.splitlines() would also cut at.
        lines = Path(path).read_text(encoding="utf-8").split("\n")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(str(path), f"cannot read gold file: {exc}") from exc
    articles: list[GoldArticle] = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            articles.append(_article(json.loads(line)))
        except (json.JSONDecodeError, ValueError, TypeError) as exc:
            raise InputError(str(path), f"line {number}: {exc}") from exc
    return articles
