"""Recognition and resolution behaviour on short texts, with the real model and gazetteer."""

from __future__ import annotations

import pytest

from geo.errors import ModelError
from geo.models import ROLE_ADJECTIVE, ROLE_ORGANISATION, ROLE_PLACE
from geo.parse.pipeline import load_nlp, split_text


def _by_surface(geoparser, text):
    found = geoparser.parse(text)
    for m in found:
        assert text[m.start : m.end] == m.surface
    return {m.surface: m for m in found}


def test_mislabelled_places_are_recovered_and_people_are_not_places(geoparser):
    text = (
        "Faysal al-Antar, a member of the local council in Kfar Zita, said warplanes were flying. "
        "Geir Pedersen met officials in Tehran. Erdogan spoke to reporters."
    )
    found = _by_surface(geoparser, text)
    assert found["Kfar Zita"].place is not None and found["Kfar Zita"].place.country_code == "SY"
    assert "Tehran" in found
    assert not {"Pedersen", "Geir Pedersen", "Erdogan", "Faysal al-Antar"} & set(found)


def test_roles_adjective_and_organisation(geoparser):
    text = (
        "Russian-backed Syrian forces advanced, the Syrian Observatory for Human Rights said. "
        "Fighting continued in Idlib."
    )
    found = geoparser.parse(text)
    roles = {(m.surface, m.role) for m in found}
    assert ("Russian", ROLE_ADJECTIVE) in roles
    assert ("Syrian", ROLE_ADJECTIVE) in roles
    assert ("Syrian", ROLE_ORGANISATION) in roles
    assert ("Idlib", ROLE_PLACE) in roles
    for m in found:
        if m.surface == "Syrian":
            assert m.place is not None and m.place.country_code == "SY"


@pytest.mark.parametrize("spelling", ["Saraqeb", "Saraqib"])
def test_transliterations_resolve_to_the_same_town(geoparser, spelling):
    found = _by_surface(geoparser, f"Government forces entered the town of {spelling} on Monday.")
    place = found[spelling].place
    assert place is not None and place.name == "Saraqib"


def test_context_decides_between_homonyms(geoparser):
    texas = _by_surface(geoparser, "The storm hit Paris, Texas, late on Sunday.")["Paris"].place
    france = _by_surface(geoparser, "Protesters marched in Paris and Lyon.")["Paris"].place
    assert texas is not None and texas.country_code == "US"
    assert france is not None and france.country_code == "FR"


def test_province_cue_prefers_the_region_and_keeps_runners_up(geoparser):
    found = _by_surface(geoparser, "Shelling hit Saraqeb in Idlib province on Monday.")
    assert found["Saraqeb"].place.name == "Saraqib"
    idlib = found["Idlib"]
    assert idlib.place.feature_code == "ADM1"
    assert any(c.place.feature_code != "ADM1" for c in idlib.runners_up)
    assert 0.0 < idlib.score <= 1.0


def test_passage_is_the_sentence_and_stops_at_a_line_break(geoparser):
    text = "Turkey reinforces troops in Idlib\n\nTurkey on Feb. 8 reinforced its presence in Idlib."
    first = next(m for m in geoparser.parse(text) if m.surface == "Idlib")
    assert first.sentence.strip() == "Turkey reinforces troops in Idlib"
    assert text[first.sentence_start :].startswith(first.sentence)


def test_split_text_offsets_cover_the_text():
    text = ("Aleppo is in Syria. " * 50 + "\n\n") * 20
    chunks = split_text(text, 1000)
    assert "".join(c for _, c in chunks) == text
    for offset, chunk in chunks:
        assert text[offset : offset + len(chunk)] == chunk and len(chunk) <= 1000


def test_model_name_is_configurable(monkeypatch):
    monkeypatch.setenv("GEO_SPACY_MODEL", "no_such_model_xyz")
    with pytest.raises(ModelError, match="no_such_model_xyz"):
        load_nlp()
