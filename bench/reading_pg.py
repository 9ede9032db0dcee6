"""The passage text filter on PostgreSQL at the synthetic store's size.

    python -m bench.reading_pg bench/out/synthetic-100000-1000000-20000.sqlite \\
        postgresql://postgres@127.0.0.1:5432/bench

Writing a million mentions through Store.add_articles into PostgreSQL takes over an hour
on two cores, so the cached SQLite store's rows are copied in with COPY (into the schema
that Store.open creates, its text index included); then the same queries as on SQLite are
timed through the Store. The target database must be empty.
"""

from __future__ import annotations

import argparse
import sqlite3
import time

import psycopg

from bench.reading import _timed

TABLES = ("articles", "places", "mentions", "place_totals")


def copy_store(sqlite_path: str, pg_url: str) -> float:
    """Copy every row of the SQLite store into PostgreSQL; returns seconds taken."""
    from geo.store import Store

    Store.open(pg_url).close()  # schema, indexes and the text index
    started = time.perf_counter()
    source = sqlite3.connect(sqlite_path)
    plain = pg_url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(plain) as target:
        # The GIN index is built once after the copy: cheaper than 1M incremental updates.
        target.execute("DROP INDEX IF EXISTS ix_mentions_sentence_words")
        for table in TABLES:
            columns = [row[1] for row in source.execute(f"PRAGMA table_info({table})")]
            names = ", ".join(f'"{c}"' for c in columns)
            with target.cursor().copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in source.execute(f"SELECT {names} FROM {table}"):
                    copy.write_row(row)
        target.execute("SELECT setval('mentions_id_seq', (SELECT max(id) FROM mentions))")
        target.execute("SELECT setval('articles_id_seq', (SELECT max(id) FROM articles))")
    Store.open(pg_url).close()  # builds the text index over the copied rows
    with psycopg.connect(plain, autocommit=True) as target:
        target.execute("ANALYZE")
    return time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.reading_pg", description=__doc__)
    parser.add_argument("sqlite", help="the cached synthetic SQLite store")
    parser.add_argument("pg_url", help="postgresql:// URL of an empty database")
    args = parser.parse_args(argv)
    from geo.models import Filters
    from geo.store import Store

    seconds = copy_store(args.sqlite, args.pg_url)
    print(f"copied the store in {seconds:.0f} s (rows, indexes and the text index)")
    with Store.open(args.pg_url) as store:
        counts = store.place_counts(Filters())
        rare = counts[len(counts) // 2].place.name
        for text in ("convoy left", "CÓNVOY LEFT", rare):
            first, med, found = _timed(lambda t=text: store.place_counts(Filters(text=t)))
            n = sum(pc.count for pc in found)
            print(f"| PostgreSQL text filter, per-place counts: {text!r}; {n:,} mentions "
                  f"| {med:.0f} ms (first {first:.0f} ms) |")  # fmt: skip
        with store.engine.connect() as conn:
            plan = conn.exec_driver_sql(
                "EXPLAIN SELECT count(*) FROM mentions WHERE "
                "sentence_words @@ to_tsquery('simple'::regconfig, geo_fold('''qebrara'':*'))"
            ).all()
            print("plan:", " / ".join(row[0].strip() for row in plan[:4]))
            started = time.perf_counter()
            conn.exec_driver_sql(
                "SELECT place_id, count(*) FROM mentions WHERE place_id IS NOT NULL "
                "AND sentence ILIKE '%%convoy left%%' GROUP BY place_id"
            ).all()
            print(f"| same common phrase as an ILIKE scan (for comparison) "
                  f"| {(time.perf_counter() - started) * 1000:.0f} ms |")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
