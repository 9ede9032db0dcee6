"""The article store: articles, places and mentions in SQLite (default) or PostgreSQL.

Writes are one transaction (or savepoint) per article, so an article is stored whole or not
at all; duplicates are refused by the UNIQUE content hash with INSERT ... ON CONFLICT DO
NOTHING, which stays correct when two processes ingest the same files at once.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterator, Sequence
from typing import TypeVar

from sqlalchemy import func, select
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DataError, DBAPIError, IntegrityError, SQLAlchemyError

from geo.errors import StoreError
from geo.models import (
    Article,
    ArticleBlock,
    ArticleSummary,
    Filters,
    Mention,
    Passage,
    PassagePage,
    Place,
    PlaceCount,
    date_problem,
)
from geo.store import article_list as al
from geo.store import passages as pq
from geo.store import queries as q
from geo.store.articles import ArticleListing
from geo.store.corrections import insert_corrected
from geo.store.engine import describe, reason, resolve_db_url
from geo.store.opening import open_engine
from geo.store.queries import MentionRow
from geo.store.schema import articles
from geo.store.search import NameIndex, stored_names
from geo.store.trust import TrustMethods
from geo.store.writes import METADATA_COLUMNS, known_metadata, update_metadata

__all__ = ["BatchStoreError", "MentionRow", "Store", "resolve_db_url"]

T = TypeVar("T")
_RETRYABLE_SQLSTATES = frozenset({"40P01", "40001"})  # deadlock, serialization failure
_WRITE_ATTEMPTS = 4
NO_FILTERS = Filters()  # frozen, so one shared default is safe


class BatchStoreError(StoreError):
    """Some articles of a batch could not be stored; the others were committed."""

    def __init__(self, message: str, results: list[int | None], failures: dict[int, str]):
        super().__init__(message)
        self.results = results  # per input article: new id, or None (duplicate or failed)
        self.failures = failures  # input index -> reason


class Store(ArticleListing, TrustMethods):
    """Articles, places and mentions, with the queries the dashboard and CLI need."""

    def __init__(self, engine: Engine, url: str) -> None:
        self.engine = engine
        self.url = url
        self._places = q.PlaceCache()

    @classmethod
    def open(cls, db: str | None = None, *, readonly: bool = False) -> Store:
        """Open the store named by --db / $GEO_DB / data/geo.sqlite.

        A writer creates the store (and its folder) when missing and upgrades an old one. A
        reader (`readonly=True`, for every command that only reads) never creates, upgrades or
        changes anything: a missing store, or a database that is not a geo store, is a
        StoreError; SQLite is opened with mode=ro and works on a read-only mount.
        """
        engine, url = open_engine(db, readonly=readonly)
        return cls(engine, url)

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Store({describe(self.url)!r})"

    # -- writes ---------------------------------------------------------------------------

    def add_article(self, article: Article, mentions: Sequence[Mention]) -> int | None:
        """Store an article with its places, mentions and totals, all or nothing.

        Returns the new article id, or None when the same text is already stored.
        """
        if problem := date_problem(article.date):
            raise StoreError(f"cannot store {article.path or 'article'}: {problem}")
        try:
            self._places.forget(m.place.id for m in mentions if m.place is not None)
            return self._write(lambda conn: insert_corrected(conn, article, mentions))
        except (SQLAlchemyError, UnicodeError) as exc:
            raise StoreError(f"cannot store {article.path or 'article'}: {reason(exc)}") from exc

    def add_articles(self, batch: Sequence[tuple[Article, Sequence[Mention]]]) -> list[int | None]:
        """add_article for many articles in one transaction, each in its own savepoint.

        An article that cannot be stored (bad value: a lone surrogate in a name, an impossible
        date, a constraint) is rolled back alone; the others are committed and then a
        BatchStoreError reports the failures. A failure of the store itself (full disk, lost
        connection, read-only file) rolls the whole batch back and raises StoreError.
        """
        if not batch:
            return []
        failures: dict[int, str] = {}

        def work(conn: Connection) -> list[int | None]:
            failures.clear()
            results: list[int | None] = []
            for index, (article, found) in enumerate(batch):
                if problem := date_problem(article.date):
                    failures[index] = problem
                    results.append(None)
                    continue
                savepoint = conn.begin_nested()
                try:
                    results.append(insert_corrected(conn, article, found))
                    savepoint.commit()
                except (IntegrityError, DataError, UnicodeError) as exc:
                    savepoint.rollback()
                    failures[index] = reason(exc)
                    results.append(None)
            return results

        try:
            self._places.forget(m.place.id for _, found in batch for m in found if m.place)
            results = self._write(work)
        except SQLAlchemyError as exc:
            raise StoreError(f"cannot store a batch of articles: {reason(exc)}") from exc
        if failures:
            details = "; ".join(
                f"{batch[i][0].path or f'article {i}'}: {why}" for i, why in failures.items()
            )
            raise BatchStoreError(
                f"{len(failures)} of {len(batch)} articles not stored: {details}",
                results,
                dict(failures),
            )
        return results

    def refresh_metadata(self, article: Article) -> bool | None:
        """A stored text takes what this copy knows of its date, title, source, url
        (writes.known_metadata): None if not stored, else whether anything changed."""
        if problem := date_problem(article.date):
            raise StoreError(f"cannot update {article.path or 'article'}: {problem}")
        query = select(*(articles.c[name] for name in METADATA_COLUMNS)).where(
            articles.c.hash == article.hash
        )
        row = self._read(lambda conn: conn.execute(query).first())
        if row is None:
            return None
        stored = dict(zip(METADATA_COLUMNS, row, strict=True))
        if all(stored[name] == value for name, value in known_metadata(article).items()):
            return False
        try:
            return self._write(lambda conn: update_metadata(conn, article))
        except (SQLAlchemyError, UnicodeError) as exc:
            raise StoreError(f"cannot update {article.path or 'article'}: {reason(exc)}") from exc

    def _write(self, work: Callable[[Connection], T]) -> T:
        """Run `work` in a write transaction, retrying PostgreSQL deadlocks."""
        for attempt in range(1, _WRITE_ATTEMPTS + 1):
            try:
                with (
                    self.engine.connect().execution_options(sqlite_immediate=True) as conn,
                    conn.begin(),
                ):
                    return work(conn)
            except DBAPIError as exc:
                if attempt == _WRITE_ATTEMPTS or not _retryable(exc):
                    raise
                time.sleep(0.05 * attempt)
        raise AssertionError("unreachable")  # the loop returns or raises

    # -- reads ----------------------------------------------------------------------------

    def _read(self, work: Callable[[Connection], T]) -> T:
        try:
            with self.engine.connect() as conn:
                return work(conn)
        except SQLAlchemyError as exc:
            raise StoreError(f"cannot read the store: {reason(exc)}") from exc

    def has_article(self, hash: str) -> bool:
        query = select(articles.c.id).where(articles.c.hash == hash).limit(1)
        return self._read(lambda conn: conn.execute(query).first() is not None)

    def article_count(self) -> int:
        return self._read(lambda conn: conn.execute(select(func.count(articles.c.id))).scalar_one())

    def is_empty(self) -> bool:
        return self._read(lambda conn: conn.execute(select(articles.c.id).limit(1)).first() is None)

    def place_counts(self, filters: Filters = NO_FILTERS) -> list[PlaceCount]:
        """Mentions and distinct articles per place in the selection, most mentioned first."""
        return self._read(lambda conn: q.place_counts(conn, filters, self._places))

    def passages(
        self, place_id: str, filters: Filters = NO_FILTERS, limit: int | None = None
    ) -> list[Passage]:
        """Sentences naming a place, newest first, undated last."""
        return self._read(lambda conn: pq.passages(conn, place_id, filters, limit))

    def passage_page(
        self, place_id: str, filters: Filters = NO_FILTERS, *, offset: int = 0, limit: int = 50
    ) -> PassagePage:
        """A place's sentences grouped by article, newest first (see geo.store.passages)."""
        return self._read(
            lambda conn: pq.passage_page(
                conn, place_id, filters, self._places, offset=offset, limit=limit
            )
        )

    def article_summaries(
        self, filters: Filters = NO_FILTERS, *, offset: int = 0, limit: int = 50
    ) -> tuple[list[ArticleSummary], bool]:
        """The selection's articles, newest first, with their places; and whether more follow."""
        return self._read(
            lambda conn: al.article_summaries(
                conn, filters, self._places, offset=offset, limit=limit
            )
        )

    def article_block(self, article_id: int, filters: Filters = NO_FILTERS) -> ArticleBlock:
        """One article's sentences that name places in the selection."""
        block = self._read(lambda conn: al.article_block(conn, article_id, filters))
        if block is None:
            raise StoreError(f"no article with id {article_id}")
        return block

    def name_index(self, index: NameIndex | None = None) -> NameIndex:
        """Name keys of every mentioned place's name and written spellings, for search;
        given an index built before, it is brought up to date with newer mentions only."""
        index = index if index is not None else NameIndex()
        names, last = self._read(lambda conn: stored_names(conn, index.last_mention))
        index.add(names, last)
        return index

    def article_places(self, article_id: int) -> list[PlaceCount]:
        return self._read(lambda conn: q.article_places(conn, article_id, self._places))

    def article(self, article_id: int) -> Article:
        row = self._read(
            lambda conn: conn.execute(select(articles).where(articles.c.id == article_id)).first()
        )
        if row is None:
            raise StoreError(f"no article with id {article_id}")
        return Article(
            text=row.text,
            title=row.title,
            date=row.date,
            date_source=row.date_source,
            source=row.source,
            path=row.path,
            hash=row.hash,
            url=row.url,
            author=row.author,
            language=row.language,
        )

    def article_text(self, article_id: int) -> str:
        query = select(articles.c.text).where(articles.c.id == article_id)
        text = self._read(lambda conn: conn.execute(query).scalar())
        if text is None:
            raise StoreError(f"no article with id {article_id}")
        return text

    def timeline(
        self, filters: Filters = NO_FILTERS, freq: str = "D", place_id: str | None = None
    ) -> list[tuple[dt.date, int]]:
        """Mentions per day ("D") or per week starting Monday ("W"), zero-filled; of one
        place when `place_id` is given."""
        if freq not in ("D", "W"):
            raise StoreError(f"timeline frequency must be 'D' or 'W', not {freq!r}")
        return self._read(lambda conn: q.timeline(conn, filters, freq, place_id))

    def date_bounds(self) -> tuple[dt.date | None, dt.date | None]:
        return self._read(q.date_bounds)

    def countries(self) -> list[str]:
        """Country codes of the places mentioned in the store."""
        return self._read(q.countries)

    def find_places(self, query: str, limit: int = 20) -> list[Place]:
        """Mentioned places whose name or written spelling matches `query` by name key
        (see NameIndex), most mentioned first."""
        matches = self.name_index().match(query)
        counts = [pc for pc in self.place_counts() if pc.place.id in matches]
        counts.sort(key=lambda pc: (-matches[pc.place.id].quality, -pc.count, pc.place.name))
        return [pc.place for pc in counts[:limit]]

    def mention_rows(
        self, filters: Filters = NO_FILTERS, place_id: str | None = None
    ) -> Iterator[MentionRow]:
        """Every resolved mention in the selection (of one place if given), streamed."""
        try:
            with self.engine.connect() as conn:
                yield from q.mention_rows(conn, filters, place_id)
        except SQLAlchemyError as exc:
            raise StoreError(f"cannot read the store: {reason(exc)}") from exc


def _retryable(exc: DBAPIError) -> bool:
    return getattr(exc.orig, "sqlstate", None) in _RETRYABLE_SQLSTATES
