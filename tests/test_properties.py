"""Issue 5, property-based tests (hypothesis): arbitrary Unicode never crashes normalisation,
gazetteer matching or the geoparser, and every offset points at its surface text."""

from __future__ import annotations

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from geo.models import Candidate
from geo.names import fuzzy_score, loose_key, name_key
from geo.parse.pipeline import split_text

# Every code point, lone surrogates included (JSON input can carry them), plus text that
# looks like place names: letters, marks, apostrophes, hyphens and spaces.
ANY_CHAR = st.characters(codec=None, exclude_categories=())
ANY_TEXT = st.text(ANY_CHAR, max_size=60)
NAMEISH = st.text(
    st.sampled_from("aeiouAEIOU bdfhklmnqrstyzKSTMDʿʾ’'`-.āīūĀḤḩ ẓṣ") | ANY_CHAR, max_size=30
)
REAL_NAMES = (
    "Aleppo", "Idlib", "Saraqeb", "Saraqib", "Damascus", "Homs", "Hama", "Latakia", "Tartus",
    "Kfar Zita", "Jabal Zawiya", "Al-Eis", "Maarat al-Numan", "Deir ez-Zor", "Raqqa",
    "Ankara", "Tehran", "Moscow", "Sochi", "Syria", "Turkey", "Paris", "Texas", "U.S.",
)  # fmt: skip
PLACE_NAMES = st.sampled_from(REAL_NAMES)
FAST = settings(max_examples=150, deadline=None)
SLOW = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(ANY_TEXT, ANY_TEXT)
def test_name_functions_are_total(a: str, b: str) -> None:
    for key in (name_key(a), loose_key(a)):
        assert isinstance(key, str) and key.isascii() and key == key.strip()
        assert "  " not in key
    assert name_key(name_key(a)) == name_key(a)  # a key is its own key
    score = fuzzy_score(a, b)
    assert 0.0 <= score <= 1.0
    assert score == fuzzy_score(b, a)
    assert fuzzy_score(a, a) == (1.0 if name_key(a) else 0.0)


@FAST
@given(PLACE_NAMES, st.sampled_from([str.upper, str.lower, str.title, str]), NAMEISH)
def test_keys_ignore_case_and_marks_of_real_names(name: str, case, noise: str) -> None:
    assert name_key(case(name)) == name_key(name)
    assert loose_key(case(name)) == loose_key(name)
    assert name_key(name.replace("a", "ā")) == name_key(name)
    assert fuzzy_score(name, case(name)) == 1.0
    assert 0.0 <= fuzzy_score(name + noise, name) <= 1.0


@settings(max_examples=120, deadline=None)
@given(NAMEISH)
def test_gazetteer_matching_never_crashes(gazetteer, name: str) -> None:
    found = gazetteer.candidates(name)
    assert isinstance(found, list) and len(found) <= 25
    assert all(isinstance(c, Candidate) and 0.0 <= c.name_score <= 1.0 for c in found)
    has = gazetteer.has_name(name)
    assert isinstance(has, bool)
    if has:
        assert found, f"has_name({name!r}) but no candidates"
    assert gazetteer.demonym(name) is None or gazetteer.demonym(name).name


@settings(max_examples=60, deadline=None)
@given(PLACE_NAMES, st.sampled_from([str.upper, str.lower, str.title, str]))
def test_gazetteer_finds_real_names_in_any_case(gazetteer, name: str, case) -> None:
    assert gazetteer.has_name(case(name))
    found = gazetteer.candidates(case(name))
    assert found and found[0].name_score == 1.0


@FAST
@given(st.text(ANY_CHAR, max_size=400), st.integers(min_value=4, max_value=80))
def test_split_text_covers_the_text_with_true_offsets(text: str, limit: int) -> None:
    chunks = split_text(text, limit)
    assert "".join(chunk for _, chunk in chunks) == text
    for offset, chunk in chunks:
        assert text[offset : offset + len(chunk)] == chunk
        assert 0 < len(chunk) <= limit or text == ""


def _check_offsets(parser, text: str) -> list[tuple[int, str]]:
    found = parser.parse(text)
    # Lone surrogates reach spaCy as U+FFFD, one for one, so offsets stay the same.
    clean = "".join("\ufffd" if 0xD800 <= ord(ch) <= 0xDFFF else ch for ch in text)
    assert [m.start for m in found] == sorted(m.start for m in found)
    for m in found:
        assert 0 <= m.start < m.end <= len(text)
        assert clean[m.start : m.end] == m.surface
        assert clean[m.sentence_start : m.sentence_start + len(m.sentence)] == m.sentence
        assert m.sentence_start <= m.start and m.end <= m.sentence_start + len(m.sentence)
        assert 0.0 <= m.score <= 1.0
    return [(m.start, m.surface) for m in found]


@SLOW
@given(st.text(ANY_CHAR, max_size=300))
@example("Shelling hit Aleppo \ud800 on Monday and Idlib\udfff too.")
@example("\x00\x01 Damascus \u202e Homs \ufeff\u200b Latakia \U0001f4a3 Tartus")
def test_parse_offsets_on_arbitrary_text(geoparser, text: str) -> None:
    _check_offsets(geoparser, text)


SEPARATORS = st.sampled_from([" ", ", ", " in ", "\n", "\n\n", ". ", " near ", "-", "'s "])


@SLOW
@given(st.lists(st.tuples(st.text(ANY_CHAR, max_size=12), SEPARATORS, PLACE_NAMES), max_size=8))
def test_parse_offsets_on_text_around_real_names(geoparser, parts) -> None:
    text = "".join(f"{noise}{sep}{name}" for noise, sep, name in parts) + "."
    _check_offsets(geoparser, text)
