"""Scoring a geoparser against gold JSONL (GeoWebNews format), matching exact character spans.

A gold file has one article a line: {"id", "text", "toponyms": [{"start", "end", "name", "lat",
"lon", "geonameid", "type", "modifier_type"}]}. `evaluate` runs a parse function over the texts
and reports recognition (P/R/F1), resolution (accuracy within 161 km, median error) and
end-to-end (recognised and within 161 km) scores, plus the error cases behind them.
"""

from __future__ import annotations

import json
import math
import statistics
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from geopy.distance import great_circle

from geo.errors import GeoError, InputError
from geo.models import ROLE_ADJECTIVE, Mention

ACCURACY_KM = 161.0  # 100 miles, the usual geoparsing threshold
PROFILES = ("all", "nouns")
# Gold types that name a derived form, not the place: dropped by the "nouns" profile.
ADJECTIVAL_TYPES = frozenset({"Demonym", "Language"})

ParseFn = Callable[[Sequence[str]], Iterable[Sequence[Mention]]]


@dataclass(frozen=True)
class GoldToponym:
    start: int
    end: int
    name: str
    lat: float | None
    lon: float | None
    geonameid: int | None = None
    type: str = ""
    modifier_type: str | None = None

    @property
    def has_coords(self) -> bool:
        return self.lat is not None and self.lon is not None

    @property
    def is_adjectival(self) -> bool:
        """Adjectives, demonyms and languages ("Syrian", "Russians", "Persian")."""
        return self.modifier_type == "Adjective" or self.type in ADJECTIVAL_TYPES


@dataclass(frozen=True)
class GoldArticle:
    id: str
    text: str
    toponyms: tuple[GoldToponym, ...]


@dataclass(frozen=True)
class SpanError:
    """A gold toponym the parser missed (false negative) or a span it invented (false positive)."""

    article_id: str
    start: int
    end: int
    surface: str
    label: str  # gold type for a miss, predicted role for a spurious span


@dataclass(frozen=True)
class ResolutionError:
    """A correctly recognised toponym placed more than 161 km away, or not placed at all."""

    article_id: str
    start: int
    end: int
    surface: str
    gold_name: str
    distance_km: float  # math.inf when the prediction has no place
    predicted_name: str
    predicted_country: str


@dataclass(frozen=True)
class EvalReport:
    profile: str
    articles: int
    gold: int  # gold toponyms counted in this profile
    predicted: int
    true_positives: int
    precision: float
    recall: float
    f1: float
    resolvable: int  # true positives whose gold toponym has coordinates
    accuracy_161: float
    median_km: float  # nan when nothing was resolvable
    e2e_true_positives: int
    e2e_precision: float
    e2e_recall: float
    e2e_f1: float
    seconds_total: float
    seconds_per_article: float
    false_negatives: tuple[SpanError, ...] = ()
    false_positives: tuple[SpanError, ...] = ()
    resolution_errors: tuple[ResolutionError, ...] = ()
    recall_by_type: tuple[tuple[str, int, int], ...] = ()  # (gold type, found, total)


def _toponym(raw: Any, text: str) -> GoldToponym:
    if not isinstance(raw, dict):
        raise ValueError("a toponym is not an object")
    start, end, name = raw.get("start"), raw.get("end"), raw.get("name")
    if not isinstance(start, int) or not isinstance(end, int) or not isinstance(name, str):
        raise ValueError(f"toponym {raw!r} needs integer start/end and a string name")
    if not 0 <= start < end <= len(text) or text[start:end] != name:
        raise ValueError(f"toponym {name!r} at {start}:{end} does not match the text")
    lat, lon = raw.get("lat"), raw.get("lon")
    if (lat is None) != (lon is None):
        raise ValueError(f"toponym {name!r} at {start}:{end} has only one of lat/lon")
    if lat is not None and not (isinstance(lat, int | float) and isinstance(lon, int | float)):
        raise ValueError(f"toponym {name!r} at {start}:{end} has non-numeric coordinates")
    gid = raw.get("geonameid")
    return GoldToponym(
        start=start,
        end=end,
        name=name,
        lat=None if lat is None else float(lat),
        lon=None if lon is None else float(lon),
        geonameid=int(gid) if isinstance(gid, int) else None,
        type=str(raw.get("type") or ""),
        modifier_type=raw.get("modifier_type"),
    )


def _article(raw: Any) -> GoldArticle:
    if not isinstance(raw, dict):
        raise ValueError("the line is not a JSON object")
    text, toponyms = raw.get("text"), raw.get("toponyms")
    if not isinstance(text, str) or not isinstance(toponyms, list):
        raise ValueError('needs "text" (string) and "toponyms" (list)')
    tops = tuple(sorted((_toponym(t, text) for t in toponyms), key=lambda t: (t.start, t.end)))
    return GoldArticle(id=str(raw.get("id", "")), text=text, toponyms=tops)


def load_gold(path: Path) -> list[GoldArticle]:
    """Read a gold JSONL file; InputError names the file and the first bad line."""
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(str(path), f"cannot read gold file: {exc}") from exc
    articles: list[GoldArticle] = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            articles.append(_article(json.loads(line)))
        except (json.JSONDecodeError, ValueError, TypeError) as exc:
            raise InputError(str(path), f"line {number}: {exc}") from exc
    return articles


