"""Realistic news-like texts for the ingest benchmark: the seed articles with their places swapped.

Each text is a seed article whose gold toponyms (tests/gold/seeds.jsonl) are replaced,
consistently within the text, by other real places of the region from the gazetteer, so the
recogniser and resolver see the same kind of prose with varied names.
"""

from __future__ import annotations

import csv
import json
import random
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
GOLD = REPO / "tests" / "gold" / "seeds.jsonl"
GAZETTEER_CSV = REPO / "data" / "gazetteer.csv"
REGION = frozenset({"SY", "IQ", "TR", "LB", "JO", "IR", "YE", "UA", "RU", "IL", "PS", "EG", "LY"})


def _seed_docs() -> list[tuple[str, list[tuple[int, int, str]]]]:
    docs = []
    for line in GOLD.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        row = json.loads(line)
        spans = [
            (t["start"], t["end"], t.get("modifier_type", "Noun"))
            for t in row["toponyms"]
            if t.get("modifier_type", "Noun") == "Noun" and not t.get("non_locational")
        ]
        docs.append((row["text"], sorted(spans)))
    return docs


def place_names(limit: int = 3000) -> list[str]:
    """Names of towns and cities of the region (single or two words, plain ASCII)."""
    names: list[str] = []
    with GAZETTEER_CSV.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            if row["country_code"] not in REGION or row["feature_class"] != "P":
                continue
            name = row["name"]
            if name.isascii() and len(name.split()) <= 2 and name[:1].isupper():
                names.append(name)
    names.sort()
    return random.Random(1).sample(names, min(limit, len(names)))


def news_texts(n: int = 200, seed: int = 0) -> list[str]:
    """`n` distinct article texts: seeds cycled, each with its places renamed at random."""
    rng = random.Random(seed)
    docs = _seed_docs()
    pool = place_names()
    texts: list[str] = []
    for i in range(n):
        text, spans = docs[i % len(docs)]
        mapping: dict[str, str] = {}
        out: list[str] = []
        pos = 0
        for start, end, _ in spans:
            if start < pos:
                continue
            surface = text[start:end]
            # Keep about a third of the names (countries and capitals recur in real news).
            if surface not in mapping:
                mapping[surface] = surface if rng.random() < 0.33 else rng.choice(pool)
            out.append(text[pos:start])
            out.append(mapping[surface])
            pos = end
        out.append(text[pos:])
        texts.append(f"Report {i + 1}.\n\n" + "".join(out))
    return texts


def word_count(texts: list[str]) -> int:
    return sum(len(t.split()) for t in texts)
