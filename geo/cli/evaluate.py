"""`evaluate`: score the geoparser against gold JSONL."""

from __future__ import annotations

import argparse
from pathlib import Path

from geo.cli.common import make_parser


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("evaluate", help="score the geoparser against gold JSONL")
    p.add_argument(
        "gold",
        nargs="+",
        help='gold JSONL file(s): {"id","text","toponyms":[{"start","end","name","lat","lon"}]}',
    )
    p.add_argument("--profile", choices=["all", "nouns"], default="all")
    p.add_argument("--errors", type=int, default=0, metavar="N", help="print the N worst cases")
    p.add_argument(
        "--markdown", action="store_true", help="print a Markdown table, a row per file (README)"
    )
    p.add_argument(
        "--confidence",
        action="store_true",
        help="also print the calibration table of sure/likely/unsure (README, Confidence)",
    )
    p.add_argument("--model", help="spaCy model name")
    p.set_defaults(handler=cmd_evaluate)


def cmd_evaluate(args: argparse.Namespace) -> int:
    from geo.evaluate import (
        calibration,
        calibration_table,
        evaluate,
        format_report,
        load_gold,
        markdown_table,
    )

    parser = make_parser(args.model)
    reports = {}
    confidence = {}
    for path in map(Path, args.gold):
        gold = load_gold(path)
        results: list = []

        def parse(texts, results=results):
            results.extend(parser.parse_many(texts))
            return results

        report = evaluate(gold, parse, profile=args.profile)
        name = f"{path.name} ({args.profile})"
        reports[name] = report
        confidence[name] = calibration(gold, results)
        if not args.markdown:
            if len(args.gold) > 1:
                print(f"== {path.name}")
            print(format_report(report, errors=args.errors))
    if args.markdown:
        print(markdown_table(reports))
    if args.confidence:
        print()
        print(calibration_table(confidence))
    return 0
