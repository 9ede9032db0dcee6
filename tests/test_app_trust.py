"""Trust in the Streamlit script (AppTest, real SQLite store): confidence words and evidence
per passage, corrections from the panel with undo, the hide control, user places, deletion."""

from __future__ import annotations

import datetime as dt
import html
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from geo import Article, Candidate, Mention, Place
from geo.store import Store
from tests.dashboard_store import AL_EIS, HOSTILE, SARAQEB, fill_store

APP = str(Path(__file__).resolve().parent.parent / "dashboard" / "app.py")
KAFR = Place("t:kafr", "Kafr Nabl", 35.61, 36.56, "SY", "Idlib", "P", "PPL", 0)
TEXT = "Shelling hit Kafr Nabl on Sunday, witnesses said."


@pytest.fixture()
def app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[AppTest, str]:
    db = str(fill_store(tmp_path / "geo.sqlite"))
    with Store.open(db) as store:
        at = TEXT.index("Kafr Nabl")
        unsure = Mention(
            at, at + 9, "Kafr Nabl", "place", KAFR, 0.3, TEXT, 0,
            (Candidate(AL_EIS, 1.0, "Al-Eis", 0.25),), f"village in Idlib; {HOSTILE}",
        )  # fmt: skip
        store.add_article(Article(TEXT, title="Kafr Nabl", date=dt.date(2020, 3, 1)), [unsure])
    monkeypatch.setenv("GEO_DB", db)
    import streamlit as st

    st.cache_data.clear()
    st.cache_resource.clear()
    at = AppTest.from_file(APP, default_timeout=90)
    at.run()
    assert not at.exception, at.exception
    return at, db


def summary(at: AppTest) -> str:
    return next(c.value for c in at.caption if "mentions in the selection" in c.value)


def open_place(at: AppTest, query: str, place: Place) -> None:
    at.text_input(key="place_query").set_value(query).run()
    at.button(key=f"find_{place.id}").click().run()
    assert not at.exception, at.exception


def captions(at: AppTest, raw: bool = False) -> str:
    """Captions as shown (character references decoded), or as sent (raw)."""
    text = "\n".join(c.value for c in at.caption)
    return text if raw else html.unescape(text)


def test_passage_shows_confidence_evidence_and_runner_ups(app) -> None:
    at, _ = app
    open_place(at, "Kafr", KAFR)
    text = captions(at)
    assert "unsure (0.30)" in text and "village in Idlib" in text
    assert "Other candidates: Al-Eis, Aleppo, SY" in text
    assert "<script>" in text and "<script>" not in captions(at, raw=True)  # escaped


def test_correct_to_runner_up_then_undo(app) -> None:
    at, db = app
    assert summary(at) == "6 places, 8 mentions in the selection"
    open_place(at, "Kafr", KAFR)
    mention_key = next(t.key for t in at.toggle if t.key.startswith("fix_m"))[4:]
    at.toggle(key=f"fix_{mention_key}").set_value(True).run()
    at.radio(key=f"how_{mention_key}").set_value("runner").run()
    at.text_input(key=f"note_{mention_key}").set_value("wire copy misspelt it")
    at.button(key=f"save_{mention_key}").click().run()
    assert not at.exception, at.exception
    # Counts follow at once: Kafr Nabl is gone, Al-Eis has two mentions.
    assert summary(at) == "5 places, 8 mentions in the selection"
    with Store.open(db) as store:
        (fix,) = store.corrections()
        assert (fix.scope, fix.place.id, fix.note) == (
            "mention",
            AL_EIS.id,
            "wire copy misspelt it",
        )
        assert {pc.place.id: pc.count for pc in store.place_counts()}[AL_EIS.id] == 2
    open_place(at, "Al-Eis", AL_EIS)
    assert "corrected (1.00)" in captions(at)
    at.button(key=f"undo_{mention_key}").click().run()
    assert summary(at) == "6 places, 8 mentions in the selection"


