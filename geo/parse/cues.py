"""Context cues around a span: the words that tell a place from a person and one place from another.

"the town of Saraqeb", "Idlib province", "in Kfar Zita", "Paris, Texas", "the Syrian town of X".
Recognition uses them as evidence that a span is a place; resolution uses them to prefer a
feature type or a country/region.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Span

# "the town of X", "the Syrian village X"
PLACE_TYPE_BEFORE = {
    "town": "settlement",
    "towns": "settlement",
    "city": "settlement",
    "village": "settlement",
    "villages": "settlement",
    "hamlet": "settlement",
    "capital": "settlement",
    "port": "settlement",
    "suburb": "settlement",
    "district": "admin",
    "province": "admin",
    "governorate": "admin",
    "region": "admin",
    "state": "admin",
    "county": "admin",
    "country": "country",
    "island": "feature",
    "mount": "feature",
    "mountain": "feature",
    "river": "feature",
}
# "Idlib province", "Aleppo countryside", "Jabal Zawiya mountains"
GENERIC_AFTER = {
    "province": "admin",
    "provinces": "admin",
    "governorate": "admin",
    "region": "admin",
    "state": "admin",
    "county": "admin",
    "oblast": "admin",
    "district": "admin",
    "countryside": "admin",
    "city": "settlement",
    "town": "settlement",
    "village": "settlement",
    "mountains": "feature",
    "mountain": "feature",
    "river": "feature",
    "valley": "feature",
    "plain": "feature",
}
WEAK_BEFORE = frozenset(
    {"in", "near", "outside", "around", "towards", "toward", "into", "across", "from", "to"}
    | {"via", "inside", "at"}
)


@dataclass(frozen=True)
class Cues:
    """What the words around a span say about the place it names."""

    type_hint: str | None = None  # "settlement", "admin", "country", "feature"
    qualifier: str = ""  # "Texas" in "Paris, Texas"; "Syrian" in "the Syrian town of X"


def _before_type(span: Span) -> tuple[str | None, int]:
    """The place-type word before the span ("town of X", "town X"), and its token index."""
    doc = span.doc
    i = span.start - 1
    if i >= 0 and doc[i].lower_ == "of":
        i -= 1
    if i >= 0 and doc[i].lower_ in PLACE_TYPE_BEFORE:
        return PLACE_TYPE_BEFORE[doc[i].lower_], i
    return None, -1


def _after_type(span: Span) -> str | None:
    doc = span.doc
    last = span[-1].lower_
    if last in GENERIC_AFTER and len(span) > 1:
        return GENERIC_AFTER[last]
    if span.end < len(doc) and doc[span.end].lower_ in GENERIC_AFTER:
        return GENERIC_AFTER[doc[span.end].lower_]
    return None


def is_strong_cue(span: Span) -> bool:
    """A place-type word right before or after the span."""
    return _before_type(span)[0] is not None or _after_type(span) is not None


def is_weak_cue(span: Span) -> bool:
    """A locative preposition right before the span ("in X", "near X"), or where someone
    lives in a news report ("Jane Doe, 41, of X", "a man, of X")."""
    i = span.start - 1
    doc = span.doc
    if i >= 0 and doc[i].lower_ in WEAK_BEFORE:
        return True
    return i >= 1 and doc[i].lower_ == "of" and doc[i - 1].text == ","


def cues_for(span: Span) -> Cues:
    """Type hint and qualifier for resolution."""
    doc = span.doc
    type_hint, type_index = _before_type(span)
    if type_hint is None:
        type_hint = _after_type(span)
    qualifier = ""
    # "Paris, Texas": a capitalised name right after a comma.
    j = span.end
    if j + 1 < len(doc) and doc[j].text == "," and doc[j + 1].is_title:
        end = j + 2
        while end < len(doc) and end < j + 4 and doc[end].is_title:
            end += 1
        qualifier = doc[j + 1 : end].text
    # "the Syrian town of X": an adjective before the type word.
    if not qualifier and type_index > 0 and doc[type_index - 1].is_title:
        qualifier = doc[type_index - 1].text
    return Cues(type_hint=type_hint, qualifier=qualifier)


# Verbs and phrases after which a name is a place in war and disaster news: "retook Al-Bab",
# "shelled Maarat al-Numan", "the outskirts of Manbij".
LOCATIVE_VERBS = frozenset(
    {"retook", "recaptured", "captured", "seized", "shelled", "bombed", "besieged", "stormed"}
    | {"liberated", "overran", "encircled", "entered", "attacked", "struck", "hit", "raided"}
    | {"evacuated", "fled", "reached", "surrounded", "retake", "capture", "seize", "shell"}
    | {"bombard", "bombarded", "recapture", "besiege", "storm", "liberate", "take", "took"}
)
LOCATIVE_OF = frozenset(
    {"outskirts", "countryside", "edge", "edges", "suburbs", "centre", "center", "heart"}
    | {"north", "south", "east", "west", "northeast", "northwest", "southeast", "southwest"}
    | {"siege", "capture", "fall", "outskirt", "residents", "people", "province", "city"}
)
_LIST_JOINERS = frozenset({",", "and", "or", "&", ";"})


def after_locative_verb(span: Span) -> bool:
    """ "retook X", "shelled X", "the outskirts of X", "north of X"."""
    doc = span.doc
    i = span.start - 1
    if i >= 0 and doc[i].lower_ in LOCATIVE_VERBS:
        return True
    return i >= 1 and doc[i].lower_ == "of" and doc[i - 1].lower_ in LOCATIVE_OF


def list_neighbours(span: Span) -> list[Span]:
    """Entities joined to the span by commas or "and"/"or": "Homs, Hama and Deraa"."""
    doc = span.doc
    out = []
    for ent in doc.ents:
        if ent.end <= span.start:
            between = doc[ent.end : span.start]
        elif ent.start >= span.end:
            between = doc[span.end : ent.start]
        else:
            continue
        if 1 <= len(between) <= 2 and all(t.lower_ in _LIST_JOINERS for t in between):
            out.append(ent)
    return out


# "Jackson and Barrow counties", "the Williams and Cranberry rivers": a plural place word
# after a list makes every name in it a place of that kind.
PLURAL_GENERICS = frozenset(
    {"counties", "rivers", "provinces", "districts", "states", "islands", "parishes", "towns"}
    | {"villages", "cities", "regions", "townships", "lakes", "mountains", "valleys"}
)


def before_plural_generic(span: Span) -> bool:
    doc = span.doc
    j = span.end
    limit = min(len(doc), span.end + 10)
    while j < limit:
        tok = doc[j]
        if tok.lower_ in PLURAL_GENERICS:
            return True
        if not (tok.lower_ in _LIST_JOINERS or tok.is_title):
            return False
        j += 1
    return False
