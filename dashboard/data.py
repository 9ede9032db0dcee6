"""Cached resources (store, model, gazetteer) and cached queries for the dashboard.

Resources are shared by every session (st.cache_resource); query results are cached per
argument (st.cache_data) and cleared after an upload adds articles. The store is keyed by
its path so that each cached query can reach it without hashing a connection.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, TypeVar

import streamlit as st

from geo import (
    ArticleBlock,
    ArticleSummary,
    Filters,
    GeoError,
    InputError,
    Passage,
    PassagePage,
    Place,
    PlaceCount,
)

if TYPE_CHECKING:
    from geo.ingest import IngestReport
    from geo.parse import Geoparser
    from geo.store import NameIndex, Store

F = TypeVar("F", bound=Callable[..., Any])

# Query results are cheap to recompute; a TTL keeps a long-running app in step with
# ingests run from the CLI while it is open.
TTL_S = 60


@st.cache_resource(show_spinner=False)
def get_store(db: str | None) -> Store:
    from geo.store import Store

    return Store.open(db)


# One Geoparser (spaCy model + gazetteer) serves every session; spaCy pipelines are not
# safe to run from two threads at once, so uploads take turns.
_PARSE_LOCK = threading.Lock()


@st.cache_resource(show_spinner="Loading the language model and gazetteer…")
def get_parser() -> Geoparser:
    """The geoparser, loaded only when someone uploads articles; shared by all sessions."""
    from geo.gazetteer import Gazetteer
    from geo.parse import Geoparser, load_nlp

    return Geoparser(load_nlp(), Gazetteer.load())


@st.cache_data(ttl=TTL_S, show_spinner=False)
def is_empty(db: str | None) -> bool:
    return get_store(db).is_empty()


# The shared_cache functions by name, for clear_queries() (app.py's are re-declared on
# every script run; st.cache_resource keeps their values across runs all the same).
_SHARED: dict[str, Any] = {}


def shared_cache(func: F) -> F:
    """st.cache_resource for a query result that is large and never changed by callers.

    st.cache_data unpickles a fresh copy on every hit: 0.5-1.3 s per rerun for the 20,000
    PlaceCounts of the synthetic store. These results are shared instead (tuples of frozen
    dataclasses, read-only mappings); clear_queries() drops them with the st.cache_data ones.
    """
    cached = st.cache_resource(ttl=TTL_S, show_spinner=False, max_entries=32)(func)
    _SHARED[f"{func.__module__}.{func.__qualname__}"] = cached
    return cached  # type: ignore[return-value]


@shared_cache
def place_counts(db: str | None, filters: Filters) -> tuple[PlaceCount, ...]:
    return tuple(get_store(db).place_counts(filters))


@st.cache_data(ttl=TTL_S, show_spinner=False)
def passages(db: str | None, place_id: str, filters: Filters, limit: int) -> list[Passage]:
    return get_store(db).passages(place_id, filters, limit=limit)


@st.cache_data(ttl=TTL_S, show_spinner=False)
def article_places(db: str | None, article_id: int) -> list[PlaceCount]:
    return get_store(db).article_places(article_id)


@st.cache_data(ttl=TTL_S, show_spinner=False, max_entries=256)
def article_text(db: str | None, article_id: int) -> str:
    return get_store(db).article_text(article_id)


# Runs the selection's timeline query while the script builds and sends the markers (and the
# browser draws them): SQLite reads on its own connection and the driver lets go of the GIL
# while it reads, so a text filter's timeline (0.3-0.7 s) can overlap that work where a core
# is free (on a machine loaded 4-5 on 2 cores it measured neither better nor worse: README).
_QUERIES = ThreadPoolExecutor(max_workers=2, thread_name_prefix="geo-query")


@shared_cache
def _timeline_future(db: str | None, filters: Filters, freq: str) -> Future:
    store = get_store(db)
    return _QUERIES.submit(lambda: tuple(store.timeline(filters, freq=freq)))


def start_timeline(db: str | None, filters: Filters, freq: str) -> None:
    """Start the selection's timeline query in the background (once per selection)."""
    _timeline_future(db, filters, freq)


def timeline(db: str | None, filters: Filters, freq: str) -> tuple[tuple[dt.date, int], ...]:
    """Mentions per day or week in the selection: start_timeline's result, shared (read-only)."""
    future = _timeline_future(db, filters, freq)
    try:
        return future.result()
    except GeoError:
        _timeline_future.clear(db, filters, freq)  # a failed query is not kept
        raise


