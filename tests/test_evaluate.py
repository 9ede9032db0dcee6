"""Scoring against gold: hand-computed metrics on a tiny gold set, profiles, malformed input,
and the well-formedness of the seed gold annotation."""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from pathlib import Path

import pytest

from geo.errors import GeoError, InputError
from geo.evaluate import (
    GoldArticle,
    GoldToponym,
    evaluate,
    format_report,
    load_gold,
    markdown_table,
)
from geo.models import ROLE_ADJECTIVE, ROLE_PLACE, Mention, Place

ROOT = Path(__file__).resolve().parent.parent
SEEDS_GOLD = ROOT / "tests" / "gold" / "seeds.jsonl"

TEXT = "Alpha Beta Gamma Delta Epsilonian Zeta Eta"
# great_circle on the equator: one degree of longitude is 111.195 km (R = 6371.009 km).
KM_PER_DEGREE = 2 * math.pi * 6371.009 / 360


def _span(word: str) -> tuple[int, int]:
    start = TEXT.index(word)
    return start, start + len(word)


def _gold_top(word: str, coords: bool = True, adjective: bool = False) -> GoldToponym:
    start, end = _span(word)
    return GoldToponym(
        start=start,
        end=end,
        name=word,
        lat=0.0 if coords else None,
        lon=0.0 if coords else None,
        type="Non_Literal_Modifier" if adjective else "Literal",
        modifier_type="Adjective" if adjective else "Noun",
    )


GOLD = [
    GoldArticle(
        id="a1",
        text=TEXT,
        toponyms=(
            _gold_top("Alpha"),  # found, 111 km off: correct
            _gold_top("Beta"),  # found, 1,112 km off: wrong
            _gold_top("Gamma"),  # missed
            _gold_top("Delta", coords=False),  # found, no gold coordinates: neutral
            _gold_top("Epsilonian", adjective=True),  # found as adjective, unresolved
        ),
    ),
    GoldArticle(id="a2", text="Nothing here.", toponyms=()),
]


def _mention(word: str, lon: float | None, role: str = ROLE_PLACE) -> Mention:
    start, end = _span(word)
    place = (
        None
        if lon is None
        else Place(id=f"t:{word}", name=word, lat=0.0, lon=lon, country_code="XX")
    )
    return Mention(start, end, word, role, place, 0.5, TEXT, 0)


PREDICTIONS = [
    _mention("Alpha", 1.0),
    _mention("Beta", 10.0),
    _mention("Delta", 3.0),
    _mention("Epsilonian", None, ROLE_ADJECTIVE),
    _mention("Zeta", 0.0),  # spurious place
    _mention("Eta", 0.0, ROLE_ADJECTIVE),  # spurious adjective
]


def fake_parse(texts: Sequence[str]) -> list[list[Mention]]:
    return [PREDICTIONS if t == TEXT else [] for t in texts]


def test_all_profile_metrics_exact() -> None:
    r = evaluate(GOLD, fake_parse, profile="all")
    assert (r.articles, r.gold, r.predicted, r.true_positives) == (2, 5, 6, 4)
    assert r.precision == pytest.approx(4 / 6)
    assert r.recall == pytest.approx(4 / 5)
    assert r.f1 == pytest.approx(2 * (4 / 6) * (4 / 5) / (4 / 6 + 4 / 5))
    # Resolution over Alpha, Beta, Epsilonian (Delta has no gold coordinates).
    assert r.resolvable == 3
    assert r.accuracy_161 == pytest.approx(1 / 3)
    assert r.median_km == pytest.approx(10 * KM_PER_DEGREE, rel=1e-6)
    # End to end: 1 TP; precision over 6 predictions less 1 neutral; recall over 4 with coords.
    assert r.e2e_true_positives == 1
    assert r.e2e_precision == pytest.approx(1 / 5)
    assert r.e2e_recall == pytest.approx(1 / 4)
    assert r.e2e_f1 == pytest.approx(2 * 0.2 * 0.25 / 0.45)
    assert [e.surface for e in r.false_negatives] == ["Gamma"]
    assert [e.surface for e in r.false_positives] == ["Zeta", "Eta"]
    assert [e.surface for e in r.resolution_errors] == ["Epsilonian", "Beta"]
    assert math.isinf(r.resolution_errors[0].distance_km)
    assert r.resolution_errors[1].distance_km == pytest.approx(10 * KM_PER_DEGREE, rel=1e-6)
    assert r.resolution_errors[1].predicted_country == "XX"
    assert dict((t, (f, n)) for t, f, n in r.recall_by_type) == {
        "Literal": (3, 4),
        "Non_Literal_Modifier": (1, 1),
    }
    assert r.seconds_total >= 0 and r.seconds_per_article == pytest.approx(r.seconds_total / 2)


