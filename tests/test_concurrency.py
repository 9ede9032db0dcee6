"""Issue 5, concurrent use: the dashboard's queries run while an ingest writes (no "database is
locked"), and two ingests of overlapping folders at once store every text exactly once."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import text

from geo.store import Store
from tests.conftest import REPO
from tests.pg import db_url, pg_server  # noqa: F401
from tests.test_reliability import (
    added_count,
    assert_consistent,
    cli_command,
    write_articles,
)

# The dashboard's reads (dashboard/data.py calls exactly these Store methods), in a loop.
READER = """
import json, os, sys, time
from geo.errors import GeoError
from geo.store import Store

db, stop = sys.argv[1], sys.argv[2]
store = Store.open(db)
queries, errors, counts = 0, [], []
deadline = time.monotonic() + 240
while not os.path.exists(stop) and time.monotonic() < deadline:
    try:
        top = store.place_counts()
        for pc in top[:3]:
            store.passages(pc.place.id, limit=50)
            store.article_places(store.passages(pc.place.id, limit=1)[0].article_id)
        store.timeline(freq="W")
        store.find_places("al", limit=8)
        counts.append(store.article_count())
        queries += 1
    except GeoError as exc:
        errors.append(str(exc))
store.close()
print(json.dumps({"queries": queries, "errors": errors, "counts": counts}))
"""


def test_dashboard_reads_while_an_ingest_writes(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    n = 128
    write_articles(folder, range(n), words=40)
    db, stop = tmp_path / "geo.sqlite", tmp_path / "stop"
    Store.open(str(db)).close()  # the dashboard starts on an existing, empty store
    reader = subprocess.Popen(
        [sys.executable, "-c", READER, str(db), str(stop)],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        ingest = subprocess.run(
            cli_command("ingest", str(folder), "--db", str(db), "--workers", "1"),
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        time.sleep(0.3)  # let the reader see the final state too
    finally:
        stop.touch()
        out, err = reader.communicate(timeout=120)
    assert ingest.returncode == 0, ingest.stderr
    assert "locked" not in ingest.stderr and "locked" not in err
    assert reader.returncode == 0, err
    result = json.loads(out)
    assert result["errors"] == []
    seen = sorted(set(result["counts"]))
    # The reads really overlapped the writes: the reader saw the store grow batch by batch.
    assert len(seen) >= 3 and seen[-1] == n, seen
    assert result["counts"] == sorted(result["counts"])  # committed articles never vanish
    assert assert_consistent(db) == n


def test_two_ingests_of_overlapping_folders_store_each_text_once(
    tmp_path: Path,
    db_url: str,  # noqa: F811
) -> None:
    shared, only_a, only_b = tmp_path / "shared", tmp_path / "a", tmp_path / "b"
    write_articles(shared, range(0, 64), words=20)
    write_articles(only_a, range(64, 96), words=20)
    write_articles(only_b, range(96, 128), words=20)
    # The same texts under other file names count once too.
    write_articles(only_b / "copies", range(0, 16), words=20)
    Store.open(db_url).close()
    runs = [
        subprocess.Popen(
            cli_command("ingest", *paths, "--db", db_url, "--workers", "1"),
            cwd=REPO,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        for paths in ([str(shared), str(only_a)], [str(shared), str(only_b)])
    ]
    errors = [run.communicate(timeout=300)[1] for run in runs]
    assert [run.returncode for run in runs] == [0, 0], errors
    assert not any("locked" in e for e in errors)
    assert sum(added_count(e) for e in errors) == 128

    with Store.open(db_url) as store, store.engine.connect() as conn:
        n, hashes, texts = conn.execute(
            text("SELECT count(*), count(DISTINCT hash), count(DISTINCT text) FROM articles")
        ).one()
        orphans = conn.execute(
            text("SELECT count(*) FROM mentions WHERE article_id NOT IN (SELECT id FROM articles)")
        ).scalar_one()
        per_article = conn.execute(
            text(
                "SELECT min(c), max(c) FROM (SELECT a.id, count(m.id) AS c FROM articles a "
                "LEFT JOIN mentions m ON m.article_id = a.id GROUP BY a.id) AS t"
            )
        ).one()
        doubled = conn.execute(
            text(
                "SELECT count(*) FROM (SELECT article_id, start FROM mentions "
                "GROUP BY article_id, start HAVING count(*) > 1) AS t"
            )
        ).scalar_one()
    assert n == hashes == texts == 128
    assert orphans == 0 and doubled == 0
    assert per_article[0] >= 1  # every article kept its mentions
    if not db_url.startswith("postgresql"):
        assert assert_consistent(Path(db_url)) == 128
