"""`make bench` at tiny sizes, so the benchmark code cannot rot between real runs."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO


def test_bench_small_run_writes_every_row(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bench", "--small", "--out", str(tmp_path)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    table = (tmp_path / "results.md").read_text(encoding="utf-8")
    assert table in result.stdout
    rows = json.loads((tmp_path / "results.json").read_text(encoding="utf-8"))
    names = " ".join(r["name"] for r in rows)
    for part in (
        "spaCy nlp.pipe alone",
        "ingest throughput / spaCy alone",
        "2 processes vs 1",
        "Gazetteer.load()",
        "geo extract",
        "per-place counts, one year",
        "passages for one place",
        "build_map",
        "text filter, per-place counts",
        "passage panel page",
        "place search",
        "map payload",
        "peak memory: ingest",
        "peak memory growth",
        "identical",
        "peak memory: dashboard",
    ):
        assert part in names, part
    from bench.browser import CHROMIUM

    if Path(CHROMIUM).exists():
        for part in ("browser: first page", "browser: filter change", "browser floor: empty map"):
            assert part in names, part
    assert all(r["value"] for r in rows)
    assert "Profile of the full path" in table


def test_synthetic_store_has_the_requested_sizes(tmp_path: Path) -> None:
    from bench.synthetic import build
    from geo.models import Filters
    from geo.store import Store

    info = build(tmp_path / "s.sqlite", articles=50, mentions=420, places=30)
    assert info["mentions"] == 420
    with Store.open(str(tmp_path / "s.sqlite")) as store:
        assert store.article_count() == 50
        counts = store.place_counts(Filters())
        assert len(counts) == 30  # every place is mentioned
        assert sum(pc.count for pc in counts) == 420
        top = counts[0].place
        for passage in store.passages(top.id, Filters(), limit=5):
            name = passage.sentence[passage.highlight_start : passage.highlight_end]
            assert name == top.name
            text = store.article_text(passage.article_id)
            assert text[passage.article_start : passage.article_end] == top.name
