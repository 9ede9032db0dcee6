"""Evidence about a span: is it a person, an everyday word, a major place, a local name?

Recognition weighs these signals against each other; each is a small predicate over a span
(or its text) and the gazetteer, so it can be tested on its own.
"""

from __future__ import annotations

from functools import lru_cache

from spacy.tokens import Doc, Span
from wordfreq import zipf_frequency

from geo.gazetteer import Gazetteer
from geo.models import Candidate
from geo.names import name_key
from geo.parse.cues import after_locative_verb, is_strong_cue, is_weak_cue, list_neighbours

# Zipf frequency (wordfreq): 4.3 is about once per 20,000 words of English ("Police" 5.3,
# "Orange" 4.6, "Saraqeb" 0). Above it a capitalised word is more likely a word than a name.
COMMON_ZIPF = 4.3
VERY_COMMON_ZIPF = 5.0
MAJOR_POPULATION = 500_000
NOTABLE_POPULATION = 100_000
ALIAS_ZIPF = 4.0  # "franklin" 4.2, "white" 5.3; "bombay" 3.5

TITLES = frozenset(
    {"president", "prime", "minister", "mr", "mrs", "ms", "dr", "general", "gen.", "col."}
    | {"colonel", "king", "queen", "prince", "sheikh", "envoy", "ambassador", "spokesman"}
    | {"spokeswoman", "secretary", "chancellor", "senator", "governor", "mayor", "commander"}
    | {"leader", "pope", "chief", "coach", "judge", "sheriff", "deputy", "officer", "detective"}
    | {"trooper", "sgt", "lt", "sen", "rep", "gov", "rev", "attorney", "superintendent"}
    | {"inspector", "director", "professor", "prof", "pastor", "bishop", "gm"}
)


def person_name_tokens(doc: Doc, gazetteer: Gazetteer | None = None) -> frozenset[str]:
    """Surnames and given names of PERSON entities, to reject "Erdogan" tagged GPE later.

    A word NER also tags as a notable place on its own elsewhere in the text is not taken as
    a name ("Rethinking Egypt" tagged PERSON in a headline must not make every "Egypt" a
    person). A small town's name is no such proof: the model tags "Henry Farrin" PERSON and
    then every later "Farrin" GPE, and those are the man.
    """
    names: set[str] = set()
    places: set[str] = set()
    for ent in doc.ents:
        if ent.label_ == "PERSON" and len(ent) >= 2:
            names.update(_name_words(ent))
        elif ent.label_ in {"GPE", "LOC"} and len(ent) == 1:
            places.add(ent.text)
    places &= names
    if gazetteer is not None:
        places = {p for p in places if is_notable_name(p, gazetteer)}
    return frozenset(names - places)


def _name_words(ent: Span) -> list[str]:
    """The given names and surnames of a PERSON entity. The model's PERSON spans often run
    over a title and what precedes it ("Cookville Fire Chief Wesley McCollum", "Erie GM"):
    only the words after the last title count, and a span with words that are not names in
    it ("Cornwall Fire and") gives none."""
    words = list(ent)
    for i in range(len(words) - 1, -1, -1):
        if words[i].lower_.rstrip(".") in TITLES:
            words = words[i + 1 :]
            break
    if len(words) < 2 or words[0].lower_ in _JOINERS or words[-1].lower_ in _JOINERS:
        return []
    if not all(
        (t.is_alpha and t.is_title) or (len(t) == 2 and t.text[1] == ".") or t.lower_ in _JOINERS
        for t in words
    ):
        return []  # "Kristina and Tim Jones" is two people; "Cornwall Fire and" is no one
    return [t.text for t in words if t.is_alpha and t.lower_ not in _JOINERS]


_JOINERS = frozenset({"and", "&", ","})


def looks_like_person(span: Span, person_names: frozenset[str]) -> bool:
    return span.text in person_names or preceded_by_title(span)


def preceded_by_title(span: Span) -> bool:
    if span.start == 0:
        return False
    prev = span.doc[span.start - 1]
    return prev.lower_.rstrip(".") in TITLES


