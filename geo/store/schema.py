"""The store's tables and engine: one SQLAlchemy Core schema for SQLite and PostgreSQL."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import quote

from sqlalchemy import (
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    create_engine,
    event,
    func,
    inspect,
    make_url,
    select,
)
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import ArgumentError, SQLAlchemyError
from sqlalchemy.pool import StaticPool

from geo.errors import ConfigError, StoreError

DEFAULT_DB = "data/geo.sqlite"
ENV_VAR = "GEO_DB"
SQLITE_BUSY_TIMEOUT_S = 30

metadata = MetaData()

articles = Table(
    "articles",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("hash", String(64), nullable=False, unique=True),
    Column("title", Text, nullable=False, default=""),
    Column("text", Text, nullable=False),
    Column("date", Date, nullable=True),
    Column("date_source", String(16), nullable=False, default="none"),
    Column("source", Text, nullable=False, default=""),
    Column("path", Text, nullable=False, default=""),
    Column("ingested_at", DateTime(timezone=True), nullable=False),
    Column("url", Text, nullable=False, default=""),
    Column("author", Text, nullable=False, default=""),
    Column("language", String(16), nullable=False, default=""),
    Column("focus_country", String(8), nullable=False, default=""),
    Column("focus_admin1", Text, nullable=False, default=""),
)

places = Table(
    "places",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("name", Text, nullable=False),
    Column("lat", Float, nullable=False),
    Column("lon", Float, nullable=False),
    Column("country_code", String(8), nullable=False, default=""),
    Column("admin1", Text, nullable=False, default=""),
    Column("feature_class", String(8), nullable=False, default=""),
    Column("feature_code", String(16), nullable=False, default=""),
    Column("population", Integer, nullable=False, default=0),
    Column("source", Text, nullable=False, default=""),
    Column("geonameid", Integer, nullable=True),
)

mentions = Table(
    "mentions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("article_id", Integer, ForeignKey("articles.id", ondelete="CASCADE"), nullable=False),
    Column("place_id", String(64), ForeignKey("places.id"), nullable=True),
    Column("start", Integer, nullable=False),
    Column("end_", Integer, nullable=False),
    Column("surface", Text, nullable=False),
    Column("role", String(16), nullable=False),
    Column("score", Float, nullable=False),
    Column("sentence", Text, nullable=False),
    Column("sentence_start", Integer, nullable=False),
    Column("runners_up", Text, nullable=False, default="[]"),  # JSON list
    # The article's date, copied here so date-filtered counts never join 100k articles.
    Column("date", Date, nullable=True),
    # 1 on exactly one mention per (article, place) and per (article, place, role): summing
    # them counts distinct articles with no COUNT(DISTINCT) sort (3x faster on 1M mentions).
    Column("first_in_article", Integer, nullable=False, default=0),
    Column("first_for_role", Integer, nullable=False, default=0),
    Column("evidence", Text, nullable=False, default=""),
)

# Running totals per place over every mention, kept in the same transaction as each article:
# the dashboard's opening view (all dates) reads 20,000 rows instead of grouping 1,000,000.
place_totals = Table(
    "place_totals",
    metadata,
    Column("place_id", String(64), ForeignKey("places.id"), primary_key=True),
    Column("mentions", Integer, nullable=False),
    Column("articles", Integer, nullable=False),
    Column("last_date", Date, nullable=True),
)

# The analyst's corrections. scope "mention" names one mention (article hash + offsets),
# "article" a name in one article, "store" a name everywhere (a rule, also for later
# articles). Articles are named by content hash, so a correction survives a re-ingest.
# place_id NULL means "not a place". Undo keeps the row and sets undone_at.
corrections = Table(
    "corrections",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("scope", String(16), nullable=False),
    Column("name", Text, nullable=False),
    Column("name_key", Text, nullable=False),
    Column("article_hash", String(64), nullable=False, default=""),
    Column("start", Integer, nullable=True),
    Column("end_", Integer, nullable=True),
    Column("place_id", String(64), ForeignKey("places.id"), nullable=True),
    Column("note", Text, nullable=False, default=""),
    Column("undone_at", DateTime(timezone=True), nullable=True),
)

# Which correction a mention follows now, and what the resolver had said (restored on undo).
corrected_mentions = Table(
    "corrected_mentions",
    metadata,
    Column(
        "mention_id",
        Integer,
        ForeignKey("mentions.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("correction_id", Integer, ForeignKey("corrections.id"), nullable=False),
    Column("original_place_id", String(64), nullable=True),
    Column("original_score", Float, nullable=False),
    Column("original_evidence", Text, nullable=False, default=""),
)

# Places the analyst added (a village, a camp, a checkpoint); shared by everyone on the store.
user_places = Table(
    "user_places",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("name", Text, nullable=False),
    Column("alternate_names", Text, nullable=False, default=""),  # "|"-separated
    Column("lat", Float, nullable=False),
    Column("lon", Float, nullable=False),
    Column("country_code", String(8), nullable=False, default=""),
    Column("admin1", Text, nullable=False, default=""),
    Column("feature_code", String(16), nullable=False, default=""),
    Column("note", Text, nullable=False, default=""),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

corrections_name_index = Index("ix_corrections_name", corrections.c.name_key)
corrections_article_index = Index("ix_corrections_article", corrections.c.article_hash)
corrected_by_index = Index("ix_corrected_by", corrected_mentions.c.correction_id)

articles_date_index = Index("ix_articles_date", articles.c.date)
places_country_index = Index("ix_places_country", places.c.country_code)
# Both cover the per-place counts (no table lookups): by place for passages (newest first)
# and unfiltered counts, by date for date-range counts.
_COVER = (
    mentions.c.role,
    mentions.c.first_in_article,
    mentions.c.first_for_role,
    mentions.c.article_id,
)
mentions_place_index = Index(
    "ix_mentions_place_cover", mentions.c.place_id, mentions.c.date, *_COVER
)
mentions_date_index = Index("ix_mentions_date_cover", mentions.c.date, mentions.c.place_id, *_COVER)
mentions_article_index = Index("ix_mentions_article", mentions.c.article_id)


def resolve_db_url(db: str | None, *, create_folder: bool = True) -> str:
    """A SQLAlchemy URL from --db, else $GEO_DB, else data/geo.sqlite.

    Plain paths become SQLite URLs (their folder is created unless `create_folder` is False);
    postgresql:// URLs use psycopg 3.
    """
    value = (db or os.environ.get(ENV_VAR) or DEFAULT_DB).strip()
    if value.startswith(("postgresql://", "postgres://")):
        return "postgresql+psycopg://" + value.split("://", 1)[1]
    if value.startswith(("postgresql+psycopg://", "sqlite://")):
        return value
    if "://" in value:
        scheme = value.split("://", 1)[0]
        raise ConfigError(
            f"unsupported database URL scheme {scheme!r}: use a path or postgresql://"
        )
    if value == ":memory:":
        return "sqlite://"
    path = Path(value).expanduser()
    if path.is_dir():
        raise StoreError(f"database path {path} is a folder, not a file")
    if create_folder:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"cannot create the folder for {path}: {exc.strerror or exc}") from exc
    return f"sqlite:///{path.resolve()}"


def sqlite_path(url: str) -> Path | None:
    """The file of a SQLite URL, or None (in-memory database, or not SQLite)."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database)


