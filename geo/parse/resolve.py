"""Resolution: choose, for each recognised span, the place it names, from the article's context.

Each candidate gets a score from features a reader would use: how well the name matches, the
kind of place (countries and capitals are named more than hamlets), its population, the
countries the article is about, nearness to the article's other places, and cues in the
sentence ("X province", "the Syrian town of X", "Paris, Texas"). Two passes: the first
without proximity, the second measuring distances to the first pass's choices.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace

from spacy.tokens import Doc, Span

from geo.gazetteer import Gazetteer
from geo.models import Candidate, Mention, Place
from geo.names import name_key
from geo.parse.confidence import calibrated
from geo.parse.cues import Cues, cues_for
from geo.parse.focus import NO_FOCUS, find_focus
from geo.parse.rank import base_scores, softmax_confidence, with_proximity
from geo.parse.readings import (
    EXACT,
    LANDFORM_WORDS,
    LOOSE,
    MAX_CANDIDATES,
    head_candidates,
    head_in_focus,
    listed_not_qualified,
    listed_with_states,
    qualifier_places,
)

FOCUS_ROUNDS = 3
RUNNERS_UP = 3
ANCHOR_CONFIDENCE = 0.9


@dataclass(frozen=True)
class _Pending:
    span: Span
    role: str
    cues: Cues
    candidates: tuple[Candidate, ...]
    partial: bool = False  # candidates of the name's head, the whole name being unknown
    landform: bool = False  # "Ural Mountains": its head's towns only in the focus region


def resolve_doc(doc: Doc, spans: Sequence[Span], gazetteer: Gazetteer) -> list[Mention]:
    """Mentions for the recognised spans of one document, with places chosen from context."""
    pending = [_pending(span, gazetteer) for span in spans]
    keys = [(name_key(p.span.text), p.role, p.cues) for p in pending]
    # One sense per article: "Athens, Georgia" once, then "Athens" is the same town.
    named_with: dict[str, str] = {}
    for k, p in zip(keys, pending, strict=True):
        if p.cues.qualifier:
            named_with.setdefault(k[0], p.cues.qualifier)
    pending = [
        p
        if p.cues.qualifier or k[0] not in named_with
        else replace(p, cues=replace(p.cues, qualifier=named_with[k[0]]))
        for k, p in zip(keys, pending, strict=True)
    ]
    qualifiers = {p.cues.qualifier: qualifier_places(p.cues.qualifier, gazetteer) for p in pending}
    pending = _as_qualifiers(pending, qualifiers)
    keys = [(name_key(p.span.text), p.role, p.cues) for p in pending]
    # The focus first, from each name's reading before any context: it then weighs on
    # every name (each name seen without its own votes).
    plain: dict[tuple[str, str, Cues], list[tuple[float, Candidate]]] = {}
    for key, p in zip(keys, pending, strict=True):
        if key not in plain:
            # A partial name (only its head known) casts no vote.
            plain[key] = (
                []
                if p.partial
                else base_scores(
                    p.span.text, p.cues, p.candidates, NO_FOCUS, qualifiers.get(p.cues.qualifier)
                )
            )
    focus = find_focus([(k[0], k[1], plain[k]) for k in keys])
    pending = [
        replace(p, candidates=head_in_focus(p.candidates, focus, p.landform)) if p.partial else p
        for p in pending
    ]
    readings = _regions_by_name(keys, pending)
    # A name repeated with the same role and cues is ranked once per pass.
    base: dict[tuple[str, str, Cues], list[tuple[float, Candidate]]] = {}
    penalized: dict[tuple[str, str, Cues], set[str]] = {}
    for _round in range(FOCUS_ROUNDS):
        if base:
            # The focus again, from each name's reading in context: "Rogersville", spread
            # over five states alone, is the Missouri one beside "Greene County".
            focus = find_focus([(k[0], k[1], base[k]) for k in keys])
            base = {}
        for key, p in zip(keys, pending, strict=True):
            if key not in base:
                penalized[key] = set()
                base[key] = base_scores(
                    p.span.text,
                    p.cues,
                    p.candidates,
                    focus.without(key[0]),
                    qualifiers.get(p.cues.qualifier, ()),
                    _coherence(key[0], readings),
                    penalized[key],
                )
    # Confident first-pass choices are the article's anchors: places to be near.
    anchors: dict[str, Place] = {}
    for scored in base.values():
        if scored:
            s, c = max(scored, key=lambda sc: sc[0])
            if softmax_confidence(s, scored) >= ANCHOR_CONFIDENCE and not c.place.is_broad:
                anchors[c.place.id] = c.place
    anchor_places = tuple(anchors.values())
    distances: dict[tuple[str, str], float] = {}
    ranked_by_key: dict[tuple[str, str, Cues], list[Candidate]] = {}
    sentences = _sentences(doc)
    sentence_starts = [sent.start for sent in sentences]
    mentions = []
    for key, p in zip(keys, pending, strict=True):
        if key not in ranked_by_key:
            scored = with_proximity(base[key], anchor_places, distances, penalized[key])
            scored.sort(key=lambda sc: -sc[0])
            ranked_by_key[key] = [
                replace(c, confidence=softmax_confidence(s, scored)) for s, c in scored
            ]
        sent = _sentence_of(p.span, sentences, sentence_starts)
        mentions.append(_mention(p, ranked_by_key[key], sent, gazetteer))
    return mentions


def _as_qualifiers(
    pending: list[_Pending], qualifiers: dict[str, tuple[Place, ...]]
) -> list[_Pending]:
    """ "Albany, New York": the name in the qualifier's place is the state that holds the
    town before it, not New York City."""
    by_start = {p.span.start: i for i, p in enumerate(pending)}
    out = list(pending)
    for p in pending:
        i = by_start.get(p.span.end + 1)
        if i is None or not p.cues.qualifier or out[i].span.text != p.cues.qualifier:
            continue
        holds = any(
            q.feature_code == "ADM1"
            and any(
                c.place.country_code == q.country_code and c.place.admin1 == q.admin1
                for c in p.candidates
            )
            for q in qualifiers.get(p.cues.qualifier, ())
        )
        if holds and out[i].cues.type_hint is None:
            out[i] = replace(out[i], cues=replace(out[i].cues, type_hint="admin"))
    return out


def _regions_by_name(
    keys: Sequence[tuple[str, str, Cues]], pending: Sequence[_Pending]
) -> dict[str, set[tuple[str, str]]]:
    """Per distinct name, the states or provinces that hold one of its exact readings."""
    out: dict[str, set[tuple[str, str]]] = {}
    for key, p in zip(keys, pending, strict=True):
        if p.partial or key[0] in out:
            continue
        out[key[0]] = {
            (c.place.country_code, c.place.admin1)
            for c in p.candidates
            if c.name_score >= LOOSE and c.place.admin1 and not c.place.is_broad
        }
    return {k: v for k, v in out.items() if v}


def _coherence(key: str, readings: dict[str, set[tuple[str, str]]]) -> dict[tuple[str, str], float]:
    """Share of the article's other names with a reading in each state or province."""
    others = [regions for other, regions in readings.items() if other != key]
    counts: Counter[tuple[str, str]] = Counter()
    for regions in others:
        counts.update(regions)
    n = max(2, len(others))
    return {region: c / n for region, c in counts.items()}