def common_word(span: Span) -> float:
    """How common the span's words are in English (wordfreq's Zipf scale; 0 = unknown).

    A multi-word name is as rare as its rarest word ("New York" is not common).
    """
    words = [t.lower_ for t in span if t.is_alpha]
    return min((zipf_frequency(w, "en") for w in words), default=0.0)


def is_common_word_name(span: Span, gazetteer: Gazetteer) -> bool:
    """An everyday English word ("Police", "Orange") that is not the name of a major place.

    Country and big-city names are frequent words too ("Pakistan", "Liverpool"), so
    frequency alone cannot tell them apart: the size of the place decides.
    """
    words = [t for t in span if t.is_alpha]
    if len(words) != 1:
        return False  # "Orange County", "New York": a multi-word capitalised name is a name
    return common_word(span) >= COMMON_ZIPF and not is_major_place(span.text, gazetteer)


# Words that name first-level regions in some country ("Centre", "Eastern", "North") but
# are far more often plain words in English.
_GENERIC_REGION_WORDS = frozenset(
    {"north", "south", "east", "west", "central", "centre", "center", "northern", "southern"}
    | {"eastern", "western", "capital", "coast", "islands", "island", "lakes", "upper", "lower"}
    | {"north east", "north west", "south east", "south west", "midlands", "interior"}
)


def _own_reading(c: Candidate, key: str, everyday: bool) -> bool:
    """A reading under the place's own name, or under an alias that is no everyday English
    ("Bombay"): "White House" is Casablanca's translation and "Franklin" an old name of
    Columbus, and neither makes those words a big city's name."""
    place = c.place
    return not everyday or place.feature_class != "P" or name_key(place.name) == key


@lru_cache(maxsize=65536)
def _everyday(text: str) -> bool:
    words = [w for w in text.lower().split() if w.isalpha()]
    return bool(words) and min(zipf_frequency(w, "en") for w in words) >= ALIAS_ZIPF


def is_major_place(text: str, gazetteer: Gazetteer) -> bool:
    """A country, continent, sea, big city, or a first-level region under its own name
    ("Texas", "Ohio": frequent English words, yet places)."""
    key = name_key(text)
    everyday = _everyday(text)
    return any(
        c.name_score >= 0.95
        and _own_reading(c, key, everyday)
        and (
            c.place.feature_code.startswith("PCL")
            or c.place.feature_code in {"CONT", "RGN", "SEA", "OCN"}
            or (c.place.feature_class == "P" and c.place.population >= MAJOR_POPULATION)
            or (
                c.place.feature_code == "ADM1"
                and key not in _GENERIC_REGION_WORDS
                and name_key(c.place.name) == key
            )
        )
        for c in gazetteer.candidates(text, limit=5)
    )


def is_acronym(span: Span) -> bool:
    letters = "".join(ch for ch in span.text if ch.isalpha())
    return len(span) <= 2 and letters.isupper() and len(letters) <= 4


def is_broad_name(text: str, gazetteer: Gazetteer) -> bool:
    return any(c.name_score >= 0.95 and c.place.is_broad for c in gazetteer.candidates(text, 5))


def is_notable_name(text: str, gazetteer: Gazetteer) -> bool:
    """A name whose best reading is a country, region, big city or curated regional place."""
    best = gazetteer.candidates(text, limit=5)
    key, everyday = name_key(text), _everyday(text)
    return any(
        c.name_score >= 0.95
        and _own_reading(c, key, everyday)
        and (
            c.place.is_broad
            or c.place.population >= NOTABLE_POPULATION
            or c.place.source.startswith(("supplement", "user"))
        )
        for c in best
    )


def doc_countries(doc: Doc, gazetteer: Gazetteer) -> frozenset[str]:
    """Countries the document's place entities clearly belong to (for rare names without NER)."""
    codes: set[str] = set()
    for ent in doc.ents:
        if ent.label_ not in {"GPE", "LOC", "NORP"}:
            continue
        demonym = gazetteer.demonym(ent.text)
        if demonym is not None:
            codes.add(demonym.country_code)
            continue
        cands = [c for c in gazetteer.candidates(ent.text, 10) if c.name_score >= 1.0]
        exact = {c.place.country_code for c in cands}
        if len(exact) == 1:
            codes |= exact
        elif cands and is_major_place(ent.text, gazetteer):
            # "Texas", "Ohio": the state's country, though small towns abroad share the name
            codes.add(cands[0].place.country_code)
    codes.discard("")
    return frozenset(codes)


