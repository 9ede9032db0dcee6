"""Where the accuracy comes from, and where the small spaCy model is the ceiling.

    python -m bench.ablation GOLD.jsonl

Runs, on the same gold data and metric as `python -m geo evaluate`:
  1. NER only: the model's GPE/LOC entities, each resolved to the most populous match
     (the published "spaCy + most-populous" baseline);
  2. the full geoparser;
  3. gold spans resolved by our resolver (recognition taken out: the resolution ceiling);
and counts how many gold toponyms the model's NER marks at exactly the gold span, which
bounds what NER alone could ever recognise.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from geo.evaluate import GoldArticle, evaluate, load_gold, markdown_table
from geo.gazetteer import Gazetteer
from geo.models import ROLE_ADJECTIVE, ROLE_PLACE, Mention
from geo.parse.pipeline import Geoparser, load_nlp
from geo.parse.resolve import resolve_doc


def ner_most_populous(nlp, gazetteer: Gazetteer, texts: Sequence[str]) -> list[list[Mention]]:
    out = []
    for doc in nlp.pipe(texts):
        found = []
        for ent in doc.ents:
            if ent.label_ not in {"GPE", "LOC"}:
                continue
            cands = sorted(gazetteer.candidates(ent.text), key=lambda c: -c.place.population)
            place = cands[0].place if cands else None
            found.append(
                Mention(ent.start_char, ent.end_char, ent.text, ROLE_PLACE, place, 1.0, "", 0)
            )
        out.append(found)
    return out


def gold_spans_resolved(
    nlp, gazetteer: Gazetteer, gold: Sequence[GoldArticle]
) -> list[list[Mention]]:
    out = []
    for article, doc in zip(gold, nlp.pipe(a.text for a in gold), strict=True):
        pairs = []  # (gold toponym, its span), kept together so offsets never shift
        for t in article.toponyms:
            role = ROLE_ADJECTIVE if t.modifier_type == "Adjective" else ROLE_PLACE
            span = doc.char_span(t.start, t.end, label=role, alignment_mode="expand")
            if span is not None:
                pairs.append((t, span))
        mentions = resolve_doc(doc, [span for _, span in pairs], gazetteer)
        # char_span may expand to token edges: report the gold offsets.
        out.append(
            [
                Mention(t.start, t.end, t.name, m.role, m.place, m.score, m.sentence, 0)
                for (t, _), m in zip(pairs, mentions, strict=True)
            ]
        )
    return out


def ner_exact_coverage(nlp, gold: Sequence[GoldArticle]) -> tuple[int, int]:
    hit = total = 0
    for article, doc in zip(gold, nlp.pipe(a.text for a in gold), strict=True):
        ents = {(e.start_char, e.end_char) for e in doc.ents}
        for t in article.toponyms:
            total += 1
            hit += (t.start, t.end) in ents
    return hit, total


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.ablation", description=__doc__)
    parser.add_argument("gold", type=Path)
    args = parser.parse_args(argv)
    gold = load_gold(args.gold)
    gazetteer = Gazetteer.load()
    plain = load_nlp()
    geoparser = Geoparser(load_nlp(), gazetteer)
    reports = {
        "NER (GPE/LOC) + most populous": evaluate(
            gold, lambda texts: ner_most_populous(plain, gazetteer, texts)
        ),
        "geo (full)": evaluate(gold, lambda texts: list(geoparser.parse_many(texts))),
        "gold spans + geo resolver": evaluate(
            gold, lambda texts: gold_spans_resolved(plain, gazetteer, gold)
        ),
    }
    print(markdown_table(reports))
    hit, total = ner_exact_coverage(plain, gold)
    print(
        f"\nThe model's NER marks {hit} of {total} gold toponyms at exactly the gold span "
        f"({100 * hit / total:.1f}%), with any label."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
