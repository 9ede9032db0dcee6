"""Every reader streams: reading a large table, JSONL or workbook holds one row at a time."""

from __future__ import annotations

import csv
import json
import tracemalloc
from pathlib import Path

import pytest

from geo.ingest import read_inputs
from geo.models import Article

# About 1 KB per article.
TEXT = "Shelling hit Idlib province and the city of Aleppo on Monday, residents said. " * 12


def _write(path: Path, rows: int) -> None:
    if path.suffix == ".csv":
        with path.open("w", encoding="utf-8", newline="") as f:
            writer = csv.writer(f)
            writer.writerow(["title", "text"])
            for i in range(rows):
                writer.writerow([f"Story {i}", f"{TEXT} {i}"])
    elif path.suffix == ".jsonl":
        with path.open("w", encoding="utf-8") as f:
            for i in range(rows):
                f.write(json.dumps({"id": i, "text": f"{TEXT} {i}"}) + "\n")
    else:
        from openpyxl import Workbook

        book = Workbook(write_only=True)
        sheet = book.create_sheet()
        sheet.append(["title", "text"])
        for i in range(rows):
            sheet.append([f"Story {i}", f"{TEXT} {i}"])
        book.save(path)


def _peak(path: Path) -> tuple[int, int]:
    """(articles read, peak bytes allocated while reading them)."""
    tracemalloc.start()
    try:
        count = sum(1 for item in read_inputs([path]) if isinstance(item, Article))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return count, peak


@pytest.mark.parametrize("suffix", [".csv", ".jsonl", ".xlsx"])
def test_memory_stays_flat_as_the_file_grows(tmp_path: Path, suffix: str) -> None:
    small, large = tmp_path / f"small{suffix}", tmp_path / f"large{suffix}"
    _write(small, 300)
    _write(large, 1_200)
    next(iter(read_inputs([small])))  # load the language model and the parsers first
    (n_small, peak_small), (n_large, peak_large) = _peak(small), _peak(large)
    assert (n_small, n_large) == (300, 1_200)
    # Four times the rows (about 1.1 MB of text more) and the peak barely moves.
    assert peak_large < 1.2 * peak_small + 100_000, (peak_small, peak_large)