@st.cache_data(ttl=TTL_S, show_spinner=False)
def date_bounds(db: str | None) -> tuple[dt.date | None, dt.date | None]:
    return get_store(db).date_bounds()


@st.cache_data(ttl=TTL_S, show_spinner=False)
def countries(db: str | None) -> list[str]:
    return list(get_store(db).countries())


@st.cache_data(ttl=TTL_S, show_spinner=False)
def article_count(db: str | None) -> int:
    return get_store(db).article_count()


@st.cache_resource(show_spinner=False)
def _name_indexes() -> tuple[threading.Lock, dict[str | None, tuple[NameIndex, int]]]:
    return threading.Lock(), {}  # per store: (index, number of articles it has seen)


def name_index(db: str | None) -> NameIndex:
    """The search index of stored names, shared by all sessions; when the store gained
    articles it reads the newer mentions' names only."""
    lock, indexes = _name_indexes()
    with lock:
        index, seen = indexes.get(db, (None, -1))
        articles = article_count(db)
        if index is None or seen != articles:
            index = get_store(db).name_index(index)
            indexes[db] = (index, articles)
        return index


def forget_name_index(db: str | None) -> None:
    """Rebuild the search index on next use: corrections and deletions change old mentions,
    which the incremental update (newer mentions only) would not see."""
    lock, indexes = _name_indexes()
    with lock:
        indexes.pop(db, None)


@shared_cache
def places_by_id(db: str | None) -> Mapping[str, Place]:
    """Every mentioned place by id (to restore a place named in the URL); shared and
    read-only, like place_counts."""
    return MappingProxyType({pc.place.id: pc.place for pc in place_counts(db, Filters())})


def clear_queries() -> None:
    """Drop every cached query result (after an upload, a correction or a deletion)."""
    st.cache_data.clear()
    for cached in list(_SHARED.values()):
        cached.clear()


@st.cache_data(ttl=TTL_S, show_spinner=False)
def passage_page(db: str | None, place_id: str, filters: Filters, limit: int) -> PassagePage:
    return get_store(db).passage_page(place_id, filters, limit=limit)


@st.cache_data(ttl=TTL_S, show_spinner=False)
def article_summaries(
    db: str | None, filters: Filters, limit: int
) -> tuple[list[ArticleSummary], bool]:
    return get_store(db).article_summaries(filters, limit=limit)


@st.cache_data(ttl=TTL_S, show_spinner=False)
def article_block(db: str | None, article_id: int, filters: Filters) -> ArticleBlock:
    return get_store(db).article_block(article_id, filters)


@st.cache_data(ttl=TTL_S, show_spinner=False)
def place_timeline(
    db: str | None, filters: Filters, freq: str, place_id: str
) -> list[tuple[dt.date, int]]:
    return list(get_store(db).timeline(filters, freq=freq, place_id=place_id))


def passages_csv(db: str | None, filters: Filters, place_id: str | None = None) -> bytes:
    """The selection's mentions (one place's if given) as the passage CSV. Runs when the
    download is clicked (Streamlit calls it on its own thread), so it uses no st.cache."""
    import io

    from geo.store import write_passages_csv

    buffer = io.StringIO()
    write_passages_csv(get_store(db).mention_rows(filters, place_id), buffer)
    return buffer.getvalue().encode("utf-8")


def ingest_uploads(
    db: str | None, files: Sequence[tuple[str, bytes]], date: dt.date | None
) -> tuple[int, int, list[str]]:
    """Read, geoparse and store uploaded files: (added, skipped, error lines).

    Each file is read as `python -m geo ingest` reads it (any of its formats: text, pages,
    JSONL, tables, feeds); the date chosen at upload, if any, overrides the file's own. A file,
    row or entry that cannot be read is reported by name and the rest still go in.
    """
    from geo.ingest import ingest_articles, read_upload

    errors: list[str] = []
    articles = []
    for name, data in files:
        for item in read_upload(name, data, date):
            if isinstance(item, InputError):
                errors.append(str(item))
            else:
                articles.append(item)
    added = skipped = 0
    if articles:
        parser = get_parser()
        with _PARSE_LOCK:
            # ingest_articles wraps the cached model and gazetteer in a Geoparser again;
            # with the same objects that changes nothing in the shared pipeline.
            report: IngestReport = ingest_articles(
                articles, get_store(db), parser.nlp, parser.gazetteer
            )
        added, skipped = report.added, report.skipped
        errors.extend(str(e) for e in report.errors)
    # New articles change every count: drop all cached query results.
    clear_queries()
    return added, skipped, errors
