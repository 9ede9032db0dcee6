"""Ranking the candidate places of one name: a weighted sum of features a reader would use.

    score = name match + feature type + population + focus country + focus region
            + cues (type word, "Paris, Texas") + nearness to the article's confident places
            - the penalty a small or fuzzy reading pays beside a well-known exact one

The last term is the guard against blunders: an exact match to a country, a first-level
region or a city of half a million or more ("Canada", "Ontario", "Los Angeles") never loses
to a fuzzy or partial match of a small place ("Cañada", "Ontario, California") unless the
article gives strong local evidence for the small one (its region is the article's focus,
a qualifier names its region, or it lies next to the article's other places).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from functools import lru_cache

from geopy.distance import great_circle

from geo.models import Candidate, Place
from geo.names import name_key
from geo.parse.cues import Cues
from geo.parse.focus import Focus

NAME_WEIGHT = 3.0  # times name_score (1.0 exact, 0.9 loose, <= 0.85 fuzzy)
OWN_NAME = 0.5  # "Aleppo" is the city's own name, only an alias of Aleppo Governorate
POP_WEIGHT = 0.25  # per decade of population (towns and cities only)
COUNTRY_WEIGHT = 1.5  # times the focus share of the candidate's country
REGION_WEIGHT = 2.0  # times the focus share of the candidate's state or province
TYPE_CUE = 2.0  # "the town of X" and a town; "X province" and a province
QUALIFIER_COUNTRY = 1.5  # "Paris, Texas": a candidate in the qualifier's country ...
QUALIFIER_REGION = 1.5  # ... and in its region
PROXIMITY_MAX = 1.5  # for a candidate right next to another confident place
PROXIMITY_KM = 150.0  # e-folding distance of the proximity bonus
NEAR_KM = 100.0  # a small reading this near a confident place is local beside a major one
NEAR_BONUS = PROXIMITY_MAX * math.exp(-NEAR_KM / PROXIMITY_KM)
MAJOR_GAP = 3.0  # penalty of a small/fuzzy reading beside a major exact one
LOCAL_EVIDENCE = 0.4  # focus-region share, from which a small place may beat a major one
MAJOR_SUPPORT = 0.2  # focus share of a major reading's country that keeps it first
LOCAL_COUNTRY = 0.3  # focus share of its country a small place needs for coherence to count
COHERENCE_WEIGHT = 1.0  # times the share of the article's other names with a reading nearby
MAJOR_CITY = 500_000  # "about a million": Louisville, Portland, Oregon count
MAJOR_REGION = 250_000
_BROAD_CODES = frozenset({"CONT", "OCN", "SEA", "ADM1", "RGN", "TERR"})
_FAR_DEGREES = 8.0  # of latitude: beyond it the proximity bonus is negligible

FEATURE_PRIOR = {
    "PCLI": 1.6,
    "PCLD": 1.2,
    "PCLS": 1.2,
    "PCLF": 1.2,
    "PCLIX": 1.2,
    "PCL": 1.2,
    "TERR": 1.0,
    "CONT": 1.4,
    "RGN": 1.0,
    "ADM1": 0.9,
    "PPLC": 0.9,
    "PPLA": 0.45,
    "PPLA2": 0.2,
    "SEA": 1.5,
    "OCN": 1.5,
}
_TYPE_MATCH = {
    "settlement": lambda p: p.feature_class == "P",
    "admin": lambda p: p.feature_class == "A" and not p.feature_code.startswith("PCL"),
    "country": lambda p: p.feature_code.startswith("PCL"),
    "feature": lambda p: p.feature_class in {"T", "H", "L", "V"},
}


@lru_cache(maxsize=200_000)
def place_key(name: str) -> str:
    return name_key(name)


_REGION_SUFFIXES = (" province", " state", " governorate", " region", " oblast", " prefecture")


@lru_cache(maxsize=50_000)
def bare_key(name: str) -> str:
    """A region's name without its generic word: "Ontario Province" -> "ontario"."""
    key = name_key(name)
    for suffix in _REGION_SUFFIXES:
        if key.endswith(suffix):
            return key[: -len(suffix)]
    return key


