"""Ingest: read articles, geoparse them (locally, in worker processes, or on Dask), store them.

The corpus is streamed: each document is read, hashed and, when its text is already stored,
dropped (its metadata refreshed) before the next is read; new articles are parsed in bounded
batches. So memory does not grow with the corpus, and a rerun only does the missing work.

Bad input never stops a batch: an unreadable file, an impossible date or a name that cannot
be stored becomes an InputError in the report and everything else goes in. A failure of the
store or of the workers (full disk, killed worker, unreachable scheduler) and a signal stop
the run; the report passed in still says what was stored and what failed before.
"""

from __future__ import annotations

import contextlib
import logging
import os
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path

from geo.errors import GeoError, InputError
from geo.ingest.readers import ReadOptions, read_inputs
from geo.ingest.signals import deferred
from geo.models import Article, Mention, date_problem
from geo.store import Store

log = logging.getLogger(__name__)
BATCH_ARTICLES = 32
BATCH_CHARS = 4_000_000  # a batch of long articles is cut sooner: bounded memory per batch
# Below this many articles a second process costs more (model load) than it saves.
MIN_ARTICLES_PER_WORKER = 16
PIECES_PER_WORKER = 4  # a small corpus is cut so that no worker idles at the end


@dataclass
class IngestReport:
    added: int = 0
    updated: int = 0  # already stored; its date, title, source, url or path changed
    skipped: int = 0  # already stored, unchanged
    duplicates: int = 0  # the same text twice within this run (kept once)
    errors: list[GeoError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> str:
        return (
            f"added {self.added} articles, skipped {self.skipped} already stored, "
            f"updated {self.updated}, {self.duplicates} duplicates within this run, "
            f"{len(self.errors)} errors"
        )


def ingest_articles(
    articles: Iterable[Article], store: Store, nlp, gazetteer, report: IngestReport | None = None
) -> IngestReport:
    """Geoparse and store articles in this process (used by the dashboard's upload)."""
    from geo.parse.pipeline import Geoparser

    gazetteer.use_user_places(store.user_places())  # the analyst's places, from the store
    parser = Geoparser(nlp, gazetteer)
    report = report if report is not None else IngestReport()
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
    report: IngestReport | None = None,
) -> IngestReport:
    """Read, geoparse and store every article under `paths` (files, folders, URLs) and
    the URLs listed in `url_files`; `options` say how to read tables and feeds.

    Pass `report` to keep what was done when the run stops on a GeoError or a signal.
    """
    from geo.ingest import parallel

    report = report if report is not None else IngestReport()
    user = tuple(store.user_places())  # the analyst's places, used by every worker
    settings = (model, gazetteer_path, user)
    new = _new_only(_articles(read_inputs(paths, options, url_files), report), store, report)
    if dask_address:
        parsed = parallel.parse_on_dask(_batches(new, BATCH_ARTICLES), dask_address, *settings)
    else:
        workers = workers or os.cpu_count() or 1
        head, rest = _lookahead(new, workers * PIECES_PER_WORKER * BATCH_ARTICLES)
        if rest is None:  # the whole corpus fits in the look-ahead: size the pool to it
            workers = max(1, min(workers, len(head) // MIN_ARTICLES_PER_WORKER or 1))
            size = -(-len(head) // (workers * PIECES_PER_WORKER)) if workers > 1 else 0
            size = max(1, min(BATCH_ARTICLES, size or BATCH_ARTICLES))
            batches = _batches(head, size)
        else:
            batches = _batches(chain(head, rest), BATCH_ARTICLES)
        if workers == 1:
            parsed = parallel.parse_here(batches, *settings)
        else:
            parsed = parallel.parse_in_pool(batches, workers, *settings)
    with contextlib.closing(parsed):  # stops the workers however the loop ends
        for batch, found in parsed:
            _store(store, batch, found, report)
    return report


def _articles(items: Iterable[Article | InputError], report: IngestReport) -> Iterator[Article]:
    for item in items:
        if isinstance(item, InputError):
            log.debug("%s", item)  # reported once, by the caller, from report.errors
            report.errors.append(item)
        else:
            yield item


def _lookahead(items: Iterator[Article], limit: int) -> tuple[list[Article], Iterator | None]:
    """Up to `limit` articles (fewer when they are long), and the rest (None if none left)."""
    head: list[Article] = []
    chars = 0
    for item in items:
        head.append(item)
        chars += len(item.text)
        if len(head) >= limit or chars >= BATCH_CHARS * PIECES_PER_WORKER:
            return head, items
    return head, None


def _name(article: Article) -> str:
    # InputError quotes and escapes it (a lone surrogate shows as \udcff).
    return article.path or f"article {article.hash[:12]}"


def _unstorable(article: Article) -> str:
    """Why a name or text of the article cannot be stored (a lone surrogate, from a JSON
    escape or a file name that is not UTF-8), or ""."""
    for name in ("path", "source", "title", "url", "author", "text"):
        value = getattr(article, name)
        try:
            value.encode("utf-8")
        except UnicodeEncodeError as exc:
            bad = ascii(value[exc.start : exc.end])
            return f"its {name} holds {bad}, which is not valid Unicode: not stored"
    return ""


def _new_only(articles: Iterable[Article], store: Store, report: IngestReport) -> Iterator[Article]:
    """Articles whose text is not stored yet; a stored one gets this copy's metadata."""
    seen: set[str] = set()
    for article in articles:
        problem = _unstorable(article) or date_problem(article.date)
        if problem:
            report.errors.append(InputError(_name(article), problem))
            continue
        if article.hash in seen:
            report.duplicates += 1
            log.info("%s: same text as an earlier article of this run", article.path)
            continue
        seen.add(article.hash)
        with deferred():
            state = store.refresh_metadata(article)
        if state is None:
            yield article
        elif state:
            report.updated += 1
        else:
            report.skipped += 1


def _batches(items: Iterable[Article], size: int) -> Iterator[list[Article]]:
    batch: list[Article] = []
    chars = 0
    for item in items:
        batch.append(item)
        chars += len(item.text)
        if len(batch) >= size or chars >= BATCH_CHARS:
            yield batch
            batch, chars = [], 0
    if batch:
        yield batch


def _store(
    store: Store, batch: list[Article], found: list[list[Mention]], report: IngestReport
) -> None:
    """Store a batch and count it, with no signal in between (the report matches the store)."""
    from geo.store import BatchStoreError

    failed: set[int] = set()
    with deferred():
        try:
            results = store.add_articles(list(zip(batch, found, strict=True)))
        except BatchStoreError as exc:
            results, failed = exc.results, set(exc.failures)
            for index, reason in sorted(exc.failures.items()):
                # One error per article, naming its file, like every other input error.
                report.errors.append(InputError(_name(batch[index]), f"not stored: {reason}"))
            log.debug("%s", exc)
        for index, article_id in enumerate(results):
            if article_id is not None:
                report.added += 1
            elif index not in failed:
                report.skipped += 1  # the same text was stored meanwhile (another ingest)
