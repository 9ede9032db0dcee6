"""Name normalisation: exact-ish keys, transliteration-tolerant keys and fuzzy scores.

Every gazetteer match goes through these functions, so both the index builder and the
lookups must use exactly the same keys. All three functions are total: any `str` in,
a value out, never an exception (news text carries every kind of Unicode).
"""

from __future__ import annotations

import re
import unicodedata

from rapidfuzz import fuzz
from unidecode import unidecode

# Ayn, hamza, okina and the many apostrophe look-alikes: transliterations write them or
# leave them out at will ("Ma'arrat" / "Maarat"), so they must vanish, not become spaces.
_MARKS = "ʿʾʻʼʹʽ‘’‛′`´'\"ˈˊˋ"
_MARKS_TABLE = str.maketrans("", "", _MARKS)
_NON_ALNUM = re.compile(r"[^a-z0-9]+")
_SURROGATES = re.compile(r"[\ud800-\udfff]")  # lone surrogates cannot be transliterated

# Arabic article forms, written as a separate token after name_key splits on hyphens.
# Only dropped before another token: an article always precedes its noun, and dropping a
# final "an"/"as" would hurt non-Arabic names.
_ARTICLES = frozenset(
    {"al", "el", "il", "ul", "as", "es", "ad", "ed", "ar", "er", "ash", "esh", "at", "et"}
    | {"az", "ez", "an", "en", "adh", "ath", "dh", "ds", "ag"}
)

# Generic words spelt many ways; map each family to one token before letter rules run.
_GENERIC = {
    "tall": "tal",
    "tal": "tal",
    "tell": "tal",
    "tel": "tal",
    "kfar": "kfr",
    "kafr": "kfr",
    "kafar": "kfr",
    "kefr": "kfr",
    "jabal": "jbl",
    "jebel": "jbl",
    "jabel": "jbl",
    "jbel": "jbl",
    "djebel": "jbl",
    "khirbet": "krbt",
    "khirbat": "krbt",
    "kherbet": "krbt",
    "khirbit": "krbt",
}
_MAARAT = re.compile(r"^ma+r+[ae]t$")  # Ma'arrat, Maarat, Maaret, Marat, Maarrat

# Letter rules, applied in order. Digraphs first (kh, gh, q), then vowels fold into
# three classes (a / i / u) so Syria ("siria") and Sauria ("sauria") stay apart.
_LETTER_RULES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"[ae]h\b"), "a"),  # ta marbuta: -ah / -eh / -a (Hasakah, Hassakeh)
    (re.compile(r"kh"), "k"),
    (re.compile(r"gh"), "g"),
    (re.compile(r"q"), "k"),
    (re.compile(r"ck"), "k"),
    (re.compile(r"[ey]"), "i"),
    (re.compile(r"o"), "u"),
    (re.compile(r"(.)\1+"), r"\1"),  # doubled letters: Raqqa/Raqa, ee, oo, ou->uu
    (re.compile(r"ai"), "i"),  # ay/ai/ei: Zayta/Zita, Sheikh/Shaykh
)


def name_key(s: str) -> str:
    """Exact-ish key: ASCII, lowercase, no diacritics or apostrophes, single spaces.

    "Al ‘Īs" -> "al is", "U.S." -> "us", "Deir ez-Zor" -> "deir ez zor".
    """
    text = _SURROGATES.sub("", unicodedata.normalize("NFKC", str(s))).translate(_MARKS_TABLE)
    # Dots join abbreviations ("U.S.") rather than separate words.
    text = unidecode(text.replace(".", "")).lower().translate(_MARKS_TABLE)
    return _NON_ALNUM.sub(" ", text).strip()


def _loose_token(token: str) -> str:
    generic = _GENERIC.get(token)
    if generic is not None:
        return generic
    if _MAARAT.match(token):
        return "marat"
    for pattern, repl in _LETTER_RULES:
        token = pattern.sub(repl, token)
    return token