def test_rule_not_a_place_and_hide_control(app) -> None:
    at, db = app
    open_place(at, "Sara", SARAQEB)
    key = next(t.key for t in at.toggle if t.key.startswith("fix_m"))[4:]
    at.toggle(key=f"fix_{key}").set_value(True).run()
    at.radio(key=f"scope_{key}").set_value("store").run()
    at.radio(key=f"how_{key}").set_value("none").run()
    at.button(key=f"save_{key}").click().run()
    assert summary(at) == "5 places, 7 mentions in the selection"  # no Saraqeb
    # Hide places whose mentions are all unsure: Kafr Nabl (0.30) goes.
    at.select_slider(key="min_confidence").set_value("likely").run()
    assert summary(at) == "4 places, 6 mentions in the selection"
    with Store.open(db) as store:
        assert [c.scope for c in store.corrections()] == ["store"]


def test_add_a_place_and_delete_an_article(app) -> None:
    at, db = app
    at.text_input(key="up_name").set_value("Atmeh camp")
    at.text_input(key="up_alts").set_value("Atma camp, Atmeh")
    at.number_input(key="up_lat").set_value(36.31)
    at.number_input(key="up_lon").set_value(36.58)
    at.text_input(key="up_country").set_value("sy")
    at.selectbox(key="up_type").set_value("CMP")
    at.button(key="up_add").click().run()
    assert not at.exception, at.exception
    with Store.open(db) as store:
        (user,) = store.user_places()
        assert (user.place.name, user.place.country_code, user.place.feature_code) == (
            "Atmeh camp", "SY", "CMP",
        )  # fmt: skip
        assert user.alternate_names == ("Atma camp", "Atmeh")
        article = next(a for a in store.articles() if a.title == "Kafr Nabl")
    at.radio(key="view").set_value("articles").run()
    at.button(key=f"open_{article.id}").click().run()
    assert "Article focus: SY / Idlib" in captions(at)
    at.toggle(key=f"del_{article.id}").set_value(True).run()
    at.button(key=f"del_go_{article.id}").click().run()
    assert not at.exception, at.exception
    assert summary(at) == "5 places, 7 mentions in the selection"


def test_correct_to_a_gazetteer_place_found_by_search(app) -> None:
    at, db = app
    open_place(at, "Kafr", KAFR)
    key = next(t.key for t in at.toggle if t.key.startswith("fix_m"))[4:]
    at.toggle(key=f"fix_{key}").set_value(True).run()
    at.radio(key=f"how_{key}").set_value("search").run()
    at.text_input(key=f"q_{key}").set_value("Saraqeb").run()
    found = at.selectbox(key=f"found_{key}")
    assert found.value is not None and found.value.name == "Saraqib"  # the real gazetteer
    at.button(key=f"save_{key}").click().run()
    assert not at.exception, at.exception
    with Store.open(db) as store:
        (fix,) = store.corrections()
        # The gazetteer's full record is stored, not the search row's.
        assert (fix.place.name, fix.place.admin1, fix.place.feature_code) == (
            "Saraqib", "Idlib", "PPL",
        )  # fmt: skip
        assert fix.place.population > 0


def test_add_a_place_at_the_point_clicked_on_the_map(app) -> None:
    at, db = app
    at.session_state["map_point"] = (36.12345, 36.54321)  # what remember_map_click keeps
    at.run()
    assert "Last map click: 36.12345, 36.54321" in captions(at)
    at.button(key="up_use_click").click().run()
    assert (at.number_input(key="up_lat").value, at.number_input(key="up_lon").value) == (
        36.12345, 36.54321,
    )  # fmt: skip
    at.text_input(key="up_name").set_value("Checkpoint 7")
    at.text_input(key="up_country").set_value("SY")
    at.selectbox(key="up_type").set_value("CKP")
    at.button(key="up_add").click().run()
    with Store.open(db) as store:
        (user,) = store.user_places()
    assert (user.place.lat, user.place.lon, user.place.feature_code) == (36.12345, 36.54321, "CKP")


def test_remember_map_click_keeps_the_last_point(monkeypatch) -> None:
    import streamlit as st

    from dashboard.trust_sidebar import MAP_POINT, remember_map_click

    state: dict = {}
    monkeypatch.setattr(st, "session_state", state)
    remember_map_click(None)
    remember_map_click({"last_clicked": None})
    assert MAP_POINT not in state
    remember_map_click({"last_clicked": {"lat": 35.123456, "lng": 36.987654}})
    assert state[MAP_POINT] == (35.12346, 36.98765)
