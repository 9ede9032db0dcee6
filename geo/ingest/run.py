"""Ingest: read articles, geoparse them (locally, in worker processes, or on Dask), store them.

Bad input never stops a batch: each unreadable file becomes an InputError in the report and
the good files go through. Articles already in the store (same content hash) are skipped
before parsing, so running an ingest again only does the missing work.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from geo.errors import GeoError, InputError
from geo.ingest.readers import ReadOptions, read_inputs
from geo.models import Article, Mention
from geo.store import Store

log = logging.getLogger(__name__)
BATCH_ARTICLES = 32
# Below this many articles a second process costs more (model load) than it saves.
MIN_ARTICLES_PER_WORKER = 16
PIECES_PER_WORKER = 4  # work units per process: small enough to balance, big enough to batch


@dataclass
class IngestReport:
    added: int = 0
    skipped: int = 0  # already in the store
    duplicates: int = 0  # the same text twice within this run
    errors: list[GeoError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def ingest_articles(
    articles: Iterable[Article], store: Store, nlp, gazetteer, report: IngestReport | None = None
) -> IngestReport:
    """Geoparse and store articles in this process (used by the dashboard's upload)."""
    from geo.parse.pipeline import Geoparser

    gazetteer.use_user_places(store.user_places())  # the analyst's places, from the store
    parser = Geoparser(nlp, gazetteer)
    report = report or IngestReport()
    for batch in _batches(_new_only(articles, store, report), BATCH_ARTICLES):
        found = list(parser.parse_many(a.text for a in batch))
        _store(store, batch, found, report)
    return report


def ingest_paths(
    paths: Sequence[str | Path],
    store: Store,
    *,
    workers: int | None = None,
    dask_address: str | None = None,
    model: str | None = None,
    gazetteer_path: str | None = None,
    options: ReadOptions | None = None,
    url_files: Sequence[str | Path] = (),
) -> IngestReport:
    """Read, geoparse and store every article under `paths` (files, folders, URLs) and
    the URLs listed in `url_files`; `options` say how to read tables and feeds."""
    report = IngestReport()
    articles: list[Article] = []
    for item in read_inputs(paths, options, url_files):
        if isinstance(item, InputError):
            log.debug("%s", item)  # reported once, by the caller, from report.errors
            report.errors.append(item)
        else:
            articles.append(item)
    todo = list(_new_only(articles, store, report))
    if not todo:
        return report
    batches = list(_batches(todo, BATCH_ARTICLES))
    user = tuple(store.user_places())  # the analyst's places, used by every worker
    for batch, found in zip(
        batches, _parse(batches, workers, dask_address, model, gazetteer_path, user), strict=True
    ):
        _store(store, batch, found, report)
    return report


def _parse(
    batches, workers, dask_address, model, gazetteer_path, user=()
) -> Iterator[list[list[Mention]]]:
    from geo.ingest.workers import parse_batch

    texts = [[a.text for a in b] for b in batches]
    if dask_address:
        yield from _parse_dask(texts, dask_address, model, gazetteer_path, user)
        return
    n_articles = sum(len(t) for t in texts)
    workers = workers or os.cpu_count() or 1
    workers = max(1, min(workers, n_articles // MIN_ARTICLES_PER_WORKER or 1))
    if workers == 1:
        for batch in texts:
            yield parse_batch(batch, model, gazetteer_path, user)
        return
    log.info("parsing %d articles in %d processes", n_articles, workers)
    pieces = _pieces(texts, workers)
    with _pool(workers, model, gazetteer_path) as pool:
        n = len(pieces)
        parsed = pool.map(parse_batch, pieces, [model] * n, [gazetteer_path] * n, [user] * n)
        yield from _regroup(texts, parsed)


def _pool(workers: int, model: str | None, gazetteer_path: str | None) -> ProcessPoolExecutor:
    """Worker processes that start with the model already loaded, where the OS can fork.

    The model is loaded once here and inherited (copy-on-write) instead of loaded again in
    every worker: that start-up is what keeps a short ingest from using both cores fully.
    """
    from geo.ingest.workers import preload, reopen_gazetteer

    if "fork" not in multiprocessing.get_all_start_methods():
        return ProcessPoolExecutor(max_workers=workers)
    preload(model, gazetteer_path)
    return ProcessPoolExecutor(
        max_workers=workers,
        mp_context=multiprocessing.get_context("fork"),
        initializer=reopen_gazetteer,
        initargs=(gazetteer_path,),
    )


def _pieces(texts: list[list[str]], workers: int) -> list[list[str]]:
    """Texts re-cut into about four pieces per worker, so that no worker idles at the end."""
    flat = [t for batch in texts for t in batch]
    size = max(1, min(BATCH_ARTICLES, -(-len(flat) // (workers * PIECES_PER_WORKER))))
    return [flat[i : i + size] for i in range(0, len(flat), size)]


def _regroup(
    texts: list[list[str]], parsed: Iterable[list[list[Mention]]]
) -> Iterator[list[list[Mention]]]:
    """Per-piece results back into the original batches (pieces are in text order)."""
    found = (mentions for piece in parsed for mentions in piece)
    for batch in texts:
        yield [next(found) for _ in batch]


def _parse_dask(texts, address, model, gazetteer_path, user=()) -> Iterator[list[list[Mention]]]:
    from distributed import Client

    from geo.ingest.workers import parse_batch

    with Client(address) as client:
        threads = sum(client.nthreads().values()) or 1
        pieces = _pieces(texts, threads)
        futures = client.map(
            parse_batch,
            pieces,
            model=model,
            gazetteer_path=gazetteer_path,
            user_places=user,
            pure=False,
        )
        # In submission order, so results line up with the batches.
        yield from _regroup(texts, (future.result() for future in futures))


def _new_only(articles: Iterable[Article], store: Store, report: IngestReport) -> Iterator[Article]:
    seen: set[str] = set()
    for article in articles:
        if article.hash in seen:
            report.duplicates += 1
            log.info("%s: same text as an earlier article of this run", article.path)
            continue
        if store.has_article(article.hash):
            report.skipped += 1
            continue
        seen.add(article.hash)
        yield article


def _batches(items: Iterable[Article], size: int) -> Iterator[list[Article]]:
    batch: list[Article] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _store(
    store: Store, batch: list[Article], found: list[list[Mention]], report: IngestReport
) -> None:
    from geo.store import BatchStoreError

    failed: set[int] = set()
    try:
        results = store.add_articles(list(zip(batch, found, strict=True)))
    except BatchStoreError as exc:
        results, failed = exc.results, set(exc.failures)
        for index, reason in sorted(exc.failures.items()):
            # One error per article, naming its file, like every other input error.
            name = batch[index].path or f"article {batch[index].hash[:12]}"
            report.errors.append(InputError(name, f"not stored: {reason}"))
        log.debug("%s", exc)
    for index, article_id in enumerate(results):
        if article_id is not None:
            report.added += 1
        elif index not in failed:
            report.skipped += 1  # the same text was stored meanwhile (another ingest)