def is_local_rare_name(span: Span, gazetteer: Gazetteer, countries: frozenset[str]) -> bool:
    """A rare word (not English) naming a place in a country the article is about."""
    if not countries or len(span.text) < 4 or common_word(span) >= 3.0:
        return False
    return any(
        c.name_score >= 1.0 and c.place.country_code in countries
        for c in gazetteer.candidates(span.text, 10)
    )


SPEECH_VERBS = frozenset(
    {"said", "says", "told", "added", "stated", "wrote", "explained", "argued", "noted"}
)


def said_after(span: Span) -> bool:
    """ "Hama said", "Hama, who ...": a speaker, not a place."""
    doc = span.doc
    j = span.end
    if j < len(doc) and doc[j].lower_ in SPEECH_VERBS:
        return True
    return j + 1 < len(doc) and doc[j].text == "," and doc[j + 1].lower_ in {"who", "whose"}


def is_local_name(span: Span, gazetteer: Gazetteer, countries: frozenset[str]) -> bool:
    """An exact gazetteer name of a place in one of the article's countries."""
    return bool(countries) and any(
        c.name_score >= 1.0 and c.place.country_code in countries
        for c in gazetteer.candidates(span.text, 10)
    )


# Abbreviations that look like capitalised names: months, titles, company suffixes.
ABBREVIATIONS = frozenset(
    {"jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec"}
    | {"sen", "rep", "gov", "gen", "lt", "sgt", "capt", "col", "cpl", "mr", "mrs", "ms", "dr"}
    | {"inc", "corp", "co", "ltd", "llc", "jr", "sr", "dept", "no", "vs", "rev", "prof", "st"}
)
# A place name before these words names the disease or the money, not the place:
# "West Nile virus", "Reston ebolavirus", "Marburg fever", "US$ 5".
DISEASE_AFTER = frozenset(
    {"virus", "viruses", "ebolavirus", "fever", "flu", "strain", "encephalitis", "disease"}
)


def names_no_place(span: Span) -> bool:
    """Spans that are never places, whatever the gazetteer says: "Sen.", "Dec.", "US$",
    and place names that name a disease ("West Nile virus")."""
    doc = span.doc
    if len(span) == 1 and span.text.endswith(".") and span.text[:-1].lower() in ABBREVIATIONS:
        return True
    if (
        len(span) == 1
        and span[0].lower_ in ABBREVIATIONS
        and span.end < len(doc)
        and doc[span.end].text == "."
    ):
        return True  # "Sgt" "." split by the tokenizer
    if "$" in span.text or (span.end < len(doc) and doc[span.end].text.startswith("$")):
        return True
    return span.end < len(doc) and doc[span.end].lower_ in DISEASE_AFTER


def person_span_is_place(
    span: Span, gazetteer: Gazetteer, person_names: frozenset[str], countries: frozenset[str]
) -> bool:
    """ "Kfar Zita" tagged PERSON, "Manbij" tagged PRODUCT: a place with place evidence (a cue,
    a capital, a rare local name, or a name of the article's country in a list of places or
    after "retook"/"the outskirts of"), and no sign of a person (a title, "X said", a name
    the article gives a person)."""
    text = span.text
    if not gazetteer.has_name(text) or looks_like_person(span, person_names) or said_after(span):
        return False
    return bool(
        is_strong_cue(span)
        or is_weak_cue(span)
        or is_major_place(text, gazetteer)
        or is_local_rare_name(span, gazetteer, countries)
        or (
            is_local_name(span, gazetteer, countries)
            and (after_locative_verb(span) or listed_with_places(span, gazetteer, countries))
        )
    )


def listed_with_places(span: Span, gazetteer: Gazetteer, countries: frozenset[str]) -> bool:
    for other in list_neighbours(span):
        if other.label_ in {"GPE", "LOC"} or is_local_name(other, gazetteer, countries):
            return True
    return False
