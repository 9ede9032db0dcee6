"""Gazetteer-only recognition: capitalised n-grams that NER missed but the gazetteer knows.

A match is taken only with evidence that it is a place here (a cue, a notable name, a rare
word that is a place in the article's countries), so "Police" or "West" stay words.
"""

from __future__ import annotations

from collections.abc import Iterator

from spacy.attrs import IS_PUNCT, IS_STOP, IS_TITLE, IS_UPPER, LIKE_NUM
from spacy.tokens import Doc, Span

from geo.gazetteer import Gazetteer
from geo.models import ROLE_ADJECTIVE, ROLE_PLACE
from geo.parse.cues import is_strong_cue, is_weak_cue
from geo.parse.evidence import (
    common_word,
    is_acronym,
    is_broad_name,
    is_common_word_name,
    is_local_rare_name,
    is_notable_name,
    preceded_by_title,
)

MAX_NGRAM_TOKENS = 6


def name_starts(doc: Doc) -> list[bool]:
    """Tokens a name may start with: capitalised words, not punctuation, numbers or stop
    words. Read as arrays in one call, not token by token (this runs on every token)."""
    if len(doc) == 0:
        return []
    flags = doc.to_array([IS_TITLE, IS_UPPER, IS_PUNCT, LIKE_NUM, IS_STOP]).tolist()
    return [
        bool((title or upper) and not punct and not num and not (stop and not upper))
        for title, upper, punct, num, stop in flags
    ]


def from_gazetteer(
    doc: Doc,
    gazetteer: Gazetteer,
    taken: list[bool],
    person_names: frozenset[str],
    countries: frozenset[str] = frozenset(),
) -> Iterator[tuple[Span, str]]:
    """Capitalised n-grams outside entities that the gazetteer knows, with enough evidence."""
    n = len(doc)
    starts = name_starts(doc)
    i = 0
    while i < n:
        if not starts[i] or taken[i]:
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
            if not gazetteer.has_name(text) or text in person_names or preceded_by_title(span):
                continue
            if is_acronym(span) and not is_broad_name(text, gazetteer):
                continue  # "TV", "UN", "HTS": acronyms are places only as countries or regions
            if accept_gazetteer_only(span, gazetteer, countries):
                match = (span, ROLE_PLACE)
                break
        if match is not None:
            yield match
            i = match[0].end
        else:
            i += 1


def accept_gazetteer_only(
    span: Span, gazetteer: Gazetteer, countries: frozenset[str] = frozenset()
) -> bool:
    """Evidence that a capitalised gazetteer name outside NER really is a place here."""
    if is_common_word_name(span, gazetteer):
        return False  # "Centre", "Police", "West": no cue makes an English word a place
    if is_strong_cue(span):
        return True
    common = common_word(span)
    if span[0].is_sent_start and common >= 3.5:
        return False
    if is_notable_name(span.text, gazetteer):
        return True
    if len(span.text) < 4 or common >= 3.0:
        return False
    return is_weak_cue(span) or is_local_rare_name(span, gazetteer, countries)
