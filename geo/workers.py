"""Task functions that run in worker processes (a process pool or a Dask cluster).

They live in an importable module, not in __main__, so a worker imports them instead of
receiving a pickled model; each worker loads the model and gazetteer once and keeps them.
"""

from __future__ import annotations

from collections.abc import Sequence

from geo.models import Mention

_PARSER = None  # the worker's Geoparser, created on first use
_SETTINGS: tuple[str | None, str | None] | None = None


def init_worker(model: str | None, gazetteer_path: str | None) -> None:
    """Remember what to load; loading happens on the first batch (keeps start-up cheap)."""
    global _SETTINGS
    _SETTINGS = (model, gazetteer_path)


def _parser(model: str | None, gazetteer_path: str | None):
    global _PARSER, _SETTINGS
    if _PARSER is None or (model, gazetteer_path) != _SETTINGS:
        from pathlib import Path

        from geo.gazetteer import Gazetteer
        from geo.pipeline import Geoparser, load_nlp

        gaz = Gazetteer.load(Path(gazetteer_path) if gazetteer_path else None)
        _PARSER = Geoparser(load_nlp(model), gaz)
        _SETTINGS = (model, gazetteer_path)
    return _PARSER


def parse_batch(
    texts: Sequence[str], model: str | None = None, gazetteer_path: str | None = None
) -> list[list[Mention]]:
    """Mentions for each text of a batch (runs in a worker)."""
    if model is None and gazetteer_path is None and _SETTINGS is not None:
        model, gazetteer_path = _SETTINGS
    return list(_parser(model, gazetteer_path).parse_many(texts))
