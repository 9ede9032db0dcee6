"""Trust end to end with the real model, on SQLite and PostgreSQL: rules across re-ingests and
new articles, user places recognised without NER, re-resolution, deletion, the CLI."""

from __future__ import annotations

import json

import pytest

from geo.cli import main
from geo.gazetteer import Gazetteer
from geo.ingest import ingest_paths, reresolve
from geo.parse import Geoparser
from geo.store import Store
from tests.conftest import run_cli
from tests.pg import db_url, pg_server  # noqa: F401

COUNCIL = (
    "---\ntitle: Council vote\ndate: 2024-05-02\n---\n"
    "The city council of Paris voted on Tuesday to repave Main Street near the "
    "courthouse. Paris residents had asked for the work for years."
)
LATER = (
    "---\ntitle: Later story\ndate: 2024-05-09\n---\n"
    "Traffic in Paris was slow after the repaving, the mayor said."
)
CAMP = "Families fled to Zawiyat Harbush after the shelling of Idlib, aid workers said."


@pytest.fixture
def parser(nlp, geoparser):
    """A Geoparser with its own gazetteer (user places change it); the shared one is
    given back to the model afterwards."""
    own = Geoparser(nlp, Gazetteer.load())
    yield own
    geoparser.use_gazetteer(geoparser.gazetteer)


def cli(*args: str) -> int:
    return main(list(args))


def test_rule_survives_reingest_and_applies_to_a_new_article(db_url, tmp_path, capsys):  # noqa: F811
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "council.md").write_text(COUNCIL, encoding="utf-8")
    with Store.open(db_url) as store:
        ingest_paths([folder], store, workers=1)
        before = {pc.place.id: pc.count for pc in store.place_counts()}
        # The rule's target: a Paris the resolver did not choose, whatever it chose.
        paris = [c.place.id for c in Gazetteer.load().candidates("Paris", limit=10)]
        target = next(pid for pid in paris if pid not in before)
    assert cli("correct", "Paris", "--to", target, "--note", "the other Paris", "--db", db_url) == 0
    assert "mentions follow it" in capsys.readouterr().out
    with Store.open(db_url) as store:
        after = {pc.place.id: pc.count for pc in store.place_counts()}
        assert after[target] == 2  # both mentions of Paris
        assert sum(after.values()) == sum(before.values())
        # The same files again: nothing new, the rule holds; a new article follows the rule.
        (folder / "later.md").write_text(LATER, encoding="utf-8")
        report = ingest_paths([folder], store, workers=1)
        assert (report.added, report.skipped) == (1, 1)
        later = next(a for a in store.articles() if a.title == "Later story")
        named = {pc.place.id for pc in store.article_places(later.id)}
        assert target in named
    assert cli("corrections", "list", "--json", "--db", db_url) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [(r["scope"], r["place_id"], r["note"]) for r in rows] == [
        ("store", target, "the other Paris")
    ]
    assert rows[0]["mentions"] == 3
    assert cli("corrections", "undo", str(rows[0]["id"]), "--db", db_url) == 0
    with Store.open(db_url) as store:
        assert target not in {pc.place.id for pc in store.place_counts()}  # back as it was
        assert cli("delete", str(later.id), "--db", db_url) == 0
        assert [a.title for a in store.articles()] == ["Council vote"]
    assert cli("delete", "999", "--db", db_url) == 1
    assert "no article with id 999" in capsys.readouterr().err


def test_user_place_is_recognised_without_ner_and_reresolved(db_url, tmp_path, parser, capsys):  # noqa: F811
    def names(text: str) -> dict[str, str | None]:
        with parser.nlp.select_pipes(disable=["ner"]):  # no help from NER at all
            return {m.surface: m.place.id if m.place else None for m in parser.parse(text)}

    assert "Zawiyat Harbush" not in names(CAMP)
    (tmp_path / "camp.txt").write_text(CAMP, encoding="utf-8")
    (tmp_path / "other.txt").write_text("Talks were held in Sochi on Friday.", encoding="utf-8")
    with Store.open(db_url) as store:
        ingest_paths([tmp_path / "camp.txt", tmp_path / "other.txt"], store, workers=1)
    assert (
        cli(
            "gazetteer",
            "add",
            "Zawiyat Harbush",
            "--lat",
            "35.71",
            "--lon",
            "36.52",
            "--country",
            "SY",
            "--type",
            "CMP",
            "--alt",
            "Zawiyet Harbouch",
            "--region",
            "Idlib",
            "--db",
            db_url,
        )  # fmt: skip
        == 0
    )
    place_id = capsys.readouterr().out.strip()
    assert place_id.startswith("user:")
    # A colleague opening the same store sees the place, and lookups find it.
    with Store.open(db_url) as colleague:
        assert [u.place.id for u in colleague.user_places()] == [place_id]
        parser.gazetteer.use_user_places(colleague.user_places())
    assert names(CAMP)["Zawiyat Harbush"] == place_id
    assert (
        names(CAMP.replace("Zawiyat Harbush", "Zawiyet Harbouch"))["Zawiyet Harbouch"] == place_id
    )
    assert cli("gazetteer", "lookup", "Zawiyat Harbush", "--json", "--db", db_url) == 0
    first = json.loads(capsys.readouterr().out.splitlines()[0])
    assert (first["id"], first["admin1"], first["feature_code"]) == (place_id, "Idlib", "CMP")
    # Re-resolution parses only the affected article and finds the new place in it.
    with Store.open(db_url) as store:
        report = reresolve(store, parser)
        assert (report.checked, report.changed, report.total) == (1, 1, 2)
        counts = {pc.place.id: pc.count for pc in store.place_counts()}
        assert counts[place_id] == 1
        assert reresolve(store, parser).checked == 0  # nothing left to do


def test_reresolve_command_keeps_manual_corrections(tmp_path):
    db = str(tmp_path / "geo.sqlite")
    (tmp_path / "camp.txt").write_text(CAMP, encoding="utf-8")
    assert (
        run_cli("ingest", str(tmp_path / "camp.txt"), "--db", db, "--workers", "1").returncode == 0
    )
    done = run_cli("correct", "Idlib", "--not-a-place", "--article", "1", "--db", db)
    assert done.returncode == 0, done.stderr
    added = run_cli(
        "gazetteer", "add", "Zawiyat Harbush", "--lat", "35.71", "--lon", "36.52",
        "--country", "SY", "--db", db,
    )  # fmt: skip
    assert added.returncode == 0, added.stderr
    again = run_cli("reresolve", "--db", db)
    assert again.returncode == 0, again.stderr
    assert "re-resolved 1 of 1 articles; 1 changed" in again.stderr
    listing = run_cli("places", "--db", db, "--json").stdout.splitlines()
    names = {json.loads(line)["name"] for line in listing}
    assert "Zawiyat Harbush" in names
    assert not any(n.startswith("Idlib") for n in names)  # the manual correction held


def test_worker_processes_use_the_stores_user_places(tmp_path):
    from geo.store import make_user_place

    db = str(tmp_path / "geo.sqlite")
    with Store.open(db) as store:
        camp = make_user_place("Zawiyat Harbush", 35.71, 36.52, "SY", "CMP")
        store.add_user_place(camp)
        for i in range(34):  # enough articles for two worker processes
            (tmp_path / f"a{i}.txt").write_text(f"Report {i}. {CAMP}", encoding="utf-8")
        report = ingest_paths([tmp_path], store, workers=2)
        assert report.added == 34, report.errors
        counts = {pc.place.id: pc.count for pc in store.place_counts()}
    assert counts[camp.place.id] == 34
