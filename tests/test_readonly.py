"""Issue 14, item 5: read commands never create or change a store.

`places` and `export` open the store with `Store.open(db, readonly=True)`: SQLite mode=ro
(immutable on a read-only mount), PostgreSQL read-only sessions. A missing store, or a SQLite
file of another application, is a clear one-line error and the file is left as it was.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from geo.errors import StoreError
from geo.models import Article
from geo.store import Store
from tests.conftest import REPO, run_cli
from tests.pg import db_url, pg_server  # noqa: F401
from tests.test_reliability import article_body

READ_COMMANDS = (["places"], ["places", "--json"], ["export", "--format", "csv"])


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def store_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real store of three articles, made by `ingest` (journal mode WAL)."""
    folder = tmp_path_factory.mktemp("ro")
    for i in range(3):
        (folder / f"a{i}.txt").write_text(article_body(i), encoding="utf-8")
    db = folder / "store" / "geo.sqlite"
    result = run_cli("ingest", str(folder), "--db", str(db), "--workers", "1")
    assert result.returncode == 0, result.stderr
    return db


@pytest.mark.parametrize("command", READ_COMMANDS)
def test_missing_store_is_an_error_and_nothing_is_created(tmp_path: Path, command) -> None:
    db = tmp_path / "typo" / "deep" / "geo.sqlite"
    result = run_cli(*command, "--db", str(db))
    assert result.returncode == 1
    assert result.stderr.strip() == f"error: no store at {db} (`python -m geo ingest` makes one)"
    assert not (tmp_path / "typo").exists()


@pytest.mark.parametrize("command", [*READ_COMMANDS, ["ingest", "seeds"]])
def test_another_applications_sqlite_file_is_refused_untouched(tmp_path: Path, command) -> None:
    db = tmp_path / "notes.sqlite"
    with sqlite3.connect(db) as con:
        con.execute("CREATE TABLE notes (body TEXT)")
        con.execute("INSERT INTO notes VALUES ('mine')")
    con.close()
    before = _digest(db)
    result = run_cli(*command, "--db", str(db))
    assert result.returncode == 1
    last = result.stderr.strip().splitlines()[-1]
    assert last.endswith(f": {db} is not a geo store (it holds other tables: notes)")
    assert "Traceback" not in result.stderr
    assert _digest(db) == before and sorted(p.name for p in tmp_path.iterdir()) == [db.name]
    with sqlite3.connect(db) as con:
        assert con.execute("PRAGMA journal_mode").fetchone() == ("delete",)
    con.close()


def test_empty_sqlite_file_is_not_a_store_yet(tmp_path: Path) -> None:
    db = tmp_path / "empty.sqlite"
    db.touch()
    result = run_cli("places", "--db", str(db))
    assert result.returncode == 1 and "holds no geo store yet" in result.stderr
    assert db.stat().st_size == 0


@pytest.mark.parametrize("command", READ_COMMANDS)
def test_read_commands_leave_the_store_file_unchanged(store_file: Path, command) -> None:
    before = _digest(store_file)
    result = run_cli(*command, "--db", str(store_file))
    assert result.returncode == 0, result.stderr
    assert "Homs" in result.stdout or "Aleppo" in result.stdout or "Idlib" in result.stdout
    assert _digest(store_file) == before


@pytest.mark.skipif(
    os.geteuid() != 0 or not shutil.which("unshare"), reason="needs root to remount read-only"
)
def test_read_commands_work_on_a_read_only_mount(store_file: Path, tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    shutil.copytree(store_file.parent, folder)
    expected = run_cli("places", "--json", "--db", str(folder / "geo.sqlite"))
    assert expected.returncode == 0 and expected.stdout
    script = (
        'mount --bind "$1" "$1" && mount -o remount,bind,ro "$1" && cd "$2" && '
        '! touch "$1/probe" 2>/dev/null && '
        '"$3" -m geo places --json --db "$1/geo.sqlite" && '
        '"$3" -m geo export --format geojson --db "$1/geo.sqlite" >/dev/null'
    )
    result = subprocess.run(
        ["unshare", "-m", "sh", "-c", script, "sh", folder, REPO, sys.executable],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == expected.stdout


def test_readonly_store_api_refuses_writes(db_url: str) -> None:  # noqa: F811
    with pytest.raises(StoreError, match="holds no geo store yet|no store at"):
        Store.open(db_url, readonly=True)
    with Store.open(db_url) as store:
        store.add_article(Article(text="Shelling hit Homs."), [])
    with Store.open(db_url, readonly=True) as reader:
        assert reader.article_count() == 1
        with pytest.raises(StoreError, match="read-only|readonly"):
            reader.add_article(Article(text="Another text about Hama."), [])
        assert reader.article_count() == 1