def is_major(cand: Candidate, key: str, abbreviated: bool = False, acronym: bool = False) -> bool:
    """An exact match to a country, continent, sea, first-level region, capital or big city.

    Towns must match under their own name (many villages list "Paris" as an alias) or an
    acronym ("L.A."); broad places also under an alias ("Atlantic" for the Atlantic Ocean,
    "Pa." for Pennsylvania).
    """
    p = cand.place
    if cand.name_score < 0.95:
        return False
    if p.feature_code.startswith("PCL") or p.feature_code in _BROAD_CODES - {"ADM1"}:
        return True
    if p.feature_code == "ADM1":
        # A state or province under its own name or an abbreviation ("Pa."), not a district,
        # and not "Homs" as an alias of Homs Governorate (the city is named so too).
        return p.population >= MAJOR_REGION and (bare_key(p.name) == key or abbreviated)
    return (place_key(p.name) == key or acronym) and (
        p.feature_code == "PPLC" or (p.feature_class == "P" and p.population >= MAJOR_CITY)
    )


def base_scores(
    text: str,
    cues: Cues,
    candidates: Sequence[Candidate],
    focus: Focus,
    qualifiers: Sequence[Place] = (),
    coherence: Mapping[tuple[str, str], float] | None = None,
    penalized: set[str] | None = None,
) -> list[tuple[float, Candidate]]:
    """Scores without proximity (which needs the article's first-pass choices). The ids of
    readings that paid the penalty beside a major one go into `penalized`."""
    key = place_key(text)
    letters = [ch for ch in text if ch.isalpha()]
    acronym = 0 < len(letters) <= 4 and all(ch.isupper() for ch in letters)
    abbreviated = text.endswith(".") or (acronym and len(letters) <= 3)
    initials = abbreviated and all(ch.isupper() for ch in letters)  # "L.A.", not "La."
    majors = [c for c in candidates if is_major(c, key, abbreviated, initials)]
    cities_only = all(c.place.feature_class == "P" for c in majors)
    scored: list[tuple[float, Candidate]] = []
    for cand in candidates:
        place = cand.place
        s = NAME_WEIGHT * cand.name_score + FEATURE_PRIOR.get(place.feature_code, 0.0)
        if place.feature_class == "P":
            # Region rows carry the summed population of their towns: not comparable.
            s += POP_WEIGHT * math.log10(place.population + 1)
        if acronym and place.is_broad:
            s += 2.0  # "US", "EU", "UAE": acronyms name countries and unions, not towns
        if key and bare_key(place.name) == key:
            s += OWN_NAME
        if place.source.startswith("supplement"):
            s += 0.3
        s += COUNTRY_WEIGHT * focus.countries.get(place.country_code, 0.0)
        region = together = 0.0
        if place.admin1 and not place.feature_code.startswith("PCL"):
            region = focus.regions.get((place.country_code, place.admin1), 0.0)
            s += REGION_WEIGHT * region
            if coherence and focus.countries.get(place.country_code, 0.0) >= LOCAL_COUNTRY:
                # "Paris and Henry County" in a US story: both have a reading in Tennessee.
                together = coherence.get((place.country_code, place.admin1), 0.0)
                s += COHERENCE_WEIGHT * together
        # Coherence alone may lift a town over a big city of the same name, never over a
        # country or a state: "Greece" in a New York story is still the country.
        # Local evidence counts for a place under its own name or an abbreviation ("L.A."),
        # not an old alias ("Clinton, Wisconsin" is also called "New York"), and not against
        # a major reading in a country the article names too ("Paris" in a Kentucky story
        # that names France).
        # Beside a state of its own country ("Florida" the state, Florida, New York) the
        # article's region is no evidence for the town: it is the state's region too.
        own_state = any(
            m.place.is_broad and m.place.country_code == place.country_code for m in majors
        )
        local = (
            (
                (region >= LOCAL_EVIDENCE and not own_state)
                or (together >= LOCAL_EVIDENCE and cities_only)
            )
            and (bare_key(place.name) == key or abbreviated)
            and not any(
                m.place.country_code != place.country_code
                and focus.countries.get(m.place.country_code, 0.0) >= MAJOR_SUPPORT
                for m in majors
            )
        )
        if cues.type_hint and _TYPE_MATCH[cues.type_hint](place):
            s += TYPE_CUE
        elif cues.type_hint:
            local = False  # "a Washington state farm": no town of Iowa, however local
        qualified = _qualified(place, qualifiers)
        s += qualified
        if (
            majors
            and cand not in majors
            and not qualified
            and not local
            and not _inside(place, majors)
        ):
            s -= MAJOR_GAP
            if penalized is not None and cities_only:
                penalized.add(place.id)  # may yield to nearness: a city, never a state
        scored.append((s, cand))
    return scored


