"""Issue 14, items 3 and 4: signals and fatal errors during `ingest`.

On SIGTERM or Ctrl-C the workers stop (no orphans holding stderr open), only whole articles
are committed, the summary is printed and the exit code is 143 or 130. A fatal error (full
disk, killed worker, unreachable Dask scheduler) prints what was stored and every earlier
error, then one fatal line, with no traceback.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import REPO
from tests.test_crash import _stored
from tests.test_reliability import added_count, assert_consistent, cli_command, write_articles

N_ARTICLES = 1500  # long enough that a signal lands mid-run (about 30 s on 2 cores)


def _children(pid: int) -> list[int]:
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        found += [int(c) for c in (task / "children").read_text().split()]
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"


def _start_ingest(folder: Path, db: Path, *extra: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        cli_command("ingest", str(folder), "--db", str(db), "--workers", "2", *extra),
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group, as a shell job would be
    )


def _wait_for_workers_and_articles(ingest: subprocess.Popen[str], db: Path) -> list[int]:
    deadline = time.monotonic() + 240
    while True:
        assert ingest.poll() is None, "the ingest ended before the signal"
        assert time.monotonic() < deadline, "no workers and stored articles within 240 s"
        workers = _children(ingest.pid)
        if len(workers) >= 2 and _stored(db) > 0:
            return workers
        time.sleep(0.1)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("signals") / "in"
    write_articles(folder, range(N_ARTICLES), words=300)
    return folder


@pytest.mark.parametrize(("how", "code"), [("SIGTERM", 143), ("SIGINT to the process group", 130)])
def test_signal_stops_workers_and_prints_the_summary(
    tmp_path: Path, corpus: Path, how: str, code: int
) -> None:
    db = tmp_path / "geo.sqlite"
    ingest = _start_ingest(corpus, db)
    try:
        workers = _wait_for_workers_and_articles(ingest, db)
        if how == "SIGTERM":
            os.kill(ingest.pid, signal.SIGTERM)
        else:  # Ctrl-C in a terminal: every process of the foreground group gets SIGINT
            os.killpg(ingest.pid, signal.SIGINT)
        # Reading stderr to its end only returns once every holder of it has exited.
        _, stderr = ingest.communicate(timeout=60)
    finally:
        if ingest.poll() is None:
            os.killpg(ingest.pid, signal.SIGKILL)
    assert ingest.returncode == code, stderr
    assert not [pid for pid in workers if _alive(pid)], "worker processes outlived the ingest"
    assert "Traceback" not in stderr
    name = "SIGTERM" if code == 143 else "SIGINT"
    assert f"stopped: interrupted by {name}" in stderr.splitlines()[-1]
    stored = assert_consistent(db)
    assert 0 < stored < N_ARTICLES and added_count(stderr) == stored


def test_killed_worker_is_one_fatal_line_after_the_summary(tmp_path: Path, corpus: Path) -> None:
    db = tmp_path / "geo.sqlite"
    ingest = _start_ingest(corpus, db)
    try:
        workers = _wait_for_workers_and_articles(ingest, db)
        os.kill(workers[0], signal.SIGKILL)
        _, stderr = ingest.communicate(timeout=60)
    finally:
        if ingest.poll() is None:
            os.killpg(ingest.pid, signal.SIGKILL)
    assert ingest.returncode == 1, stderr
    assert "Traceback" not in stderr
    lines = stderr.strip().splitlines()
    assert lines[-1].startswith("fatal: a worker process died"), stderr
    assert added_count(lines[-2]) == assert_consistent(db) > 0


@pytest.mark.parametrize("address", ["tcp://127.0.0.1:1", "bogus://x"])
def test_unreachable_dask_scheduler_is_one_fatal_line(tmp_path: Path, address: str) -> None:
    folder = tmp_path / "in"
    write_articles(folder, range(3))
    (folder / "empty.txt").write_text("", encoding="utf-8")
    result = subprocess.run(
        cli_command("ingest", str(folder), "--db", str(tmp_path / "g.sqlite"), "--dask", address),
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert lines[-1].startswith(f"fatal: cannot reach the Dask scheduler at '{address}'")
    assert added_count(lines[-2]) == 0


@pytest.mark.skipif(
    os.geteuid() != 0 or not shutil.which("unshare"), reason="needs root to mount a tmpfs"
)
def test_full_disk_prints_stored_and_earlier_errors_then_one_fatal_line(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    write_articles(folder, range(400), words=300)
    (folder / "000_empty.txt").write_text("", encoding="utf-8")
    disk, out = tmp_path / "disk", tmp_path / "out"
    disk.mkdir()
    out.mkdir()
    # A 1 MB disk in a private mount namespace: the mount vanishes with the command.
    script = (
        'mount -t tmpfs -o size=1m tmpfs "$1" && cd "$4" && '
        '"$5" -m geo ingest "$3" --db "$1/geo.sqlite" --workers 1 2>"$2/stderr"; '
        'echo $? >"$2/rc"; cp "$1"/geo.sqlite* "$2"/'
    )
    subprocess.run(
        ["unshare", "-m", "sh", "-c", script, "sh", disk, out, folder, REPO, sys.executable],
        check=True,
        timeout=600,
    )
    stderr = (out / "stderr").read_text()
    assert (out / "rc").read_text().strip() == "1", stderr
    assert "Traceback" not in stderr
    lines = stderr.strip().splitlines()
    assert lines[0].startswith(f"error: {folder / '000_empty.txt'}")
    assert lines[-1].startswith("fatal: ") and "full" in lines[-1], stderr
    assert added_count(lines[-2]) == assert_consistent(out / "geo.sqlite") > 0
