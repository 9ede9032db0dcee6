"""The analyst's corrections: saving, undoing and applying them to the stored mentions.

Which correction a mention follows: one naming the mention itself beats one for its name in
its article, which beats a store-wide rule; among equals the newest wins. What the resolver
had said is kept in corrected_mentions, so an undo restores it exactly. Every function runs in
the caller's transaction; counts, flags and focus are refreshed before it commits.

On PostgreSQL, writers of articles take a shared advisory lock and writers of corrections an
exclusive one, so a correction saved during an ingest sees every article committed before it,
and every article committed after it sees the correction (SQLite serialises writers anyway).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.engine import Connection, Row

from geo.errors import StoreError
from geo.models import (
    CORRECTION_SCOPES,
    SCOPE_ARTICLE,
    SCOPE_MENTION,
    SCOPE_STORE,
    Article,
    Correction,
    Mention,
    Place,
)
from geo.names import name_key
from geo.store.queries import place_from_row
from geo.store.refresh import refresh_article, refresh_place_totals
from geo.store.schema import articles, corrected_mentions, corrections, mentions, places
from geo.store.writes import insert_article, upsert_places

c, m, cm = corrections.c, mentions.c, corrected_mentions.c
_LOCK_KEY = 4242002
_PRIORITY = {SCOPE_MENTION: 3, SCOPE_ARTICLE: 2, SCOPE_STORE: 1}
CORRECTED_SCORE = 1.0  # the analyst said so


def lock_for_articles(conn: Connection) -> None:
    """Taken by article writers (shared) before they read the corrections."""
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock_shared({_LOCK_KEY})")


def lock_for_corrections(conn: Connection) -> None:
    """Taken by correction writers (exclusive): waits for articles being written."""
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_LOCK_KEY})")


def add_correction(
    conn: Connection,
    scope: str,
    name: str,
    place: Place | None,
    *,
    article_hash: str = "",
    start: int | None = None,
    end: int | None = None,
    note: str = "",
    created_at: dt.datetime | None = None,
    refresh_place: bool = True,
) -> int:
    """Save a correction and apply it at once; returns its id. The target place's row is
    written too (unless `refresh_place` is off: an import that already holds it)."""
    if scope not in CORRECTION_SCOPES:
        raise StoreError(f"unknown correction scope {scope!r}: use one of {CORRECTION_SCOPES}")
    if scope != SCOPE_STORE and not article_hash:
        raise StoreError(f"a {scope} correction needs its article")
    if scope == SCOPE_MENTION and (start is None or end is None):
        raise StoreError("a mention correction needs the mention's offsets")
    if not name_key(name):
        raise StoreError(f"cannot correct the name {name!r}: it has no letters")
    lock_for_corrections(conn)
    if place is not None and refresh_place:
        upsert_places(conn, [place])
    new_id = conn.execute(
        corrections.insert()
        .values(
            created_at=created_at or dt.datetime.now(dt.UTC),
            scope=scope,
            name=name,
            name_key=name_key(name),
            article_hash=article_hash,
            start=start if scope == SCOPE_MENTION else None,
            end_=end if scope == SCOPE_MENTION else None,
            place_id=place.id if place is not None else None,
            note=note,
        )
        .returning(c.id)
    ).scalar_one()
    apply_to_articles(conn, affected_articles(conn, scope, name_key(name), article_hash))
    return int(new_id)


def undo_correction(conn: Connection, correction_id: int) -> None:
    """Mark a correction undone and give its mentions back to the next correction or the
    resolver."""
    lock_for_corrections(conn)
    row = conn.execute(select(corrections).where(c.id == correction_id)).first()
    if row is None:
        raise StoreError(f"no correction with id {correction_id}")
    if row.undone_at is not None:
        raise StoreError(f"correction {correction_id} was already undone")
    conn.execute(
        update(corrections).where(c.id == correction_id).values(undone_at=dt.datetime.now(dt.UTC))
    )
    apply_to_articles(conn, affected_articles(conn, row.scope, row.name_key, row.article_hash))


def affected_articles(conn: Connection, scope: str, key: str, article_hash: str) -> list[int]:
    """Stored articles a correction may change."""
    if scope != SCOPE_STORE:
        found = conn.execute(select(articles.c.id).where(articles.c.hash == article_hash))
        return [row.id for row in found]
    # Names are compared by key (case, accents, punctuation); one pass over distinct surfaces.
    surfaces = [s for (s,) in conn.execute(select(m.surface).distinct()) if name_key(s) == key]
    ids: set[int] = set()
    for i in range(0, len(surfaces), 900):
        query = select(m.article_id).where(m.surface.in_(surfaces[i : i + 900])).distinct()
        ids.update(aid for (aid,) in conn.execute(query))
    return sorted(ids)


def insert_corrected(conn: Connection, article: Article, found: Sequence[Mention]) -> int | None:
    """insert_article, then the saved corrections and rules for it, in one transaction."""
    lock_for_articles(conn)
    article_id = insert_article(conn, article, found)
    if article_id is not None:
        keys = {name_key(x.surface) for x in found}
        apply_to_new_article(conn, article_id, article.hash, keys)
    return article_id


def apply_to_new_article(
    conn: Connection, article_id: int, article_hash: str, keys: set[str] | None = None
) -> None:
    """Apply saved corrections and rules to an article just inserted (same transaction);
    `keys`: the name keys of its mentions, when the caller has them."""
    if keys is None:
        surfaces = conn.execute(select(m.surface).where(m.article_id == article_id))
        keys = {name_key(s) for (s,) in surfaces}
    if not keys:
        return
    relevant = select(c.id).where(
        c.undone_at.is_(None),
        (c.article_hash == article_hash) | ((c.scope == SCOPE_STORE) & c.name_key.in_(keys)),
    )
    if conn.execute(relevant.limit(1)).first() is not None:
        apply_to_articles(conn, [article_id])


def apply_to_articles(conn: Connection, article_ids: Iterable[int]) -> None:
    """Make the mentions of these articles follow the corrections that apply to them now."""
    touched: set[str | None] = set()
    for article_id in article_ids:
        changed = _apply_one(conn, article_id)
        if changed:
            touched |= changed
            touched |= refresh_article(conn, article_id)
    refresh_place_totals(conn, touched)


def _winner(rules: list[Row[Any]], article_hash: str, row: Row[Any]) -> Row[Any] | None:
    key = name_key(row.surface)
    best: Row[Any] | None = None
    for rule in rules:
        if rule.scope == SCOPE_MENTION:
            hit = rule.article_hash == article_hash and (rule.start, rule.end_) == (
                row.start,
                row.end_,
            )
        elif rule.scope == SCOPE_ARTICLE:
            hit = rule.article_hash == article_hash and rule.name_key == key
        else:
            hit = rule.name_key == key
        if hit and (
            best is None or (_PRIORITY[rule.scope], rule.id) > (_PRIORITY[best.scope], best.id)
        ):
            best = rule
    return best


def _apply_one(conn: Connection, article_id: int) -> set[str | None]:
    """Update one article's mentions; returns the place ids whose totals changed."""
    article_hash = conn.execute(select(articles.c.hash).where(articles.c.id == article_id)).scalar()
    if article_hash is None:
        return set()
    rows = conn.execute(
        select(m.id, m.start, m.end_, m.surface, m.place_id, m.score, m.evidence).where(
            m.article_id == article_id
        )
    ).all()
    keys = {name_key(r.surface) for r in rows}
    rules = conn.execute(
        select(corrections).where(
            c.undone_at.is_(None),
            (c.article_hash == article_hash) | ((c.scope == SCOPE_STORE) & c.name_key.in_(keys)),
        )
    ).all()
    held = {
        r.mention_id: r
        for r in conn.execute(
            select(corrected_mentions).where(cm.mention_id.in_([r.id for r in rows]))
        )
    }
    changed: set[str | None] = set()
    for row in rows:
        rule = _winner(rules, article_hash, row)
        before = held.get(row.id)
        if rule is not None:
            target = (rule.place_id, CORRECTED_SCORE, correction_evidence(rule))
            if before is None:
                conn.execute(
                    corrected_mentions.insert().values(
                        mention_id=row.id,
                        correction_id=rule.id,
                        original_place_id=row.place_id,
                        original_score=row.score,
                        original_evidence=row.evidence,
                    )
                )
            elif before.correction_id != rule.id:
                conn.execute(
                    update(corrected_mentions)
                    .where(cm.mention_id == row.id)
                    .values(correction_id=rule.id)
                )
        elif before is not None:
            target = (before.original_place_id, before.original_score, before.original_evidence)
            conn.execute(delete(corrected_mentions).where(cm.mention_id == row.id))
        else:
            continue
        if target != (row.place_id, row.score, row.evidence):
            conn.execute(
                update(mentions)
                .where(m.id == row.id)
                .values(place_id=target[0], score=target[1], evidence=target[2])
            )
            # A new place changes two places' counts; a new score, the best score in the totals.
            if target[0] != row.place_id or target[1] != row.score:
                changed |= {row.place_id, target[0]}
    return changed


