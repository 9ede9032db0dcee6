"""Recognition: which spans of an article name places, and in what role.

The small English model mislabels exactly the places this product is about (Saraqeb as ORG,
Kfar Zita as PERSON, Aleppo as NORP) and labels people as GPE. So NER spans are only
proposals: a spaCy component (`geo_toponyms`) checks each against the gazetteer and the
surrounding words, adds gazetteer matches NER missed, and sorts out demonyms ("Syrian
forces") and place names inside organisation names ("Syrian Observatory for Human Rights").
The result is `doc.spans["toponyms"]`, each span labelled with its role.
"""

from __future__ import annotations

from collections.abc import Iterator

from spacy.language import Language
from spacy.tokens import Doc, Span

from geo.errors import ConfigError
from geo.gazetteer import Gazetteer
from geo.models import ROLE_ADJECTIVE, ROLE_ORGANISATION, ROLE_PLACE
from geo.parse.cues import (
    GENERIC_AFTER,
    before_plural_generic,
    is_strong_cue,
    is_weak_cue,
)
from geo.parse.evidence import (
    VERY_COMMON_ZIPF,
    common_word,
    doc_countries,
    is_acronym,
    is_broad_name,
    is_common_word_name,
    is_local_name,
    is_local_rare_name,
    is_major_place,
    is_notable_name,
    looks_like_person,
    names_no_place,
    person_name_tokens,
    person_span_is_place,
    preceded_by_title,
    said_after,
)
from geo.parse.matching import MAX_NGRAM_TOKENS, datelines, from_gazetteer
from geo.parse.spans import (
    NAME_GENERICS,
    ends_in_institution,
    looks_like_a_name,
    trim_known,
    with_generic,
    without_city_word,
)

SPAN_KEY = "toponyms"


class ToponymRecognizer:
    """spaCy component: NER proposals plus gazetteer evidence -> doc.spans["toponyms"]."""

    def __init__(self, nlp: Language, name: str = "geo_toponyms") -> None:
        self.name = name
        self.gazetteer: Gazetteer | None = None

    def __call__(self, doc: Doc) -> Doc:
        if self.gazetteer is None:
            raise ConfigError("geo_toponyms needs a gazetteer: use geo.parse.pipeline.Geoparser")
        doc.spans[SPAN_KEY] = find_toponyms(doc, self.gazetteer)
        return doc


@Language.factory("geo_toponyms")
def make_toponym_recognizer(nlp: Language, name: str) -> ToponymRecognizer:
    return ToponymRecognizer(nlp, name)


def find_toponyms(doc: Doc, gazetteer: Gazetteer) -> list[Span]:
    """All toponym spans of a document, without overlaps, in text order."""
    person_names = person_name_tokens(doc, gazetteer)
    countries = doc_countries(doc, gazetteer)
    chosen: list[Span] = []
    taken = [False] * len(doc)

    def take(span: Span, role: str) -> None:
        if span.start >= span.end or any(taken[span.start : span.end]):
            return
        if not looks_like_a_name(span.text) or names_no_place(span) or _reads_as_person(span):
            return
        for i in range(span.start, span.end):
            taken[i] = True
        chosen.append(Span(doc, span.start, span.end, label=role))

    ents = doc.ents  # a fresh tuple on every access: read once
    for span in datelines(doc, gazetteer):
        take(span, ROLE_PLACE)
    for ent in ents:
        for span, role in _from_entity(doc, ent, gazetteer, person_names, countries):
            take(span, role)
    # One sense per article: "Gainesville" taken as a place once is a place where the model
    # calls the same word PERSON or ORG, unless that occurrence reads like a person.
    places = {
        s.text
        for s in chosen
        if s.label_ == ROLE_PLACE
        and (is_weak_cue(s) or is_strong_cue(s) or is_notable_name(s.text, gazetteer))
    }
    for ent in ents if places else ():
        if ent.label_ not in {"PERSON", "ORG", "PRODUCT"}:
            continue
        text = ent.text
        if any(p in text for p in places):
            span = trim_known(ent, gazetteer)
            if (
                len(span)
                and span.text in places
                and _exact_name(span.text, gazetteer)
                and not looks_like_person(span, person_names)
                and not said_after(span)
            ):
                take(span, ROLE_PLACE)
    # People and organisations NER found had their chance above; the gazetteer pass
    # must not turn "Pedersen" or "Hezbollah" into a village of the same name.
    blocked = list(taken)
    for ent in ents:
        if ent.label_ in {"PERSON", "ORG", "FAC"}:
            for i in range(ent.start, ent.end):
                blocked[i] = True
    for span, role in from_gazetteer(doc, gazetteer, blocked, person_names, countries):
        take(span, role)
    chosen.sort(key=lambda s: s.start)
    return chosen


