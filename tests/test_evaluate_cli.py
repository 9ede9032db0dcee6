"""`python -m geo evaluate` end to end on our own seed gold (runs everywhere, unlike GeoWebNews)."""

from __future__ import annotations

import re

from tests.conftest import GOLD_SEEDS, run_cli


def test_evaluate_report_profiles_and_errors():
    done = run_cli("evaluate", str(GOLD_SEEDS), "--profile", "nouns", "--errors", "3")
    assert done.returncode == 0, done.stderr
    assert "Profile 'nouns'" in done.stdout
    f1 = float(re.search(r"Recognition .* F1\s+([\d.]+)%", done.stdout).group(1))
    e2e = float(re.search(r"End-to-end .* F1\s+([\d.]+)%", done.stdout).group(1))
    assert f1 >= 95.0 and e2e >= 95.0, done.stdout


def test_evaluate_markdown_row():
    done = run_cli("evaluate", str(GOLD_SEEDS), "--markdown")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.strip().splitlines()
    assert lines[0].startswith("| run | P | R | F1 | acc@161")
    assert lines[-1].startswith("| seeds.jsonl (all) |")


def test_evaluate_bad_gold_names_the_line(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "a", "text": "x", "toponyms": []}\nnot json\n', encoding="utf-8")
    done = run_cli("evaluate", str(bad))
    assert done.returncode == 1
    assert str(bad) in done.stderr and "line 2" in done.stderr
