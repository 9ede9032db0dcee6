"""Reading by place on real SQLite and PostgreSQL: text index, search, passages by article."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from geo.ingest import read_inputs
from geo.models import Filters, Place
from geo.store import NameIndex, Store, write_passages_csv
from geo.store.passages import dateline_span
from tests.pg import db_url, pg_server  # noqa: F401
from tests.test_store import IDLIB, SYRIA, count, make_article

SARAQIB = Place("gn:164816", "Saraqib", 35.86, 36.81, "SY", "Idlib", "P", "PPL", 32000)
ANKARA = Place("gn:323786", "Ankara", 39.92, 32.85, "TR", "Ankara", "P", "PPLC", 3517182)
CHARLESTON_WV = Place("gn:4801859", "Charleston", 38.35, -81.63, "US", "West Virginia", "P", "PPLA")


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:  # noqa: F811
    with Store.open(db_url) as opened:
        yield opened


def ids(store: Store, text: str) -> set[int]:
    return {p.mention_id for p in store.passages(ANKARA.id, Filters(text=text))}


def test_text_filter_ignores_case_and_accents(store: Store) -> None:
    store.add_article(
        *make_article(
            [
                ("President Erdoğan spoke in Ankara.", [("Ankara", ANKARA, "place")]),
                ("ERDOGAN'S party met in Ankara.", [("Ankara", ANKARA, "place")]),
                ("Erdogan left Ankara.", [("Ankara", ANKARA, "place")]),
                ("Nobody else was in Ankara.", [("Ankara", ANKARA, "place")]),
            ]
        )
    )
    found = ids(store, "Erdogan")
    assert len(found) == 3
    assert ids(store, "Erdoğan") == found == ids(store, "ERDOGAN") == ids(store, "erdo")
    assert len(ids(store, "spoke in")) == 1  # words in order, the last one a prefix
    assert ids(store, "in spoke") == set()
    assert ids(store, '"); DROP TABLE mentions; --') == set()  # quotes are only separators
    assert len(ids(store, "")) == 4
    # The index follows new articles (SQLite triggers; PostgreSQL's index is on the column).
    store.add_article(
        *make_article([("Erdoğan returned to Ankara.", [("Ankara", ANKARA, "place")])])
    )
    assert len(ids(store, "erdogan")) == 4


def test_name_search_uses_geo_name_keys() -> None:
    index = NameIndex(
        [
            (IDLIB.id, "Idlib"),
            (SARAQIB.id, "Saraqib"),
            (SARAQIB.id, "Saraqeb"),
            ("sup:al-eis", "Al-Eis"),
            ("gn:1", "Kafr Zeita"),
            ("gn:2", "Maarat al-Numan"),
            (SYRIA.id, "Syria"),
        ]
    )
    assert set(index.match("Idleb")) == {IDLIB.id}
    assert set(index.match("idl")) == {IDLIB.id}  # prefix, as you type
    assert set(index.match("Sarakib")) == {SARAQIB.id}
    assert set(index.match("Saraqb")) == {SARAQIB.id}  # a close spelling
    assert set(index.match("al eis")) == {"sup:al-eis"}
    assert set(index.match("Kafr Zita")) == {"gn:1"}
    assert set(index.match("ma'arrat")) == {"gn:2"}
    assert set(index.match("SYR")) == {SYRIA.id}
    assert index.match("  ") == {} and index.match("zzzz") == {}


def test_find_places_over_names_and_spellings(store: Store) -> None:
    store.add_article(
        *make_article(
            [
                ("Shelling hit Saraqeb.", [("Saraqeb", SARAQIB, "place")]),
                ("Idleb was quiet.", [("Idleb", IDLIB, "place")]),
                ("Idlib again.", [("Idlib", IDLIB, "place")]),
            ]
        )
    )
    assert [p.id for p in store.find_places("Idleb")] == [IDLIB.id]
    assert [p.id for p in store.find_places("sarakib")] == [SARAQIB.id]
    index = store.name_index()
    assert len(index) == 4  # two names, two more spellings
    # Brought up to date from newer mentions only.
    store.add_article(*make_article([("Sarakeb burned.", [("Sarakeb", SARAQIB, "place")])]))
    assert len(store.name_index(index)) == 5 and index.last_mention == count(store)


def headline_article() -> tuple:
    return make_article(
        [
            ("Charleston floods", [("Charleston", CHARLESTON_WV, "place")]),
            ("CHARLESTON, W.Va. (AP) — Rivers rose in Charleston and in Charleston's east.", []),
            (
                "Idlib was quiet, Syria said.",
                [("Idlib", IDLIB, "place"), ("Syria", SYRIA, "place")],
            ),
        ],
        title="Charleston floods",
        date=dt.date(2021, 3, 1),
        url="https://example.org/floods",
    )


def test_passage_page_groups_by_article(store: Store) -> None:
    article, found = headline_article()
    text = article.text
    # Mentions inside the dateline and twice in the same sentence.
    body = text.index("CHARLESTON, W.Va.")
    second = text.index("Rivers")
    sentence = text[body : text.index(".", text.index("east")) + 1]
    extra = []
    for at in (body, text.index("Charleston", second), text.index("Charleston's")):
        extra.append(
            found[0].__class__(
                at, at + 10, text[at : at + 10], "place", CHARLESTON_WV, 0.8, sentence, body
            )
        )
    store.add_article(article, [found[0], *extra, *found[1:]])
    page = store.passage_page(CHARLESTON_WV.id)
    (block,) = page.blocks
    assert not page.has_more
    assert (block.title, block.date, block.url) == (
        "Charleston floods", dt.date(2021, 3, 1), "https://example.org/floods",
    )  # fmt: skip
    assert block.headline_mentions == 1 and block.dateline == "CHARLESTON, W.Va. (AP)"
    (card,) = block.cards  # one card for the sentence with two body mentions
    assert [p.surface for p in card.mentions] == ["Charleston", "Charleston"]
    for p in card.mentions:
        assert card.sentence[p.highlight_start : p.highlight_end] == "Charleston"
        assert p.score == pytest.approx(0.8) and p.mention_id > 0
    assert [pc.place.id for pc in block.other_places] == [IDLIB.id, SYRIA.id]
    # The article view lists the article with all its places, and its sentences.
    (summary,), more = store.article_summaries()
    assert not more and summary.mentions == 6 and len(summary.places) == 3
    whole = store.article_block(summary.article_id)
    assert whole.headline_mentions == 1 and len(whole.cards) == 2


def test_passage_page_pages(store: Store) -> None:
    for day in range(1, 6):
        store.add_article(
            *make_article(
                [(f"Day {day} in Idlib.", [("Idlib", IDLIB, "place")])],
                title=f"Day {day}",
                date=dt.date(2020, 1, day),
            )
        )
    first = store.passage_page(IDLIB.id, limit=3)
    assert first.has_more and [b.title for b in first.blocks] == ["Day 5", "Day 4", "Day 3"]
    rest = store.passage_page(IDLIB.id, offset=3, limit=3)
    assert not rest.has_more and [b.title for b in rest.blocks] == ["Day 2", "Day 1"]
    timeline = store.timeline(Filters(), "D", place_id=IDLIB.id)
    assert timeline[0] == (dt.date(2020, 1, 1), 1) and len(timeline) == 5


def test_passages_csv(store: Store) -> None:
    store.add_article(*headline_article())
    buffer = io.StringIO()
    assert write_passages_csv(store.mention_rows(place_id=IDLIB.id), buffer) == 1
    (row,) = list(csv.DictReader(io.StringIO(buffer.getvalue())))
    assert row["article"] == "Charleston floods" and row["url"] == "https://example.org/floods"
    assert (row["place"], row["region"], row["country"]) == ("Idlib", "Idlib", "SY")
    assert row["sentence"] == "Idlib was quiet, Syria said." and row["confidence"] == "0.9"
    start, end = map(int, row["offsets"].split(":"))
    assert end - start == 5 and row["date"] == "2021-03-01"


def test_labels_carry_the_region() -> None:
    assert CHARLESTON_WV.label == "Charleston, West Virginia, US"
    assert IDLIB.label == "Idlib, SY" and SYRIA.label == "Syria"


def test_datelines() -> None:
    assert dateline_span("BEIRUT (Reuters) - Shelling", "") == (0, 16)
    assert dateline_span("T\n\nIDLIB, Syria — x", "T") == (3, 15)
    assert dateline_span("Rebels said - fine", "") is None


def test_readers_keep_url_and_author(tmp_path: Path) -> None:
    lines = [
        {"text": "Shelling in Idlib.", "url": "https://a.example/1", "author": ["A", "B"]},
        {"text": "Quiet in Idlib."},
    ]
    (tmp_path / "a.jsonl").write_text("\n".join(json.dumps(x) for x in lines), "utf-8")
    (tmp_path / "b.md").write_text(
        "---\ntitle: T\nurl: https://b.example/2\nauthor: C\n---\nText about Idlib.", "utf-8"
    )
    found = sorted(read_inputs([tmp_path]), key=lambda a: a.path)
    assert [(a.url, a.author) for a in found] == [
        ("https://a.example/1", "A, B"), ("", ""), ("https://b.example/2", "C"),
    ]  # fmt: skip


def test_the_text_filter_is_served_by_an_index(store: Store) -> None:
    from sqlalchemy import func, select

    from geo.store.schema import mentions
    from geo.store.text_index import text_condition

    with store.engine.connect() as conn:
        query = select(func.count()).select_from(mentions).where(text_condition(conn, "Erdoğan sp"))
        sql = str(query.compile(conn, compile_kwargs={"literal_binds": True}))
        if conn.dialect.name == "postgresql":
            conn.exec_driver_sql("SET enable_seqscan = off")
            plan = " ".join(r[0] for r in conn.exec_driver_sql(f"EXPLAIN {sql}"))
            assert "ix_mentions_sentence_words" in plan, plan
        else:
            plan = " ".join(str(r[-1]) for r in conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}"))
            assert "mentions_fts VIRTUAL TABLE INDEX" in plan, plan
        assert mentions.name in sql
