"""Issue 14, items 6, 7 and 10: bounded lines and memory, `extract` and `evaluate` input,
and `export -o` that never leaves a truncated file."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from geo.errors import InputError
from geo.evaluate.gold import load_gold
from geo.ingest import read_inputs
from geo.ingest.jsonl import MAX_LINE_BYTES
from geo.models import Article
from geo.store import Store
from tests.conftest import REPO, run_cli
from tests.test_reliability import article_body

# Characters that str.splitlines() treats as line ends but JSON allows raw inside a string.
LINE_LIKE = "\u2028\u2029\x85\x1c\x1d\x1e\x0b\x0c"


def test_jsonl_line_over_the_article_limit_is_an_error_and_the_rest_is_read(
    tmp_path: Path,
) -> None:
    feed = tmp_path / "big.jsonl"
    with feed.open("w", encoding="utf-8") as handle:
        handle.write(json.dumps({"id": "huge", "text": "Homs. " * (MAX_LINE_BYTES // 6 + 10)}))
        handle.write("\n" + json.dumps({"id": "small", "text": article_body(1)}) + "\n")
    items = list(read_inputs([feed]))
    assert isinstance(items[0], InputError) and str(items[0]).startswith(f"{feed}:1: line too")
    assert isinstance(items[1], Article) and items[1].path == f"{feed}#small"
    assert len(items) == 2


def _peak_mb_of_cli(*args: str) -> tuple[int, subprocess.CompletedProcess[str]]:
    """Run the CLI in a fresh process and read its own peak RSS (VmHWM) at the end."""
    code = (
        "import sys\nfrom geo.cli import main\nrc = main(sys.argv[1:])\n"
        "hwm = [l for l in open('/proc/self/status') if l.startswith('VmHWM')][0]\n"
        "print(int(hwm.split()[1]) // 1024, file=sys.stderr)\nsys.exit(rc)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, *args], cwd=REPO, capture_output=True, text=True, timeout=300
    )
    return int(result.stderr.strip().splitlines()[-1]), result


def test_sixty_identical_10mb_files_are_streamed_not_held(tmp_path: Path) -> None:
    """Read, hash, skip what is stored: 600 MB of input costs about one file of memory."""
    text = (article_body(1, words=40) + "\n") * (10_000_000 // len(article_body(1, words=40)))
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "f00.txt").write_text(text, encoding="utf-8")
    for i in range(1, 60):  # hard links: 60 files of 10 MB, one copy on disk
        os.link(folder / "f00.txt", folder / f"f{i:02d}.txt")
    db = tmp_path / "geo.sqlite"
    with Store.open(str(db)) as store:  # stored already (mentions aside): a rerun
        store.add_article(Article(text=text.strip()), [])
    peak, result = _peak_mb_of_cli("ingest", str(folder), "--db", str(db), "--workers", "1")
    assert peak < 250, f"peak {peak} MB for 60 x 10 MB identical files"  # was 655 MB
    assert result.returncode == 0, result.stderr
    assert "added 0 articles" in result.stderr and "59 duplicates within this run" in result.stderr


def _extract_jsonl(path: Path) -> subprocess.CompletedProcess[str]:
    return run_cli("extract", "--jsonl", str(path))


def test_extract_jsonl_splits_on_newline_only_and_carries_on_past_bad_lines(
    tmp_path: Path,
) -> None:
    lines = [
        json.dumps(
            {"id": 1, "text": f"Shelling hit Homs.{LINE_LIKE}Then Aleppo."}, ensure_ascii=False
        ),
        json.dumps({"id": 2, "text": None}),
        '{"id": 3, "text": "Idlib',  # cut short
        json.dumps({"id": 4, "text": {"a": "Homs"}}),
        json.dumps({"id": 5}),
        json.dumps({"id": 6, "text": "Fighting near Hama."}),
    ]
    feed = tmp_path / "in.jsonl"
    feed.write_bytes("\n".join(lines).encode() + b"\n" + b'{"id": 7, "text": "\xff"}\n')
    result = _extract_jsonl(feed)
    assert result.returncode == 2
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert [o["id"] for o in out] == [1, 6]
    assert {t["text"] for t in out[0]["toponyms"]} >= {"Homs", "Aleppo"}
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert errors[0] == f'error: {feed}:2: "text" must be a string, not missing'
    assert errors[1].startswith(f"error: {feed}:3: not valid JSON (Unterminated string")
    assert errors[2] == f'error: {feed}:4: "text" must be a string, not dict'
    assert errors[3] == f'error: {feed}:5: "text" must be a string, not missing'
    assert errors[4].startswith(f"error: {feed}:7: not valid JSON ('utf-8' codec can't decode")
    assert len(errors) == 5
    assert "Traceback" not in result.stderr


def test_extract_reads_non_utf8_stdin() -> None:
    data = "Shelling hit Aleppo, the café owner said.".encode("cp1252")
    result = subprocess.run(
        [sys.executable, "-m", "geo", "extract", "-", "--json"],
        cwd=REPO,
        input=data,
        capture_output=True,
        timeout=300,
        # As under a UTF-8 locale such as en_US.UTF-8 (C.UTF-8 would escape bad bytes).
        env={**os.environ, "PYTHONIOENCODING": "utf-8:strict"},
    )
    assert result.returncode == 0, result.stderr
    found = [json.loads(line) for line in result.stdout.decode().splitlines()]
    assert [t["text"] for t in found] == ["Aleppo"] and found[0]["start"] == 13


def test_gold_file_with_line_separators_inside_texts(tmp_path: Path) -> None:
    text = f"Shelling hit Homs.{LINE_LIKE}Then Aleppo."
    start = text.index("Aleppo")
    gold = tmp_path / "gold.jsonl"
    record = {
        "id": "a",
        "text": text,
        "toponyms": [
            {"start": start, "end": start + 6, "name": "Aleppo", "lat": 36.2, "lon": 37.2}
        ],
    }
    gold.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    [article] = load_gold(gold)
    assert article.text == text and article.toponyms[0].name == "Aleppo"


@pytest.mark.skipif(
    os.geteuid() != 0 or not shutil.which("unshare"), reason="needs root to mount a tmpfs"
)
def test_export_to_a_full_disk_keeps_the_previous_export(tmp_path: Path) -> None:
    db = tmp_path / "geo.sqlite"
    assert run_cli("ingest", "seeds", "--db", str(db), "--workers", "1").returncode == 0
    disk, out = tmp_path / "disk", tmp_path / "out"
    disk.mkdir()
    out.mkdir()
    # Export CSV, fill the disk, export the (larger) GeoJSON over it: that must fail and leave
    # the CSV whole. Writing in place would free the CSV's blocks and leave a truncated file.
    script = (
        'mount -t tmpfs -o size=256k tmpfs "$1" && cd "$3" && '
        '"$4" -m geo export --format csv --db "$5" -o "$1/places.out" && '
        'cp "$1/places.out" "$2/first" && '
        '(dd if=/dev/zero of="$1/filler" bs=4k 2>/dev/null; true) && '
        '"$4" -m geo export --format geojson --db "$5" -o "$1/places.out" 2>"$2/stderr"; '
        'echo $? >"$2/rc"; cp "$1/places.out" "$2/after"; ls -a "$1" >"$2/ls"'
    )
    subprocess.run(
        ["unshare", "-m", "sh", "-c", script, "sh", disk, out, REPO, sys.executable, db],
        check=True,
        timeout=120,
    )
    first = (out / "first").read_bytes()
    assert first.count(b"\n") > 20  # 30 places: their GeoJSON needs more than one 4 KB block
    assert (out / "rc").read_text().strip() == "1"
    stderr = (out / "stderr").read_text()
    assert stderr.startswith(f"error: {disk / 'places.out'}: cannot write: No space left")
    assert (out / "after").read_bytes() == first
    assert (out / "ls").read_text().split() == [".", "..", "filler", "places.out"]
