"""Evaluation: scoring a parse function against gold JSONL (`gold`, `score`, `report`).

May use `geo.models` and `geo.errors`; the parser is passed in, so it imports no spaCy.
"""

from geo.evaluate.calibration import WordRow, calibration, calibration_table
from geo.evaluate.gold import GoldArticle, GoldToponym, load_gold
from geo.evaluate.report import format_report, markdown_table
from geo.evaluate.score import ACCURACY_KM, EvalReport, evaluate

__all__ = [
    "WordRow",
    "calibration",
    "calibration_table",
    "ACCURACY_KM",
    "EvalReport",
    "GoldArticle",
    "GoldToponym",
    "evaluate",
    "format_report",
    "load_gold",
    "markdown_table",
]
