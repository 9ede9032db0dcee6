"""Parsing a stream of article batches in this process, a process pool or on Dask.

Each runner takes an iterator of batches (lists of Articles) and the store's user places, and
yields (batch, mentions per
article) in input order, with only a few batches in flight: memory stays bounded however
large the corpus. When the caller stops early (a signal, a fatal store error) the workers are
killed at once rather than left to finish, or to outlive the ingest.
"""

from __future__ import annotations

import logging
import multiprocessing
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from geo.errors import ConfigError, GeoError
from geo.models import Article, Mention

log = logging.getLogger(__name__)
Parsed = tuple[list[Article], list[list[Mention]]]
IN_FLIGHT_PER_WORKER = 2  # batches queued per worker: enough to keep it busy, no more
DASK_CONNECT_TIMEOUT_S = 10


class WorkerError(GeoError):
    """A worker process or the Dask cluster failed; the ingest cannot go on."""


def parse_here(
    batches: Iterable[list[Article]], model, gazetteer_path, user=()
) -> Iterator[Parsed]:
    from geo.ingest.workers import parse_batch

    for batch in batches:
        yield batch, parse_batch([a.text for a in batch], model, gazetteer_path, user)


def parse_in_pool(
    batches: Iterable[list[Article]], workers: int, model, gazetteer_path, user=()
) -> Iterator[Parsed]:
    from geo.ingest.workers import parse_batch

    log.info("parsing in %d processes", workers)
    pool = _pool(workers, model, gazetteer_path)
    pending: deque[tuple[list[Article], Future]] = deque()
    try:
        for batch in batches:
            texts = [a.text for a in batch]
            pending.append((batch, pool.submit(parse_batch, texts, model, gazetteer_path, user)))
            while len(pending) >= workers * IN_FLIGHT_PER_WORKER:
                batch, future = pending.popleft()
                yield batch, future.result()
        while pending:
            batch, future = pending.popleft()
            yield batch, future.result()
    except BrokenProcessPool as exc:  # from result(), or from submit() once the pool broke
        raise WorkerError(
            "a worker process died (killed, or out of memory); nothing it held was stored"
        ) from exc
    finally:
        _stop(pool)


def _pool(workers: int, model: str | None, gazetteer_path: str | None) -> ProcessPoolExecutor:
    """Worker processes that start with the model already loaded, where the OS can fork.

    The model is loaded once here and inherited (copy-on-write) instead of loaded again in
    every worker: that start-up is what keeps a short ingest from using both cores fully.
    """
    from geo.ingest.workers import preload, start_forked_worker, start_worker

    if "fork" not in multiprocessing.get_all_start_methods():
        return ProcessPoolExecutor(max_workers=workers, initializer=start_worker)
    preload(model, gazetteer_path)
    return ProcessPoolExecutor(
        max_workers=workers,
        mp_context=multiprocessing.get_context("fork"),
        initializer=start_forked_worker,
        initargs=(gazetteer_path,),
    )


def _stop(pool: ProcessPoolExecutor) -> None:
    """Kill the workers now: shutdown() alone waits for the batches they are parsing.

    concurrent.futures has no public way to end running workers before Python 3.14
    (terminate_workers); `_processes` is the executor's own map of them.
    """
    processes = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        if process.is_alive():
            process.terminate()
    for process in processes:
        process.join(timeout=5)
        if process.is_alive():
            process.kill()
            process.join()


def parse_on_dask(
    batches: Iterable[list[Article]], address: str, model, gazetteer_path, user=()
) -> Iterator[Parsed]:
    from distributed import Client

    from geo.ingest.workers import parse_batch

    try:
        client = Client(address, timeout=DASK_CONNECT_TIMEOUT_S)
    except (OSError, ValueError, TypeError) as exc:  # refused, timed out, unknown scheme
        raise ConfigError(f"cannot reach the Dask scheduler at {address!r}: {exc}") from exc
    pending: deque[tuple[list[Article], Future]] = deque()
    try:
        threads = sum(client.nthreads().values()) or 1
        for batch in batches:
            texts = [a.text for a in batch]
            future = client.submit(
                parse_batch,
                texts,
                model=model,
                gazetteer_path=gazetteer_path,
                user_places=user,
                pure=False,
            )
            pending.append((batch, future))
            while len(pending) >= threads * IN_FLIGHT_PER_WORKER:
                yield _dask_result(*pending.popleft())
        while pending:
            yield _dask_result(*pending.popleft())
    finally:
        client.cancel([future for _, future in pending])
        client.close()


def _dask_result(batch: list[Article], future) -> Parsed:
    try:
        return batch, future.result()
    except Exception as exc:  # KilledWorker, a lost scheduler, an error inside the task
        raise WorkerError(f"the Dask cluster failed: {type(exc).__name__}: {exc}") from exc
