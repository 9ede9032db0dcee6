"""Tidying entity spans before they are looked up: "the", direction words, possessives and
stray punctuation come off, unless the gazetteer knows the whole ("North Korea", "The Hague")."""

from __future__ import annotations

import re

from spacy.tokens import Span

from geo.gazetteer import Gazetteer
from geo.names import name_key
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


# Words that end an institution's name after its place: "Titus County Jail", "Henrico County
# Police", "Lamar County Commissioners". The place is what comes before them.
INSTITUTION_TAIL = frozenset(
    {"jail", "courthouse", "court", "courts", "police", "commissioners", "commission", "council"}
    | {"department", "sheriff", "elections", "schools", "school", "hospital", "library"}
    | {"board", "office", "authority", "borough", "fire", "clerk", "prison", "academy"}
)
# Generic words that belong to an admin name when capitalised: "Madison County",
# "Rapides Parish", "Jackson Township" (a lower-case "province" or "city" does not).
NAME_GENERICS = frozenset({"county", "parish", "township"})


_CITY_OFFICES = frozenset(
    {"manager", "hall", "area", "public", "political", "airport", "officials", "government"}
    | {"limits", "attorney", "administrator", "mayor", "transit", "utilities", "councilman"}
)


def ends_in_institution(span: Span) -> bool:
    return len(span) > 1 and span[-1].lower_ in INSTITUTION_TAIL and span[-1].is_title


def with_generic(span: Span, limit: int) -> Span:
    """ "Madison" in "Madison County Health Department" -> "Madison County"."""
    j = span.end
    doc = span.doc
    if j < limit and doc[j].lower_ in NAME_GENERICS and doc[j].is_title:
        return doc[span.start : j + 1]
    return span


def without_city_word(span: Span, gazetteer: Gazetteer) -> Span:
    """ "Dublin City Council", "Huntsville City Manager", "London City airport": the city is
    "Dublin". A "City" that is part of a city's own name stays ("Mexico City", "Quezon City"),
    and so does a final one that ends the phrase ("Norwich City" the club)."""
    doc = span.doc
    if len(span) < 2 or span[-1].text != "City" or span.end >= len(doc):
        return span
    if doc[span.end].lower_ not in INSTITUTION_TAIL | _CITY_OFFICES:
        return span
    key = name_key(span.text)
    if any(
        c.place.feature_class == "P" and name_key(c.place.name) == key
        for c in gazetteer.candidates(span.text, limit=5)
    ):
        return span
    head = span[:-1]
    return head if gazetteer.has_name(head.text) else span
