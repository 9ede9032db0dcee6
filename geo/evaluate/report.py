"""Evaluation reports as text: the summary with grouped errors, and the README's Markdown table."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence

from geo.evaluate.score import BLUNDER_KM, EvalReport, SpanError


def _pct(x: float) -> str:
    return f"{100 * x:.1f}%"


def _km(x: float) -> str:
    if math.isnan(x):
        return "n/a"
    return "unresolved" if math.isinf(x) else f"{x:,.0f} km"


def _grouped(errors: Sequence[SpanError], n: int) -> list[str]:
    counts = Counter(e.surface for e in errors)
    labels = {e.surface: e.label for e in errors}
    return [f"  {c:4d} × {s!r} ({labels[s]})" for s, c in counts.most_common(n)]


def format_report(report: EvalReport, errors: int = 0) -> str:
    """A readable table of the scores; with errors=N, the N worst cases of each kind."""
    r = report
    lines = [
        f"Profile {r.profile!r}: {r.articles} articles, {r.gold} gold toponyms, "
        f"{r.predicted} predicted",
        f"  Recognition   P {_pct(r.precision):>6}  R {_pct(r.recall):>6}  F1 {_pct(r.f1):>6}"
        f"   ({r.true_positives} exact-span matches)",
        f"  Resolution    acc@161km {_pct(r.accuracy_161):>6}  median error {_km(r.median_km)}"
        f"   (over {r.resolvable} matched toponyms with coordinates)",
        f"  Blunders      {_pct(r.blunder_rate):>6}  ({r.blunders} placed over "
        f"{BLUNDER_KM:,.0f} km from the gold point)",
        f"  End-to-end    P {_pct(r.e2e_precision):>6}  R {_pct(r.e2e_recall):>6}"
        f"  F1 {_pct(r.e2e_f1):>6}   ({r.e2e_true_positives} recognised and within 161 km)",
        f"  Speed         {r.seconds_per_article:.3f} s/article, {r.seconds_total:.2f} s total",
    ]
    if r.recall_by_type:
        parts = [f"{t or '?'} {found}/{total}" for t, found, total in r.recall_by_type]
        lines.append("  Recall by type  " + ", ".join(parts))
    if errors > 0:
        lines.append(f"Worst resolution errors ({len(r.resolution_errors)} in all):")
        lines.extend(
            f"  {_km(e.distance_km):>12}  {e.surface!r} gold {e.gold_name!r} → "
            f"{e.predicted_name or '-'} ({e.predicted_country or '-'}) [{e.article_id}@{e.start}]"
            for e in r.resolution_errors[:errors]
        )
        lines.append(f"False positives ({len(r.false_positives)} in all), by surface:")
        lines.extend(_grouped(r.false_positives, errors))
        lines.append(f"False negatives ({len(r.false_negatives)} in all), by surface:")
        lines.extend(_grouped(r.false_negatives, errors))
    return "\n".join(lines)


def markdown_table(reports: dict[str, EvalReport]) -> str:
    """One row per named report, for the README."""
    head = (
        "| run | P | R | F1 | acc@161 | blunders | median km | E2E P | E2E R | E2E F1 "
        "| s/article |\n"
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
    )
    rows = [
        f"| {name} | {_pct(r.precision)} | {_pct(r.recall)} | {_pct(r.f1)} | "
        f"{_pct(r.accuracy_161)} | {_pct(r.blunder_rate)} | "
        f"{_km(r.median_km).removesuffix(' km')} | "
        f"{_pct(r.e2e_precision)} | {_pct(r.e2e_recall)} | {_pct(r.e2e_f1)} | "
        f"{r.seconds_per_article:.3f} |"
        for name, r in reports.items()
    ]
    return "\n".join([head, *rows])
