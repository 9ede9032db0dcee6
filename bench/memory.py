"""Peak memory of `python -m geo ingest` as the corpus grows (issue 14, item 6).

An ingest streams its input (read, hash, skip stored, parse in bounded batches), so its peak
should not grow with the number of files: 10x the files may cost at most 1.2x the memory.
Also 60 identical 10 MB files: one is kept, the rest are dropped as they are read.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from geo.models import Article
from geo.store import Store

TOWNS = ("Aleppo", "Idlib", "Saraqeb", "Damascus", "Homs", "Hama", "Latakia", "Tartus", "Raqqa")
GROWTH_TARGET = 1.2
RERUN_TARGET_MB = 250  # was 923 MB when the whole corpus was read first


def _write_corpus(folder: Path, n: int) -> None:
    folder.mkdir(parents=True)
    for i in range(n):
        a, b = TOWNS[i % len(TOWNS)], TOWNS[(i * 7 + 3) % len(TOWNS)]
        (folder / f"a{i:05d}.txt").write_text(
            f"Report {i}: shelling hit {a} on Monday, residents said. "
            f"Forces later advanced towards {b}, item {i}.\n",
            encoding="utf-8",
        )


def _peak_of_ingest(run, peak_cmd, paths: list[Path], db: Path) -> tuple[int, float]:
    args = [*(str(p) for p in paths), "--db", str(db), "--workers", "1"]
    code = f"import sys\nfrom geo.cli import main\nassert main(['ingest', *{args!r}]) == 0\n"
    wall, _, result = run(peak_cmd(code))
    return int(result.stdout.strip().splitlines()[-1]), wall


def bench_ingest_memory(small: bool, rows: list, row_type, run, peak_cmd) -> None:
    few, many = (20, 200) if small else (1_000, 10_000)
    copies, size = (6, 1_000_000) if small else (60, 10_000_000)
    with tempfile.TemporaryDirectory() as tmp:
        peaks: dict[int, int] = {}
        for n in (few, many):
            _write_corpus(Path(tmp) / f"c{n}", n)
            peaks[n], wall = _peak_of_ingest(
                run, peak_cmd, [Path(tmp) / f"c{n}"], Path(tmp) / f"c{n}.sqlite"
            )
            rows.append(row_type(f"peak memory: ingest of {n:,} files", f"{peaks[n]} MB"))
            rows.append(row_type(f"wall time: ingest of {n:,} files (1 process)", f"{wall:.1f} s"))
        growth = peaks[many] / peaks[few]
        rows.append(
            row_type(
                f"peak memory growth, {many:,} vs {few:,} files",
                f"{growth:.2f}x",
                f"<= {GROWTH_TARGET}x",
                growth <= GROWTH_TARGET,
            )
        )
        same = Path(tmp) / "same"
        same.mkdir()
        line = "Shelling hit Homs on Monday, residents said.\n"
        text = line * (size // len(line))
        (same / "f00.txt").write_text(text, encoding="utf-8")
        for i in range(1, copies):  # hard links: identical files, one copy on disk
            os.link(same / "f00.txt", same / f"f{i:02d}.txt")
        # Stored already (as by an earlier run): this measures reading, hashing and skipping.
        # Parsing one text this long is the parser's own cost (see the README's limits).
        db = Path(tmp) / "same.sqlite"
        with Store.open(str(db)) as store:
            store.add_article(Article(text=text.strip()), [])
        peak, wall = _peak_of_ingest(run, peak_cmd, [same], db)
        mb = size // 1_000_000
        rows.append(
            row_type(
                f"peak memory: rerun over {copies} identical {mb} MB files ({wall:.1f} s)",
                f"{peak} MB",
                f"< {RERUN_TARGET_MB} MB",
                peak < RERUN_TARGET_MB,
            )
        )
