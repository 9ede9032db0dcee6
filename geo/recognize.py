"""Recognition: which spans of an article name places, and in what role.

The small English model mislabels exactly the places this product is about (Saraqeb as ORG,
Kfar Zita as PERSON, Aleppo as NORP) and labels people as GPE. So NER spans are only
proposals: a spaCy component (`geo_toponyms`) checks each against the gazetteer and the
surrounding words, adds gazetteer matches NER missed, and sorts out demonyms ("Syrian
forces") and place names inside organisation names ("Syrian Observatory for Human Rights").
The result is `doc.spans["toponyms"]`, each span labelled with its role.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from spacy.language import Language
from spacy.tokens import Doc, Span
from wordfreq import zipf_frequency

from geo.cues import GENERIC_AFTER, PLACE_TYPE_BEFORE, is_strong_cue, is_weak_cue
from geo.gazetteer import Gazetteer
from geo.models import ROLE_ADJECTIVE, ROLE_ORGANISATION, ROLE_PLACE

SPAN_KEY = "toponyms"
MAX_NGRAM_TOKENS = 6

# Direction words news writers glue to place names; the place is what follows.
_DIRECTION = re.compile(
    r"^(?:(?:north|south|east|west|central|northern|southern|eastern|western|"
    r"north-?western|north-?eastern|south-?western|south-?eastern|northwest|northeast|"
    r"southwest|southeast|upper|lower|greater|rural|downtown|the)\s+)+",
    re.IGNORECASE,
)
_TITLES = frozenset(
    [
        "president",
        "prime",
        "minister",
        "mr",
        "mrs",
        "ms",
        "dr",
        "general",
        "gen.",
        "col.",
        "colonel",
        "king",
        "queen",
        "prince",
        "sheikh",
        "envoy",
        "ambassador",
        "spokesman",
        "spokeswoman",
        "secretary",
        "chancellor",
        "senator",
        "governor",
        "mayor",
        "commander",
        "leader",
        "minister",
        "pope",
    ]
)
# Words that look like names but are almost never places in news text.
_COMMON_ZIPF = 4.3
_VERY_COMMON_ZIPF = 5.0
MAJOR_POPULATION = 500_000


def _is_capitalised(token_text: str) -> bool:
    return bool(token_text) and (
        token_text[0].isupper()
        or token_text[:1].isdigit() is False
        and token_text[:3].lower() in {"al-", "el-"}
    )


class ToponymRecognizer:
    """spaCy component: NER proposals plus gazetteer evidence -> doc.spans["toponyms"]."""

    def __init__(self, nlp: Language, name: str = "geo_toponyms") -> None:
        self.name = name
        self.gazetteer: Gazetteer | None = None

    def __call__(self, doc: Doc) -> Doc:
        if self.gazetteer is None:
            raise RuntimeError("geo_toponyms needs a gazetteer: use geo.pipeline.Geoparser")
        doc.spans[SPAN_KEY] = find_toponyms(doc, self.gazetteer)
        return doc


@Language.factory("geo_toponyms")
def make_toponym_recognizer(nlp: Language, name: str) -> ToponymRecognizer:
    return ToponymRecognizer(nlp, name)


def find_toponyms(doc: Doc, gazetteer: Gazetteer) -> list[Span]:
    """All toponym spans of a document, without overlaps, in text order."""
    person_names = _person_name_tokens(doc)
    countries = _doc_countries(doc, gazetteer)
    chosen: list[Span] = []
    taken = [False] * len(doc)

    def take(span: Span, role: str) -> None:
        if span.start >= span.end or any(taken[span.start : span.end]):
            return
        for i in range(span.start, span.end):
            taken[i] = True
        chosen.append(Span(doc, span.start, span.end, label=role))

    for ent in doc.ents:
        for span, role in _from_entity(doc, ent, gazetteer, person_names, countries):
            take(span, role)
    # People and organisations NER found had their chance above; the gazetteer pass
    # must not turn "Pedersen" or "Hezbollah" into a village of the same name.
    blocked = list(taken)
    for ent in doc.ents:
        if ent.label_ in {"PERSON", "ORG"}:
            for i in range(ent.start, ent.end):
                blocked[i] = True
    for span, role in _from_gazetteer(doc, gazetteer, blocked, person_names, countries):
        take(span, role)
    chosen.sort(key=lambda s: s.start)
    return chosen


def _person_name_tokens(doc: Doc) -> frozenset[str]:
    """Surnames and given names of PERSON entities, to reject "Erdogan" tagged GPE later."""
    names: set[str] = set()
    for ent in doc.ents:
        if ent.label_ == "PERSON" and len(ent) >= 2:
            names.update(t.text for t in ent if t.is_alpha and t.is_title)
    return frozenset(names)


def _trim(span: Span, gazetteer: Gazetteer | None = None) -> Span:
    """Drop "the", direction words, possessive 's and trailing punctuation from a span."""
    doc = span.doc
    start, end = span.start, span.end
    while start < end and (
        doc[start].lower_ == "the" or _DIRECTION.match(doc[start].text + " ") is not None
    ):
        # Keep direction words that are part of a name the gazetteer knows ("North Korea").
        if doc[start].lower_ != "the" and _known(doc[start:end].text, gazetteer):
            break
        start += 1
    while end > start and (doc[end - 1].text in {"'s", "’s", "'", "’"} or doc[end - 1].is_punct):
        end -= 1
    return doc[start:end]