def test_nouns_profile_drops_adjectives_on_both_sides() -> None:
    r = evaluate(GOLD, fake_parse, profile="nouns")
    # Gold: Alpha, Beta, Gamma, Delta. Predictions: Epsilonian (overlaps a dropped adjective)
    # and Eta (role adjective) are dropped; Alpha, Beta, Delta, Zeta remain.
    assert (r.gold, r.predicted, r.true_positives) == (4, 4, 3)
    assert r.precision == pytest.approx(3 / 4)
    assert r.recall == pytest.approx(3 / 4)
    assert r.resolvable == 2
    assert r.accuracy_161 == pytest.approx(1 / 2)
    assert r.median_km == pytest.approx(5.5 * KM_PER_DEGREE, rel=1e-6)
    assert r.e2e_precision == pytest.approx(1 / 3)
    assert r.e2e_recall == pytest.approx(1 / 3)
    assert r.e2e_f1 == pytest.approx(1 / 3)
    assert [e.surface for e in r.false_positives] == ["Zeta"]


def test_nouns_profile_keeps_adjective_role_on_a_noun_gold_span() -> None:
    gold = [GoldArticle("a", TEXT, (_gold_top("Alpha"),))]
    r = evaluate(gold, lambda texts: [[_mention("Alpha", 0.0, ROLE_ADJECTIVE)]], "nouns")
    assert (r.true_positives, r.e2e_true_positives, r.median_km) == (1, 1, 0.0)


def test_duplicate_prediction_is_a_false_positive() -> None:
    gold = [GoldArticle("a", TEXT, (_gold_top("Alpha"),))]
    r = evaluate(gold, lambda texts: [[_mention("Alpha", 0.0), _mention("Alpha", 0.0)]])
    assert (r.true_positives, r.predicted, r.precision) == (1, 2, 0.5)


def test_nothing_predicted_gives_zeros_not_errors() -> None:
    r = evaluate(GOLD, lambda texts: [[] for _ in texts])
    assert (r.precision, r.recall, r.f1, r.e2e_f1, r.accuracy_161) == (0.0, 0.0, 0.0, 0.0, 0.0)
    assert math.isnan(r.median_km)
    assert "n/a" in format_report(r)


def test_wrong_number_of_results_and_unknown_profile() -> None:
    with pytest.raises(GeoError, match="1 results for 2 texts"):
        evaluate(GOLD, lambda texts: [[]])
    with pytest.raises(GeoError, match="profile"):
        evaluate(GOLD, fake_parse, profile="verbs")


def test_format_report_and_markdown_table() -> None:
    r = evaluate(GOLD, fake_parse)
    text = format_report(r, errors=5)
    assert "P  66.7%" in text and "R  80.0%" in text and "acc@161km  33.3%" in text
    assert "unresolved" in text and "'Zeta'" in text and "'Gamma'" in text
    assert text.index("'Epsilonian'") < text.index("'Beta'")  # worst first
    assert "Worst" not in format_report(r)
    table = markdown_table({"fake": r}).splitlines()
    assert table[0].startswith("| run | P |") and len(table) == 3
    assert table[2].startswith("| fake | 66.7% | 80.0% |")


def test_load_gold_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "g.jsonl"
    line = {"id": "x", "text": "In Idlib.", "toponyms": [
        {"start": 3, "end": 8, "name": "Idlib", "lat": 35.9, "lon": 36.6, "geonameid": 169389,
         "type": "Literal", "modifier_type": None}]}  # fmt: skip
    path.write_text(json.dumps(line) + "\n\n", encoding="utf-8")
    [article] = load_gold(path)
    assert article.id == "x" and article.toponyms[0] == GoldToponym(
        3, 8, "Idlib", 35.9, 36.6, 169389, "Literal", None
    )


@pytest.mark.parametrize(
    ("bad", "reason"),
    [
        ('{"id": "b", "text": "In Idlib.", "toponyms": [{"start": 2, "end": 8, "name": "Idlib"}]}',
         "does not match"),
        ("{not json", "line 2"),
        ('{"id": "b", "text": 3, "toponyms": []}', "text"),
        ('{"id": "b", "text": "In Idlib.", "toponyms": [{"start": 3, "end": 8, "name": "Idlib", '
         '"lat": 35.9, "lon": null}]}', "one of lat/lon"),
    ],
)  # fmt: skip
def test_load_gold_malformed_line_names_the_line(tmp_path: Path, bad: str, reason: str) -> None:
    path = tmp_path / "bad.jsonl"
    good = '{"id": "a", "text": "x", "toponyms": []}'
    path.write_text(good + "\n" + bad + "\n", encoding="utf-8")
    with pytest.raises(InputError, match="line 2") as info:
        load_gold(path)
    assert reason in str(info.value) and str(path) in str(info.value)


def test_load_gold_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="cannot read"):
        load_gold(tmp_path / "nope.jsonl")


