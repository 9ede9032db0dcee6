"""The passage panel's reads: one place's sentences grouped by article, newest first.

A page holds `limit` sentences ("cards"). Each card is one sentence with every mention of
the place in it; the article's headline and dateline are reported on the block, not shown
as passages; the article's other places come once per block, capped.
"""

from __future__ import annotations

import dataclasses
import re
from collections import defaultdict
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.engine import Connection

from geo.models import ArticleBlock, Filters, Passage, PassagePage, PlaceCount, SentenceCard
from geo.store.queries import PlaceCache, _as_date, mention_conditions
from geo.store.schema import articles, mentions

m, a = mentions.c, articles.c
HEAD_CHARS = 600  # enough of each article's opening for its headline and dateline

# "CHARLESTON, W.Va. (AP) —", "BEIRUT (Reuters) -", "IDLIB, Syria —": a capitalised place,
# an optional region and agency, then a dash or colon, at the start of the body.
_DATELINE = re.compile(
    r"[ \t]*(?P<dl>[A-Z][A-Z'’ .-]{1,40}[A-Z.]"
    r"(?:,[ \t]*[A-Z][A-Za-z. ]{1,30}?)?"
    r"(?:[ \t]*\([^)\n]{1,40}\))?)[ \t]*(?:—|–|--|-|:)[ \t]"
)


def headline_end(head: str, title: str) -> int:
    """Where the headline ends in the article text: len(title) if the text opens with it."""
    title = title.strip()
    return len(title) if title and head.startswith(title) else 0


def dateline_span(head: str, title: str) -> tuple[int, int] | None:
    """The dateline's offsets in the article text, when the body opens with one."""
    start = headline_end(head, title)
    while start < len(head) and head[start].isspace():
        start += 1
    match = _DATELINE.match(head, start)
    if match is None:
        return None
    return match.start("dl"), match.end("dl")


def passage_kind(passage: Passage, head: str, title: str) -> str:
    """ "headline", "dateline" or "sentence" for a mention, from its article's opening."""
    if passage.article_start < headline_end(head, title):
        return "headline"
    span = dateline_span(head, title)
    if span is not None and span[0] <= passage.article_start < span[1]:
        return "dateline"
    return "sentence"


def _card_keys(
    conn: Connection, place_id: str, filters: Filters, offset: int, limit: int
) -> list[tuple[int, int]]:
    """(article_id, sentence_start) of the page's sentences, newest article first.

    Mentions are read in the place index's order and deduplicated here, stopping once the
    page is full: a GROUP BY would sort all 93,000 mentions of the most mentioned place."""
    query = (
        select(m.article_id, m.sentence_start)
        .where(m.place_id == place_id, *mention_conditions(filters, conn))
        .order_by(m.date.desc().nulls_last(), m.article_id.desc(), m.sentence_start)
        .execution_options(yield_per=1000)
    )
    keys: list[tuple[int, int]] = []
    seen: set[tuple[int, int]] = set()
    result = conn.execute(query)
    try:
        for article_id, sentence_start in result:
            key = (article_id, sentence_start)
            if key not in seen:
                seen.add(key)
                keys.append(key)
                if len(keys) > offset + limit:
                    break
    finally:
        result.close()
    return keys[offset:]


def _other_places(
    conn: Connection, article_ids: list[int], place_id: str, cache: PlaceCache
) -> dict[int, list[PlaceCount]]:
    query = (
        select(
            m.article_id,
            m.place_id,
            func.count().label("n"),
            func.max(m.date).label("last"),
        )
        .where(m.article_id.in_(article_ids), m.place_id.is_not(None), m.place_id != place_id)
        .group_by(m.article_id, m.place_id)
    )
    rows = conn.execute(query).all()
    known = cache.get_many(conn, sorted({row.place_id for row in rows}))
    found: dict[int, list[PlaceCount]] = defaultdict(list)
    for row in rows:
        found[row.article_id].append(PlaceCount(known[row.place_id], row.n, 1, _as_date(row.last)))
    for counts in found.values():
        counts.sort(key=lambda pc: (-pc.count, pc.place.name, pc.place.id))
    return found