def _known(text: str, gazetteer: Gazetteer | None) -> bool:
    return gazetteer is not None and gazetteer.has_name(text)


def _from_entity(
    doc: Doc,
    ent: Span,
    gazetteer: Gazetteer,
    person_names: frozenset[str],
    countries: frozenset[str] = frozenset(),
) -> Iterator[tuple[Span, str]]:
    label = ent.label_
    if label not in {"GPE", "LOC", "FAC", "NORP", "ORG", "PERSON"}:
        return
    span = _trim_known(ent, gazetteer)
    if len(span) == 0:
        return
    text = span.text
    if _is_acronym(span) and not _is_broad_name(text, gazetteer):
        return  # "BA", "BJP", "AI": acronyms are places only as countries or unions ("US", "EU")
    if label in {"GPE", "LOC"}:
        # NER already says place: only very common words are doubted ("Police", "Court"),
        # and a state or province of that name still counts ("California" is frequent too).
        if _common_word(span) >= _VERY_COMMON_ZIPF and _is_common_word_name(span, gazetteer):
            if not _is_broad_name(text, gazetteer):
                return
    elif _is_common_word_name(span, gazetteer):
        return  # "Police", "Council", "Centre": English words that some village is named
    if label == "FAC" and not is_strong_cue(span):
        return  # buildings and venues ("White House", "Notre Dame") are not mapped
    if label in {"GPE", "LOC", "FAC"}:
        if gazetteer.demonym(text) is not None:
            yield span, ROLE_ADJECTIVE
        elif _looks_like_person(span, person_names):
            return
        elif gazetteer.has_name(text) or _has_generic_tail(span, gazetteer):
            yield span, ROLE_PLACE
        else:
            yield from _inner_places(span, gazetteer, ROLE_PLACE)
    elif label == "NORP":
        if gazetteer.demonym(text) is not None:
            yield span, ROLE_ADJECTIVE
        elif gazetteer.has_name(text) and _is_notable_name(text, gazetteer):
            yield span, ROLE_PLACE  # the small model tags Aleppo and Sochi as NORP
    elif label == "ORG":
        if gazetteer.has_name(text) and (
            is_strong_cue(span)
            or is_weak_cue(span)
            or _is_notable_name(text, gazetteer)
            or _is_local_rare_name(span, gazetteer, countries)
        ):
            yield span, ROLE_PLACE  # "Tartus", "Saraqeb" tagged ORG
        else:
            yield from _inner_places(ent, gazetteer, ROLE_ORGANISATION)
    elif label == "PERSON":
        # "Kfar Zita" tagged PERSON: accept only with a place cue and no sign of a person.
        # "Abuja", "Owerri": a capital or a rare local name needs no cue.
        if (
            gazetteer.has_name(text)
            and (
                is_strong_cue(span)
                or is_weak_cue(span)
                or _is_major_place(text, gazetteer)
                or _is_local_rare_name(span, gazetteer, countries)
            )
            and not _looks_like_person(span, person_names)
            and not _preceded_by_title(span)
        ):
            yield span, ROLE_PLACE


