"""Accuracy on GeoWebNews dev (../shared/eval, never copied here): the issue's targets hold.

Runs wherever the evaluation data is present (CI has it); skipped, with the reason, elsewhere.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from geo.evaluate import evaluate, load_gold
from tests.conftest import GWN_DEV, REPO

pytestmark = [
    pytest.mark.eval,
    pytest.mark.skipif(not GWN_DEV.exists(), reason=f"evaluation data not found at {GWN_DEV}"),
]


@pytest.fixture(scope="module")
def report(geoparser):
    gold = load_gold(GWN_DEV)
    return evaluate(gold, lambda texts: list(geoparser.parse_many(texts)))


def test_targets_on_gwn_dev(report):
    assert report.f1 >= 0.78, f"recognition F1 {report.f1:.3f}"
    assert report.accuracy_161 >= 0.90, f"acc@161 {report.accuracy_161:.3f}"
    assert report.e2e_f1 >= 0.70, f"end-to-end F1 {report.e2e_f1:.3f}"


def test_beats_every_published_system(report):
    best_published = {"e2e_f1": 0.544, "f1": 0.694, "accuracy_161": 0.903}
    for metric, value in best_published.items():
        assert getattr(report, metric) > value, metric


def test_evaluate_command_prints_report_and_errors():
    done = subprocess.run(
        [sys.executable, "-m", "geo", "evaluate", str(GWN_DEV), "--errors", "5"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    for needle in ("Recognition", "acc@161km", "End-to-end", "s/article", "False negatives"):
        assert needle in done.stdout
