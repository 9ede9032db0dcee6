"""The Streamlit script run headless with AppTest against a real SQLite store."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.dashboard_store import SARAQEB, fill_store

APP = str(Path(__file__).resolve().parent.parent / "dashboard" / "app.py")


@pytest.fixture()
def app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    db = fill_store(tmp_path / "geo.sqlite", hostile=True)
    monkeypatch.setenv("GEO_DB", str(db))
    at = AppTest.from_file(APP, default_timeout=60)
    # Cached resources and queries are keyed by the db argument (None here): start clean.
    at.run()
    at.session_state  # noqa: B018 - touch so the first run finished
    import streamlit as st

    st.cache_data.clear()
    st.cache_resource.clear()
    at.run()
    assert not at.exception, at.exception
    return at


def summary(at: AppTest) -> str:
    return next(c.value for c in at.caption if "mentions in the selection" in c.value)


def all_markdown(at: AppTest) -> str:
    return "\n".join(m.value for m in at.markdown)


def test_starts_with_towns_only(app: AppTest) -> None:
    # Saraqeb, Idlib, Sochi, Al-Eis, Tehran and the hostile-named place; Syria is hidden.
    assert summary(app) == "6 places, 9 mentions in the selection"
    assert app.toggle(key="broad").value is False
    app.toggle(key="broad").set_value(True).run()
    assert summary(app) == "7 places, 10 mentions in the selection"


def test_date_and_country_filters_change_counts(app: AppTest) -> None:
    app.date_input(key="date_to").set_value(dt.date(2018, 12, 31)).run()
    # No Saraqeb (2020) and no 2019 Tehran mention.
    assert summary(app) == "4 places, 5 mentions in the selection"
    app.date_input(key="date_to").set_value(dt.date(2020, 2, 8)).run()
    app.multiselect(key="countries").set_value(["RU"]).run()
    assert summary(app) == "1 places, 1 mentions in the selection"


def test_text_search_filters_passages(app: AppTest) -> None:
    app.text_input(key="text").set_value("buffer zone").run()
    assert summary(app) == "2 places, 2 mentions in the selection"  # Sochi and Idlib


def test_search_opens_the_passage_panel_and_jumps(app: AppTest) -> None:
    app.text_input(key="place_query").set_value("Sara").run()
    app.button(key=f"find_{SARAQEB.id}").click().run()
    assert not app.exception
    assert [s.value for s in app.subheader] == ["Saraqeb"]
    md = all_markdown(app)
    assert "the town of :orange-background[**Saraqeb**]" in md
    assert any("Government forces enter Saraqeb" in c.value for c in app.caption)
    # More context on request, then jump to another place of the same article.
    toggles = [t for t in app.toggle if t.key and t.key.startswith("ctx_")]
    toggles[0].set_value(True).run()
    assert "Residents fled" in all_markdown(app)
    jump = next(b for b in app.button if b.key and b.key.startswith("jump_") and b.label == "Idlib")
    jump.click().run()
    assert [s.value for s in app.subheader] == ["Idlib"]
    # Newest first: the 2020 article's sentence comes before the 2018 ones.
    dates = [c.value for c in app.caption if " · test wire" in c.value]
    assert dates == sorted(dates, key=lambda v: v.split(" · ")[1], reverse=True) and dates


def test_hostile_text_is_escaped_on_the_page(app: AppTest) -> None:
    app.text_input(key="place_query").set_value("Tehran").run()
    app.button(key="find_gn:112931").click().run()
    assert not app.exception
    md = all_markdown(app) + "\n".join(c.value for c in app.caption)
    assert "&#60;script&#62;" in md
    for raw in ("<script", "<img", "${", "`", "](", ":red["):
        assert raw not in md


def test_empty_store_says_what_to_do(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GEO_DB", str(tmp_path / "empty.sqlite"))
    import streamlit as st

    st.cache_data.clear()
    st.cache_resource.clear()
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception
    assert any("no articles yet" in i.value for i in at.info)


def test_upload_ingests_good_files_and_names_bad_ones(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from dashboard import data
    from geo.models import Filters

    monkeypatch.setenv("GEO_DB", str(tmp_path / "upload.sqlite"))
    import streamlit as st

    st.cache_data.clear()
    st.cache_resource.clear()
    text = "Shelling hit Idlib province and the city of Aleppo on Monday, residents said."
    added, skipped, errors = data.ingest_uploads(
        None, [("a.txt", text.encode()), ("bad.txt", b"\x00\xff\xfe\x00")], dt.date(2021, 3, 1)
    )
    assert (added, skipped) == (1, 0)
    assert len(errors) == 1 and errors[0].startswith("bad.txt:")
    counts = data.place_counts(None, Filters())
    assert counts and all(pc.last_date == dt.date(2021, 3, 1) for pc in counts)
    # The same file again adds nothing.
    assert data.ingest_uploads(None, [("a.txt", text.encode())], None)[:2] == (0, 1)


def test_a_chosen_country_shows_its_passages_while_broad_places_are_hidden(app: AppTest) -> None:
    # "Show countries and regions" is off: Syria is not on the map, but finding it (or
    # jumping to it from an article) must still show where it is mentioned.
    assert app.toggle(key="broad").value is False
    app.text_input(key="place_query").set_value("Syria").run()
    app.button(key="find_cc:SY").click().run()
    assert not app.exception
    assert [s.value for s in app.subheader] == ["Syria"]
    assert not app.warning, [w.value for w in app.warning]
    assert ":orange-background[**Syria**]" in all_markdown(app)
    assert any(c.value.startswith("1 mention(s) in the selection") for c in app.caption)
    # The other filters still apply: before 2020 Syria has no passage.
    app.date_input(key="date_to").set_value(dt.date(2018, 12, 31)).run()
    assert any("No passages mention this place" in w.value for w in app.warning)


def test_jumping_to_a_country_from_an_article_shows_its_passages(app: AppTest) -> None:
    app.text_input(key="place_query").set_value("Sara").run()
    app.button(key=f"find_{SARAQEB.id}").click().run()
    jump = next(b for b in app.button if b.key and b.key.startswith("jump_") and b.label == "Syria")
    jump.click().run()
    assert not app.exception
    assert [s.value for s in app.subheader] == ["Syria"]
    assert not app.warning, [w.value for w in app.warning]
    assert "**Syria**" in all_markdown(app)
