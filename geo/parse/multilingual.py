"""Places in articles not in English: gazetteer matching alone, without the English NER.

The English spaCy model reads Arabic or French as noise, so for those texts the names are
found by looking word sequences up in the gazetteer:
- Arabic-script words through `geo.names.arabic_keys` (joined prefixes و ب ل ف ك dropped),
  matched only against the gazetteer's Arabic alternate names (stored transliterated in
  lower case, "sraqb"), never against Latin names or codes that happen to spell the same;
- Latin-script words only when capitalised and not opening a sentence (a lone "La" or "Le"
  there is an article, not a place), matched by exact name key.
Each name then goes to the candidate in the article's main country, else the most important
one. This finds well-known places; it cannot tell a place from a person or a word of the
same spelling, and it knows no cues ("the town of ..."): see the README.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace

from geo.gazetteer import Gazetteer
from geo.models import ROLE_PLACE, Candidate, Mention
from geo.names import arabic_keys, name_key
from geo.parse.language import is_arabic_letter

MAX_WORDS = 3
MAX_CANDIDATES = 25
RUNNERS_UP = 3
MAX_SCORE = 0.85  # gazetteer matching alone is never "sure"
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
_SENTENCE_END = re.compile(r"[.!?؟۔\n]+")
# Frequent Arabic function words of three letters or more: never names.
_STOP_WORDS = (
    "التي الذي الذين على إلى الى عن هذا هذه ذلك تلك كان كانت قال قالت بعد قبل عند بين "
    "حيث منذ خلال حول ضد لدى غير كل بعض أن إن أو ثم لكن لقد قد وقد وقال وقالت فيها فيه "
    "منها منه عليه عليها اليوم أمس الآن يوم "
    # generic place words ("city", "town", "village", "countryside", "province", "area")
    "مدينة المدينة بلدة البلدة قرية القرية ريف محافظة المحافظة منطقة المنطقة"
)
_ARABIC_STOP = frozenset(_STOP_WORDS.split(" "))
_FEATURE_WEIGHT = {"PCLI": 50.0, "PPLC": 10.0}
MAJOR_POPULATION = 1_000_000
TOWN_BONUS = 1.5


@dataclass(frozen=True)
class _Word:
    text: str
    start: int
    end: int
    arabic: bool
    opens_sentence: bool


def _words(text: str) -> list[_Word]:
    words: list[_Word] = []
    boundaries = {m.end() for m in _SENTENCE_END.finditer(text)}
    last_boundary = 0
    for m in _WORD.finditer(text):
        while boundaries and min(boundaries) <= m.start():
            last_boundary = min(boundaries)
            boundaries.discard(last_boundary)
        opens = not text[last_boundary : m.start()].strip(" \t\"'«“(")
        arabic = any(is_arabic_letter(ch) for ch in m.group())
        words.append(_Word(m.group(), m.start(), m.end(), arabic, opens))
    return words


def _adjacent(text: str, words: list[_Word]) -> bool:
    """Words separated by spaces or a hyphen only (one name may span them)."""
    return all(
        not text[a.end : b.start].strip(" -") and a.arabic == b.arabic
        for a, b in zip(words, words[1:], strict=False)
    )


def _arabic_candidates(phrase: str, gazetteer: Gazetteer) -> tuple[list[Candidate], bool]:
    """(candidates, found as written): False when found only once a prefix was dropped."""
    if phrase in _ARABIC_STOP or phrase.split()[0] in _ARABIC_STOP:
        return [], True
    keys = arabic_keys(phrase)
    as_written = name_key(phrase.replace("ة", "ت"))  # placeholder, replaced below
    as_written = keys[0] if keys else as_written
    for key in keys:
        found = [
            c
            for c in gazetteer.candidates(key, limit=MAX_CANDIDATES)
            if c.name_score >= 1.0 and c.matched_name == c.matched_name.lower()
        ]
        if found:
            return found, key in as_written
    return [], True


def _capitalised(word: _Word) -> bool:
    return not word.arabic and word.text[0].isupper() and not word.opens_sentence


def _latin_candidates(
    words: list[_Word], before: _Word | None, after: _Word | None, gazetteer: Gazetteer
) -> list[Candidate]:
    if not all(w.text[0].isupper() for w in words) or len(words[0].text) < 3:
        return []
    if len(words) == 1 and (
        words[0].opens_sentence or any(w is not None and _capitalised(w) for w in (before, after))
    ):
        return []  # "Le" opening a sentence; "Emmanuel" in "Emmanuel Macron"
    phrase = " ".join(w.text for w in words)
    return [c for c in gazetteer.candidates(phrase, limit=MAX_CANDIDATES) if c.name_score >= 1.0]


def _matches(text: str, gazetteer: Gazetteer) -> Iterator[tuple[int, int, list[Candidate], bool]]:
    """(start, end, candidates, found as written) of each name, longest first, no overlaps."""
    words = _words(text)
    i = 0
    while i < len(words):
        for n in range(min(MAX_WORDS, len(words) - i), 0, -1):
            span = words[i : i + n]
            if n > 1 and not _adjacent(text, span):
                continue
            written = True
            if span[0].arabic:
                phrase = text[span[0].start : span[-1].end]
                found, written = _arabic_candidates(phrase, gazetteer)
            else:
                before = words[i - 1] if i and _adjacent(text, words[i - 1 : i + 1]) else None
                nxt = words[i + n] if i + n < len(words) else None
                after = nxt if nxt is not None and _adjacent(text, [span[-1], nxt]) else None
                found = _latin_candidates(span, before, after, gazetteer)
            if found:
                yield span[0].start, span[-1].end, found, written
                i += n
                break
        else:
            i += 1


def _weight(c: Candidate, countries: Counter[str]) -> float:
    size = math.log10(max(c.place.population, 10)) + _FEATURE_WEIGHT.get(c.place.feature_code, 0)
    size += TOWN_BONUS if c.place.feature_class == "P" else 0.0  # Idlib the city, not province
    share = countries[c.place.country_code] / max(1, sum(countries.values()))
    return size * (1.0 + 3.0 * share)


def _sentence(text: str, start: int, end: int) -> tuple[str, int]:
    left = max((m.end() for m in _SENTENCE_END.finditer(text, 0, start)), default=0)
    right_match = _SENTENCE_END.search(text, end)
    right = right_match.end() if right_match else len(text)
    raw = text[left:right]
    lead = len(raw) - len(raw.lstrip())
    return raw.strip(), left + lead


def _is_capital(c: Candidate) -> bool:
    return c.place.feature_code in _FEATURE_WEIGHT


def _is_major(c: Candidate) -> bool:
    return c.place.feature_code in _FEATURE_WEIGHT or c.place.population >= MAJOR_POPULATION


def find_places(text: str, gazetteer: Gazetteer, language: str = "") -> list[Mention]:
    """Mentions of the gazetteer's places in a non-English text, in text order."""
    found = list(_matches(text, gazetteer))
    # The article's countries: names with one country only (Saraqib) vote for it.
    countries: Counter[str] = Counter()
    for _, _, cands, written in found:
        if not written:
            continue
        codes = {c.place.country_code for c in cands}
        if len(codes) == 1:
            countries[codes.pop()] += 1
    countries.pop("", None)
    # Where some country has two votes, a minor place elsewhere is a chance spelling
    # (a word that looks like a village in another country), not a mention.
    # A name found only by dropping a prefix ("ونزح" -> "نزح") must be in one of those
    # countries, or be a country or capital.
    main = {code for code, votes in countries.items() if votes >= 2}
    kept_found = []
    for start, end, cands, written in found:
        if written:
            kept = [c for c in cands if not main or c.place.country_code in main or _is_major(c)]
        else:
            kept = [c for c in cands if c.place.country_code in main or _is_capital(c)]
        if kept:
            kept_found.append((start, end, kept))
    mentions = []
    for start, end, cands in kept_found:
        ranked = sorted(cands, key=lambda c: -_weight(c, countries))
        weights = [_weight(c, countries) for c in ranked]
        best = ranked[0]
        score = round(min(MAX_SCORE, weights[0] / sum(weights)), 4)
        sentence, sentence_start = _sentence(text, start, end)
        script = "Arabic-script" if any(is_arabic_letter(ch) for ch in text[start:end]) else ""
        where = ", ".join(p for p in (best.place.admin1, best.place.country_code) if p)
        mentions.append(
            Mention(
                start=start,
                end=end,
                surface=text[start:end],
                role=ROLE_PLACE,
                place=best.place,
                score=score,
                sentence=sentence,
                sentence_start=sentence_start,
                runners_up=tuple(ranked[1 : 1 + RUNNERS_UP]),
                evidence=(
                    f"{script or 'name'} matched the gazetteer name {best.matched_name!r} "
                    f"of {best.place.name} ({where}); text in {language or 'another language'}, "
                    "read without the English model"
                ),  # kept after the plain-words evidence by with_method_note
            )
        )
    return mentions


def with_method_note(
    found: list[Mention], explain: Callable[[list[Mention]], list[Mention]]
) -> list[Mention]:
    """The plain-words evidence of `explain` (geo.parse.explain), then how each name matched.

    `explain` keeps evidence already set, so it gets the mentions without their note.
    """
    bare = [replace(m, evidence="") for m in found]
    return [
        replace(e, evidence="; ".join(x for x in (e.evidence, m.evidence) if x))
        for m, e in zip(found, explain(bare), strict=True)
    ]
