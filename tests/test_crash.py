"""Issue 5, crash safety: `kill -9` in the middle of a large ingest loses nothing and half-writes
nothing; running the ingest again completes it without duplicates."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import time
from pathlib import Path

from tests.conftest import REPO
from tests.test_reliability import (
    added_count,
    assert_consistent,
    cli_command,
    connect,
    mention_sets,
    write_articles,
)

N_ARTICLES = 160  # five batches of 32


def _stored(db: Path) -> int:
    try:
        with connect(db) as con:
            return int(con.execute("SELECT count(*) FROM articles").fetchone()[0])
    except sqlite3.OperationalError:  # not created yet, or schema still being written
        return 0


def test_kill_9_mid_ingest_leaves_whole_articles_and_a_rerun_completes(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    write_articles(folder, range(N_ARTICLES), words=60)
    crashed, clean = tmp_path / "crashed.sqlite", tmp_path / "clean.sqlite"

    # The reference, running alongside: a clean, uninterrupted ingest of the same folder.
    reference = subprocess.Popen(
        cli_command("ingest", str(folder), "--db", str(clean), "--workers", "1"),
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    ingest = subprocess.Popen(
        cli_command("ingest", str(folder), "--db", str(crashed), "--workers", "1"),
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 180
        while _stored(crashed) == 0:
            assert ingest.poll() is None, "the ingest ended before the kill"
            assert time.monotonic() < deadline, "no article stored within 180 s"
            time.sleep(0.02)
        time.sleep(0.15)  # land somewhere inside a later batch
        os.kill(ingest.pid, signal.SIGKILL)
    finally:
        ingest.kill()
        ingest.wait(timeout=30)
    assert ingest.returncode == -signal.SIGKILL

    _, reference_errors = reference.communicate(timeout=300)
    assert reference.returncode == 0, reference_errors
    expected = mention_sets(clean)
    assert len(expected) == N_ARTICLES
    assert sum(len(v) for v in expected.values()) >= 2 * N_ARTICLES  # two places per article

    # After the crash: consistent, and each stored article has exactly its clean mentions.
    survived = assert_consistent(crashed)
    assert 0 < survived < N_ARTICLES, "the kill did not land in the middle of the ingest"
    partial = mention_sets(crashed)
    assert all(partial[h] == expected[h] for h in partial)

    again = subprocess.run(
        cli_command("ingest", str(folder), "--db", str(crashed), "--workers", "1"),
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert again.returncode == 0, again.stderr
    assert added_count(again.stderr) == N_ARTICLES - survived
    assert f"skipped {survived} already stored" in again.stderr
    assert assert_consistent(crashed) == N_ARTICLES
    assert mention_sets(crashed) == expected
