"""Resolution: choose, for each recognised span, the place it names, from the article's context.

Each candidate gets a score from features a reader would use: how well the name matches, the
kind of place (countries and capitals are named more than hamlets), its population, the
countries the article is about, nearness to the article's other places, and cues in the
sentence ("X province", "the Syrian town of X", "Paris, Texas"). Two passes: the first
without proximity, the second measuring distances to the first pass's choices.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache

from geopy.distance import great_circle
from spacy.tokens import Doc, Span

from geo.gazetteer import Gazetteer
from geo.models import ROLE_ADJECTIVE, Candidate, Mention, Place
from geo.names import name_key
from geo.parse.cues import GENERIC_AFTER, Cues, cues_for

MAX_CANDIDATES = 25
RUNNERS_UP = 3
REGION_WEIGHT = 1.0  # times the share of the article's other places in the same state/province
_FAR_DEGREES = 8.0  # of latitude
PROXIMITY_MAX = 1.5  # for a candidate right next to another place of the article
POP_WEIGHT = 0.15  # per decade of population
COUNTRY_WEIGHT = 1.0  # times the share of the article's country evidence

_FEATURE_PRIOR = {
    "PCLI": 1.6,
    "PCLD": 1.2,
    "PCLS": 1.2,
    "PCLF": 1.2,
    "PCLIX": 1.2,
    "PCL": 1.2,
    "TERR": 1.0,
    "CONT": 1.4,
    "RGN": 1.0,
    "ADM1": 0.7,
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


@dataclass(frozen=True)
class _Pending:
    span: Span
    role: str
    cues: Cues
    candidates: tuple[Candidate, ...]


def resolve_doc(doc: Doc, spans: Sequence[Span], gazetteer: Gazetteer) -> list[Mention]:
    """Mentions for the recognised spans of one document, with places chosen from context."""
    pending = [_pending(span, gazetteer) for span in spans]
    countries = _context_countries(pending)
    qualifiers = {p.cues.qualifier: _qualifier_place(p.cues.qualifier, gazetteer) for p in pending}
    # A name repeated with the same role and cues is ranked once per pass.
    keys = [(name_key(p.span.text), p.role, p.cues) for p in pending]
    first_by_key: dict[tuple[str, str, Cues], list[Candidate]] = {}
    for key, p in zip(keys, pending, strict=True):
        if key not in first_by_key:
            first_by_key[key] = _rank(p, countries, qualifiers, anchors=())
    # Confident first-pass choices are the article's anchors: towns to be near, and the
    # states or provinces it is about ("Orange County ... California").
    chosen = {key[0]: ranked[0] for key, ranked in first_by_key.items() if ranked}
    anchors = tuple(
        {
            c.place.id: c.place
            for c in chosen.values()
            if c.confidence >= 0.9 and not c.place.is_broad
        }.values()
    )
    distances: dict[tuple[str, str], float] = {}
    second_by_key: dict[tuple[str, str, Cues], list[Candidate]] = {}
    sentences = _sentences(doc)
    sentence_starts = [sent.start for sent in sentences]
    mentions = []
    for key, p in zip(keys, pending, strict=True):
        if key not in second_by_key:
            # Each distinct name counts once, and never as evidence for itself: twelve
            # "Orange County" must not vote for their own first guess.
            regions = Counter(
                (c.place.country_code, c.place.admin1)
                for other, c in chosen.items()
                if other != key[0] and c.place.admin1 and not c.place.feature_code.startswith("PCL")
            )
            second_by_key[key] = _rank(
                p, countries, qualifiers, anchors=anchors, regions=regions, distances=distances
            )
        sent = _sentence_of(p.span, sentences, sentence_starts)
        mentions.append(_mention(p, second_by_key[key], sent))
    return mentions


def _pending(span: Span, gazetteer: Gazetteer) -> _Pending:
    cues = cues_for(span)
    text = span.text
    demonym = gazetteer.demonym(text)
    if demonym is not None:  # adjectives, and demonyms inside organisation names
        return _Pending(span, span.label_, cues, (Candidate(demonym, 1.0, text),))
    cands = tuple(gazetteer.candidates(text, limit=MAX_CANDIDATES))
    if not cands and len(span) > 1 and span[-1].lower_ in GENERIC_AFTER:
        cands = tuple(gazetteer.candidates(span[:-1].text, limit=MAX_CANDIDATES))
    return _Pending(span, span.label_, cues, cands)


def _context_countries(pending: Sequence[_Pending]) -> Counter[str]:
    """Countries the article is about: named countries, demonyms, and clear-cut places."""
    counts: Counter[str] = Counter()
    for p in pending:
        if not p.candidates:
            continue
        top = p.candidates[0].place
        exact = [c for c in p.candidates if c.name_score >= 0.95]
        if p.role == ROLE_ADJECTIVE or top.feature_code.startswith("PCL"):
            counts[top.country_code] += 2
        elif len({c.place.country_code for c in exact}) == 1 and exact:
            counts[exact[0].place.country_code] += 1
    counts.pop("", None)
    return counts


def _qualifier_place(text: str, gazetteer: Gazetteer) -> Place | None:
    if not text:
        return None
    demonym = gazetteer.demonym(text)
    if demonym is not None:
        return demonym
    for cand in gazetteer.candidates(text, limit=10):
        if cand.name_score >= 0.95 and cand.place.feature_class == "A":
            return cand.place
    return None


def _rank(
    p: _Pending,
    countries: Counter[str],
    qualifiers: dict[str, Place | None],
    anchors: tuple[Place, ...],
    regions: Counter[tuple[str, str]] | None = None,
    distances: dict[tuple[str, str], float] | None = None,
) -> list[Candidate]:
    if not p.candidates:
        return []
    total = sum(countries.values()) or 1
    regions = regions or Counter()
    region_total = sum(regions.values()) or 1
    own_key = name_key(p.span.text)
    letters = [ch for ch in p.span.text if ch.isalpha()]
    acronym = 0 < len(letters) <= 4 and all(ch.isupper() for ch in letters)
    qualifier = qualifiers.get(p.cues.qualifier)
    scored: list[tuple[float, Candidate]] = []
    for cand in p.candidates:
        place = cand.place
        s = 3.0 * cand.name_score
        if place.feature_class == "P":
            # Region rows carry the summed population of their towns: not comparable.
            s += POP_WEIGHT * math.log10(place.population + 1)
        if acronym and place.is_broad:
            s += 2.0  # "US", "EU", "UAE": acronyms name countries and unions, not towns
        s += _FEATURE_PRIOR.get(place.feature_code, 0.0)
        if own_key and _place_key(place.name) == own_key:
            s += 0.5  # "Aleppo" is the city's own name, only an alias of Aleppo Governorate
        if place.source.startswith("supplement"):
            s += 0.3
        s += COUNTRY_WEIGHT * countries.get(place.country_code, 0) / total
        if p.cues.type_hint and _TYPE_MATCH[p.cues.type_hint](place):
            s += 1.2
        if qualifier is not None and qualifier.id != place.id:
            if place.country_code == qualifier.country_code:
                s += 1.5
            if qualifier.feature_code == "ADM1" and place.admin1 == qualifier.admin1:
                s += 1.0
        if place.admin1 and not place.feature_code.startswith("PCL"):
            s += REGION_WEIGHT * regions.get((place.country_code, place.admin1), 0) / region_total
        scored.append((s, cand))
    if anchors:
        # Proximity adds at most PROXIMITY_MAX: a candidate further behind cannot win, so
        # its distances are never computed (most candidates of a common name).
        best = max(s for s, _ in scored)
        distances = {} if distances is None else distances
        scored = [
            (
                s + _proximity(c.place, anchors, distances)
                if s >= best - PROXIMITY_MAX
                and (not c.place.is_broad or c.place.feature_code == "ADM1")
                else s,
                c,
            )
            for s, c in scored
        ]
    scored.sort(key=lambda sc: -sc[0])
    return [replace(c, confidence=_confidence(s, scored)) for s, c in scored]


@lru_cache(maxsize=200_000)
def _place_key(name: str) -> str:
    return name_key(name)


def _proximity(
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
    return PROXIMITY_MAX * math.exp(-best / 150.0)


def _confidence(score: float, scored: list[tuple[float, Candidate]]) -> float:
    """Softmax share of this candidate among all: 1.0 when it is the only reading."""
    top = scored[0][0]
    z = sum(math.exp(s - top) for s, _ in scored)
    return math.exp(score - top) / z


def _sentences(doc: Doc) -> list[Span]:
    return list(doc.sents) if doc.has_annotation("SENT_START") else [doc[:]]


def _sentence_of(span: Span, sentences: list[Span], starts: list[int]) -> Span:
    return sentences[max(0, bisect_right(starts, span.start) - 1)]


def _mention(p: _Pending, ranked: list[Candidate], sent: Span) -> Mention:
    span = p.span
    best = ranked[0] if ranked else None
    return Mention(
        start=span.start_char,
        end=span.end_char,
        surface=span.text,
        role=p.role,
        place=best.place if best else None,
        score=round(best.confidence, 4) if best else 0.0,
        sentence=sent.text,
        sentence_start=sent.start_char,
        runners_up=tuple(ranked[1 : 1 + RUNNERS_UP]),
    )
