"""The article store: articles, places and mentions in SQLite (default) or PostgreSQL.

Writes are one transaction (or savepoint) per article, so an article is stored whole or not
at all; duplicates are refused by the UNIQUE content hash with INSERT ... ON CONFLICT DO
NOTHING, which stays correct when two processes ingest the same files at once.
"""

from __future__ import annotations

import datetime as dt
import json
import time
from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar

from sqlalchemy import case, func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DBAPIError, SQLAlchemyError

from geo import store_queries as q
from geo.errors import StoreError
from geo.models import Article, Filters, Mention, Passage, Place, PlaceCount
from geo.store_queries import MentionRow
from geo.store_schema import (
    articles,
    create_schema,
    describe,
    make_engine,
    mentions,
    place_totals,
    places,
    resolve_db_url,
)

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


def _place_row(place: Place) -> dict[str, Any]:
    return {
        "id": place.id,
        "name": place.name,
        "lat": place.lat,
        "lon": place.lon,
        "country_code": place.country_code,
        "admin1": place.admin1,
        "feature_class": place.feature_class,
        "feature_code": place.feature_code,
        "population": place.population,
        "source": place.source,
        "geonameid": place.geonameid,
    }


def _runners_up_json(mention: Mention) -> str:
    return json.dumps(
        [
            {
                "place_id": c.place.id,
                "name": c.place.name,
                "country_code": c.place.country_code,
                "lat": c.place.lat,
                "lon": c.place.lon,
                "name_score": c.name_score,
                "confidence": c.confidence,
                "matched_name": c.matched_name,
            }
            for c in mention.runners_up
        ],
        ensure_ascii=False,
    )


