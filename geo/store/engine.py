"""Opening a database: --db to a SQLAlchemy URL, and engines for writers and readers.

A writer's SQLite connections use WAL and take the write lock up front; a reader's are opened
with mode=ro (immutable where the folder cannot be written) and never change the file.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import quote

from sqlalchemy import create_engine, event, make_url
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import ArgumentError, SQLAlchemyError
from sqlalchemy.pool import StaticPool

from geo.errors import ConfigError, StoreError

DEFAULT_DB = "data/geo.sqlite"
ENV_VAR = "GEO_DB"
SQLITE_BUSY_TIMEOUT_S = 30


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


def reason(exc: SQLAlchemyError | UnicodeError) -> str:
    """The driver's one-line message, without SQLAlchemy's SQL dump and links."""
    if isinstance(exc, UnicodeEncodeError):
        bad = ascii(exc.object[exc.start : exc.end])
        return f"a name or text holds {bad}, which is not valid Unicode (cannot be stored)"
    orig = getattr(exc, "orig", None)
    text = str(orig if orig is not None else exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
