"""Keeping derived data true after mentions change: running totals, first-mention flags, focus.

A correction, an undo, a deletion or a re-resolution changes some mentions' places; these
functions recompute what depends on them, for the touched places and articles only, in the
caller's transaction (so the counts never disagree with the mentions).
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import delete, select, update
from sqlalchemy.engine import Connection

from geo.models import Focus, Mention
from geo.store.queries import place_from_row
from geo.store.schema import articles, mentions, place_totals, places, totals_from_mentions

m = mentions.c
_CHUNK = 900  # below SQLite's bound-parameter limit


def _chunks(ids: Iterable[str]) -> Iterable[list[str]]:
    items = sorted(set(ids))  # sorted: concurrent writers lock rows in the same order
    for i in range(0, len(items), _CHUNK):
        yield items[i : i + _CHUNK]


def refresh_place_totals(conn: Connection, place_ids: Iterable[str | None]) -> None:
    """Recount place_totals rows of these places from their mentions (uses the place index)."""
    for chunk in _chunks(pid for pid in place_ids if pid):
        conn.execute(delete(place_totals).where(place_totals.c.place_id.in_(chunk)))
        conn.execute(totals_from_mentions(m.place_id.in_(chunk)))


def refresh_article(conn: Connection, article_id: int) -> set[str]:
    """Recompute an article's first-mention flags and focus; returns its place ids."""
    rows = conn.execute(
        select(m.id, m.place_id, m.role, m.first_in_article, m.first_for_role)
        .where(m.article_id == article_id)
        .order_by(m.start, m.id)
    ).all()
    seen_place: set[str] = set()
    seen_role: set[tuple[str, str]] = set()
    for row in rows:
        first_place = row.place_id is not None and row.place_id not in seen_place
        first_role = row.place_id is not None and (row.place_id, row.role) not in seen_role
        if row.place_id is not None:
            seen_place.add(row.place_id)
            seen_role.add((row.place_id, row.role))
        if (int(first_place), int(first_role)) != (row.first_in_article, row.first_for_role):
            conn.execute(
                update(mentions)
                .where(m.id == row.id)
                .values(first_in_article=int(first_place), first_for_role=int(first_role))
            )
    focus = Focus.from_mentions(_focus_mentions(conn, article_id))
    conn.execute(
        update(articles)
        .where(articles.c.id == article_id)
        .values(focus_country=focus.country_code, focus_admin1=focus.admin1)
    )
    return seen_place


def _focus_mentions(conn: Connection, article_id: int) -> list[Mention]:
    """The article's resolved mentions, just enough of them for Focus.from_mentions."""
    query = (
        select(places, m.role, m.start)
        .join(places, places.c.id == m.place_id)
        .where(m.article_id == article_id)
        .order_by(m.start, m.id)
    )
    return [
        Mention(row.start, row.start, "", row.role, place_from_row(row), 1.0, "", 0)
        for row in conn.execute(query)
    ]
