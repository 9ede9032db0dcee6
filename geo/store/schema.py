"""The store's tables and engine: one SQLAlchemy Core schema for SQLite and PostgreSQL."""

from __future__ import annotations

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
    func,
    inspect,
    select,
)
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.sql import ColumnElement, Insert

from geo.errors import StoreError
from geo.store.engine import describe

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
    # The best resolver score among the place's mentions (hollow or hidden markers).
    Column("best_score", Float, nullable=False, default=0.0),
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
        added = _add_missing_columns(conn)
        _backfill_place_totals(conn)
        if ("place_totals", "best_score") in added:
            _backfill_best_scores(conn)


def _add_missing_columns(conn: Connection) -> set[tuple[str, str]]:
    """Columns added since a store was created: ALTER TABLE ... ADD COLUMN with their default.

    Every column added after the first release is NOT NULL with a constant default, so old
    rows read as "" (or 0) and no data migration is needed.
    """
    inspector = inspect(conn)
    added: set[tuple[str, str]] = set()
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
            added.add((table.name, column.name))
    return added


def _backfill_place_totals(conn: Connection) -> None:
    """Fill place_totals for a store written before the table existed."""
    if conn.execute(select(place_totals.c.place_id).limit(1)).first() is not None:
        return
    if conn.execute(select(mentions.c.id).limit(1)).first() is None:
        return
    conn.execute(totals_from_mentions(mentions.c.place_id.is_not(None)))


def totals_from_mentions(condition: ColumnElement[bool]) -> Insert:
    """INSERT INTO place_totals the counts of the mentions matching `condition`, per place:
    one definition for the backfill of old stores and the refresh after corrections."""
    m = mentions.c
    return place_totals.insert().from_select(
        ["place_id", "mentions", "articles", "last_date", "best_score"],
        select(
            m.place_id,
            func.count(),
            func.sum(m.first_in_article),
            func.max(m.date),
            func.max(m.score),
        )
        .where(condition)
        .group_by(m.place_id),
    )


def _backfill_best_scores(conn: Connection) -> None:
    """place_totals.best_score for a store written before the column existed."""
    t, m = place_totals.c, mentions.c
    best = select(func.max(m.score)).where(m.place_id == t.place_id).scalar_subquery()
    conn.execute(place_totals.update().values(best_score=func.coalesce(best, 0.0)))