def correction_evidence(rule: Row[Any]) -> str:
    """The evidence line of a corrected mention, in plain words."""
    what = {
        SCOPE_MENTION: "this mention",
        SCOPE_ARTICLE: f"“{rule.name}” in this article",
        SCOPE_STORE: f"a rule for “{rule.name}” in every article",
    }[rule.scope]
    day = rule.created_at.date().isoformat() if rule.created_at else ""
    text = f"corrected by the analyst on {day} ({what}, correction {rule.id})"
    return f"{text}: {rule.note}" if rule.note else text


def list_corrections(conn: Connection, include_undone: bool = False) -> list[Correction]:
    """Corrections oldest first, with their place, article id and the mentions following them."""
    following = (
        select(func.count()).where(cm.correction_id == c.id).scalar_subquery().label("following")
    )
    article_id = (
        select(articles.c.id).where(articles.c.hash == c.article_hash).scalar_subquery()
    ).label("article_id")
    query = select(corrections, following, article_id).order_by(c.id)
    if not include_undone:
        query = query.where(c.undone_at.is_(None))
    rows = conn.execute(query).all()
    ids = sorted({r.place_id for r in rows if r.place_id})
    known = {
        row.id: place_from_row(row)
        for i in range(0, len(ids), 900)
        for row in conn.execute(select(places).where(places.c.id.in_(ids[i : i + 900])))
    }
    return [
        Correction(
            id=r.id,
            created_at=r.created_at,
            scope=r.scope,
            name=r.name,
            place=known.get(r.place_id) if r.place_id else None,
            note=r.note,
            article_hash=r.article_hash,
            article_id=r.article_id,
            start=r.start,
            end=r.end_,
            undone_at=r.undone_at,
            mentions=int(r.following or 0),
        )
        for r in rows
    ]