# Toponyms the seed gold deliberately leaves without coordinates (see tests/gold/README.md).
NO_COORDS_NAMES = {"Western", "Middle East"}
NO_COORDS_TYPES = {"Language"}


def test_seed_gold_is_well_formed() -> None:
    lines = SEEDS_GOLD.read_text(encoding="utf-8").splitlines()
    seeds = sorted((ROOT / "seeds").glob("*.txt"))
    assert len(lines) == len(seeds) == 5
    for line, seed in zip(lines, seeds, strict=True):
        raw = json.loads(line)
        assert raw["id"] == seed.name
        assert raw["text"] == seed.read_bytes().decode("utf-8")
        spans = []
        for t in raw["toponyms"]:
            assert raw["text"][t["start"] : t["end"]] == t["name"]
            assert t["modifier_type"] in ("Noun", "Adjective")
            assert t["type"]
            if t["name"] in NO_COORDS_NAMES or t["type"] in NO_COORDS_TYPES:
                assert t["lat"] is None and t["lon"] is None
            else:
                assert -90 <= t["lat"] <= 90 and -180 <= t["lon"] <= 180, t
            spans.append((t["start"], t["end"]))
        spans.sort()
        assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:], strict=False)), (
            "overlapping spans"
        )
    articles = load_gold(SEEDS_GOLD)
    assert sum(len(a.toponyms) for a in articles) > 300


def test_perfect_parser_scores_100_on_seeds() -> None:
    articles = load_gold(SEEDS_GOLD)

    def oracle(texts: Sequence[str]) -> list[list[Mention]]:
        out = []
        for a in articles:
            out.append([
                Mention(t.start, t.end, t.name, ROLE_PLACE,
                        None if t.lat is None or t.lon is None
                        else Place(id="gold", name=t.name, lat=t.lat, lon=t.lon),
                        1.0, a.text, 0)
                for t in a.toponyms
            ])  # fmt: skip
        return out

    for profile in ("all", "nouns"):
        r = evaluate(articles, oracle, profile)
        assert (r.f1, r.accuracy_161, r.e2e_f1, r.median_km) == (1.0, 1.0, 1.0, 0.0)


def _placed(word: str, lon: float, score: float) -> Mention:
    start, end = _span(word)
    place = Place(id=f"t:{word}", name=word, lat=0.0, lon=lon)
    return Mention(
        start=start,
        end=end,
        surface=word,
        role=ROLE_PLACE,
        place=place,
        score=score,
        sentence=TEXT,
        sentence_start=0,
    )


def test_blunders_count_only_far_placements_of_recognised_places():
    gold = [GoldArticle("b", TEXT, tuple(_gold_top(w) for w in ("Alpha", "Beta", "Gamma", "Zeta")))]
    # Alpha right, Beta 500 km off, Gamma 1,112 km off (a blunder), Zeta unresolved.
    start, end = _span("Zeta")
    mentions = [
        _placed("Alpha", 0.0, 0.99),
        _placed("Beta", 500 / KM_PER_DEGREE, 0.7),
        _placed("Gamma", 10.0, 0.95),
        Mention(
            start=start,
            end=end,
            surface="Zeta",
            role=ROLE_PLACE,
            place=None,
            score=0.0,
            sentence=TEXT,
            sentence_start=0,
        ),
    ]
    report = evaluate(gold, lambda texts: [mentions])
    assert report.blunders == 1
    assert report.blunder_rate == pytest.approx(1 / 4)
    assert "Blunders" in format_report(report)
    assert "| 25.0% |" in markdown_table({"x": report})


def test_calibration_shares_and_accuracy_per_word():
    from geo.evaluate import calibration, calibration_table
    from geo.models import LIKELY_SCORE, SURE_SCORE

    gold = [GoldArticle("c", TEXT, tuple(_gold_top(w) for w in ("Alpha", "Beta", "Gamma", "Zeta")))]
    mentions = [
        _placed("Alpha", 0.0, SURE_SCORE),  # sure, right
        _placed("Beta", 10.0, SURE_SCORE + 0.01),  # sure, wrong
        _placed("Gamma", 0.5, LIKELY_SCORE),  # likely, right (56 km)
        _placed("Zeta", 0.0, LIKELY_SCORE - 0.01),  # unsure, right
    ]
    rows = {r.word: r for r in calibration(gold, [mentions])}
    assert (rows["sure"].mentions, rows["sure"].accuracy) == (2, 0.5)
    assert (rows["likely"].mentions, rows["likely"].accuracy) == (1, 1.0)
    assert rows["unsure"].share == pytest.approx(0.25)
    table = calibration_table({"tiny": tuple(rows.values())})
    assert "| tiny | 50.0% | 50.0% | 25.0% | 100.0% | 25.0% | 100.0% |" in table
