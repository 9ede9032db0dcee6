"""`articles --json` and `gazetteer lookup --json`, run as a user runs them; Focus.from_mentions."""

from __future__ import annotations

import json

from geo.models import ROLE_ADJECTIVE, ROLE_ORGANISATION, ROLE_PLACE, Focus, Mention, Place
from tests.conftest import run_cli

SYRIA_TEXT = (
    "---\ntitle: Shelling near Saraqeb\ndate: 2020-02-03\n---\n"
    "Shelling hit the town of Saraqeb on Monday. Residents fled from Saraqeb towards Idlib "
    "and Sarmin, while officials in Ankara called for a ceasefire."
)
FRANCE_TEXT = "Farmers blocked roads around Lyon and Grenoble, and later marched through Paris."


def _lines(stdout: str) -> list[dict]:
    return [json.loads(line) for line in stdout.splitlines()]


def test_articles_and_lookup_json(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "syria.md").write_text(SYRIA_TEXT, encoding="utf-8")
    (tmp_path / "in" / "france.txt").write_text(FRANCE_TEXT, encoding="utf-8")
    db = str(tmp_path / "geo.sqlite")
    done = run_cli("ingest", str(tmp_path / "in"), "--db", db, "--workers", "1")
    assert done.returncode == 0, done.stderr

    listed = run_cli("articles", "--db", db, "--json")
    assert listed.returncode == 0, listed.stderr
    rows = _lines(listed.stdout)
    assert len(rows) == 2
    for row in rows:
        assert set(row) == {
            "id", "title", "date", "date_source", "source", "url", "author", "language", "focus",
        }  # fmt: skip
    syria = next(r for r in rows if r["title"] == "Shelling near Saraqeb")
    assert syria["date"] == "2020-02-03" and isinstance(syria["url"], str)
    assert syria["focus"] == {"country_code": "SY", "admin1": "Idlib"}
    france = next(r for r in rows if r["id"] != syria["id"])
    assert france["focus"]["country_code"] == "FR"

    only_sy = run_cli("articles", "--db", db, "--json", "--country", "sy")
    assert [r["id"] for r in _lines(only_sy.stdout)] == [syria["id"]]
    table = run_cli("articles", "--db", db)
    assert "SY/Idlib" in table.stdout and "Shelling near Saraqeb" in table.stdout

    # lookup ids are the ids `places --json` prints for the same places.
    stored = {r["name"]: r["id"] for r in _lines(run_cli("places", "--db", db, "--json").stdout)}
    looked = run_cli("gazetteer", "lookup", "Saraqeb", "--json", "--limit", "3")
    assert looked.returncode == 0, looked.stderr
    first = _lines(looked.stdout)[0]
    assert set(first) == {
        "id", "name", "admin1", "country_code", "lat", "lon", "feature_code", "population",
    }  # fmt: skip
    assert first["name"] == "Saraqib" and first["admin1"] == "Idlib"
    assert first["country_code"] == "SY" and first["feature_code"].startswith("PPL")
    assert stored["Saraqib"] == first["id"]


def _mention(place: Place | None, role: str = ROLE_PLACE) -> Mention:
    return Mention(0, 1, "x", role, place, 0.9, "x", 0)


def _place(pid: str, cc: str, admin1: str = "") -> Place:
    return Place(id=pid, name=pid, lat=0.0, lon=0.0, country_code=cc, admin1=admin1)


def test_focus_from_mentions():
    idlib_town = _place("a", "SY", "Idlib")
    aleppo = _place("b", "SY", "Aleppo")
    ankara = _place("c", "TR", "Ankara")
    assert Focus.from_mentions([]) == Focus()
    assert Focus.from_mentions([_mention(None)]) == Focus()
    found = [_mention(ankara), _mention(idlib_town), _mention(aleppo), _mention(idlib_town)]
    assert Focus.from_mentions(found) == Focus("SY", "Idlib")
    # Ties go to the first named; organisation names ("Turkish Airlines") do not count.
    assert Focus.from_mentions([_mention(ankara), _mention(aleppo)]) == Focus("TR", "Ankara")
    orgs = [_mention(ankara, ROLE_ORGANISATION)] * 3 + [_mention(aleppo, ROLE_ADJECTIVE)]
    assert Focus.from_mentions(orgs) == Focus("SY", "Aleppo")
    assert Focus.from_mentions([_mention(_place("d", "SY"))]) == Focus("SY", "")
