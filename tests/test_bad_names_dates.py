"""Issue 14, items 1 and 2: a bad name is one error line, impossible dates are refused, a
re-ingest refreshes metadata, and the timeline keeps to the span of plausible dates.

Run on SQLite and PostgreSQL (the `db_url` fixture) where the store is involved.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

from sqlalchemy import select, update

from geo.ingest import ingest_articles, ingest_paths
from geo.ingest.dates import infer_date, parse_date
from geo.models import Article, date_problem
from geo.store import Store
from geo.store.schema import articles, mentions, place_totals
from tests.conftest import run_cli
from tests.pg import db_url, pg_server  # noqa: F401
from tests.test_reliability import added_count, article_body


def _jsonl(path: Path, records: list[dict[str, object]]) -> Path:
    # ensure_ascii=True writes a lone surrogate as the escape "\ud800", as a scraper would.
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def test_lone_surrogate_in_jsonl_id_or_source_is_one_error_and_the_rest_goes_in(
    tmp_path: Path,
    db_url: str,  # noqa: F811
) -> None:
    feed = _jsonl(
        tmp_path / "feed.jsonl",
        [
            {"id": "ok-1", "text": article_body(1)},
            {"id": "bad\ud800id", "text": article_body(2)},
            {"id": "ok-3", "text": article_body(3)},
            {"id": "ok-4", "source": "Agence \udcff", "text": article_body(4)},
            {"id": "ok-5", "text": article_body(5)},
        ],
    )
    for _run in range(2):  # a rerun gets past it too
        with Store.open(db_url) as store:
            report = ingest_paths([feed], store, workers=1)
            stored = store.article_count()
            sources = {a.source for a in store.articles()}
        # The reader mends a bad source (U+FFFD); the id names the article, so it is refused.
        assert len(report.errors) == 1, report.errors
        assert "\\ud800" in str(report.errors[0]) and "not valid Unicode" in str(report.errors[0])
        assert stored == 4 and "Agence \ufffd" in sources
    assert report.added == 0 and report.skipped == 4


def test_store_refuses_one_unencodable_article_alone(db_url: str) -> None:  # noqa: F811
    """The store's own guard, for callers that skip ingest's checks (the upload path)."""
    from geo.store import BatchStoreError

    batch = [
        (Article(text="First text about Homs."), []),
        (Article(text="Second text about Hama.", path="bad\udcffname.txt"), []),
        (Article(text="Third text about Idlib."), []),
    ]
    with Store.open(db_url) as store:
        try:
            store.add_articles(batch)
        except BatchStoreError as exc:
            assert list(exc.failures) == [1] and "not valid Unicode" in exc.failures[1]
        else:
            raise AssertionError("the bad article was not refused")
        assert store.article_count() == 2


def test_non_utf8_file_name_is_one_error_line(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for i in (1, 2, 3):
        (folder / f"a{i}.txt").write_text(article_body(i), encoding="utf-8")
    bad = os.path.join(os.fsencode(folder), b"b\xffad.txt")
    with open(bad, "wb") as handle:
        handle.write(article_body(9).encode())
    db = tmp_path / "geo.sqlite"
    for _run in range(2):
        result = run_cli("ingest", str(folder), "--db", str(db), "--workers", "1")
        assert result.returncode == 2, result.stderr
        errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
        assert len(errors) == 1 and "udcffad.txt" in errors[0], result.stderr
        assert "Traceback" not in result.stderr
    assert "skipped 3 already stored" in result.stderr


def test_impossible_dates_are_refused_with_a_message(tmp_path: Path, nlp, gazetteer) -> None:
    assert parse_date("9999-12-31") is None and parse_date("0202-05-04") is None
    assert date_problem(dt.date(9999, 12, 31)) == "date 9999-12-31 is after tomorrow"
    assert date_problem(dt.date(202, 5, 4)) == "date 0202-05-04 is before 1900-01-01"
    assert date_problem(dt.date.today()) == "" and date_problem(None) == ""
    assert infer_date("Posted 2999-01-01. Shelling hit Homs.") == (None, "none")
    feed = _jsonl(
        tmp_path / "feed.jsonl",
        [
            {"id": "future", "date": "9999-12-31", "text": article_body(1)},
            {"id": "typo", "date": "0202-05-04", "text": article_body(2)},
            {"id": "good", "date": "2020-05-04", "text": article_body(3)},
        ],
    )
    db = tmp_path / "geo.sqlite"
    result = run_cli("ingest", str(feed), "--db", str(db), "--workers", "1")
    assert result.returncode == 0 and added_count(result.stderr) == 3, result.stderr
    assert "impossible date 9999-12-31 ignored" in result.stderr
    assert "impossible date 0202-05-04 ignored" in result.stderr
    with Store.open(str(db), readonly=True) as store:
        assert store.date_bounds() == (dt.date(2020, 5, 4), dt.date(2020, 5, 4))
        # Any other caller (the upload path, the library) is refused by the store itself.
        bad = Article(text="Shelling hit Hama.", date=dt.date(9999, 12, 31), path="x.txt")
    with Store.open(str(db)) as store:
        report = ingest_articles([bad], store, nlp, gazetteer)
        assert [str(e) for e in report.errors] == ["x.txt: date 9999-12-31 is after tomorrow"]
        assert store.article_count() == 3


def test_reingest_updates_date_title_source_url(
    tmp_path: Path,
    db_url: str,  # noqa: F811
    nlp,
    gazetteer,
) -> None:
    text = article_body(7)
    record = {"id": "x", "text": text, "date": "2020-01-02", "title": "Old"}
    feed = _jsonl(tmp_path / "feed.jsonl", [record])
    with Store.open(db_url) as store:
        assert ingest_paths([feed], store, workers=1).added == 1
        again = ingest_paths([feed], store, workers=1)
        assert (again.added, again.updated, again.skipped) == (0, 0, 1)
        _jsonl(feed, [{**record, "date": "2021-03-04", "title": "New", "source": "Wire"}])
        report = ingest_paths([feed], store, workers=1)
        assert (report.added, report.updated, report.skipped, report.errors) == (0, 1, 0, [])
        with store.engine.connect() as conn:
            row = conn.execute(select(articles)).one()
            dates = set(conn.execute(select(mentions.c.date)).scalars())
            last = set(conn.execute(select(place_totals.c.last_date)).scalars())
        assert (row.title, row.source, row.date) == ("New", "Wire", dt.date(2021, 3, 4))
        assert dates == last == {dt.date(2021, 3, 4)}
        # The upload path: the same text with an address and no date keeps the stored date.
        copy = Article(text=row.text, url="https://example.org/a")
        assert ingest_articles([copy], store, nlp, gazetteer).updated == 1
        assert ingest_articles([copy], store, nlp, gazetteer).skipped == 1
        stored = store.article(row.id)
    assert (stored.url, stored.title, stored.date) == ("https://example.org/a", "New", row.date)


def test_timeline_keeps_to_the_span_of_plausible_dates(tmp_path: Path) -> None:
    """A store written before dates were checked: the timeline skips the impossible ones."""
    folder = tmp_path / "in"
    folder.mkdir()
    for i, day in enumerate(["2020-05-01", "2020-05-03", "2020-05-09", "2020-05-10"]):
        (folder / f"a{i}.md").write_text(
            f"---\ndate: {day}\n---\n{article_body(i)}", encoding="utf-8"
        )
    db = str(tmp_path / "geo.sqlite")
    with Store.open(db) as store:
        assert ingest_paths([folder], store, workers=1).added == 4
        with store.engine.begin() as conn:  # as an old ingest would have stored them
            for path, day in (("a2.md", dt.date(9999, 12, 31)), ("a3.md", dt.date(202, 5, 4))):
                ids = select(articles.c.id).where(articles.c.path.endswith(path))
                conn.execute(update(articles).where(articles.c.id.in_(ids)).values(date=day))
                conn.execute(
                    update(mentions).where(mentions.c.article_id.in_(ids)).values(date=day)
                )
        daily = store.timeline()
        weekly = store.timeline(freq="W")
        bounds = store.date_bounds()
    assert [d for d, _ in daily] == [dt.date(2020, 5, 1), dt.date(2020, 5, 2), dt.date(2020, 5, 3)]
    assert daily[1][1] == 0 and daily[0][1] > 0 and daily[2][1] > 0
    assert [d for d, _ in weekly] == [dt.date(2020, 4, 27)]
    assert bounds == (dt.date(2020, 5, 1), dt.date(2020, 5, 3))
