"""Opening a store for writing (create, upgrade) or for reading only (never change it)."""

from __future__ import annotations

from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

from geo.errors import StoreError
from geo.store.engine import describe, make_engine, reason, resolve_db_url, sqlite_path
from geo.store.schema import check_geo_store, create_schema
from geo.store.text_index import ensure_text_index


def open_engine(db: str | None, *, readonly: bool) -> tuple[Engine, str]:
    """(engine, url) for --db / $GEO_DB / data/geo.sqlite, checked to be a geo store.

    A writer creates the store (and its folder) when missing and upgrades an old one. A reader
    never creates, upgrades or changes anything: a missing store, or a database that is not a
    geo store, is a StoreError; SQLite is opened with mode=ro and works on a read-only mount.
    """
    url = resolve_db_url(db, create_folder=not readonly)
    path = sqlite_path(url)
    if readonly and path is not None and not path.exists():
        raise StoreError(f"no store at {path} (`python -m geo ingest` makes one)")
    if not readonly and path is not None and path.exists():
        # Look before the writer's first connection switches the file to WAL mode.
        probe = make_engine(url, readonly=True)
        try:
            check_geo_store(probe, readonly=False)
        except SQLAlchemyError:
            pass  # not a database at all: create_schema below names the problem
        finally:
            probe.dispose()
    engine = make_engine(url, readonly=readonly)
    try:
        if readonly:
            check_geo_store(engine, readonly=True)
        else:
            create_schema(engine)
            with engine.connect().execution_options(sqlite_immediate=True) as conn, conn.begin():
                if engine.dialect.name == "postgresql":
                    conn.exec_driver_sql("SELECT pg_advisory_xact_lock(4242002)")
                ensure_text_index(conn)
    except (SQLAlchemyError, StoreError) as exc:
        engine.dispose()
        if isinstance(exc, StoreError):
            raise
        raise StoreError(f"cannot open the store at {describe(url)}: {reason(exc)}") from exc
    return engine, url