def _sqlite_lower(value: str | None) -> str | None:
    return None if value is None else value.lower()


def _setup_sqlite(engine: Engine, *, readonly: bool = False) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Autocommit at the driver level: pysqlite's own implicit BEGIN handling breaks
        # SAVEPOINTs, so transactions are begun explicitly in _on_begin below.
        dbapi_connection.isolation_level = None
        # SQLite's lower() folds ASCII only; the text filter must match "Alep" in "ALEP".
        dbapi_connection.create_function("lower", 1, _sqlite_lower, deterministic=True)
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_S * 1000}")
            cursor.execute("PRAGMA foreign_keys = ON")
            if not readonly:  # a reader never changes the file's journal mode
                cursor.execute("PRAGMA journal_mode = WAL")
                cursor.execute("PRAGMA synchronous = NORMAL")
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        # Writers take the write lock up front (waiting up to busy_timeout) instead of
        # failing when a read lock cannot be upgraded; readers never block writers in WAL.
        immediate = conn.get_execution_options().get("sqlite_immediate", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def make_engine(url: str, *, readonly: bool = False) -> Engine:
    """An engine for a resolved URL, configured for concurrent use; raises StoreError.

    `readonly` opens a SQLite file with mode=ro (immutable=1 where its folder cannot be
    written, as on a read-only mount, since SQLite could not create the WAL index there) and
    a PostgreSQL session with default_transaction_read_only.
    """
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise ConfigError(f"invalid database URL: {exc}") from exc
    kwargs: dict[str, Any] = {}
    if parsed.get_backend_name() == "sqlite":
        kwargs["connect_args"] = {"timeout": SQLITE_BUSY_TIMEOUT_S, "check_same_thread": False}
        path = sqlite_path(url)
        if path is None:
            kwargs["poolclass"] = StaticPool  # one shared in-memory database
        elif readonly:
            kwargs["creator"] = _readonly_sqlite(path)
    elif parsed.get_backend_name() == "postgresql":
        kwargs["pool_pre_ping"] = True
        kwargs["connect_args"] = {"connect_timeout": 10}
        if readonly:
            kwargs["connect_args"]["options"] = "-c default_transaction_read_only=on"
    try:
        engine = create_engine(url, **kwargs)
    except (SQLAlchemyError, ImportError) as exc:
        raise StoreError(f"cannot use database {describe(url)}: {exc}") from exc
    if engine.dialect.name == "sqlite":
        _setup_sqlite(engine, readonly=readonly)
    return engine


def _readonly_sqlite(path: Path) -> Callable[[], sqlite3.Connection]:
    # A file: URI built here, not by SQLAlchemy's URL parser, so that "?" or "#" in a file
    # name stay part of the name.
    flags = "mode=ro" if os.access(path.parent, os.W_OK) else "mode=ro&immutable=1"
    uri = f"file:{quote(str(path))}?{flags}"

    def connect() -> sqlite3.Connection:
        return sqlite3.connect(
            uri, uri=True, timeout=SQLITE_BUSY_TIMEOUT_S, check_same_thread=False
        )

    return connect


def describe(url: str) -> str:
    """The URL without its password (a SQLite file: its path), for messages."""
    try:
        path = sqlite_path(url)
        return str(path) if path is not None else make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "<invalid URL>"


GEO_TABLES = frozenset(t.name for t in metadata.sorted_tables)


def check_geo_store(engine: Engine, *, readonly: bool) -> None:
    """Refuse a database that is not a geo store: a SQLite file holding other tables, or, for
    a reader, a store missing tables or columns (a reader cannot add them)."""
    name = describe(str(engine.url))
    with engine.connect() as conn:
        inspector = inspect(conn)
        present = set(inspector.get_table_names())
        if engine.dialect.name == "sqlite" and present and "articles" not in present:
            shown = ", ".join(sorted(present)[:5])
            raise StoreError(f"{name} is not a geo store (it holds other tables: {shown})")
        if not readonly:
            return
        if not present & GEO_TABLES:
            raise StoreError(f"{name} holds no geo store yet (`python -m geo ingest` makes one)")
        missing = sorted(GEO_TABLES - present)
        for table in metadata.sorted_tables:
            if table.name in present:
                columns = {c["name"] for c in inspector.get_columns(table.name)}
                missing += [
                    f"{table.name}.{c.name}" for c in table.columns if c.name not in columns
                ]
    if missing:
        raise StoreError(
            f"{name} was written by an older version (missing {', '.join(missing[:4])}); "
            "run `python -m geo ingest` on it once to upgrade it"
        )


def create_schema(engine: Engine) -> None:
    """Create missing tables and indexes; safe when two processes open a new store at once."""
    check_geo_store(engine, readonly=False)
    with engine.connect().execution_options(sqlite_immediate=True) as conn, conn.begin():
        if engine.dialect.name == "postgresql":
            # Serialise concurrent schema creation; the lock ends with the transaction.
            conn.exec_driver_sql("SELECT pg_advisory_xact_lock(4242001)")
        metadata.create_all(conn, checkfirst=True)
        _add_missing_columns(conn)
        _backfill_place_totals(conn)


def _add_missing_columns(conn: Connection) -> None:
    """Columns added since a store was created: ALTER TABLE ... ADD COLUMN with their default.

    Every column added after the first release is NOT NULL with a constant default, so old
    rows read as "" (or 0) and no data migration is needed.
    """
    inspector = inspect(conn)
    for table in metadata.sorted_tables:
        present = {c["name"] for c in inspector.get_columns(table.name)}
        for column in table.columns:
            if column.name in present:
                continue
            default = column.default.arg if column.default is not None else None
            if default is None or callable(default):
                raise StoreError(f"cannot add column {table.name}.{column.name} to an old store")
            kind = column.type.compile(dialect=conn.dialect)
            literal = f"'{default}'" if isinstance(default, str) else str(default)
            conn.exec_driver_sql(
                f'ALTER TABLE {table.name} ADD COLUMN "{column.name}" {kind} '
                f"NOT NULL DEFAULT {literal}"
            )


def _backfill_place_totals(conn: Connection) -> None:
    """Fill place_totals for a store written before the table existed."""
    if conn.execute(select(place_totals.c.place_id).limit(1)).first() is not None:
        return
    if conn.execute(select(mentions.c.id).limit(1)).first() is None:
        return
    m = mentions.c
    conn.execute(
        place_totals.insert().from_select(
            ["place_id", "mentions", "articles", "last_date"],
            select(m.place_id, func.count(), func.sum(m.first_in_article), func.max(m.date))
            .where(m.place_id.is_not(None))
            .group_by(m.place_id),
        )
    )
