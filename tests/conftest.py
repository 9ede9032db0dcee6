"""Shared fixtures: the real spaCy model, the real bundled gazetteer, one Geoparser per session."""

from __future__ import annotations

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
    from geo.pipeline import load_nlp

    return load_nlp()


@pytest.fixture(scope="session")
def geoparser(nlp, gazetteer):
    from geo.pipeline import Geoparser

    return Geoparser(nlp, gazetteer)
