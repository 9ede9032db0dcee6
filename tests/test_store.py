"""The store on real SQLite and real PostgreSQL: writes, atomicity, filters and queries."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from geo.errors import ConfigError, StoreError
from geo.models import Article, Candidate, Filters, Mention, Place
from geo.store import BatchStoreError, Store, resolve_db_url
from geo.store.schema import mentions as mentions_table
from geo.store.schema import places as places_table
from tests.pg import db_url, pg_server  # noqa: F401

ROOT = Path(__file__).resolve().parent.parent

IDLIB = Place("gn:169389", "Idlib", 35.93, 36.63, "SY", "Idlib", "P", "PPLA", 128840, "geonames")
ALEPPO = Place("gn:170063", "Aleppo", 36.2, 37.16, "SY", "Aleppo", "P", "PPLA", 1602264, "geonames")
SYRIA = Place("cc:SY", "Syria", 35.0, 38.0, "SY", "", "A", "PCLI", 22000000, "countries")
TEHRAN = Place("gn:112931", "Tehran", 35.69, 51.42, "IR", "Tehran", "P", "PPLC", 7153309)
SOCHI = Place("gn:491422", "Sochi", 43.6, 39.73, "RU", "Krasnodar", "P", "PPL", 343334)


def make_article(sentences: list[tuple[str, list[tuple[str, Place | None, str]]]], **meta):
    """An article from sentences, each with the (surface, place, role) it names."""
    text, found = "", []
    for sentence, names in sentences:
        start = len(text) + (1 if text else 0)
        text = f"{text} {sentence}" if text else sentence
        for surface, place, role in names:
            at = sentence.index(surface)
            found.append(
                Mention(
                    start + at,
                    start + at + len(surface),
                    surface,
                    role,
                    place,
                    0.9,
                    sentence,
                    start,
                    (Candidate(ALEPPO, 0.5, "Aleppo"),),
                )
            )
    return Article(text, **meta), found


def count(store: Store, table=mentions_table) -> int:
    with store.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(table)).scalar_one()


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:  # noqa: F811
    with Store.open(db_url) as opened:
        yield opened


@pytest.fixture
def filled(store: Store) -> Store:
    """Three dated articles and one undated, with known counts."""
    docs = [
        make_article(
            [
                ("Shelling hit Idlib on Monday.", [("Idlib", IDLIB, "place")]),
                ("Syrian forces advanced near Aleppo.", [("Syrian", SYRIA, "adjective"),
                                                         ("Aleppo", ALEPPO, "place")]),
            ],
            title="Idlib shelled", date=dt.date(2018, 9, 3), source="AP",
        ),
        make_article(
            [("Leaders met in Sochi over IDLIB.", [("Sochi", SOCHI, "place"),
                                                   ("IDLIB", IDLIB, "place")])],
            title="Sochi talks", date=dt.date(2018, 9, 17), source="AFP",
        ),
        make_article(
            [("Tehran hosted a summit on Idlib and Syria.", [("Tehran", TEHRAN, "place"),
                                                             ("Idlib", IDLIB, "place"),
                                                             ("Syria", SYRIA, "place")])],
            title="Tehran summit", date=dt.date(2018, 9, 7), source="Reuters",
        ),
        make_article(
            [("Undated report of 50% losses in Idlib.", [("Idlib", IDLIB, "place"),
                                                         ("report", None, "place")])],
            title="Undated",
        ),
    ]  # fmt: skip
    for article, found in docs:
        assert store.add_article(article, found) is not None
    return store


def test_open_creates_schema_and_starts_empty(store: Store) -> None:
    assert store.is_empty() and store.article_count() == 0
    assert store.place_counts() == [] and store.date_bounds() == (None, None)


def test_add_article_is_idempotent(store: Store) -> None:
    article, found = make_article([("Fighting in Idlib.", [("Idlib", IDLIB, "place")])])
    first = store.add_article(article, found)
    assert isinstance(first, int)
    assert store.add_article(Article(article.text, title="other"), found) is None
    assert store.add_articles([(article, found)]) == [None]
    assert store.article_count() == 1 and count(store) == 1 and store.has_article(article.hash)
    assert store.article(first) == article


def test_failure_mid_article_leaves_nothing(store: Store) -> None:
    broken = Place("gn:1", None, 1.0, 2.0)  # type: ignore[arg-type]  # NOT NULL violation
    article, found = make_article(
        [("Idlib and Nowhere.", [("Idlib", IDLIB, "place"), ("Nowhere", broken, "place")])]
    )
    with pytest.raises(StoreError):
        store.add_article(article, found)
    assert store.article_count() == 0 and count(store) == 0 and count(store, places_table) == 0
    assert not store.has_article(article.hash)


def test_batch_keeps_good_articles_when_one_fails(store: Store) -> None:
    good1 = make_article([("Idlib was shelled.", [("Idlib", IDLIB, "place")])])
    bad = make_article([("Bad place.", [("Bad", Place("x", None, 0, 0), "place")])])  # type: ignore[arg-type]
    good2 = make_article([("Aleppo was quiet.", [("Aleppo", ALEPPO, "place")])])
    with pytest.raises(BatchStoreError) as caught:
        store.add_articles([good1, bad, good2])
    results = caught.value.results
    assert results[1] is None and isinstance(results[0], int) and isinstance(results[2], int)
    assert set(caught.value.failures) == {1}
    assert store.article_count() == 2 and count(store) == 2
    assert store.add_articles([good1, good2]) == [None, None]


def test_place_counts_sorted_with_articles_and_last_date(filled: Store) -> None:
    counts = filled.place_counts()
    assert [(c.place.id, c.count, c.articles) for c in counts[:2]] == [
        (IDLIB.id, 4, 4),
        (SYRIA.id, 2, 2),
    ]
    assert [c.count for c in counts] == sorted((c.count for c in counts), reverse=True)
    by_id = {c.place.id: c for c in counts}
    assert by_id[IDLIB.id].last_date == dt.date(2018, 9, 17)
    assert by_id[SOCHI.id].place == SOCHI
    assert sum(c.count for c in counts) == 9  # the unresolved "report" is not counted


def test_filters(filled: Store) -> None:
    def ids(**kw) -> dict[str, int]:
        return {c.place.id: c.count for c in filled.place_counts(Filters(**kw))}

    # Date range is inclusive at both ends and drops undated articles.
    assert ids(date_from=dt.date(2018, 9, 7), date_to=dt.date(2018, 9, 17)) == {
        IDLIB.id: 2, SOCHI.id: 1, TEHRAN.id: 1, SYRIA.id: 1,
    }  # fmt: skip
    assert ids(date_to=dt.date(2018, 9, 3)) == {IDLIB.id: 1, SYRIA.id: 1, ALEPPO.id: 1}
    assert set(ids(countries=("IR", "ru"))) == {TEHRAN.id, SOCHI.id}
    assert SYRIA.id not in ids(include_broad=False) and IDLIB.id in ids(include_broad=False)
    assert ids(roles=("adjective",)) == {SYRIA.id: 1}
    assert ids(roles=()) == {}
    # Text search ignores case; it matches words in order, the last one by prefix.
    assert ids(text="idlib")[IDLIB.id] == 4
    assert ids(text="IDL")[IDLIB.id] == 4
    assert ids(text="dlib") == {}  # words match from their start only
    assert ids(text="50%") == {IDLIB.id: 1}
    assert ids(text="sochi", countries=("SY",)) == {IDLIB.id: 1}


def test_passages_newest_first_undated_last(filled: Store) -> None:
    found = filled.passages(IDLIB.id)
    assert [p.title for p in found] == ["Sochi talks", "Tehran summit", "Idlib shelled", "Undated"]
    for passage in found:
        surface = passage.sentence[passage.highlight_start : passage.highlight_end]
        assert surface.lower() == "idlib"
        text = filled.article_text(passage.article_id)
        assert text[passage.article_start : passage.article_end] == surface
    assert [p.title for p in filled.passages(IDLIB.id, limit=2)] == ["Sochi talks", "Tehran summit"]
    dated = filled.passages(IDLIB.id, Filters(date_to=dt.date(2018, 9, 10), text="SUMMIT"))
    assert [p.source for p in dated] == ["Reuters"]


def test_timeline_days_and_weeks(filled: Store) -> None:
    days = filled.timeline(Filters(), "D")
    assert days[0] == (dt.date(2018, 9, 3), 3) and days[-1] == (dt.date(2018, 9, 17), 2)
    assert len(days) == 15 and dict(days)[dt.date(2018, 9, 7)] == 3
    assert dict(days)[dt.date(2018, 9, 8)] == 0
    weeks = filled.timeline(Filters(), "W")  # weeks start on Monday
    assert weeks == [(dt.date(2018, 9, 3), 6), (dt.date(2018, 9, 10), 0), (dt.date(2018, 9, 17), 2)]
    assert filled.timeline(Filters(countries=("IR",)), "W") == [(dt.date(2018, 9, 3), 1)]
    with pytest.raises(StoreError):
        filled.timeline(Filters(), "M")


def test_lookups(filled: Store) -> None:
    assert filled.date_bounds() == (dt.date(2018, 9, 3), dt.date(2018, 9, 17))
    assert filled.countries() == ["IR", "RU", "SY"]
    assert [p.id for p in filled.find_places("i")] == [IDLIB.id]  # by prefix
    assert [p.id for p in filled.find_places("ALEP")] == [ALEPPO.id]
    assert filled.find_places("zzz") == []
    first = filled.passages(SOCHI.id)[0].article_id
    assert {c.place.id: c.count for c in filled.article_places(first)} == {
        IDLIB.id: 1, SOCHI.id: 1,
    }  # fmt: skip
    assert filled.article(first).title == "Sochi talks"
    with pytest.raises(StoreError, match="no article"):
        filled.article(999_999)


def test_mention_rows_follow_filters(filled: Store) -> None:
    rows = list(filled.mention_rows(Filters(countries=("SY",), include_broad=False)))
    assert {(r.place_id, r.surface) for r in rows} == {
        (IDLIB.id, "Idlib"), (IDLIB.id, "IDLIB"), (ALEPPO.id, "Aleppo"),
    }  # fmt: skip
    assert len(rows) == 5 and all(r.country_code == "SY" for r in rows)


def test_concurrent_ingest_of_same_articles_has_no_duplicates(db_url: str) -> None:  # noqa: F811
    Store.open(db_url).close()
    go = Path(os.environ.get("TMPDIR", "/tmp")) / f"geo-go-{os.getpid()}-{time.time_ns()}"
    script = textwrap.dedent(f"""
        import os, sys, time
        sys.path.insert(0, {str(ROOT)!r})
        from tests.test_store import make_article, IDLIB, SYRIA
        from geo.store import Store
        store = Store.open({db_url!r})
        while not os.path.exists({str(go)!r}):
            time.sleep(0.01)
        for i in range(30):
            article, found = make_article(
                [(f"Report {{i}} from Idlib in Syria.", [("Idlib", IDLIB, "place"),
                                                          ("Syria", SYRIA, "place")])])
            if i % 2:
                store.add_article(article, found)
            else:
                store.add_articles([(article, found)])
        store.close()
    """)
    procs = [
        subprocess.Popen([sys.executable, "-c", script], stderr=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    time.sleep(1.0)  # both have imported and opened the store
    go.touch()
    try:
        for proc in procs:
            _, err = proc.communicate(timeout=120)
            assert proc.returncode == 0, err
    finally:
        go.unlink()
    with Store.open(db_url) as store:
        assert store.article_count() == 30 and count(store) == 60
        assert count(store, places_table) == 2


def test_resolve_db_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GEO_DB", raising=False)
    assert resolve_db_url(None).endswith("/data/geo.sqlite")
    target = tmp_path / "new" / "folder" / "x.sqlite"
    assert resolve_db_url(str(target)) == f"sqlite:///{target}"
    assert target.parent.is_dir()
    monkeypatch.setenv("GEO_DB", "postgresql://u:p@h:5/db")
    assert resolve_db_url(None) == "postgresql+psycopg://u:p@h:5/db"
    assert resolve_db_url("other.sqlite").startswith("sqlite:///")
    with pytest.raises(ConfigError):
        resolve_db_url("mysql://x/y")


def test_bad_locations_raise_store_error(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="folder"):
        Store.open(str(tmp_path))
    (tmp_path / "file").write_text("x")
    with pytest.raises(StoreError):
        Store.open(str(tmp_path / "file" / "geo.sqlite"))
    (tmp_path / "junk.sqlite").write_bytes(b"not a database at all" * 100)
    with pytest.raises(StoreError, match="cannot open"):
        Store.open(str(tmp_path / "junk.sqlite"))


def test_unreachable_server_is_a_store_error() -> None:
    from tests.pg import _free_port

    with pytest.raises(StoreError, match="cannot open the store at postgresql"):
        Store.open(f"postgresql://nobody:secret@127.0.0.1:{_free_port()}/geo")


def test_article_counts_agree_across_filter_paths(store: Store) -> None:
    # Syria as adjective and as place in one article, as place only in another: the fast
    # first-mention sums and the COUNT(DISTINCT) fallback must give the same articles.
    store.add_article(*make_article([
        ("Syrian troops entered Syria and Syria said so.", [
            ("Syrian", SYRIA, "adjective"), ("Syria", SYRIA, "place"),
        ]),
        ("Later Syria was quiet.", [("Syria", SYRIA, "place")]),
    ], date=dt.date(2020, 1, 1)))  # fmt: skip
    store.add_article(*make_article([("Fighting in Syria again.", [("Syria", SYRIA, "place")])]))

    def syria(**kw) -> tuple[int, int]:
        (pc,) = store.place_counts(Filters(**kw))
        return pc.count, pc.articles

    assert syria() == (4, 2)
    assert syria(roles=("place",)) == (3, 2)
    assert syria(roles=("adjective",)) == (1, 1)
    assert syria(roles=("place", "adjective")) == (4, 2)
    assert syria(text="syria") == (4, 2)
    assert syria(text="LATER") == (1, 1)
    assert syria(date_from=dt.date(2020, 1, 1)) == (3, 1)


def test_text_search_folds_non_ascii_case(store: Store) -> None:
    erbil = Place("gn:95446", "Erbil", 36.19, 44.01, "IQ", "", "P", "PPLA")
    store.add_article(*make_article([("Frappes près d'ÉRBIL hier.", [("ÉRBIL", erbil, "place")])]))
    assert [pc.place.id for pc in store.place_counts(Filters(text="érbil"))] == [erbil.id]
    # The place's name is "Erbil"; the article wrote "ÉRBIL", and that spelling finds it too.
    assert [p.id for p in store.find_places("érbil")] == [erbil.id]
    assert [p.id for p in store.find_places("ERB")] == [erbil.id]


def test_find_places_by_the_spelling_articles_use(store: Store) -> None:
    saraqib = Place("gn:164816", "Saraqib", 35.86, 36.81, "SY", "Idlib", "P", "PPL")
    store.add_article(*make_article([("Shelling near Saraqeb.", [("Saraqeb", saraqib, "place")])]))
    assert [p.id for p in store.find_places("saraqeb")] == [saraqib.id]
    assert [p.id for p in store.find_places("Saraqib")] == [saraqib.id]


def test_running_totals_equal_a_full_count(filled: Store) -> None:
    from geo.store import queries as q

    for filters in (Filters(), Filters(countries=("SY",)), Filters(include_broad=False)):
        with filled.engine.connect() as conn:
            fast = q.place_counts(conn, filters, q.PlaceCache(), use_totals=True)
            full = q.place_counts(conn, filters, q.PlaceCache(), use_totals=False)
        assert fast == full and fast


def test_running_totals_are_backfilled_for_an_older_store(filled: Store) -> None:
    from sqlalchemy import delete

    from geo.store.schema import place_totals

    before = filled.place_counts()
    with filled.engine.begin() as conn:
        conn.execute(delete(place_totals))
    reopened = Store.open(filled.url)
    try:
        assert reopened.place_counts() == before
    finally:
        reopened.close()


def test_best_scores_are_backfilled_when_the_totals_lack_them(tmp_path: Path) -> None:
    """A store whose place_totals predate best_score gets it from the mentions on opening."""
    import dataclasses
    import sqlite3

    path = tmp_path / "old.sqlite"
    with Store.open(str(path)) as store:
        for text, scores in (("Idlib and Aleppo.", (0.3, 0.5)), ("Idlib again.", (0.8,))):
            names = [("Idlib", IDLIB, "place"), ("Aleppo", ALEPPO, "place")][: len(scores)]
            article, found = make_article([(text, names)])
            found = [dataclasses.replace(m, score=sc) for m, sc in zip(found, scores, strict=True)]
            store.add_article(article, found)
        assert store.place_confidence(Filters()) == {IDLIB.id: 0.8, ALEPPO.id: 0.5}
    conn = sqlite3.connect(path)
    conn.execute("ALTER TABLE place_totals DROP COLUMN best_score")
    conn.commit()
    conn.close()
    with Store.open(str(path)) as store:
        assert store.place_confidence(Filters()) == {IDLIB.id: 0.8, ALEPPO.id: 0.5}
        assert {pc.place.id: pc.best_score for pc in store.place_counts()} == {
            IDLIB.id: 0.8,
            ALEPPO.id: 0.5,
        }
        # The filtered path computes it in the count query itself.
        best = {pc.place.id: pc.best_score for pc in store.place_counts(Filters(text="idlib"))}
        assert best == {IDLIB.id: 0.8, ALEPPO.id: 0.5}


def test_an_older_store_gains_the_new_columns(tmp_path: Path) -> None:
    """A store made before url/author/language/focus/evidence existed opens and reads "" there."""
    import sqlite3

    path = tmp_path / "old.sqlite"
    with Store.open(str(path)) as store:
        store.add_article(Article(text="Shelling hit Saraqeb."), [])
    conn = sqlite3.connect(path)
    for column in ("url", "author", "language", "focus_country", "focus_admin1"):
        conn.execute(f"ALTER TABLE articles DROP COLUMN {column}")
    conn.execute("ALTER TABLE mentions DROP COLUMN evidence")
    conn.commit()
    conn.close()
    with Store.open(str(path)) as store:
        assert store.article(1).url == ""
        store.add_article(Article(text="Second.", url="https://example.org/a"), [])
        assert store.article(2).url == "https://example.org/a"