def _pending(span: Span, gazetteer: Gazetteer) -> _Pending:
    cues = cues_for(span)
    if cues.qualifier and listed_not_qualified(span, cues.qualifier, gazetteer):
        cues = replace(cues, qualifier="")
    if cues.type_hint is None and listed_with_states(span, gazetteer):
        cues = replace(cues, type_hint="admin")  # "Oregon, Washington and Idaho": the state
    text = span.text
    demonym = gazetteer.demonym(text)
    if demonym is not None:  # adjectives, and demonyms inside organisation names
        return _Pending(span, span.label_, cues, (Candidate(demonym, 1.0, text),))
    cands = tuple(gazetteer.candidates(text, limit=MAX_CANDIDATES))
    if len(span) > 1 and not any(c.name_score >= LOOSE for c in cands):
        # "Danube Delta", "West Midlands", "Norwich City": no entry for the whole name. Its
        # head ("Danube", "Midlands", "Norwich") may stand in, but only where the article
        # is (see _head_in_focus): never "Delta, Canada" or "Midlands, Mauritius".
        head = head_candidates(span, gazetteer)
        landform = not {t.lower_ for t in span}.isdisjoint(LANDFORM_WORDS)
        return _Pending(span, span.label_, cues, head, partial=True, landform=landform)
    if cands and not any(
        c.name_score >= EXACT or c.place.feature_code.startswith("PCL") for c in cands
    ):
        # Only loose or fuzzy readings ("Makeen" ~ Macken, Germany): like a head, they may
        # stand in only where the article is, and cast no vote for where that is. A
        # misspelt country ("Mauritious") is still the country.
        return _Pending(span, span.label_, cues, cands, partial=True)
    return _Pending(span, span.label_, cues, cands)


def _sentences(doc: Doc) -> list[Span]:
    return list(doc.sents) if doc.has_annotation("SENT_START") else [doc[:]]


def _sentence_of(span: Span, sentences: list[Span], starts: list[int]) -> Span:
    return sentences[max(0, bisect_right(starts, span.start) - 1)]


def _mention(p: _Pending, ranked: list[Candidate], sent: Span, gazetteer: Gazetteer) -> Mention:
    span = p.span
    best = ranked[0] if ranked else None
    return Mention(
        start=span.start_char,
        end=span.end_char,
        surface=span.text,
        role=p.role,
        place=best.place if best else None,
        # The share of the best reading, scaled by how well one point stands for the place.
        score=round(calibrated(best.confidence, best.place, gazetteer), 4) if best else 0.0,
        sentence=sent.text,
        sentence_start=sent.start_char,
        runners_up=tuple(ranked[1 : 1 + RUNNERS_UP]),
    )
