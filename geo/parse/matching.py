"""Gazetteer-only recognition: capitalised n-grams that NER missed but the gazetteer knows.

A match is taken only with evidence that it is a place here (a cue, a notable name, a rare
word that is a place in the article's countries), so "Police" or "West" stay words.
"""

from __future__ import annotations

from collections.abc import Iterator

from spacy.attrs import IS_ALPHA, IS_PUNCT, IS_STOP, IS_TITLE, IS_UPPER, LIKE_NUM, ORTH, SENT_START
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


# What follows a news dateline: "COLUMBUS --", "BEIRUT:", "BOWLING GREEN, Ohio (AP)".
_DATELINE_AFTER = frozenset({"—", "–", "-", "--", "---", ":", "("})
_AGENCIES = frozenset({"ap", "reuters", "afp", "upi", "cnn", "xinhua", "ians", "pti", "app", "dpa"})
_PARTIES = frozenset({"R", "D", "I", "DFL"})


def datelines(doc: Doc, gazetteer: Gazetteer) -> Iterator[Span]:
    """Place names the writing conventions of news give away, whatever NER says:
    a dateline in capitals at the start of a line or sentence ("COLUMBUS --", "HURRICANE,
    W.Va. -"), and a legislator's home town after the party ("Westrom, R-Elbow Lake,")."""
    n = len(doc)
    if n == 0:
        return
    # Only capitalised sentence starts and party letters are visited, found from arrays,
    # not token by token (this runs on every article).
    dash = doc.vocab.strings.add("-")
    flags = doc.to_array([SENT_START, IS_UPPER, IS_ALPHA, ORTH]).tolist()
    starts = [i for i, (sent, upper, alpha, _) in enumerate(flags) if sent == 1 and upper and alpha]
    # "R-Elbow Lake": a party letter, a hyphen, a capitalised word (no doc.text: it is rebuilt
    # on every access).
    starts += [
        i - 1
        for i, f in enumerate(flags)
        if f[3] == dash and i > 0 and doc[i - 1].text in _PARTIES and not doc[i - 1].whitespace_
    ]
    for i in sorted(set(starts)):
        tok = doc[i]
        if tok.text in _PARTIES:
            j = i + 2
            while j < n and j < i + 5 and doc[j].is_title:
                j += 1
            if (
                j > i + 2
                and j < n
                and doc[j].text in {",", ")"}
                and _exact(doc[i + 2 : j].text, gazetteer)
            ):
                yield doc[i + 2 : j]
        elif len(tok) >= 3:
            j = i + 1
            while j < n and j < i + 4 and doc[j].is_upper and doc[j].is_alpha:
                j += 1
            if _ends_dateline(doc, j) and _exact(doc[i:j].text, gazetteer):
                yield doc[i:j]


def _separator(doc: Doc, k: int) -> bool:
    if k >= len(doc) or doc[k].text not in _DATELINE_AFTER:
        return False
    if doc[k].text == "(":
        # "(AP)", not "(PSC)": an opening bracket counts only before a news agency.
        return k + 1 < len(doc) and doc[k + 1].lower_ in _AGENCIES
    # "ROSWELL - A man", not "PSC-PSI" or "XDR-TB": a dash with a space before it.
    return doc[k].text == ":" or bool(doc[k - 1].whitespace_)


def _ends_dateline(doc: Doc, j: int) -> bool:
    """A dash, colon or "(AP)" right after the name, or after a state: "X, Ohio (AP)"."""
    if _separator(doc, j):
        return True
    if j + 1 < len(doc) and doc[j].text == "," and (doc[j + 1].is_title or doc[j + 1].is_upper):
        k = j + 2
        while k < len(doc) and k < j + 5 and doc[k].text not in _DATELINE_AFTER:
            if doc[k].is_space or doc[k].is_sent_start:
                return False
            k += 1
        return _separator(doc, k)
    return False


def _exact(text: str, gazetteer: Gazetteer) -> bool:
    return any(c.name_score >= 1.0 for c in gazetteer.candidates(text, limit=3))