def _trim_known(ent: Span, gazetteer: Gazetteer) -> Span:
    """Trim an entity unless its full text is itself a name ("North Korea", "The Hague")."""
    if ent[0].lower_ != "the" and gazetteer.has_name(ent.text):
        return ent
    if ent[0].text == "The" and any(
        c.name_score >= 1.0 and c.matched_name.lower().startswith("the ")
        for c in gazetteer.candidates(ent.text, limit=3)
    ):
        return ent
    return _trim(ent, gazetteer)


def _has_generic_tail(span: Span, gazetteer: Gazetteer) -> bool:
    """ "Idlib province" where the gazetteer knows "Idlib": keep the whole span."""
    if len(span) >= 2 and span[-1].lower_ in GENERIC_AFTER:
        return gazetteer.has_name(span[:-1].text)
    return False


def _inner_places(span: Span, gazetteer: Gazetteer, role: str) -> Iterator[tuple[Span, str]]:
    """Place names and demonyms inside a longer entity ("Tahrir Institute for Middle East Policy")."""
    i = span.start
    doc = span.doc
    while i < span.end:
        found = None
        if (doc[i].is_title or doc[i].is_upper) and not doc[i].is_stop:
            for j in range(min(span.end, i + MAX_NGRAM_TOKENS), i, -1):
                sub = doc[i:j]
                if not (sub[-1].is_title or sub[-1].is_upper) or sub[-1].is_punct:
                    continue
                if gazetteer.demonym(sub.text) is not None:
                    found = (sub, role if role == ROLE_ORGANISATION else ROLE_ADJECTIVE)
                    break
                if _is_acronym(sub) and not _is_broad_name(sub.text, gazetteer):
                    continue
                if _is_common_word_name(sub, gazetteer):
                    continue
                if gazetteer.has_name(sub.text) and _is_notable_name(sub.text, gazetteer):
                    found = (sub, role)
                    break
        if found:
            yield found
            i = found[0].end
        else:
            i += 1


def _looks_like_person(span: Span, person_names: frozenset[str]) -> bool:
    return span.text in person_names or _preceded_by_title(span)


def _preceded_by_title(span: Span) -> bool:
    if span.start == 0:
        return False
    prev = span.doc[span.start - 1]
    return prev.lower_.rstrip(".") in _TITLES


def _common_word(span: Span) -> float:
    """How common the span's words are in English (wordfreq's Zipf scale; 0 = unknown).

    A multi-word name is as rare as its rarest word ("New York" is not common).
    """
    words = [t.lower_ for t in span if t.is_alpha]
    return min((zipf_frequency(w, "en") for w in words), default=0.0)


def _is_common_word_name(span: Span, gazetteer: Gazetteer) -> bool:
    """An everyday English word ("Police", "Orange") that is not the name of a major place.

    Country and big-city names are frequent words too ("Pakistan", "Liverpool"), so
    frequency alone cannot tell them apart: the size of the place decides.
    """
    words = [t for t in span if t.is_alpha]
    if len(words) != 1:
        return False  # "Orange County", "New York": a multi-word capitalised name is a name
    return _common_word(span) >= _COMMON_ZIPF and not _is_major_place(span.text, gazetteer)


def _is_major_place(text: str, gazetteer: Gazetteer) -> bool:
    return any(
        c.name_score >= 0.95
        and (
            c.place.feature_code.startswith("PCL")
            or c.place.feature_code in {"CONT", "RGN", "SEA", "OCN"}
            or (c.place.feature_class == "P" and c.place.population >= MAJOR_POPULATION)
        )
        for c in gazetteer.candidates(text, limit=5)
    )


