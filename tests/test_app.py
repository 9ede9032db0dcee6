"""The Streamlit script run headless with AppTest against a real SQLite store."""

from __future__ import annotations

import datetime as dt
import html
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.passages import place_label
from geo import Place
from tests.dashboard_store import IDLIB, SARAQEB, SYRIA, fill_store

APP = str(Path(__file__).resolve().parent.parent / "dashboard" / "app.py")


@pytest.fixture()
def app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    db = fill_store(tmp_path / "geo.sqlite", hostile=True)
    monkeypatch.setenv("GEO_DB", str(db))
    import streamlit as st

    # Cached resources and queries are keyed by the db argument (None here), so another
    # test's store would still answer: start clean, before the first run sets the widgets.
    st.cache_data.clear()
    st.cache_resource.clear()
    at = AppTest.from_file(APP, default_timeout=60)
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


def jump_to(at: AppTest, place: Place) -> AppTest:
    """Choose a place among an article block's other places (the pills, full labels)."""
    label = place_label(place)
    pills = next(p for p in at.pills if p.key.startswith("others_") and label in p.options)
    return pills.set_value(place.id).run()


def test_search_opens_the_passage_panel_and_jumps(app: AppTest) -> None:
    app.text_input(key="place_query").set_value("Sara").run()
    app.button(key=f"find_{SARAQEB.id}").click().run()
    assert not app.exception
    assert [s.value for s in app.subheader] == ["Saraqeb, Idlib, SY"]
    md = all_markdown(app)
    # The sentence, with the other place in it marked more lightly.
    assert "the town of :orange-background[**Saraqeb**]" in md
    assert md.startswith("**Government forces enter Saraqeb**\n:blue-background[Syria]")
    assert "**Government forces enter Saraqeb**" in md  # the block's title, once
    assert md.count("Government forces enter Saraqeb") == 1
    # More context on request, then jump to another place of the same article.
    toggles = [t for t in app.toggle if t.key and t.key.startswith("ctx_")]
    toggles[0].set_value(True).run()
    assert "Residents fled" in all_markdown(app)
    jump_to(app, IDLIB)
    assert [s.value for s in app.subheader] == ["Idlib, SY"]
    # Newest first: one block per article, the 2020 article before the 2018 ones.
    dates = [c.value for c in app.caption if " · test wire" in c.value]
    assert dates == sorted(dates, reverse=True) and len(dates) == 3


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
    from geo.ingest import ingest_paths
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
    # A Markdown file uploaded, then given to the CLI's ingest, is stored once.
    assert data.ingest_uploads(None, [("idlib.md", MARKDOWN)], None)[:2] == (1, 0)
    (tmp_path / "idlib.md").write_bytes(MARKDOWN)
    report = ingest_paths([tmp_path / "idlib.md"], data.get_store(None))
    assert (report.added, report.skipped, report.errors) == (0, 1, [])


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
    assert any(c.value.startswith("1 mention(s) in 1 article(s)") for c in app.caption)
    # The other filters still apply: before 2020 Syria has no passage.
    app.date_input(key="date_to").set_value(dt.date(2018, 12, 31)).run()
    assert any("No passages mention this place" in w.value for w in app.warning)


def test_jumping_to_a_country_from_an_article_shows_its_passages(app: AppTest) -> None:
    app.text_input(key="place_query").set_value("Sara").run()
    app.button(key=f"find_{SARAQEB.id}").click().run()
    jump_to(app, SYRIA)
    assert not app.exception
    assert [s.value for s in app.subheader] == ["Syria"]
    assert not app.warning, [w.value for w in app.warning]
    assert "**Syria**" in all_markdown(app)


MARKDOWN = (
    b"---\ntitle: Shelling in Idlib\ndate: 2020-02-08\nsource: test wire\n---\n\r\n"
    b"Shelling hit the city of Aleppo and Idlib province on Tuesday, a monitor said.\r\n"
)


def test_an_upload_is_read_like_the_same_file_given_to_ingest(tmp_path: Path) -> None:
    from geo.ingest.readers import article_from_upload, read_inputs

    path = tmp_path / "idlib.md"
    path.write_bytes(MARKDOWN)
    (from_cli,) = list(read_inputs([path]))
    uploaded = article_from_upload("idlib.md", MARKDOWN, None)
    # Same text, so the same content hash: ingesting both stores the article once.
    assert (uploaded.text, uploaded.hash) == (from_cli.text, from_cli.hash)
    assert not uploaded.text.startswith("---") and "date:" not in uploaded.text
    assert (uploaded.title, uploaded.source) == ("Shelling in Idlib", "test wire")
    assert (uploaded.date, uploaded.date_source) == (dt.date(2020, 2, 8), "metadata")
    # A date chosen at upload wins over the front matter and is recorded as such.
    chosen = article_from_upload("idlib.md", MARKDOWN, dt.date(2021, 3, 1))
    assert (chosen.date, chosen.date_source, chosen.hash) == (
        dt.date(2021, 3, 1), "upload", from_cli.hash,
    )  # fmt: skip
    # Neither: the date comes from the text, as for a file without metadata.
    plain = article_from_upload("a.txt", b"DAMASCUS, March 3, 2019 - Shelling hit Idlib.", None)
    assert plain.date_source not in ("upload", "metadata")


