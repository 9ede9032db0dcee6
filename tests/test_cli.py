"""The CLI: every subcommand has --help and is documented in the README; commands run end to end."""

from __future__ import annotations

import json

import pytest

from geo.cli import build_parser, main
from tests.conftest import REPO, SEEDS, run_cli

SUBCOMMANDS = [
    "ingest", "extract", "places", "export", "articles", "correct", "corrections", "delete",
    "reresolve", "gazetteer", "evaluate",
]  # fmt: skip


def _subparsers(parser):
    for action in parser._actions:
        if action.__class__.__name__ == "_SubParsersAction":
            return action.choices
    return {}


def test_every_subcommand_has_help_and_is_in_readme(capsys):
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    commands = _subparsers(build_parser())
    assert sorted(commands) == sorted(SUBCOMMANDS)
    for name, sub in commands.items():
        with pytest.raises(SystemExit) as exit_info:
            main([name, "--help"])
        assert exit_info.value.code == 0
        assert f"python -m geo {name}" in readme, f"README does not show `python -m geo {name}`"
        for action_name in _subparsers(sub):
            assert f"python -m geo {name} {action_name}" in readme
    capsys.readouterr()


def test_ingest_then_places_lists_seed_places(tmp_path):
    db = str(tmp_path / "geo.sqlite")
    done = run_cli("ingest", str(SEEDS), "--db", db, "--workers", "1")
    assert done.returncode == 0, done.stderr
    again = run_cli("ingest", str(SEEDS), "--db", db, "--workers", "1")
    assert "added 0 articles" in again.stderr
    listing = run_cli("places", "--db", db, "--json")
    assert listing.returncode == 0, listing.stderr
    names = {json.loads(line)["name"] for line in listing.stdout.splitlines()}
    assert any("Saraqib" in n or "Saraqeb" in n for n in names)
    narrowed = run_cli("places", "--db", db, "--json", "--from", "2019-01-01")
    assert len(narrowed.stdout.splitlines()) < len(listing.stdout.splitlines())


def test_extract_jsonl_offsets_point_at_text(tmp_path):
    text = "Shelling hit the town of Saraqeb, south-east of Idlib, said officials in Ankara."
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"id": "a1", "text": text}) + "\n", encoding="utf-8")
    done = run_cli("extract", "--jsonl", str(src))
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert out["id"] == "a1"
    for t in out["toponyms"]:
        assert text[t["start"] : t["end"]] == t["text"]
        assert {"name", "lat", "lon", "geonameid", "country_code", "feature_code", "score"} <= set(
            t
        )
    assert {"Saraqeb", "Idlib", "Ankara"} <= {t["text"] for t in out["toponyms"]}


def test_extract_stdin_table_and_bad_file():
    done = run_cli("extract", "-", stdin="Talks were held in Sochi.")
    assert done.returncode == 0 and "Sochi" in done.stdout
    missing = run_cli("extract", "/nonexistent/article.txt")
    assert missing.returncode == 1
    assert "/nonexistent/article.txt" in missing.stderr