def _is_acronym(span: Span) -> bool:
    letters = "".join(ch for ch in span.text if ch.isalpha())
    return len(span) <= 2 and letters.isupper() and len(letters) <= 4


def _is_broad_name(text: str, gazetteer: Gazetteer) -> bool:
    return any(c.name_score >= 0.95 and c.place.is_broad for c in gazetteer.candidates(text, 5))


def _is_notable_name(text: str, gazetteer: Gazetteer) -> bool:
    """A name whose best reading is a country, region, big city or curated regional place."""
    best = gazetteer.candidates(text, limit=5)
    return any(
        c.name_score >= 0.95
        and (c.place.is_broad or c.place.population >= 100_000 or c.place.source == "supplement")
        for c in best
    )


def _doc_countries(doc: Doc, gazetteer: Gazetteer) -> frozenset[str]:
    """Countries the document's place entities clearly belong to (for rare names without NER)."""
    codes: set[str] = set()
    for ent in doc.ents:
        if ent.label_ not in {"GPE", "LOC", "NORP"}:
            continue
        demonym = gazetteer.demonym(ent.text)
        if demonym is not None:
            codes.add(demonym.country_code)
            continue
        exact = {
            c.place.country_code for c in gazetteer.candidates(ent.text, 10) if c.name_score >= 1.0
        }
        if len(exact) == 1:
            codes |= exact
    codes.discard("")
    return frozenset(codes)


def _from_gazetteer(
    doc: Doc,
    gazetteer: Gazetteer,
    taken: list[bool],
    person_names: frozenset[str],
    countries: frozenset[str] = frozenset(),
) -> Iterator[tuple[Span, str]]:
    """Capitalised n-grams outside entities that the gazetteer knows, with enough evidence."""
    i = 0
    n = len(doc)
    while i < n:
        tok = doc[i]
        if (
            taken[i]
            or not (tok.is_title or tok.is_upper)
            or tok.is_punct
            or tok.like_num
            or (tok.is_stop and not tok.is_upper)
        ):
            i += 1
            continue
        match = None
        for j in range(min(n, i + MAX_NGRAM_TOKENS), i, -1):
            if any(taken[i:j]):
                continue
            span = doc[i:j]
            last = span[-1]
            if not (last.is_title or last.is_upper) or last.is_punct:
                continue
            text = span.text
            if gazetteer.demonym(text) is not None:
                match = (span, ROLE_ADJECTIVE)
                break
            if not gazetteer.has_name(text) or text in person_names or _preceded_by_title(span):
                continue
            if _is_acronym(span) and not _is_broad_name(text, gazetteer):
                continue  # "TV", "UN", "HTS": acronyms are places only as countries or regions
            if _accept_gazetteer_only(span, gazetteer, countries):
                match = (span, ROLE_PLACE)
                break
        if match is not None:
            yield match
            i = match[0].end
        else:
            i += 1


def _accept_gazetteer_only(
    span: Span, gazetteer: Gazetteer, countries: frozenset[str] = frozenset()
) -> bool:
    """Evidence that a capitalised gazetteer name outside NER really is a place here."""
    if _is_common_word_name(span, gazetteer):
        return False  # "Centre", "Police", "West": no cue makes an English word a place
    if is_strong_cue(span):
        return True
    common = _common_word(span)
    if span[0].is_sent_start and common >= 3.5:
        return False
    if _is_notable_name(span.text, gazetteer):
        return True
    if len(span.text) < 4 or common >= 3.0:
        return False
    return is_weak_cue(span) or _is_local_rare_name(span, gazetteer, countries)


def _is_local_rare_name(span: Span, gazetteer: Gazetteer, countries: frozenset[str]) -> bool:
    """A rare word (not English) naming a place in a country the article is about."""
    if not countries or len(span.text) < 4 or _common_word(span) >= 3.0:
        return False
    return any(
        c.name_score >= 1.0 and c.place.country_code in countries
        for c in gazetteer.candidates(span.text, 10)
    )


__all__ = ["SPAN_KEY", "ToponymRecognizer", "find_toponyms"]