def test_uploads_share_one_parser_and_never_parse_at_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import threading
    import time

    import streamlit as st

    import geo.ingest
    from dashboard import data

    monkeypatch.setenv("GEO_DB", str(tmp_path / "lock.sqlite"))
    st.cache_data.clear()
    st.cache_resource.clear()
    import geo.gazetteer
    import geo.parse

    loads: list[object] = []

    class FakeParser:
        def __init__(self, nlp, gazetteer) -> None:
            self.nlp, self.gazetteer = nlp, gazetteer
            loads.append(self)

    # The real cached get_parser, with stand-ins for the model, gazetteer and parser.
    monkeypatch.setattr(geo.parse, "load_nlp", object)
    monkeypatch.setattr(geo.parse, "Geoparser", FakeParser)
    monkeypatch.setattr(geo.gazetteer.Gazetteer, "load", classmethod(lambda cls: object()))
    busy, overlaps, seen = [0], [0], []

    def fake_ingest(articles, store, nlp, gazetteer, report=None):
        seen.append((nlp, gazetteer))
        busy[0] += 1
        overlaps[0] = max(overlaps[0], busy[0])
        time.sleep(0.2)
        busy[0] -= 1
        return geo.ingest.IngestReport(added=len(list(articles)))

    monkeypatch.setattr(geo.ingest, "ingest_articles", fake_ingest)
    threads = [
        threading.Thread(target=data.ingest_uploads, args=(None, [(f"{i}.txt", MARKDOWN)], None))
        for i in range(4)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(seen) == 4 and overlaps[0] == 1
    assert len(loads) == 1 and len(set(seen)) == 1  # one cached model for every session


def fresh_app(db: Path, params: dict[str, str] | None = None) -> AppTest:
    import streamlit as st

    st.cache_data.clear()
    st.cache_resource.clear()
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in (params or {}).items():
        at.query_params[key] = value
    return at.run()


def test_a_link_restores_the_view_and_names_bad_parameters(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = fill_store(tmp_path / "geo.sqlite")
    monkeypatch.setenv("GEO_DB", str(db))
    at = fresh_app(db, {"place": IDLIB.id, "to": "2019-12-31", "countries": "SY", "text": "idlib"})
    assert not at.exception
    assert [s.value for s in at.subheader] == ["Idlib, SY"]
    assert at.date_input(key="date_to").value == dt.date(2019, 12, 31)
    assert at.multiselect(key="countries").value == ["SY"]
    assert at.text_input(key="text").value == "idlib"
    assert not at.warning
    # The view is written back into the URL, defaults left out.
    assert dict(at.query_params) == {
        "place": IDLIB.id, "to": "2019-12-31", "countries": "SY", "text": "idlib",
    }  # fmt: skip
    bad = fresh_app(db, {"place": "gn:nowhere", "from": "yesterday", "broad": "maybe"})
    assert not bad.exception
    notices = " ".join(w.value for w in bad.sidebar.warning)
    assert "place" in notices and "from" in notices and "broad" in notices
    assert any("Click a place" in i.value for i in bad.info)


def test_dates_widen_after_new_articles_when_the_range_was_full(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from dashboard import data
    from geo.models import Article
    from geo.store import Store
    from tests.dashboard_store import _mentions

    db = fill_store(tmp_path / "geo.sqlite")
    monkeypatch.setenv("GEO_DB", str(db))
    full = fresh_app(db)
    narrow = fresh_app(db)
    narrow.date_input(key="date_to").set_value(dt.date(2019, 1, 1)).run()
    assert full.date_input(key="date_to").value == dt.date(2020, 2, 8)
    before = int(summary(full).split(", ")[1].split()[0])
    with Store.open(str(db)) as store:
        text = "Shelling hit Idlib again."
        later = Article(text, title="Later", date=dt.date(2021, 5, 1), source="test wire")
        store.add_article(later, _mentions(text, [("Idlib", IDLIB)]))

    data.clear_queries()  # what an upload does; a CLI ingest is picked up within the TTL
    full.run()
    assert full.date_input(key="date_to").value == dt.date(2021, 5, 1)
    assert f"{before + 1} mentions" in summary(full)  # the new article is in the selection
    narrow.run()
    assert narrow.date_input(key="date_to").value == dt.date(2019, 1, 1)
    notes = [html.unescape(i.value) for i in narrow.sidebar.info]
    assert any("2021-05-01" in n and "not shown" in n for n in notes), notes


def test_article_view_lists_articles_and_opens_their_passages(app: AppTest) -> None:
    app.radio(key="view").set_value("articles").run()
    assert not app.exception
    md = all_markdown(app)
    titles = [line for line in md.splitlines() if line.startswith("**")]
    assert titles[0] == "**Government forces enter Saraqeb**"  # newest first
    assert any("Saraqeb, Idlib, SY (1)" in html.unescape(c.value) for c in app.caption)
    open_first = next(b for b in app.button if b.key and b.key.startswith("open_"))
    open_first.click().run()
    assert not app.exception
    md = all_markdown(app)
    assert ":orange-background[**Saraqeb**]" in md and ":orange-background[**Idlib**]" in md
    assert dict(app.query_params)["view"] == "articles" and "article" in dict(app.query_params)
    app.button(key="article_back").click().run()
    assert any(b.key and b.key.startswith("open_") for b in app.button)


def test_hostile_place_names_are_escaped_in_labels(app: AppTest) -> None:
    app.text_input(key="place_query").set_value("script").run()
    labels = [b.label for b in app.button if b.key and b.key.startswith("find_")]
    assert labels and all("<" not in label and "[" not in label for label in labels)
    app.button(key="find_t:evil").click().run()
    assert "&#60;script&#62;" in app.subheader[0].value


def test_passages_export_and_paging(app: AppTest) -> None:
    app.text_input(key="place_query").set_value("idlib").run()
    app.button(key=f"find_{IDLIB.id}").click().run()
    keys = {d.key for d in app.get("download_button")}
    assert {"export_passages", "export_place_passages"} <= keys
    assert not [b for b in app.button if b.key == "passages_more"]  # 3 sentences: one page
    # The downloads' contents (made when clicked): the place's mentions, one row each.
    from dashboard import data
    from geo import Filters

    rows = data.passages_csv(None, Filters(), IDLIB.id).decode("utf-8").splitlines()
    assert rows[0].startswith("article,date,source,url,place,region,country,sentence,offsets,")
    assert len(rows) == 4 and all(",Idlib,Idlib,SY," in row for row in rows[1:])


def test_a_busy_place_opens_at_a_screenful_then_shows_more(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A place opens at its first ten sentences (correction controls included); "Show more
    passages" adds the next ones, newest first, until there are no more."""
    from dashboard import state
    from geo.models import Article
    from geo.store import Store
    from tests.dashboard_store import SOCHI, _mentions

    db = fill_store(tmp_path / "geo.sqlite")
    store = Store.open(str(db))
    try:
        for day in range(1, 35):  # 34 more articles naming Sochi: 35 sentences in all
            text = f"Talks resumed in Sochi on day {day}."
            date = dt.date(2021, 1, 1) + dt.timedelta(days=day)
            store.add_article(
                Article(text=text, title=f"Talks {day}", date=date),
                _mentions(text, [("Sochi", SOCHI)]),
            )
    finally:
        store.close()
    monkeypatch.setenv("GEO_DB", str(db))
    import streamlit as st

    st.cache_data.clear()
    st.cache_resource.clear()
    at = AppTest.from_file(APP, default_timeout=60).run()
    at.text_input(key="place_query").set_value("Sochi").run()
    at.button(key=f"find_{SOCHI.id}").click().run()

    def cards() -> list[str]:
        return [m.value for m in at.markdown if ":orange-background[**Sochi**]" in m.value]

    def fixes() -> int:
        return len([t for t in at.toggle if t.key and t.key.startswith("fix_m")])

    assert len(cards()) == state.PASSAGES_FIRST == fixes()
    assert "day 34" in cards()[0]  # newest first
    at.button(key="passages_more").click().run()
    assert len(cards()) == state.PASSAGES_FIRST + state.PASSAGES_MORE == fixes()
    at.button(key="passages_more").click().run()
    assert len(cards()) == 35 == fixes() and "buffer zone" in cards()[-1]
    assert not [b for b in at.button if b.key == "passages_more"]
    # A new selection opens at the first screenful again.
    at.text_input(key="place_query").set_value("Idlib").run()
    at.button(key=f"find_{IDLIB.id}").click().run()
    at.text_input(key="place_query").set_value("Sochi").run()
    at.button(key=f"find_{SOCHI.id}").click().run()
    assert len(cards()) == state.PASSAGES_FIRST
