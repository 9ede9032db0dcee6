"""Resolution: choose, for each recognised span, the place it names, from the article's context.

Each candidate gets a score from features a reader would use: how well the name matches, the
kind of place (countries and capitals are named more than hamlets), its population, the
countries the article is about, nearness to the article's other places, and cues in the
sentence ("X province", "the Syrian town of X", "Paris, Texas"). Two passes: the first
without proximity, the second measuring distances to the first pass's choices.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, replace

from spacy.tokens import Doc, Span

from geo.gazetteer import Gazetteer
from geo.models import Candidate, Mention, Place
from geo.names import name_key
from geo.parse.cues import GENERIC_AFTER, Cues, cues_for
from geo.parse.focus import NO_FOCUS, find_focus
from geo.parse.rank import base_scores, softmax_confidence, with_proximity

MAX_CANDIDATES = 25
RUNNERS_UP = 3
ANCHOR_CONFIDENCE = 0.9


@dataclass(frozen=True)
class _Pending:
    span: Span
    role: str
    cues: Cues
    candidates: tuple[Candidate, ...]


def resolve_doc(doc: Doc, spans: Sequence[Span], gazetteer: Gazetteer) -> list[Mention]:
    """Mentions for the recognised spans of one document, with places chosen from context."""
    pending = [_pending(span, gazetteer) for span in spans]
    keys = [(name_key(p.span.text), p.role, p.cues) for p in pending]
    qualifiers = {p.cues.qualifier: _qualifier_place(p.cues.qualifier, gazetteer) for p in pending}
    # The focus first, from each name's reading before any context: it then weighs on
    # every name (each name seen without its own votes).
    plain: dict[tuple[str, str, Cues], list[tuple[float, Candidate]]] = {}
    for key, p in zip(keys, pending, strict=True):
        if key not in plain:
            plain[key] = base_scores(
                p.span.text, p.cues, p.candidates, NO_FOCUS, qualifiers.get(p.cues.qualifier)
            )
    focus = find_focus([(k[0], k[1], plain[k]) for k in keys])
    # A name repeated with the same role and cues is ranked once per pass.
    base: dict[tuple[str, str, Cues], list[tuple[float, Candidate]]] = {}
    for key, p in zip(keys, pending, strict=True):
        if key not in base:
            base[key] = base_scores(
                p.span.text,
                p.cues,
                p.candidates,
                focus.without(key[0]),
                qualifiers.get(p.cues.qualifier),
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
            scored = with_proximity(base[key], anchor_places, distances)
            scored.sort(key=lambda sc: -sc[0])
            ranked_by_key[key] = [
                replace(c, confidence=softmax_confidence(s, scored)) for s, c in scored
            ]
        sent = _sentence_of(p.span, sentences, sentence_starts)
        mentions.append(_mention(p, ranked_by_key[key], sent))
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