def _ratio(num: int, den: int) -> float:
    return num / den if den else 0.0


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def _kept_predictions(
    mentions: Sequence[Mention], gold_spans: set[tuple[int, int]], dropped: Sequence[GoldToponym]
) -> list[Mention]:
    """For "nouns": keep a prediction on a kept gold span; drop adjectives and overlaps with
    dropped (adjectival) gold toponyms."""
    kept = []
    for m in mentions:
        if (m.start, m.end) not in gold_spans and (
            m.role == ROLE_ADJECTIVE or any(m.start < d.end and d.start < m.end for d in dropped)
        ):
            continue
        kept.append(m)
    return kept


def _distance_km(gold: GoldToponym, mention: Mention) -> float:
    if mention.place is None or gold.lat is None or gold.lon is None:
        return math.inf
    return float(great_circle((gold.lat, gold.lon), (mention.place.lat, mention.place.lon)).km)


def evaluate(gold: Sequence[GoldArticle], parse: ParseFn, profile: str = "all") -> EvalReport:
    """Run `parse` over the gold texts and score it (see the module docstring)."""
    if profile not in PROFILES:
        raise GeoError(f"unknown evaluation profile {profile!r}; choose one of {PROFILES}")
    started = time.perf_counter()
    results = [list(ms) for ms in parse([a.text for a in gold])]
    seconds = time.perf_counter() - started
    if len(results) != len(gold):
        raise GeoError(f"the parser returned {len(results)} results for {len(gold)} texts")

    fns: list[SpanError] = []
    fps: list[SpanError] = []
    res_errors: list[ResolutionError] = []
    distances: list[float] = []
    by_type: Counter[str] = Counter()
    found_by_type: Counter[str] = Counter()
    n_gold = n_pred = tp = neutral = e2e_tp = n_gold_coords = 0
    for article, mentions in zip(gold, results, strict=True):
        nouns = profile == "nouns"
        tops = [t for t in article.toponyms if not (nouns and t.is_adjectival)]
        dropped = [t for t in article.toponyms if nouns and t.is_adjectival]
        by_span = {(t.start, t.end): t for t in tops}
        if nouns:
            mentions = _kept_predictions(mentions, set(by_span), dropped)
        n_gold += len(tops)
        n_gold_coords += sum(t.has_coords for t in tops)
        by_type.update(t.type for t in tops)
        matched: set[tuple[int, int]] = set()
        for m in mentions:
            n_pred += 1
            g = by_span.get((m.start, m.end))
            if g is None or (m.start, m.end) in matched:
                fps.append(SpanError(article.id, m.start, m.end, m.surface, m.role))
                continue
            matched.add((m.start, m.end))
            tp += 1
            found_by_type[g.type] += 1
            if not g.has_coords:
                neutral += 1
                continue
            km = _distance_km(g, m)
            distances.append(km)
            if km <= ACCURACY_KM:
                e2e_tp += 1
            else:
                place = m.place
                res_errors.append(
                    ResolutionError(
                        article.id, m.start, m.end, m.surface, g.name, km,
                        place.name if place else "", place.country_code if place else "",
                    )
                )  # fmt: skip
        fns.extend(
            SpanError(article.id, t.start, t.end, t.name, t.type)
            for t in tops
            if (t.start, t.end) not in matched
        )

    precision, recall = _ratio(tp, n_pred), _ratio(tp, n_gold)
    e2e_p, e2e_r = _ratio(e2e_tp, n_pred - neutral), _ratio(e2e_tp, n_gold_coords)
    res_errors.sort(key=lambda e: -e.distance_km)
    return EvalReport(
        profile=profile,
        articles=len(gold),
        gold=n_gold,
        predicted=n_pred,
        true_positives=tp,
        precision=precision,
        recall=recall,
        f1=_f1(precision, recall),
        resolvable=len(distances),
        accuracy_161=_ratio(e2e_tp, len(distances)),
        median_km=statistics.median(distances) if distances else math.nan,
        e2e_true_positives=e2e_tp,
        e2e_precision=e2e_p,
        e2e_recall=e2e_r,
        e2e_f1=_f1(e2e_p, e2e_r),
        seconds_total=seconds,
        seconds_per_article=seconds / len(gold) if gold else 0.0,
        false_negatives=tuple(fns),
        false_positives=tuple(fps),
        resolution_errors=tuple(res_errors),
        recall_by_type=tuple((k, found_by_type[k], v) for k, v in by_type.most_common()),
    )


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
        "| run | P | R | F1 | acc@161 | median km | E2E P | E2E R | E2E F1 | s/article |\n"
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
    )
    rows = [
        f"| {name} | {_pct(r.precision)} | {_pct(r.recall)} | {_pct(r.f1)} | "
        f"{_pct(r.accuracy_161)} | {_km(r.median_km).removesuffix(' km')} | "
        f"{_pct(r.e2e_precision)} | {_pct(r.e2e_recall)} | {_pct(r.e2e_f1)} | "
        f"{r.seconds_per_article:.3f} |"
        for name, r in reports.items()
    ]
    return "\n".join([head, *rows])