def _from_entity(
    doc: Doc,
    ent: Span,
    gazetteer: Gazetteer,
    person_names: frozenset[str],
    countries: frozenset[str] = frozenset(),
) -> Iterator[tuple[Span, str]]:
    label = ent.label_
    if label not in {"GPE", "LOC", "FAC", "NORP", "ORG", "PERSON", "PRODUCT"}:
        return
    span = without_city_word(trim_known(ent, gazetteer), gazetteer)
    if len(span) == 0:
        return
    text = span.text
    if (
        span.start > ent.start
        and span[0].lower_ != ent[0].lower_
        and is_common_word_name(span, gazetteer)
    ):
        return  # "West Wing" -> "Wing": what is left after a direction word is just a word
    if (
        is_acronym(span)
        and not is_broad_name(text, gazetteer)
        and not ("." in text and is_major_place(text, gazetteer))
    ):
        # "BA", "BJP", "AI": acronyms are places only as countries or unions ("US", "EU"),
        # or as the dotted short form of a capital ("D.C.").
        return
    if (
        label in {"PERSON", "PRODUCT", "ORG"}
        and len(span) <= 3
        and before_plural_generic(span)
        and _exact_name(text, gazetteer)
        and not preceded_by_title(span)
    ):
        # "Jackson and Barrow counties": the plural place word outweighs a person or a
        # firm of that name, and an everyday word ("Cranberry") too.
        yield span, ROLE_PLACE
        return
    if label in {"GPE", "LOC"}:
        # NER already says place: only very common words are doubted ("Police", "Court"),
        # and a state or province of that name still counts ("California" is frequent too).
        if (
            common_word(span) >= VERY_COMMON_ZIPF
            and is_common_word_name(span, gazetteer)
            and not is_broad_name(text, gazetteer)
        ):
            return
    elif is_common_word_name(span, gazetteer):
        return  # "Police", "Council", "Centre": English words that some village is named
    if label == "FAC" and not is_strong_cue(span):
        return  # buildings and venues ("White House", "Notre Dame") are not mapped
    if label in {"GPE", "LOC", "FAC"}:
        if gazetteer.demonym(text) is not None:
            yield span, ROLE_ADJECTIVE
        elif looks_like_person(span, person_names):
            return
        elif ends_in_institution(span) and not gazetteer.has_name(text):
            # "Titus County Jail", "Henrico County Police": the place inside the institution
            yield from _inner_places(span, gazetteer, ROLE_ORGANISATION, countries)
        elif _has_generic_tail(span, gazetteer):
            # "Idlib province": the name is "Idlib"; the lower-case word is a cue around it
            # (kept whole when capitalised: "Idlib Province").
            yield (span[:-1] if span[-1].is_lower else span), ROLE_PLACE
        elif gazetteer.has_name(text):
            yield span, ROLE_PLACE
        elif (
            label != "FAC"
            and 1 < len(span) <= 3
            and all(t.is_title or t.is_upper for t in span)
            and _has_known_part(span, gazetteer)
        ):
            # "Danube Delta", "West Midlands": a place NER sees whole that the gazetteer knows
            # only in part. The whole span is the place; resolution decides whether its
            # head may stand in for it.
            yield span, ROLE_PLACE
        else:
            yield from _inner_places(span, gazetteer, ROLE_PLACE, countries)
    elif label == "NORP":
        if gazetteer.demonym(text) is not None:
            yield span, ROLE_ADJECTIVE
        elif gazetteer.has_name(text) and is_notable_name(text, gazetteer):
            yield span, ROLE_PLACE  # the small model tags Aleppo and Sochi as NORP
    elif label == "ORG":
        # A one-word organisation is a place only with a cue, a major place's name or a rare
        # local name: "Toyota" (a city of 400,000) is the carmaker.
        notable = is_notable_name(text, gazetteer) and (
            len(span) > 1 or is_major_place(text, gazetteer)
        )
        if gazetteer.has_name(text) and (
            is_strong_cue(span)
            or is_weak_cue(span)
            or notable
            or is_local_rare_name(span, gazetteer, countries)
        ):
            yield span, ROLE_PLACE  # "Tartus", "Saraqeb" tagged ORG
        else:
            yield from _inner_places(ent, gazetteer, ROLE_ORGANISATION, countries)
    elif label in {"PERSON", "PRODUCT"} and person_span_is_place(
        span, gazetteer, person_names, countries
    ):
        yield span, ROLE_PLACE


