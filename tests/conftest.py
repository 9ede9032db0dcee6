"""Shared fixtures: the real spaCy model, the real bundled gazetteer, one Geoparser per session."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "seeds"
GOLD_SEEDS = REPO / "tests" / "gold" / "seeds.jsonl"
GWN_DEV = REPO.parent / "shared" / "eval" / "gwn_dev.jsonl"


@pytest.fixture(scope="session")
def gazetteer():
    from geo.gazetteer import Gazetteer

    return Gazetteer.load()


@pytest.fixture(scope="session")
def nlp():
    from geo.parse.pipeline import load_nlp

    return load_nlp()


@pytest.fixture(scope="session")
def geoparser(nlp, gazetteer):
    from geo.parse.pipeline import Geoparser

    return Geoparser(nlp, gazetteer)


def run_cli(
    *args: str, stdin: str | None = None, timeout: float = 300
) -> subprocess.CompletedProcess[str]:
    """`python -m geo ARGS` in a fresh process, as a user would run it."""
    return subprocess.run(
        [sys.executable, "-m", "geo", *args],
        cwd=REPO,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