def _article_heads(conn: Connection, article_ids: list[int]) -> dict[int, Any]:
    query = select(
        a.id, a.title, a.date, a.source, a.url, func.substr(a.text, 1, HEAD_CHARS).label("head")
    ).where(a.id.in_(article_ids))
    return {row.id: row for row in conn.execute(query)}


def _passage(row: Any, url: str) -> Passage:
    return Passage(
        mention_id=row.id,
        article_id=row.article_id,
        title="",
        date=_as_date(row.date),
        source="",
        sentence=row.sentence,
        highlight_start=row.start - row.sentence_start,
        highlight_end=row.end_ - row.sentence_start,
        article_start=row.start,
        article_end=row.end_,
        score=row.score,
        url=url,
        place_id=row.place_id,
        surface=row.surface,
    )


def passage_page(
    conn: Connection,
    place_id: str,
    filters: Filters,
    cache: PlaceCache,
    *,
    offset: int = 0,
    limit: int = 50,
) -> PassagePage:
    """Sentences `offset`..`offset+limit` that name a place, grouped by article."""
    keys = _card_keys(conn, place_id, filters, offset, limit)
    has_more = len(keys) > limit
    keys = keys[:limit]
    article_ids = list(dict.fromkeys(article_id for article_id, _ in keys))
    if not article_ids:
        return PassagePage((), False)
    wanted = set(keys)
    heads = _article_heads(conn, article_ids)
    rows = conn.execute(
        select(m.id, m.article_id, m.place_id, m.date, m.sentence, m.sentence_start)
        .add_columns(m.start, m.end_, m.score, m.surface)
        .where(m.article_id.in_(article_ids), m.place_id.is_not(None))
        .order_by(m.article_id, m.start)
    ).all()
    chosen = {
        row.id
        for row in conn.execute(
            select(m.id).where(
                m.article_id.in_(article_ids),
                m.place_id == place_id,
                *mention_conditions(filters, conn),
            )
        )
    }
    by_sentence: dict[tuple[int, int], list[Any]] = defaultdict(list)
    for row in rows:
        if (row.article_id, row.sentence_start) in wanted:
            by_sentence[(row.article_id, row.sentence_start)].append(row)
    others = _other_places(conn, article_ids, place_id, cache)
    blocks = []
    for article_id in article_ids:
        head = heads[article_id]
        cards: list[SentenceCard] = []
        headline = 0
        dateline = ""
        for key in (k for k in keys if k[0] == article_id):
            group = by_sentence[key]
            mine: list[Passage] = []
            spans: list[tuple[int, int]] = []
            for row in group:
                passage = _passage(row, head.url)
                if row.id not in chosen:
                    spans.append((passage.highlight_start, passage.highlight_end))
                    continue
                kind = passage_kind(passage, head.head, head.title)
                if kind == "headline":
                    headline += 1
                elif kind == "dateline":
                    span = dateline_span(head.head, head.title)
                    dateline = head.head[span[0] : span[1]] if span else passage.surface
                else:
                    mine.append(passage)
            if mine:
                sentence = group[0].sentence
                cards.append(SentenceCard(article_id, sentence, key[1], tuple(mine), tuple(spans)))
        listed = others.get(article_id, [])
        blocks.append(
            ArticleBlock(
                article_id=article_id,
                title=head.title,
                date=_as_date(head.date),
                source=head.source,
                url=head.url,
                cards=tuple(cards),
                headline_mentions=headline,
                dateline=dateline,
                other_places=tuple(listed),
            )
        )
    return PassagePage(tuple(blocks), has_more)


def passages(conn: Connection, place_id: str, filters: Filters, limit: int | None) -> list[Passage]:
    """Every mention of a place in the selection as a flat list, newest first, undated last."""
    query = (
        select(m.id, m.article_id, m.place_id, m.date, m.sentence, m.sentence_start)
        .add_columns(m.start, m.end_, m.score, m.surface, a.title, a.source, a.url)
        .join(articles, a.id == m.article_id)
        .where(m.place_id == place_id, *mention_conditions(filters, conn))
        .order_by(m.date.desc().nulls_last(), m.article_id.desc(), m.start)
    )
    if limit is not None:
        query = query.limit(limit)
    return [
        dataclasses.replace(_passage(row, row.url), title=row.title, source=row.source)
        for row in conn.execute(query)
    ]
