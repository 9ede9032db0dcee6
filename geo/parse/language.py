"""Which language an article is in: py3langid, whose model ships inside the package.

Only a confident answer counts. Short texts ("Shelling near Saraqeb.") fool any detector
(py3langid calls that one West Frisian), and a wrong "not English" would switch the English
NER off; so below MIN_LETTERS letters, or below MIN_PROBABILITY, the language is unknown ("")
and the text is read as English, unless most of its letters are Arabic script.
"""

from __future__ import annotations

import functools
from typing import Any

MIN_LETTERS = 40
MIN_PROBABILITY = 0.9
SAMPLE_CHARS = 1_000  # ~170 words: plenty to tell a language; more costs time only
ENGLISH_CODES = frozenset({"", "en"})


@functools.cache
def _identifier() -> Any:
    # Loaded lazily (~0.6 s) and once per process: English-only runs pay it once.
    from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_modelpath(MODEL_DIR / MODEL_FILE, norm_probs=True)


def is_arabic_letter(ch: str) -> bool:
    """Arabic-script letters (Arabic, Persian, Urdu), not digits or punctuation."""
    return ("\u0620" <= ch <= "\u064a") or ("\u066e" <= ch <= "\u06d3") or ch in "\u06d5\u06fa"


def detect_language(text: str) -> str:
    """ISO 639-1 code of the text's language ("en", "ar", "fr"), or "" when unsure."""
    sample = text[:SAMPLE_CHARS]
    letters = [ch for ch in sample if ch.isalpha()]
    arabic = sum(1 for ch in letters if is_arabic_letter(ch))
    mostly_arabic = bool(letters) and arabic * 2 > len(letters)
    if len(letters) < MIN_LETTERS and not mostly_arabic:
        return ""
    code, probability = _identifier().classify(sample)
    if probability >= MIN_PROBABILITY:
        return str(code)
    if mostly_arabic:  # unsure between Arabic-script languages: Arabic is by far the commonest
        return str(code) if code in {"ar", "fa", "ur", "ps", "ug", "ku"} else "ar"
    return ""


def uses_english_model(language: str) -> bool:
    """True when the English NER should read a text of this language ("" = unknown)."""
    return language in ENGLISH_CODES
