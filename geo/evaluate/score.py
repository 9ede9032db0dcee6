"""Scoring a geoparser against gold JSONL (GeoWebNews format), matching exact character spans.

A gold file has one article a line: {"id", "text", "toponyms": [{"start", "end", "name", "lat",
"lon", "geonameid", "type", "modifier_type"}]}. `evaluate` runs a parse function over the texts
and reports recognition (P/R/F1), resolution (accuracy within 161 km, median error) and
end-to-end (recognised and within 161 km) scores, plus the error cases behind them.
"""

from __future__ import annotations

import math
import statistics
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from geopy.distance import great_circle

from geo.errors import GeoError
from geo.evaluate.gold import GoldArticle, GoldToponym
from geo.models import ROLE_ADJECTIVE, Mention

ACCURACY_KM = 161.0  # 100 miles, the usual geoparsing threshold
BLUNDER_KM = 1000.0  # a correctly recognised place put this far away is a blunder
PROFILES = ("all", "nouns")

ParseFn = Callable[[Sequence[str]], Iterable[Sequence[Mention]]]


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
    blunders: int = 0  # resolvable toponyms placed more than BLUNDER_KM away (not unresolved)
    false_negatives: tuple[SpanError, ...] = ()
    false_positives: tuple[SpanError, ...] = ()
    resolution_errors: tuple[ResolutionError, ...] = ()
    recall_by_type: tuple[tuple[str, int, int], ...] = ()  # (gold type, found, total)

    @property
    def blunder_rate(self) -> float:
        """Share of resolvable, correctly recognised toponyms placed over BLUNDER_KM away."""
        return _ratio(self.blunders, self.resolvable)


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
        blunders=sum(BLUNDER_KM < e.distance_km < math.inf for e in res_errors),
        false_negatives=tuple(fns),
        false_positives=tuple(fps),
        resolution_errors=tuple(res_errors),
        recall_by_type=tuple((k, found_by_type[k], v) for k, v in by_type.most_common()),
    )