def _inside(place: Place, majors: Sequence[Candidate]) -> bool:
    """The place lies in a major region of its name: Latakia city in Latakia Governorate."""
    return any(
        m.place.feature_code == "ADM1"
        and m.place.country_code == place.country_code
        and m.place.admin1 == place.admin1
        for m in majors
    )


def _qualified(place: Place, qualifiers: Sequence[Place]) -> float:
    """The bonus of the best qualifier reading that holds the place ("Athens, Georgia": the
    US state holds Athens, Georgia; the country Georgia holds no Athens)."""
    best = 0.0
    for q in qualifiers:
        if q.id == place.id or place.country_code != q.country_code:
            continue
        bonus = QUALIFIER_COUNTRY
        if q.feature_code == "ADM1" and place.admin1 == q.admin1:
            bonus += QUALIFIER_REGION
        best = max(best, bonus)
    return best


def with_proximity(
    scored: list[tuple[float, Candidate]],
    anchors: tuple[Place, ...],
    distances: dict[tuple[str, str], float],
    penalized: frozenset[str] | set[str] = frozenset(),
) -> list[tuple[float, Candidate]]:
    """Add nearness to the anchors. Proximity adds at most PROXIMITY_MAX: a candidate further
    behind cannot win, so its distances are never computed (most readings of a common name)."""
    if not anchors or not scored:
        return scored
    if penalized:
        # A small reading next to another of the article's confident places ("London" 90 km
        # from Sarnia, Ontario) has the strong local evidence a major namesake yields to.
        scored = [
            (s + MAJOR_GAP, c)
            if c.place.id in penalized and proximity(c.place, anchors, distances) >= NEAR_BONUS
            else (s, c)
            for s, c in scored
        ]
    best = max(s for s, _ in scored)
    return [
        (
            s + proximity(c.place, anchors, distances)
            if s >= best - PROXIMITY_MAX
            and (not c.place.is_broad or c.place.feature_code == "ADM1")
            else s,
            c,
        )
        for s, c in scored
    ]


def proximity(
    place: Place, anchors: tuple[Place, ...], distances: dict[tuple[str, str], float]
) -> float:
    """Up to PROXIMITY_MAX for a candidate near the article's other places (excluding itself)."""
    best = math.inf
    for a in anchors:
        if a.id == place.id or abs(a.lat - place.lat) > _FAR_DEGREES:
            continue  # over ~900 km apart: the bonus would be below 0.005
        pair = (place.id, a.id)
        km = distances.get(pair)
        if km is None:
            km = distances[pair] = great_circle((place.lat, place.lon), (a.lat, a.lon)).km
        best = min(best, km)
    if best is math.inf:
        return 0.0
    return PROXIMITY_MAX * math.exp(-best / PROXIMITY_KM)


def softmax_confidence(score: float, scored: list[tuple[float, Candidate]]) -> float:
    """Softmax share of this candidate among all: 1.0 when it is the only reading."""
    top = max(s for s, _ in scored)
    z = sum(math.exp(s - top) for s, _ in scored)
    return math.exp(score - top) / z
