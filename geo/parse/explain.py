"""Why a place was chosen, in plain words, from an article's resolved mentions.

    "town in Idlib, Syria; the article names Syria 12 times; 12 km from Saraqib"

Computed after resolution from what the article itself shows (the place's type and region,
how often the article names its country, the nearest other place it names), so an analyst
can check a choice without knowing how the resolver scores. It changes no choice.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace

from geo.gazetteer import Gazetteer
from geo.models import LIKELY_SCORE, ROLE_ADJECTIVE, ROLE_ORGANISATION, Mention, Place

NEAR_KM = 250.0  # farther places say little about this one
_COUNTRY_CODES = ("PCLI", "PCLD", "PCLIX", "PCLS", "PCLF", "PCL", "TERR")
_KINDS = {
    "PPLC": "capital city",
    "PPLA": "regional capital",
    "PPLA2": "district capital",
    "PPLA3": "local capital",
    "PPLX": "neighbourhood",
    "PPLL": "locality",
    "ADM1": "region",
    "ADM2": "district",
    "ADM3": "subdistrict",
    "CONT": "continent",
    "RGN": "region",
    "SEA": "sea",
    "OCN": "ocean",
    "CMP": "camp",
    "CMPQ": "former camp",
    "CKP": "checkpoint",
    "AIRP": "airport",
    "MT": "mountain",
    "STM": "river",
    "ISL": "island",
}


def kind_of(place: Place) -> str:
    """ "town", "city", "capital city", "region", "camp"... for a place."""
    code = place.feature_code
    if code in _COUNTRY_CODES:
        return "country"
    if code in _KINDS:
        return _KINDS[code]
    if place.feature_class == "P" or code.startswith("PPL"):
        if place.population >= 100_000:
            return "city"
        return "village" if 0 < place.population < 2_000 else "town"
    return "place"


def km_between(a: Place, b: Place) -> float:
    """Great-circle distance (haversine on a 6371 km sphere): fast enough for every pair."""
    lat1, lat2 = math.radians(a.lat), math.radians(b.lat)
    dlat, dlon = lat2 - lat1, math.radians(b.lon - a.lon)
    h = math.sin(dlat / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin(dlon / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))


def _times(n: int) -> str:
    return "once" if n == 1 else "twice" if n == 2 else f"{n} times"


class _Article:
    """What the article as a whole shows: its countries and its confident places."""

    def __init__(self, mentions: Sequence[Mention], gazetteer: Gazetteer | None) -> None:
        self.gazetteer = gazetteer
        # Mentions of a country itself, or of its adjective ("Syrian"): "names Syria n times".
        self.country_names: Counter[str] = Counter(
            m.place.country_code
            for m in mentions
            if m.place is not None
            and m.role != ROLE_ORGANISATION
            and (m.place.feature_code in _COUNTRY_CODES or m.role == ROLE_ADJECTIVE)
        )
        self.places_in: Counter[str] = Counter(
            m.place.country_code
            for m in mentions
            if m.place is not None and m.place.feature_code not in _COUNTRY_CODES
        )
        anchors: dict[str, Place] = {}
        for m in mentions:
            if m.place is not None and not m.place.is_broad and m.score >= LIKELY_SCORE:
                anchors.setdefault(m.place.id, m.place)
        self.anchors = list(anchors.values())
        # Countries the article names are named as it resolved them; others from the gazetteer.
        self._country_names: dict[str, str] = {
            m.place.country_code: m.place.name
            for m in mentions
            if m.place is not None and m.place.feature_code in _COUNTRY_CODES
        }

    def country_name(self, code: str) -> str:
        if code not in self._country_names:
            found = self.gazetteer.get(f"cc:{code}") if self.gazetteer is not None else None
            self._country_names[code] = found.name if found is not None else code
        return self._country_names[code]

    def nearest(self, place: Place) -> tuple[float, Place] | None:
        best: tuple[float, Place] | None = None
        for other in self.anchors:
            if other.id == place.id or other.name == place.name:
                continue
            km = km_between(place, other)
            if km <= NEAR_KM and (best is None or km < best[0]):
                best = (km, other)
        return best


def explain_one(m: Mention, article: _Article) -> str:
    """The evidence line of one mention ("" when it has no place)."""
    place = m.place
    if place is None:
        return ""
    code = place.country_code
    country = article.country_name(code) if code else ""
    kind = kind_of(place)
    if kind == "country":
        parts = [f"country ({code})" if code else "country"]
    else:
        region = "" if place.feature_code == "ADM1" else place.admin1  # a region is not in itself
        where = ", ".join(x for x in (region, country) if x)
        parts = [f"{kind} in {where}" if where else kind]
    if m.role == ROLE_ADJECTIVE:
        parts[0] = f"“{m.surface}” refers to {place.name}; {parts[0]}"
    elif m.role == ROLE_ORGANISATION:
        parts[0] = f"part of an organisation's name; {parts[0]}"
    named = article.country_names.get(code, 0) if code else 0
    if kind != "country" and named:
        parts.append(f"the article names {country} {_times(named)}")
    elif code:
        others = article.places_in.get(code, 0) - (kind != "country")
        if others > 0:
            word = "place" if others == 1 else "places"
            parts.append(f"the article names {others} other {word} in {country}")
    if not place.is_broad:
        near = article.nearest(place)
        if near is not None:
            parts.append(f"{near[0]:.0f} km from {near[1].name}")
    if m.runners_up and m.runners_up[0].confidence and m.score - m.runners_up[0].confidence < 0.1:
        rival = m.runners_up[0].place
        parts.append(f"nearly as likely: {rival.name}, {rival.admin1 or rival.country_code}")
    return "; ".join(parts)


def explain(mentions: Sequence[Mention], gazetteer: Gazetteer | None = None) -> list[Mention]:
    """The article's mentions with their evidence filled in (evidence already set is kept)."""
    article = _Article(mentions, gazetteer)
    return [m if m.evidence else replace(m, evidence=explain_one(m, article)) for m in mentions]
