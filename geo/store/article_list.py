"""The article view's reads: the selection's articles, newest first, and one article's passages."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.engine import Connection

from geo.models import ArticleBlock, ArticleSummary, Filters, Passage, PlaceCount, SentenceCard
from geo.store.passages import _article_heads, _passage, passage_kind
from geo.store.queries import PlaceCache, _as_date, mention_conditions
from geo.store.schema import mentions

m = mentions.c


def article_summaries(
    conn: Connection, filters: Filters, cache: PlaceCache, *, offset: int = 0, limit: int = 50
) -> tuple[list[ArticleSummary], bool]:
    """Articles with a mention in the selection, newest first; and whether more follow."""
    conditions = mention_conditions(filters, conn)
    query = (
        select(m.article_id, func.count().label("n"), func.max(m.date).label("d"))
        .where(*conditions)
        .group_by(m.article_id)
        .order_by(func.max(m.date).desc().nulls_last(), m.article_id.desc())
        .offset(offset)
        .limit(limit + 1)
    )
    rows = conn.execute(query).all()
    has_more = len(rows) > limit
    rows = rows[:limit]
    ids = [row.article_id for row in rows]
    if not ids:
        return [], False
    heads = _article_heads(conn, ids)
    per_place = conn.execute(
        select(m.article_id, m.place_id, func.count().label("n"), func.max(m.date).label("d"))
        .where(m.article_id.in_(ids), *conditions)
        .group_by(m.article_id, m.place_id)
    ).all()
    known = cache.get_many(conn, sorted({row.place_id for row in per_place}))
    places: dict[int, list[PlaceCount]] = defaultdict(list)
    for row in per_place:
        places[row.article_id].append(PlaceCount(known[row.place_id], row.n, 1, _as_date(row.d)))
    summaries = []
    for row in rows:
        head = heads[row.article_id]
        listed = sorted(places[row.article_id], key=lambda pc: (-pc.count, pc.place.name))
        summaries.append(
            ArticleSummary(
                article_id=row.article_id,
                title=head.title,
                date=_as_date(head.date),
                source=head.source,
                url=head.url,
                mentions=row.n,
                places=tuple(listed),
            )
        )
    return summaries, has_more


def article_block(conn: Connection, article_id: int, filters: Filters) -> ArticleBlock | None:
    """Every sentence of one article that names a place in the selection, all names marked."""
    heads = _article_heads(conn, [article_id])
    if article_id not in heads:
        return None
    head = heads[article_id]
    rows = conn.execute(
        select(m.id, m.article_id, m.place_id, m.date, m.sentence, m.sentence_start)
        .add_columns(m.start, m.end_, m.score, m.surface)
        .where(m.article_id == article_id, *mention_conditions(filters, conn))
        .order_by(m.start)
    ).all()
    groups: dict[int, list[Any]] = defaultdict(list)
    headline = 0
    for row in rows:
        passage = _passage(row, head.url)
        kind = passage_kind(passage, head.head, head.title)
        if kind == "headline":
            headline += 1
        elif kind == "sentence":
            groups[row.sentence_start].append((row, passage))
    cards = []
    for start, group in groups.items():
        mine: tuple[Passage, ...] = tuple(passage for _, passage in group)
        cards.append(SentenceCard(article_id, group[0][0].sentence, start, mine))
    return ArticleBlock(
        article_id=article_id,
        title=head.title,
        date=_as_date(head.date),
        source=head.source,
        url=head.url,
        cards=tuple(cards),
        headline_mentions=headline,
    )
