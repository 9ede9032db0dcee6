"""What every subcommand shares: paths, the --db and date options, opening things, printing."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import logging
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from geo.models import Place
    from geo.parse import Geoparser
    from geo.store import Store

log = logging.getLogger("geo")
REPO = Path(__file__).resolve().parents[2]
GAZETTEER_CSV = REPO / "data" / "gazetteer.csv"
SUPPLEMENT_DIR = REPO / "data" / "supplement"


def iso_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from exc


def add_db(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--db",
        help="store: SQLite path or postgresql:// URL (default $GEO_DB, else data/geo.sqlite)",
    )


def open_store(args: argparse.Namespace, *, readonly: bool = False) -> Store:
    """The --db store; every command that only reads passes readonly=True (never writes)."""
    from geo.store import Store

    return Store.open(args.db, readonly=readonly)


def make_parser(model: str | None) -> Geoparser:
    from geo.gazetteer import Gazetteer
    from geo.parse import Geoparser, load_nlp

    return Geoparser(load_nlp(model), Gazetteer.load())


def _json_default(value: object) -> str:
    return str(value)


def print_json(obj: object) -> None:
    print(json.dumps(obj, ensure_ascii=False, default=_json_default))


def place_cells(place: Place | None) -> list[object]:
    if place is None:
        return ["-", "", "", ""]
    return [place.name, place.country_code, f"{place.lat:.4f}", f"{place.lon:.4f}"]


def print_table(headers: list[str], rows: list[list[object]], width: int = 32) -> None:
    """A plain aligned table: numbers right, text left, long text cut at `width`."""
    cells = [[str(c)[:width] for c in row] for row in rows]
    widths = [max([len(h)] + [len(r[i]) for r in cells]) for i, h in enumerate(headers)]
    numeric = [all(_is_number(r[i]) for r in cells) and bool(cells) for i in range(len(headers))]

    def line(values: list[str]) -> str:
        return "  ".join(
            v.rjust(w) if num else v.ljust(w)
            for v, w, num in zip(values, widths, numeric, strict=True)
        ).rstrip()

    print(line(headers))
    for row in cells:
        print(line(row))


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True
