"""Writing one article: its row, its places, its mentions and the running per-place totals.

Every function here runs inside the caller's transaction, so an article is stored whole or not
at all (see Store.add_article / add_articles).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection

from geo.models import Article, Focus, Mention, Place
from geo.store.schema import articles, mentions, place_totals, places


def _insert(conn: Connection, table: Any) -> Any:
    """An INSERT that knows ON CONFLICT in the connection's dialect."""
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    return dialect.insert(table)


def place_row(place: Place) -> dict[str, Any]:
    return {
        "id": place.id,
        "name": place.name,
        "lat": place.lat,
        "lon": place.lon,
        "country_code": place.country_code,
        "admin1": place.admin1,
        "feature_class": place.feature_class,
        "feature_code": place.feature_code,
        "population": place.population,
        "source": place.source,
        "geonameid": place.geonameid,
    }


def upsert_places(conn: Connection, found: Sequence[Place]) -> None:
    """Insert or refresh place rows, in sorted id order (no deadlock between writers)."""
    by_id = {place.id: place for place in found}
    if by_id:
        upsert = _insert(conn, places)
        upsert = upsert.on_conflict_do_update(
            index_elements=["id"],
            set_={c.name: upsert.excluded[c.name] for c in places.c if c.name != "id"},
        )
        conn.execute(upsert, [place_row(by_id[key]) for key in sorted(by_id)])


def runners_up_json(mention: Mention) -> str:
    return json.dumps(
        [
            {
                "place_id": c.place.id,
                "name": c.place.name,
                "country_code": c.place.country_code,
                "admin1": c.place.admin1,
                "lat": c.place.lat,
                "lon": c.place.lon,
                "name_score": c.name_score,
                "confidence": c.confidence,
                "matched_name": c.matched_name,
            }
            for c in mention.runners_up
        ],
        ensure_ascii=False,
    )


def insert_article(conn: Connection, article: Article, found: Sequence[Mention]) -> int | None:
    """Insert one article with its places, mentions and running totals; None if stored already."""
    focus = Focus.from_mentions(found)
    stmt = (
        _insert(conn, articles)
        .values(
            hash=article.hash,
            title=article.title,
            text=article.text,
            date=article.date,
            date_source=article.date_source,
            source=article.source,
            path=article.path,
            url=article.url,
            author=article.author,
            language=article.language,
            focus_country=focus.country_code,
            focus_admin1=focus.admin1,
            ingested_at=dt.datetime.now(dt.UTC),
        )
        .on_conflict_do_nothing(index_elements=["hash"])
        .returning(articles.c.id)
    )
    article_id = conn.execute(stmt).scalar()
    if article_id is None:
        return None  # same text already stored (perhaps by a concurrent ingest)
    upsert_places(conn, [m.place for m in found if m.place is not None])
    if found:
        insert_mentions(conn, int(article_id), article.date, found)
        add_to_totals(conn, article, found)
    return int(article_id)


# What a re-ingest of an already stored text may change (the text itself cannot change).
METADATA_COLUMNS = ("date", "date_source", "title", "source", "url")


def known_metadata(article: Article) -> dict[str, Any]:
    """The metadata this copy of a text knows: a missing date or an empty title, source or
    url never erases what is stored (a re-upload without a date keeps the stored one)."""
    known = {name: getattr(article, name) for name in ("title", "source", "url")}
    known = {name: value for name, value in known.items() if value}
    if article.date is not None:
        known.update(date=article.date, date_source=article.date_source)
    return known


def update_metadata(conn: Connection, article: Article) -> bool:
    """Give the stored copy of `article`'s text this copy's known metadata; False if not
    stored. The mentions' dates and the places' latest dates follow a new date."""
    values = known_metadata(article)
    article_id = conn.execute(
        articles.update()
        .where(articles.c.hash == article.hash)
        .values(**values)
        .returning(articles.c.id)
    ).scalar()
    if article_id is None:
        return False
    conn.execute(
        mentions.update().where(mentions.c.article_id == article_id).values(date=article.date)
    )
    # The latest date of every place this article names, recomputed from its mentions.
    named = select(mentions.c.place_id).where(
        mentions.c.article_id == article_id, mentions.c.place_id.is_not(None)
    )
    latest = (
        select(func.max(mentions.c.date))
        .where(mentions.c.place_id == place_totals.c.place_id)
        .scalar_subquery()
    )
    conn.execute(
        place_totals.update().where(place_totals.c.place_id.in_(named)).values(last_date=latest)
    )
    return True


def insert_mentions(
    conn: Connection, article_id: int, date: dt.date | None, found: Sequence[Mention]
) -> None:
    """Insert an article's mentions (in text order) with their first-mention flags."""
    first_place, first_role = first_flags(found)
    conn.execute(
        mentions.insert(),
        [
            {
                "article_id": article_id,
                "place_id": m.place.id if m.place is not None else None,
                "start": m.start,
                "end_": m.end,
                "surface": m.surface,
                "role": m.role,
                "score": m.score,
                "sentence": m.sentence,
                "sentence_start": m.sentence_start,
                "runners_up": runners_up_json(m),
                "date": date,
                "first_in_article": int(first_place[i]),
                "first_for_role": int(first_role[i]),
                "evidence": m.evidence,
            }
            for i, m in enumerate(found)
        ],
    )


def add_to_totals(conn: Connection, article: Article, found: Sequence[Mention]) -> None:
    """Add one article's mentions to place_totals (same transaction as the article)."""
    per_place: dict[str, int] = {}
    best: dict[str, float] = {}
    for m in found:
        if m.place is not None:
            per_place[m.place.id] = per_place.get(m.place.id, 0) + 1
            best[m.place.id] = max(best.get(m.place.id, 0.0), m.score)
    if not per_place:
        return
    t = place_totals.c
    upsert = _insert(conn, place_totals)
    new = upsert.excluded
    upsert = upsert.on_conflict_do_update(
        index_elements=["place_id"],
        set_={
            "mentions": t.mentions + new.mentions,
            "articles": t.articles + new.articles,
            # The later of two dates; an undated article changes nothing.
            "last_date": case(
                (t.last_date.is_(None), new.last_date),
                (new.last_date > t.last_date, new.last_date),
                else_=t.last_date,
            ),
            "best_score": case((new.best_score > t.best_score, new.best_score), else_=t.best_score),
        },
    )
    rows = [
        {
            "place_id": pid,
            "mentions": n,
            "articles": 1,
            "last_date": article.date,
            "best_score": best[pid],
        }
        for pid, n in sorted(per_place.items())  # same lock order in every writer
    ]
    conn.execute(upsert, rows)


def first_flags(found: Sequence[Mention]) -> tuple[list[bool], list[bool]]:
    """Which mentions are the first of their place, and of their (place, role), in an article."""
    seen_place: set[str] = set()
    seen_role: set[tuple[str, str]] = set()
    first_place, first_role = [], []
    for m in found:
        key = m.place.id if m.place is not None else None
        first_place.append(key is not None and key not in seen_place)
        first_role.append(key is not None and (key, m.role) not in seen_role)
        if key is not None:
            seen_place.add(key)
            seen_role.add((key, m.role))
    return first_place, first_role