# Titles that never begin a place's name ("King", "Prince", "General" and "Dr" can:
# "King George Island", "Prince Edward Island", "General Santos", "DR Congo").
_PERSONAL_TITLES = frozenset(
    {"mr", "mrs", "ms", "miss", "sgt", "sen", "rep", "coach", "senator", "mayor", "president"}
)


def _reads_as_person(span: Span) -> bool:
    """ "Ms Raggi" (a title inside the span), "Farrin, 43," (an age after it)."""
    doc = span.doc
    if span[0].lower_.rstrip(".") in _PERSONAL_TITLES and len(span) > 1:
        return True
    j = span.end
    return (
        j + 2 < len(doc)
        and doc[j].text == ","
        and doc[j + 1].like_num
        and doc[j + 2].text in {",", ")"}
    )


def _exact_name(text: str, gazetteer: Gazetteer) -> bool:
    """The gazetteer holds this very name, not just a loose spelling of it ("NAFTA" ~ Nefta)."""
    return any(c.name_score >= 1.0 for c in gazetteer.candidates(text, limit=3))


def _has_known_part(span: Span, gazetteer: Gazetteer) -> bool:
    return any(
        gazetteer.has_name(part.text)
        for size in range(len(span) - 1, 0, -1)
        for part in (span[:size], span[len(span) - size :])
        if part[0].is_title or part[0].is_upper
    )


def _has_generic_tail(span: Span, gazetteer: Gazetteer) -> bool:
    """ "Idlib province" where the gazetteer knows "Idlib": keep the whole span."""
    if len(span) >= 2 and span[-1].lower_ in GENERIC_AFTER:
        return gazetteer.has_name(span[:-1].text)
    return False


def _inner_places(
    span: Span, gazetteer: Gazetteer, role: str, countries: frozenset[str] = frozenset()
) -> Iterator[tuple[Span, str]]:
    """Place names and demonyms inside a longer entity ("Institute for Middle East Policy")."""
    i = span.start
    doc = span.doc
    while i < span.end:
        found = None
        if (doc[i].is_upper or (doc[i].is_title and len(doc[i]) > 2)) and not doc[i].is_stop:
            for j in range(min(span.end, i + MAX_NGRAM_TOKENS), i, -1):
                sub = doc[i:j]
                if not (sub[-1].is_title or sub[-1].is_upper) or sub[-1].is_punct:
                    continue
                if gazetteer.demonym(sub.text) is not None:
                    found = (sub, role if role == ROLE_ORGANISATION else ROLE_ADJECTIVE)
                    break
                if is_acronym(sub) and not is_broad_name(sub.text, gazetteer):
                    continue
                if is_common_word_name(sub, gazetteer):
                    continue
                if gazetteer.has_name(sub.text) and (
                    is_notable_name(sub.text, gazetteer)
                    or (len(sub) > 1 and is_local_name(sub, gazetteer, countries))
                    or (sub[-1].lower_ in NAME_GENERICS and _exact_name(sub.text, gazetteer))
                ):
                    # "Syrian Observatory", "Laurel County School District": a notable place,
                    # a multi-word name of the article's country, or a county's own name.
                    sub = without_city_word(with_generic(sub, span.end), gazetteer)
                    found = (sub, role)
                    break
        if found:
            yield found
            i = found[0].end
        else:
            i += 1


__all__ = ["SPAN_KEY", "ToponymRecognizer", "find_toponyms"]
