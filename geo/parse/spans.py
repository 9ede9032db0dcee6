"""Tidying entity spans before they are looked up: "the", direction words, possessives and
stray punctuation come off, unless the gazetteer knows the whole ("North Korea", "The Hague")."""

from __future__ import annotations

import re

from spacy.tokens import Span

from geo.gazetteer import Gazetteer
from geo.parse.evidence import is_major_place

# Direction words news writers glue to place names; the place is what follows.
_DIRECTION = re.compile(
    r"^(?:(?:north|south|east|west|central|northern|southern|eastern|western|"
    r"north-?western|north-?eastern|south-?western|south-?eastern|northwest|northeast|"
    r"southwest|southeast|upper|lower|greater|rural|downtown|the)\s+)+",
    re.IGNORECASE,
)


_ARABIC_ARTICLE = re.compile(r"^(?:al|el|ad|ar|as|ash|at|az|an)[-‐‑]\w", re.IGNORECASE)


def looks_like_a_name(text: str) -> bool:
    """Names start with a capital or a digit ("Idlib", "6th of October"), or "al-Bab"."""
    first = text[:1]
    return first.isupper() or first.isdigit() or bool(_ARABIC_ARTICLE.match(text))


def trim(span: Span, gazetteer: Gazetteer | None = None) -> Span:
    """Drop "the", direction words, possessive 's and trailing punctuation from a span."""
    doc = span.doc
    start, end = span.start, span.end
    # The tail first, so that "South Korea's" is checked as "South Korea" below.
    while end > start and (doc[end - 1].text in {"'s", "’s", "'", "’"} or doc[end - 1].is_punct):
        end -= 1
    while start < end and (
        doc[start].lower_ == "the" or _DIRECTION.match(doc[start].text + " ") is not None
    ):
        # Keep direction words that are part of a name the gazetteer knows ("North Korea"),
        # and capitalised ones inside a sentence ("West Midlands", "West Kasai").
        if doc[start].lower_ != "the" and (
            _known(doc[start:end].text, gazetteer)
            or (
                doc[start].is_title
                and not doc[start].is_sent_start
                and end - start > 1
                and (gazetteer is None or not is_major_place(doc[start + 1 : end].text, gazetteer))
            )
        ):
            break
        start += 1
    while start < end and not doc[start].text[:1].isalnum():
        start += 1  # stray quotes and apostrophes glued to the first word
    return doc[start:end]


def _known(text: str, gazetteer: Gazetteer | None) -> bool:
    return gazetteer is not None and gazetteer.has_name(text)


def trim_known(ent: Span, gazetteer: Gazetteer) -> Span:
    """Trim an entity unless its full text is itself a name ("North Korea", "The Hague")."""
    if ent[0].lower_ != "the" and gazetteer.has_name(ent.text):
        return ent
    if ent[0].text == "The" and any(
        c.name_score >= 1.0 and c.place.name.lower().startswith("the ")
        for c in gazetteer.candidates(ent.text, limit=3)
    ):
        return ent
    return trim(ent, gazetteer)
