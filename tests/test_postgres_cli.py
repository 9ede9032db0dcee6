"""The shared store: `--db postgresql://...` for ingest, places, export and the dashboard.

Runs against the real PostgreSQL server of tests/pg.py (Debian's postgresql package, started
on loopback); skipped with the reason where PostgreSQL cannot be installed or started.
"""

from __future__ import annotations

import json
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import REPO, SEEDS
from tests.pg import _admin, pg_server  # noqa: F401

pytestmark = pytest.mark.postgres


@pytest.fixture()
def pg_url(pg_server: str) -> Iterator[str]:  # noqa: F811
    name = f"geo_cli_{uuid.uuid4().hex[:12]}"
    _admin(pg_server, f'CREATE DATABASE "{name}"')
    try:
        yield pg_server.rsplit("/", 1)[0] + "/" + name
    finally:
        _admin(pg_server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "geo", *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def _places(db: str) -> list[dict]:
    done = cli("places", "--db", db, "--json")
    assert done.returncode == 0, done.stderr
    return [json.loads(line) for line in done.stdout.splitlines()]


def test_cli_on_postgres_matches_sqlite(pg_url: str, tmp_path: Path) -> None:
    sqlite_db = str(tmp_path / "geo.sqlite")
    for db in (pg_url, sqlite_db):
        done = cli("ingest", str(SEEDS), "--db", db)
        assert done.returncode == 0, done.stderr
        assert "added 5 articles" in done.stderr
    again = cli("ingest", str(SEEDS), "--db", pg_url)
    assert "added 0 articles, skipped 5" in again.stderr

    on_pg, on_sqlite = _places(pg_url), _places(sqlite_db)
    assert on_pg == on_sqlite
    assert any(p["name"] in {"Saraqib", "Saraqeb"} for p in on_pg)
    narrowed = cli("places", "--db", pg_url, "--json", "--from", "2019-01-01")
    assert 0 < len(narrowed.stdout.splitlines()) < len(on_pg)

    geojson = tmp_path / "places.geojson"
    done = cli("export", "--db", pg_url, "--format", "geojson", "-o", str(geojson))
    assert done.returncode == 0, done.stderr
    features = json.loads(geojson.read_text(encoding="utf-8"))["features"]
    assert len(features) == len(on_pg)
    done = cli("export", "--db", pg_url, "--format", "csv")
    assert done.returncode == 0, done.stderr
    assert len(done.stdout.strip().splitlines()) == len(on_pg) + 1  # header


def test_two_ingests_at_once_share_one_postgres_store(pg_url: str, tmp_path: Path) -> None:
    from bench.texts import news_texts

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for i, text in enumerate(news_texts(6, seed=5)):
        (corpus / f"n{i}.txt").write_text(text, encoding="utf-8")
    # Both runs hold the same six files: each article must be stored exactly once.
    runs = [
        subprocess.Popen(
            [sys.executable, "-m", "geo", "ingest", str(corpus), str(SEEDS), "--db", pg_url],
            cwd=REPO,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    for run in runs:
        _, err = run.communicate(timeout=300)
        assert run.returncode == 0, err
    from geo.store import Store

    with Store.open(pg_url) as store:
        assert store.article_count() == 11
        rows = list(store.mention_rows())
    keys = [(r.article_id, r.start) for r in rows]
    assert len(keys) == len(set(keys))


def test_dashboard_reads_a_postgres_store(pg_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from streamlit.testing.v1 import AppTest

    done = cli("ingest", str(SEEDS), "--db", pg_url)
    assert done.returncode == 0, done.stderr
    monkeypatch.setenv("GEO_DB", pg_url)
    at = AppTest.from_file(str(REPO / "dashboard" / "app.py"), default_timeout=120)
    at.run()
    import streamlit as st

    st.cache_data.clear()
    st.cache_resource.clear()
    at.run()
    assert not at.exception, at.exception
    summary = next(c.value for c in at.caption if "mentions in the selection" in c.value)
    n_places = int(summary.split()[0])
    towns = [p for p in _places(pg_url) if p["feature_code"] not in {"PCLI", "ADM1", "CONT", "RGN"}]
    assert n_places > 0 and abs(n_places - len(towns)) <= len(towns)