class Store:
    """Articles, places and mentions, with the queries the dashboard and CLI need."""

    def __init__(self, engine: Engine, url: str) -> None:
        self.engine = engine
        self.url = url
        self._places = q.PlaceCache()

    @classmethod
    def open(cls, db: str | None = None) -> Store:
        """Open (creating if missing) the store named by --db / $GEO_DB / data/geo.sqlite."""
        url = resolve_db_url(db)
        engine = make_engine(url)
        try:
            create_schema(engine)
        except SQLAlchemyError as exc:
            engine.dispose()
            raise StoreError(f"cannot open the store at {describe(url)}: {_reason(exc)}") from exc
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
        """Store an article with its places and mentions, all or nothing.

        Returns the new article id, or None when the same text is already stored.
        """
        try:
            self._places.forget(m.place.id for m in mentions if m.place is not None)
            return self._write(lambda conn: self._insert_article(conn, article, mentions))
        except SQLAlchemyError as exc:
            raise StoreError(f"cannot store {article.path or 'article'}: {_reason(exc)}") from exc

    def add_articles(self, batch: Sequence[tuple[Article, Sequence[Mention]]]) -> list[int | None]:
        """add_article for many articles in one transaction, each in its own savepoint.

        An article that fails is rolled back alone; the others are committed and then a
        BatchStoreError reports the failures (with the per-article results).
        """
        if not batch:
            return []
        failures: dict[int, str] = {}

        def work(conn: Connection) -> list[int | None]:
            failures.clear()
            results: list[int | None] = []
            for index, (article, found) in enumerate(batch):
                savepoint = conn.begin_nested()
                try:
                    results.append(self._insert_article(conn, article, found))
                    savepoint.commit()
                except DBAPIError as exc:
                    savepoint.rollback()
                    if _retryable(exc):
                        raise  # the whole transaction is retried
                    failures[index] = _reason(exc)
                    results.append(None)
            return results

        try:
            self._places.forget(m.place.id for _, found in batch for m in found if m.place)
            results = self._write(work)
        except SQLAlchemyError as exc:
            raise StoreError(f"cannot store a batch of articles: {_reason(exc)}") from exc
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

    def _insert(self, table: Any) -> Any:
        dialect = postgresql if self.engine.dialect.name == "postgresql" else sqlite
        return dialect.insert(table)

    def _insert_article(
        self, conn: Connection, article: Article, found: Sequence[Mention]
    ) -> int | None:
        stmt = (
            self._insert(articles)
            .values(
                hash=article.hash,
                title=article.title,
                text=article.text,
                date=article.date,
                date_source=article.date_source,
                source=article.source,
                path=article.path,
                ingested_at=dt.datetime.now(dt.UTC),
            )
            .on_conflict_do_nothing(index_elements=["hash"])
            .returning(articles.c.id)
        )
        article_id = conn.execute(stmt).scalar()
        if article_id is None:
            return None  # same text already stored (perhaps by a concurrent ingest)
        # Sorted ids: concurrent writers lock place rows in the same order (no deadlock).
        by_id = {m.place.id: m.place for m in found if m.place is not None}
        if by_id:
            upsert = self._insert(places)
            upsert = upsert.on_conflict_do_update(
                index_elements=["id"],
                set_={c.name: upsert.excluded[c.name] for c in places.c if c.name != "id"},
            )
            conn.execute(upsert, [_place_row(by_id[key]) for key in sorted(by_id)])
        if found:
            first_place, first_role = _first_flags(found)
            conn.execute(
                mentions.insert(),
                [
                    {
                        "article_id": article_id,
                        "place_id": m.place.id if m.place is not None else None,
                        "start": m.start,
                        "end_": m.end,
                        "surface": m.surface,
                        "role": m.role,
                        "score": m.score,
                        "sentence": m.sentence,
                        "sentence_start": m.sentence_start,
                        "runners_up": _runners_up_json(m),
                        "date": article.date,
                        "first_in_article": int(first_place[i]),
                        "first_for_role": int(first_role[i]),
                    }
                    for i, m in enumerate(found)
                ],
            )
            self._add_to_totals(conn, article, found)
        return int(article_id)

    def _add_to_totals(self, conn: Connection, article: Article, found: Sequence[Mention]) -> None:
        """Add one article's mentions to place_totals (same transaction as the article)."""
        per_place: dict[str, int] = {}
        for m in found:
            if m.place is not None:
                per_place[m.place.id] = per_place.get(m.place.id, 0) + 1
        if not per_place:
            return
        t = place_totals.c
        upsert = self._insert(place_totals)
        new = upsert.excluded
        upsert = upsert.on_conflict_do_update(
            index_elements=["place_id"],
            set_={
                "mentions": t.mentions + new.mentions,
                "articles": t.articles + new.articles,
                # The later of two dates; an undated article changes nothing.
                "last_date": case(
                    (t.last_date.is_(None), new.last_date),
                    (new.last_date > t.last_date, new.last_date),
                    else_=t.last_date,
                ),
            },
        )
        rows = [
            {"place_id": pid, "mentions": n, "articles": 1, "last_date": article.date}
            for pid, n in sorted(per_place.items())  # same lock order in every writer
        ]
        conn.execute(upsert, rows)

    # -- reads ----------------------------------------------------------------------------

    def _read(self, work: Callable[[Connection], T]) -> T:
        try:
            with self.engine.connect() as conn:
                return work(conn)
        except SQLAlchemyError as exc:
            raise StoreError(f"cannot read the store: {_reason(exc)}") from exc

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
        return self._read(lambda conn: q.passages(conn, place_id, filters, limit))

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
        )

    def article_text(self, article_id: int) -> str:
        query = select(articles.c.text).where(articles.c.id == article_id)
        text = self._read(lambda conn: conn.execute(query).scalar())
        if text is None:
            raise StoreError(f"no article with id {article_id}")
        return text

    def timeline(self, filters: Filters = NO_FILTERS, freq: str = "D") -> list[tuple[dt.date, int]]:
        """Mentions per day ("D") or per week starting Monday ("W"), zero-filled."""
        if freq not in ("D", "W"):
            raise StoreError(f"timeline frequency must be 'D' or 'W', not {freq!r}")
        return self._read(lambda conn: q.timeline(conn, filters, freq))

    def date_bounds(self) -> tuple[dt.date | None, dt.date | None]:
        return self._read(q.date_bounds)

    def countries(self) -> list[str]:
        """Country codes of the places mentioned in the store."""
        return self._read(q.countries)

    def find_places(self, query: str, limit: int = 20) -> list[Place]:
        """Mentioned places whose name contains `query` (any case), most mentioned first."""
        return self._read(lambda conn: q.find_places(conn, query, limit))

    def mention_rows(self, filters: Filters = NO_FILTERS) -> Iterator[MentionRow]:
        """Every resolved mention in the selection, streamed, for exports."""
        try:
            with self.engine.connect() as conn:
                yield from q.mention_rows(conn, filters)
        except SQLAlchemyError as exc:
            raise StoreError(f"cannot read the store: {_reason(exc)}") from exc


def _first_flags(found: Sequence[Mention]) -> tuple[list[bool], list[bool]]:
    """Which mentions are the first of their place, and of their (place, role), in an article."""
    seen_place: set[str] = set()
    seen_role: set[tuple[str, str]] = set()
    first_place, first_role = [], []
    for m in found:
        key = m.place.id if m.place is not None else None
        first_place.append(key is not None and key not in seen_place)
        first_role.append(key is not None and (key, m.role) not in seen_role)
        if key is not None:
            seen_place.add(key)
            seen_role.add((key, m.role))
    return first_place, first_role


def _retryable(exc: DBAPIError) -> bool:
    return getattr(exc.orig, "sqlstate", None) in _RETRYABLE_SQLSTATES


def _reason(exc: SQLAlchemyError) -> str:
    """The driver's one-line message, without SQLAlchemy's SQL dump and links."""
    orig = getattr(exc, "orig", None)
    text = str(orig if orig is not None else exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
