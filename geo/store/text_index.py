"""The passage text filter: case- and accent-insensitive, served by an index on both backends.

A query matches passages holding its words in order, the last word as a prefix (so it works
as you type): "erdogan" finds "Erdoğan's", "ERDOGAN" and "erdogan". Words are runs of letters
and digits; punctuation in the query only separates words.

- SQLite: an FTS5 table over mentions.sentence (`unicode61 remove_diacritics 2`), kept in
  step by triggers, so every writer (ingest, dashboard upload, another process) keeps it.
- PostgreSQL: a GIN index on a stored column `to_tsvector('simple', geo_fold(sentence))`,
  where geo_fold is lower(unaccent(...)) declared IMMUTABLE (unaccent itself is only
  STABLE). The unaccent extension ships in Debian's postgresql package. Without the right
  to create it the filter falls back to a slower ILIKE scan, with a warning.
"""

from __future__ import annotations

import logging
import re

from sqlalchemy import ColumnElement, Integer, and_, column, literal_column, text
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError

from geo.store.schema import mentions

log = logging.getLogger(__name__)
_WORD = re.compile(r"[^\W_]+")
FTS_TABLE = "mentions_fts"

_SQLITE_DDL = (
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5(sentence, content='mentions', "
    "content_rowid='id', tokenize='unicode61 remove_diacritics 2')",
    f"CREATE TRIGGER IF NOT EXISTS mentions_fts_ai AFTER INSERT ON mentions BEGIN "
    f"INSERT INTO {FTS_TABLE}(rowid, sentence) VALUES (new.id, new.sentence); END",
    f"CREATE TRIGGER IF NOT EXISTS mentions_fts_ad AFTER DELETE ON mentions BEGIN "
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, sentence) "
    "VALUES ('delete', old.id, old.sentence); END",
    f"CREATE TRIGGER IF NOT EXISTS mentions_fts_au AFTER UPDATE OF sentence ON mentions BEGIN "
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, sentence) "
    "VALUES ('delete', old.id, old.sentence); "
    f"INSERT INTO {FTS_TABLE}(rowid, sentence) VALUES (new.id, new.sentence); END",
)

_PG_FOLD = (
    "CREATE OR REPLACE FUNCTION geo_fold(value text) RETURNS text "
    "LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT "
    "AS $$ SELECT lower(public.unaccent('public.unaccent'::regdictionary, value)) $$"
)
# The folded words are stored (a generated column): a phrase query rechecks every row it
# finds, and recomputing unaccent on 200,000 rows would cost seconds.
_PG_COLUMN = (
    "ALTER TABLE mentions ADD COLUMN IF NOT EXISTS sentence_words tsvector "
    "GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, geo_fold(sentence))) STORED"
)
_PG_INDEX = (
    "CREATE INDEX IF NOT EXISTS ix_mentions_sentence_words ON mentions USING gin (sentence_words)"
)
_PG_VECTOR = "mentions.sentence_words"


def words(needle: str) -> list[str]:
    """The query's words, as both indexes split text."""
    return _WORD.findall(needle)


def ensure_text_index(conn: Connection) -> None:
    """Create the index (and, on SQLite, fill it for a store written before it existed)."""
    if conn.dialect.name == "sqlite":
        existed = conn.exec_driver_sql(
            "SELECT 1 FROM sqlite_master WHERE name = ?", (FTS_TABLE,)
        ).first()
        for statement in _SQLITE_DDL:
            conn.exec_driver_sql(statement)
        if existed is None:
            conn.exec_driver_sql(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')")
    elif conn.dialect.name == "postgresql" and not _has_pg_index(conn):
        # Only when missing: ALTER TABLE locks the table even when it changes nothing.
        savepoint = conn.begin_nested()
        try:
            conn.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS unaccent SCHEMA public")
            conn.exec_driver_sql(_PG_FOLD)
            conn.exec_driver_sql(_PG_COLUMN)
            conn.exec_driver_sql(_PG_INDEX)
            savepoint.commit()
        except DBAPIError as exc:
            savepoint.rollback()
            log.warning("no accent-insensitive text index (%s); the filter will scan", exc.orig)


def _has_pg_index(conn: Connection) -> bool:
    found = conn.exec_driver_sql(
        "SELECT 1 FROM pg_indexes WHERE indexname = 'ix_mentions_sentence_words' LIMIT 1"
    ).first()
    return found is not None


def _has_fold(conn: Connection) -> bool:
    found = conn.exec_driver_sql("SELECT 1 FROM pg_proc WHERE proname = 'geo_fold' LIMIT 1").first()
    return found is not None


def fts5_query(needle: str) -> str:
    """The FTS5 MATCH text: one phrase of the words ("w1" + "w2"), the last one a prefix."""
    return " + ".join(f'"{w}"' for w in words(needle)) + " *"


def tsquery_text(needle: str) -> str:
    """The to_tsquery text: the words in sequence (<->), the last one a prefix."""
    parts = [f"'{w}'" for w in words(needle)]
    parts[-1] += ":*"
    return " <-> ".join(parts)


def text_condition(conn: Connection, needle: str) -> ColumnElement[bool] | None:
    """A WHERE term on `mentions` for the passage text filter, or None for no filter."""
    found = words(needle)
    if not found:
        return None if not needle.strip() else mentions.c.sentence.icontains(needle.strip())
    if conn.dialect.name == "sqlite":
        match = text(f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH :fts").bindparams(
            fts=fts5_query(needle)
        )
        return mentions.c.id.in_(match.columns(column("rowid", Integer)))
    if conn.dialect.name == "postgresql" and _has_fold(conn):
        query = text("to_tsquery('simple'::regconfig, geo_fold(:tsq))").bindparams(
            tsq=tsquery_text(needle)
        )
        return literal_column(_PG_VECTOR).op("@@")(query)
    return and_(*(mentions.c.sentence.icontains(w, autoescape=True) for w in found))
