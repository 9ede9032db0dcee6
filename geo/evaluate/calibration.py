"""Calibration of the confidence words: how often a "sure", "likely" or "unsure" mention is
within 161 km of the gold point, and what share of the mentions each word gets."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from geopy.distance import great_circle

from geo.evaluate.gold import GoldArticle
from geo.evaluate.score import ACCURACY_KM
from geo.models import Mention, confidence_word

WORDS = ("sure", "likely", "unsure")


@dataclass(frozen=True)
class WordRow:
    word: str
    mentions: int  # correctly recognised mentions with a gold point, given this word
    share: float  # of all such mentions
    accuracy: float  # within ACCURACY_KM of the gold point


def calibration(
    gold: Sequence[GoldArticle], results: Sequence[Sequence[Mention]]
) -> tuple[WordRow, ...]:
    """One row per confidence word, over the mentions at a gold span with coordinates."""
    counts = dict.fromkeys(WORDS, 0)
    right = dict.fromkeys(WORDS, 0)
    for article, mentions in zip(gold, results, strict=True):
        by_span = {(t.start, t.end): t for t in article.toponyms if t.has_coords}
        for m in mentions:
            g = by_span.get((m.start, m.end))
            if g is None:
                continue
            word = confidence_word(m.score) if m.place is not None else "unsure"
            counts[word] += 1
            if m.place is not None and g.lat is not None and g.lon is not None:
                km = great_circle((g.lat, g.lon), (m.place.lat, m.place.lon)).km
                right[word] += km <= ACCURACY_KM
    total = sum(counts.values()) or 1
    return tuple(
        WordRow(w, counts[w], counts[w] / total, right[w] / counts[w] if counts[w] else 0.0)
        for w in WORDS
    )


def calibration_table(rows_by_run: dict[str, tuple[WordRow, ...]]) -> str:
    """Markdown: per run, the share and accuracy of each confidence word."""
    head = "| run | " + " | ".join(f"{w} share | {w} acc@161" for w in WORDS) + " |"
    sep = "|---|" + "---:|" * (2 * len(WORDS))
    lines = [head, sep]
    for name, rows in rows_by_run.items():
        cells = " | ".join(f"{100 * r.share:.1f}% | {100 * r.accuracy:.1f}%" for r in rows)
        lines.append(f"| {name} | {cells} |")
    return "\n".join(lines)
