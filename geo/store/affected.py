"""What re-resolution needs to find the articles a gazetteer or user-place change affects."""

from __future__ import annotations

from sqlalchemy import func, or_, select
from sqlalchemy.engine import Connection

from geo.models import Place
from geo.store.queries import place_from_row
from geo.store.schema import articles, corrected_mentions, mentions, places

m, cm = mentions.c, corrected_mentions.c


def mentioned_places(conn: Connection) -> list[Place]:
    """Every place a stored mention points at, or pointed at before a correction."""
    used = select(m.place_id).where(m.place_id.is_not(None))
    before = select(cm.original_place_id).where(cm.original_place_id.is_not(None))
    query = select(places).where(or_(places.c.id.in_(used), places.c.id.in_(before)))
    return [place_from_row(row) for row in conn.execute(query)]


def articles_naming(conn: Connection, place_ids: list[str]) -> set[int]:
    """Articles with a mention that points (or pointed, before a correction) at these places."""
    found: set[int] = set()
    for i in range(0, len(place_ids), 900):
        chunk = place_ids[i : i + 900]
        before = select(cm.mention_id).where(cm.original_place_id.in_(chunk))
        query = select(m.article_id).where(or_(m.place_id.in_(chunk), m.id.in_(before)))
        found.update(aid for (aid,) in conn.execute(query.distinct()))
    return found


def articles_containing(conn: Connection, name: str, without_place: str) -> set[int]:
    """Articles whose text contains `name` (any case) but no mention of the place yet."""
    has_it = select(m.article_id).where(m.place_id == without_place)
    query = select(articles.c.id).where(
        func.lower(articles.c.text).contains(name.lower(), autoescape=True),
        articles.c.id.not_in(has_it),
    )
    return {aid for (aid,) in conn.execute(query)}


def resolver_view(conn: Connection, article_id: int) -> list[tuple[int, int, str | None, str]]:
    """(start, end, place id, role) of an article's mentions as the resolver left them."""
    query = (
        select(m.start, m.end_, m.place_id, cm.original_place_id, cm.mention_id, m.role)
        .outerjoin(corrected_mentions, cm.mention_id == m.id)
        .where(m.article_id == article_id)
        .order_by(m.start, m.id)
    )
    return [
        (r.start, r.end_, r.original_place_id if r.mention_id is not None else r.place_id, r.role)
        for r in conn.execute(query)
    ]


def all_article_ids(conn: Connection) -> list[int]:
    return [aid for (aid,) in conn.execute(select(articles.c.id).order_by(articles.c.id))]
