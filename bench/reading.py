"""Benchmarks of reading by place on the synthetic store: the passage text filter (FTS5 on
SQLite), the passage panel's page, and place search with the name keys.

Called from `python -m bench` (the "dashboard" part), on the same cached synthetic store.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

# A phrase in one passage in five touches 200,000 rows whatever the index; a rare one
# should come back at once.
COMMON_TARGET_MS = 2000
RARE_TARGET_MS = 100


def _timed(fn: Callable[[], Any], repeat: int = 5) -> tuple[float, float, Any]:
    """(first call ms, median of the next `repeat` ms, last result)."""
    started = time.perf_counter()
    result = fn()
    first = (time.perf_counter() - started) * 1000
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return first, times[len(times) // 2], result


def bench_reading(db: Path, rows: list[Any], row: Callable[..., Any]) -> None:
    """Append the reading benchmarks' rows (built with `row(name, value, target, ok)`)."""
    from geo.models import Filters
    from geo.store import Store

    with Store.open(str(db)) as store:
        counts = store.place_counts(Filters())
        rare = counts[len(counts) // 2].place.name  # "Darkaba 5017": a name and its number
        for label, text, target in (
            ("a common phrase, 'convoy left' (~1 in 5 passages)", "convoy left", COMMON_TARGET_MS),
            (
                "the same with an accent and capitals, 'CÓNVOY LEFT'",
                "CÓNVOY LEFT",
                COMMON_TARGET_MS,
            ),
            (f"a rare name, {rare!r}", rare, RARE_TARGET_MS),
        ):
            first, med, found = _timed(lambda t=text: store.place_counts(Filters(text=t)))
            n = sum(pc.count for pc in found)
            rows.append(
                row(
                    f"text filter, per-place counts: {label}; {n:,} mentions",
                    f"{med:.0f} ms (first {first:.0f} ms)",
                    f"< {target} ms",
                    med < target,
                )
            )
        rows.append(row("same common phrase without the index (LIKE scan, for comparison)",
                        f"{_like_scan_ms(store):.0f} ms"))  # fmt: skip
        top = counts[0].place
        first, med, page = _timed(lambda: store.passage_page(top.id, Filters(), limit=50))
        rows.append(
            row(
                f"passage panel page: most mentioned place, 50 sentences "
                f"in {len(page.blocks)} article blocks",
                f"{med:.0f} ms (first {first:.0f} ms)",
                "< 200 ms",
                med < 200,
            )
        )
        first, med, index = _timed(store.name_index, repeat=1)
        rows.append(
            row(
                f"place search index: {len(index):,} names and spellings "
                "(built at the first search; later only newer mentions are read)",
                f"{med:.0f} ms",
                "< 3 s",
                med < 3000,
            )
        )
        query = rare.split()[0][:5].lower()
        first, med, found = _timed(lambda: index.match(query))
        rows.append(
            row(
                f"place search, prefix {query!r} ({len(found):,} places)",
                f"{med:.0f} ms",
                "< 200 ms",
                med < 200,
            )
        )


def _like_scan_ms(store: Any) -> float:
    """The per-place count for 'convoy left' as a LIKE scan, as the filter was before."""
    from sqlalchemy import text

    query = text(
        "SELECT place_id, count(*) FROM mentions WHERE place_id IS NOT NULL "
        "AND sentence LIKE '%convoy left%' GROUP BY place_id"
    )
    with store.engine.connect() as conn:
        started = time.perf_counter()
        conn.execute(query).all()
        return (time.perf_counter() - started) * 1000
