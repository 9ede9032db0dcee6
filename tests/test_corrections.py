"""Corrections, undo, rules, deletion and the corrections CSV on real SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import io
import threading

import pytest

from geo.errors import InputError, StoreError
from geo.models import Article, Candidate, Filters, Mention, Place
from geo.store import Store, make_user_place
from geo.store import queries as q
from tests.pg import db_url, pg_server  # noqa: F401

DC = Place("gn:4140963", "Washington", 38.9, -77.04, "US", "District of Columbia", "P", "PPLC", 6e5)
WA_COUNTY = Place("gn:5083221", "Washington County", 41.53, -96.22, "US", "Nebraska", "A", "ADM2")
PARIS_FR = Place("gn:2988507", "Paris", 48.85, 2.35, "FR", "Île-de-France", "P", "PPLC", 2138551)
PARIS_TX = Place("gn:4717560", "Paris", 33.66, -95.56, "US", "Texas", "P", "PPLA2", 24782)
IDLIB = Place("gn:169389", "Idlib", 35.93, 36.63, "SY", "Idlib", "P", "PPLA", 128840)


def article(text: str, names: list[tuple[str, Place | None]], day: int = 1) -> tuple:
    """An article whose mentions are the first occurrence of each name, and later ones."""
    found = []
    for surface, place in names:
        at = text.index(surface)
        while at >= 0:
            found.append(
                Mention(
                    at,
                    at + len(surface),
                    surface,
                    "place",
                    place,
                    0.42,
                    text,
                    0,
                    (Candidate(PARIS_TX, 1.0, "Paris"), Candidate(WA_COUNTY, 1.0, "Washington")),
                    "capital city",
                )  # fmt: skip
            )
            at = text.find(surface, at + 1)
    found.sort(key=lambda m: m.start)
    return Article(text, title=text[:20], date=dt.date(2024, 3, day), source="t"), found


def counts(store: Store, filters: Filters | None = None) -> dict[str, int]:
    filters = filters or Filters()
    by_totals = {pc.place.id: pc.count for pc in store.place_counts(filters)}
    with store.engine.connect() as conn:
        recount = q.place_counts(conn, filters, q.PlaceCache(), use_totals=False)
    # The running totals always agree with a recount from the mentions.
    assert by_totals == {pc.place.id: pc.count for pc in recount}
    assert {pc.place.id: pc.articles for pc in store.place_counts(filters)} == {
        pc.place.id: pc.articles for pc in recount
    }
    # So does the best score per place (kept in the totals for the map's hollow markers).
    best = {pc.place.id: pc.best_score for pc in store.place_counts(filters)}
    assert best == {pc.place.id: pc.best_score for pc in recount}
    return by_totals


@pytest.fixture
def store(db_url):  # noqa: F811
    with Store.open(db_url) as s:
        yield s


COUNCIL = "The Paris city council met in Paris, Texas. Paris voters agreed."
TRIP = "The minister flew from Paris to Washington on Monday."


def test_mention_article_and_rule_scopes_and_undo(store):
    council = store.add_article(*article(COUNCIL, [("Paris", PARIS_FR)], day=2))
    trip = store.add_article(*article(TRIP, [("Paris", PARIS_FR), ("Washington", DC)], day=3))
    assert counts(store) == {PARIS_FR.id: 4, DC.id: 1}
    first = store.passages(PARIS_FR.id)[-1]  # oldest article, first mention

    one = store.correct("", PARIS_TX, mention_id=first.mention_id, note="the Texas one")
    assert counts(store) == {PARIS_FR.id: 3, PARIS_TX.id: 1, DC.id: 1}
    detail = store.mention(first.mention_id)
    assert detail.place == PARIS_TX and detail.correction_id == one and detail.score == 1.0
    assert "corrected by the analyst" in detail.evidence and "the Texas one" in detail.evidence

    in_article = store.correct("Paris", PARIS_TX, article_id=council)
    assert counts(store) == {PARIS_FR.id: 1, PARIS_TX.id: 3, DC.id: 1}
    assert [a.focus.country_code for a in store.articles() if a.id == council] == ["US"]
    rule = store.correct("washington", None, note="a surname here")  # store-wide, not a place
    assert counts(store) == {PARIS_FR.id: 1, PARIS_TX.id: 3}
    # Timeline and exports follow at once.
    assert dict(store.timeline()) == {dt.date(2024, 3, 2): 3, dt.date(2024, 3, 3): 1}
    assert {r.place_id for r in store.mention_rows()} == {PARIS_FR.id, PARIS_TX.id}
    listed = {c.id: c for c in store.corrections()}
    assert listed[rule].scope == "store" and listed[rule].place is None
    assert listed[in_article].mentions == 2 and listed[one].mentions == 1
    assert listed[in_article].article_id == council

    store.undo_correction(in_article)  # the mention correction still holds
    assert counts(store) == {PARIS_FR.id: 3, PARIS_TX.id: 1}
    store.undo_correction(rule)
    store.undo_correction(one)
    assert counts(store) == {PARIS_FR.id: 4, DC.id: 1}
    restored = store.mention(first.mention_id)
    assert (restored.place, restored.score, restored.evidence) == (PARIS_FR, 0.42, "capital city")
    assert restored.correction_id is None
    assert store.corrections() == [] and len(store.corrections(include_undone=True)) == 3
    with pytest.raises(StoreError, match="already undone"):
        store.undo_correction(one)
    assert trip


def test_rule_survives_reingest_and_applies_to_new_articles(store):
    first = store.add_article(*article(TRIP, [("Washington", DC)]))
    store.correct("Washington", WA_COUNTY)
    store.correct("Paris", PARIS_TX, article_id=first)
    # The same text again is the same article: nothing added, the correction stays.
    assert store.add_article(*article(TRIP, [("Washington", DC), ("Paris", PARIS_FR)])) is None
    # Deleted and ingested again: its corrections come back (articles are known by hash).
    store.delete_article(first)
    assert counts(store) == {}
    store.add_article(*article(TRIP, [("Washington", DC), ("Paris", PARIS_FR)]))
    assert counts(store) == {WA_COUNTY.id: 1, PARIS_TX.id: 1}
    # A new article: the rule applies, the article correction does not.
    store.add_article(*article("Paris and Washington.", [("Paris", PARIS_FR), ("Washington", DC)]))
    assert counts(store) == {WA_COUNTY.id: 2, PARIS_TX.id: 1, PARIS_FR.id: 1}


def test_delete_article_and_every_count_follows(store):
    a = store.add_article(*article(TRIP, [("Paris", PARIS_FR), ("Washington", DC)], day=3))
    store.add_article(*article(COUNCIL, [("Paris", PARIS_FR)], day=4))
    store.delete_article(a)
    assert counts(store) == {PARIS_FR.id: 3}
    assert counts(store, Filters(date_to=dt.date(2024, 3, 3))) == {}
    assert [x.title for x in store.articles()] == [COUNCIL[:20]]
    with pytest.raises(StoreError, match="no article"):
        store.delete_article(a)


def test_export_import_on_a_fresh_store_reproduces_the_export(db_url, tmp_path):  # noqa: F811
    camp = make_user_place("Camp Atmeh", 36.31, 36.58, "SY", "CMP", ("Atmeh camp",), "Idlib")
    texts = [
        (COUNCIL, [("Paris", PARIS_FR)]),
        (TRIP, [("Paris", PARIS_FR), ("Washington", DC)]),
    ]
    with Store.open(db_url) as first:
        ids = [first.add_article(*article(t, n)) for t, n in texts]
        first.add_user_place(camp)
        first.correct("Paris", PARIS_TX, article_id=ids[0], note='"quoted", =1+1')
        first.correct("Washington", None)
        first.correct("", camp.place, mention_id=first.passages(PARIS_FR.id)[0].mention_id)
        undone = first.correct("Paris", IDLIB)
        first.undo_correction(undone)
        buffer = io.StringIO()
        assert first.export_corrections(buffer) == 4
        exported, before = buffer.getvalue(), counts(first)
    assert "=1+1" in exported and "Camp Atmeh" in exported
    with Store.open(str(tmp_path / "fresh.sqlite")) as fresh:
        for t, n in texts:
            fresh.add_article(*article(t, n))
        assert fresh.import_corrections(io.StringIO(exported)) == (1, 3)
        assert fresh.import_corrections(io.StringIO(exported)) == (1, 0)  # nothing twice
        again = io.StringIO()
        fresh.export_corrections(again)
        assert again.getvalue() == exported
        assert counts(fresh) == before
        assert [u.place for u in fresh.user_places()] == [camp.place]
    with Store.open(str(tmp_path / "bad.sqlite")) as bad:
        broken = exported.replace("store", "planet", 1)
        with pytest.raises(InputError, match="line 4: unknown scope"):
            bad.import_corrections(io.StringIO(broken), "shared.csv")
        assert bad.corrections() == [] and bad.user_places() == []


def test_a_correction_during_an_ingest_loses_nothing(db_url):  # noqa: F811
    n = 40
    with Store.open(db_url) as writer, Store.open(db_url) as analyst:
        started = threading.Event()

        def ingest() -> None:
            for i in range(n):
                text = f"Report {i}: officials in Washington and Idlib met."
                writer.add_article(*article(text, [("Washington", DC), ("Idlib", IDLIB)]))
                if i == 5:
                    started.set()

        thread = threading.Thread(target=ingest)
        thread.start()
        started.wait(30)
        analyst.correct("Washington", WA_COUNTY, note="during the ingest")
        thread.join(60)
        assert analyst.article_count() == n
        assert counts(analyst) == {WA_COUNTY.id: n, IDLIB.id: n}
        assert analyst.corrections()[0].mentions == n


def test_focus_filter_and_place_confidence(store):
    store.add_article(*article(COUNCIL, [("Paris", PARIS_FR)]))
    trip = store.add_article(
        *article("In Idlib and Idlib and Washington.", [("Idlib", IDLIB), ("Washington", DC)])
    )
    assert counts(store, Filters(focus=("sy",))) == {IDLIB.id: 2, DC.id: 1}
    assert counts(store, Filters(focus=("FR",))) == {PARIS_FR.id: 3}
    assert store.place_confidence(Filters()) == {PARIS_FR.id: 0.42, IDLIB.id: 0.42, DC.id: 0.42}
    store.correct("Idlib", IDLIB, article_id=trip)  # confirmed by the analyst: sure
    assert store.place_confidence(Filters(focus=("SY",)))[IDLIB.id] == 1.0
    # Unfiltered, the running totals answer, and they followed the correction.
    assert store.place_confidence(Filters())[IDLIB.id] == 1.0
    assert counts(store)[IDLIB.id] == 2
    assert {pc.place.id: pc.best_score for pc in store.place_counts()}[IDLIB.id] == 1.0
