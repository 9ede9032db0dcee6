"""Place search with the geoparser's own name keys, over the names of stored places.

Two kinds of names are searched: each mentioned place's gazetteer name, and every spelling
the articles used for it ("Saraqeb", "Idleb"). A query matches a name when its `name_key`
(case, diacritics, apostrophes folded) or its `loose_key` (transliteration variants folded)
is a prefix of the name's key or of one of its words, so results come as you type; queries
of four characters or more also match loose keys within a small edit distance ("Saraqb").
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from rapidfuzz import fuzz, process
from sqlalchemy import func, select, union
from sqlalchemy.engine import Connection

from geo.names import loose_key, name_key
from geo.store.schema import mentions, place_totals, places

FUZZY_MIN_CHARS = 4
LOOSE_PREFIX_MIN = 3
FUZZY_CUTOFF = 85.0  # rapidfuzz ratio on loose keys; "saraqb" ~ "saraqib" scores 92

# How well a name matched, best first: the whole key, a prefix, a close spelling.
EXACT, PREFIX, CLOSE = 3, 2, 1


def stored_names(conn: Connection, after_mention: int = 0) -> tuple[list[tuple[str, str]], int]:
    """(place id, name) for the mentioned places' names and every surface written for them,
    from mentions after `after_mention` (an id) only; and the last mention id seen.

    Reading only newer mentions keeps the search index current after an upload without
    reading a million mentions again."""
    last = conn.execute(select(func.max(mentions.c.id))).scalar() or 0
    newer = mentions.c.id > after_mention
    mentioned = select(mentions.c.place_id).where(newer, mentions.c.place_id.is_not(None))
    if after_mention == 0:
        mentioned = select(place_totals.c.place_id)
    named = select(places.c.id, places.c.name).where(places.c.id.in_(mentioned))
    written = (
        select(mentions.c.place_id, mentions.c.surface)
        .where(newer, mentions.c.id <= last, mentions.c.place_id.is_not(None))
        .distinct()
    )
    return [(row[0], row[1]) for row in conn.execute(union(named, written))], last


def _starts(key: str, query: str) -> bool:
    """`query` is a prefix of `key` or of one of its words."""
    return key.startswith(query) or f" {query}" in f" {key}"


@dataclass(frozen=True)
class NameMatch:
    place_id: str
    quality: int  # EXACT, PREFIX or CLOSE
    name: str  # the name or spelling that matched


class NameIndex:
    """Name keys of the stored places, built once from `stored_names` and searched in memory."""

    def __init__(self, names: Iterable[tuple[str, str]] = (), last_mention: int = 0) -> None:
        self._entries: list[tuple[str, str, str, str]] = []  # place id, name, key, loose
        self._known: set[tuple[str, str]] = set()
        self._loose: list[str] = []
        self.last_mention = last_mention  # the newest mention whose names are indexed
        self.add(names, last_mention)

    def add(self, names: Iterable[tuple[str, str]], last_mention: int) -> None:
        """Index more names (from mentions up to `last_mention`); repeats are ignored."""
        for place_id, name in names:
            key = name_key(name)
            if key and (place_id, name) not in self._known:
                self._known.add((place_id, name))
                self._entries.append((place_id, name, key, loose_key(name)))
        self._loose = sorted({entry[3] for entry in self._entries if entry[3]})
        self.last_mention = max(self.last_mention, last_mention)

    def __len__(self) -> int:
        return len(self._entries)

    def match(self, query: str) -> dict[str, NameMatch]:
        """The best match per place id for a query ({} for a blank query)."""
        key, loose = name_key(query), loose_key(query)
        if not key:
            return {}
        # Loose keys fold a lot ("zzzz" -> "z"): a short one would match by prefix at random.
        loose_prefix = loose if len(loose) >= LOOSE_PREFIX_MIN else ""
        close: set[str] = set()
        if len(key.replace(" ", "")) >= FUZZY_MIN_CHARS and loose:
            close = {
                choice
                for choice, _score, _i in process.extract(
                    loose, self._loose, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF, limit=200
                )
            }
        best: dict[str, NameMatch] = {}
        for place_id, name, name_k, name_loose in self._entries:
            if key == name_k or (loose and loose == name_loose):
                quality = EXACT
            elif _starts(name_k, key) or (loose_prefix and _starts(name_loose, loose_prefix)):
                quality = PREFIX
            elif name_loose in close:
                quality = CLOSE
            else:
                continue
            found = best.get(place_id)
            if found is None or quality > found.quality:
                best[place_id] = NameMatch(place_id, quality, name)
        return best