def loose_key(s: str) -> str:
    """Transliteration-tolerant skeleton of a name, built on name_key.

    Drops Arabic articles, folds vowel and consonant spelling variants and generic
    words, so "Ma'arrat al-Nu'man" and "Maaret al-Noman" share one key.
    """
    tokens = name_key(s).split()
    kept = [t for i, t in enumerate(tokens) if not (t in _ARTICLES and i < len(tokens) - 1)]
    return " ".join(_loose_token(t) for t in kept)


def fuzzy_score(a: str, b: str) -> float:
    """Similarity 0..1 of two names: the better of exact-key and loose-key edit ratios."""
    ka, kb = name_key(a), name_key(b)
    if not ka or not kb:
        return 0.0
    if ka == kb:
        return 1.0
    la, lb = loose_key(a), loose_key(b)
    best = max(fuzz.ratio(ka, kb), fuzz.ratio(la, lb) if la and lb else 0.0)
    return round(best / 100.0, 4)


# Arabic script, letter by letter, as the gazetteer's alternate names spell it: GeoNames'
# Arabic names arrive transliterated without vowels ("سراقب" -> "sraqb", "الرقة" -> "alrqt").
_ARABIC_LETTERS = {
    "ا": "a", "أ": "a", "إ": "a", "آ": "a", "ٱ": "a", "ء": "", "ؤ": "w", "ئ": "y",
    "ب": "b", "ت": "t", "ث": "th", "ج": "j", "ح": "h", "خ": "kh", "د": "d", "ذ": "dh",
    "ر": "r", "ز": "z", "س": "s", "ش": "sh", "ص": "s", "ض": "d", "ط": "t", "ظ": "z",
    "ع": "", "غ": "gh", "ف": "f", "ق": "q", "ك": "k", "ل": "l", "م": "m", "ن": "n",
    "ه": "h", "و": "w", "ي": "y", "ى": "a", "ة": "t", "پ": "p", "چ": "ch", "ژ": "zh",
    "گ": "g", "ک": "k", "ی": "y", "ە": "h", "ـ": "",
}  # fmt: skip
_ARABIC_MARKS = re.compile("[\u064b-\u065f\u0670\u06d6-\u06ed]")  # vowel signs, shadda, sukun
# Prefixes written joined to the next word: "and", "in/with", "to", "so", "like" (+ "al-").
_CLITICS = ("وبال", "وال", "بال", "فال", "كال", "لل", "و", "ب", "ل", "ف", "ك")
MIN_ARABIC_LETTERS = 3  # two-letter words are particles ("في", "من"), never names here


def _arabic_ascii(word: str) -> str:
    return "".join(_ARABIC_LETTERS.get(ch, ch) for ch in word)


def _without_clitic(word: str) -> list[str]:
    """The word, and the word without one joined prefix ("وسراقب" -> "سراقب")."""
    forms = [word]
    for clitic in _CLITICS:
        rest = word[len(clitic) :]
        if word.startswith(clitic) and len(rest) >= MIN_ARABIC_LETTERS:
            # "بالرقة" is "ب" + "الرقة": put the article back where the prefix swallowed it.
            forms.append(("ال" + rest) if clitic.endswith("ال") or clitic == "لل" else rest)
    return forms


def arabic_keys(phrase: str, *, prefixes: bool = True) -> list[str]:
    """name_key-style keys an Arabic-script name may have in the gazetteer, best first.

    Tries the name as written, then without a joined prefix (و, ب, ل, ف, ك), each with
    ta marbuta as "t" and as "h", and without the article "ال" of its first word.
    With `prefixes=False`, only the name as written. Returns [] for words too short to be
    names.
    """
    words = _ARABIC_MARKS.sub("", unicodedata.normalize("NFKC", str(phrase))).split()
    if not words or len(words[0]) < MIN_ARABIC_LETTERS:
        return []
    keys: list[str] = []
    for first in _without_clitic(words[0]) if prefixes else [words[0]]:
        heads = [first, first[2:]] if first.startswith("ال") and len(first) > 4 else [first]
        for head in heads:
            spelt = " ".join([head, *words[1:]])
            for form in (spelt, spelt.replace("ة", "ه")):
                key = name_key(_arabic_ascii(form))
                if key and key not in keys:
                    keys.append(key)
    return keys
