"""Task functions that run in worker processes (a process pool or a Dask cluster).

They live in an importable module, not in __main__, so a worker imports them instead of
receiving a pickled model; each worker loads the model and gazetteer once and keeps them.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from geo.models import Mention, UserPlace

# The worker's Geoparser and the (model, gazetteer path) it was built for.
_LOADED: tuple[tuple[str | None, str | None], object] | None = None


def _parser(model: str | None, gazetteer_path: str | None):
    global _LOADED
    settings = (model, gazetteer_path)
    if _LOADED is None or _LOADED[0] != settings:
        from geo.gazetteer import Gazetteer
        from geo.parse.pipeline import Geoparser, load_nlp

        gazetteer = Gazetteer.load(Path(gazetteer_path) if gazetteer_path else None)
        _LOADED = (settings, Geoparser(load_nlp(model), gazetteer))
    return _LOADED[1]


def preload(model: str | None, gazetteer_path: str | None) -> None:
    """Load the model here, before a pool forks, so that forked workers start with it."""
    _parser(model, gazetteer_path)


def start_worker() -> None:
    """Pool initializer: the parent handles Ctrl-C; the worker dies with its parent."""
    from geo.ingest.signals import worker_signals

    worker_signals()


def start_forked_worker(gazetteer_path: str | None) -> None:
    """Pool initializer after a fork: start_worker, then reopen the gazetteer. A SQLite
    connection must not cross a fork, so each worker opens its own (1 ms) while keeping the
    model it inherited."""
    start_worker()
    if _LOADED is not None:
        from geo.gazetteer import Gazetteer

        _LOADED[1].use_gazetteer(Gazetteer.load(Path(gazetteer_path) if gazetteer_path else None))


def parse_batch(
    texts: Sequence[str],
    model: str | None = None,
    gazetteer_path: str | None = None,
    user_places: tuple[UserPlace, ...] = (),
) -> list[list[Mention]]:
    """Mentions for each text of a batch (runs in a worker), with the store's user places."""
    parser = _parser(model, gazetteer_path)
    if parser.gazetteer.user_places.places != tuple(user_places):
        parser.gazetteer.use_user_places(user_places)
    return list(parser.parse_many(texts))
