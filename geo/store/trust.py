"""Store methods for the analyst's side: one mention in detail, corrections, user places,
deleting an article and replacing its mentions (re-resolution). Mixed into Store."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TextIO

from sqlalchemy import delete, select
from sqlalchemy.engine import Connection

from geo.errors import StoreError
from geo.models import (
    SCOPE_ARTICLE,
    SCOPE_MENTION,
    SCOPE_STORE,
    Candidate,
    Correction,
    Filters,
    Mention,
    Place,
    UserPlace,
)
from geo.store import affected
from geo.store import corrections as corr
from geo.store import queries as q
from geo.store import user_places as up
from geo.store.queries import place_from_row
from geo.store.refresh import refresh_article, refresh_place_totals
from geo.store.schema import articles, corrected_mentions, mentions, places
from geo.store.writes import insert_mentions, upsert_places

m = mentions.c


@dataclass(frozen=True)
class MentionDetail:
    """One stored mention with what the analyst needs to check it and correct it."""

    mention_id: int
    article_id: int
    article_hash: str
    surface: str
    start: int
    end: int
    place: Place | None
    score: float
    evidence: str
    runners_up: tuple[Candidate, ...]
    correction_id: int | None  # the correction it follows, if any
    original_place_id: str | None  # what the resolver had chosen (when corrected)


def _runners_up(text: str) -> tuple[Candidate, ...]:
    found = []
    for r in json.loads(text or "[]"):
        place = Place(
            id=r["place_id"],
            name=r["name"],
            lat=r["lat"],
            lon=r["lon"],
            country_code=r.get("country_code", ""),
            admin1=r.get("admin1", ""),
        )
        found.append(
            Candidate(
                place=place,
                name_score=r.get("name_score", 0.0),
                matched_name=r.get("matched_name", ""),
                confidence=r.get("confidence", 0.0),
            )
        )
    return tuple(found)


def mention_detail(conn: Connection, mention_id: int) -> MentionDetail:
    cm = corrected_mentions.c
    row = conn.execute(
        select(mentions, articles.c.hash, cm.correction_id, cm.original_place_id)
        .join(articles, articles.c.id == m.article_id)
        .outerjoin(corrected_mentions, cm.mention_id == m.id)
        .where(m.id == mention_id)
    ).first()
    if row is None:
        raise StoreError(f"no mention with id {mention_id}")
    place = None
    if row.place_id is not None:
        found = conn.execute(select(places).where(places.c.id == row.place_id)).first()
        place = place_from_row(found) if found is not None else None
    return MentionDetail(
        mention_id=row.id,
        article_id=row.article_id,
        article_hash=row.hash,
        surface=row.surface,
        start=row.start,
        end=row.end_,
        place=place,
        score=row.score,
        evidence=row.evidence,
        runners_up=_runners_up(row.runners_up),
        correction_id=row.correction_id,
        original_place_id=row.original_place_id,
    )


def delete_article(conn: Connection, article_id: int) -> None:
    """Remove an article, its mentions and their share of every count. Its corrections stay
    (they name the article by content hash) and apply again if it is ingested again."""
    used = {pid for (pid,) in conn.execute(select(m.place_id).where(m.article_id == article_id))}
    ids = select(m.id).where(m.article_id == article_id)
    conn.execute(delete(corrected_mentions).where(corrected_mentions.c.mention_id.in_(ids)))
    conn.execute(delete(mentions).where(m.article_id == article_id))
    if conn.execute(delete(articles).where(articles.c.id == article_id)).rowcount == 0:
        raise StoreError(f"no article with id {article_id}")
    refresh_place_totals(conn, used)


def replace_mentions(conn: Connection, article_id: int, found: Sequence[Mention]) -> None:
    """An article's mentions from a new parse; corrections and rules are applied again."""
    corr.lock_for_articles(conn)
    row = conn.execute(
        select(articles.c.hash, articles.c.date).where(articles.c.id == article_id)
    ).first()
    if row is None:
        raise StoreError(f"no article with id {article_id}")
    used = {pid for (pid,) in conn.execute(select(m.place_id).where(m.article_id == article_id))}
    ids = select(m.id).where(m.article_id == article_id)
    conn.execute(delete(corrected_mentions).where(corrected_mentions.c.mention_id.in_(ids)))
    conn.execute(delete(mentions).where(m.article_id == article_id))
    upsert_places(conn, [x.place for x in found if x.place is not None])
    if found:
        insert_mentions(conn, article_id, row.date, found)
    used |= refresh_article(conn, article_id)
    refresh_place_totals(conn, used)
    corr.apply_to_new_article(conn, article_id, row.hash)


class TrustMethods:
    """Corrections, user places and deletion on a Store (which provides _read and _write)."""

    _read: Callable[..., Any]
    _write: Callable[..., Any]
    _places: Any

    def place_confidence(self, filters: Filters) -> dict[str, float]:
        """Each place's best mention score in the selection (for hollow or hidden markers)."""
        return self._read(lambda conn: q.place_confidence(conn, filters))

    def mention(self, mention_id: int) -> MentionDetail:
        return self._read(lambda conn: mention_detail(conn, mention_id))

    def place(self, place_id: str) -> Place | None:
        """A place row of this store (mentioned, corrected-to or added), or None."""
        query = select(places).where(places.c.id == place_id)
        row = self._read(lambda conn: conn.execute(query).first())
        return place_from_row(row) if row is not None else None

    def correct(
        self,
        name: str,
        place: Place | None,
        *,
        article_id: int | None = None,
        mention_id: int | None = None,
        scope: str | None = None,
        note: str = "",
    ) -> int:
        """Save a correction (place None = not a place) and apply it; returns its id.

        With mention_id the default scope is that mention (the name defaults to its text);
        with article_id, the name in that article; with neither, a rule for the whole store.
        """
        start = end = None
        article_hash = ""
        if mention_id is not None:
            detail = self.mention(mention_id)
            name = name or detail.surface
            start, end, article_hash = detail.start, detail.end, detail.article_hash
            scope = scope or SCOPE_MENTION
        elif article_id is not None:
            article_hash = self._read(
                lambda conn: conn.execute(
                    select(articles.c.hash).where(articles.c.id == article_id)
                ).scalar()
            )
            if article_hash is None:
                raise StoreError(f"no article with id {article_id}")
            scope = scope or SCOPE_ARTICLE
            if scope == SCOPE_MENTION:
                raise StoreError("a mention correction needs the mention's id")
        scope = scope or SCOPE_STORE
        if place is not None:
            self._places.forget([place.id])
        return self._write(
            lambda conn: corr.add_correction(
                conn,
                scope,
                name,
                place,
                article_hash=article_hash,
                start=start,
                end=end,
                note=note,
            )
        )

    def undo_correction(self, correction_id: int) -> None:
        self._write(lambda conn: corr.undo_correction(conn, correction_id))

    def corrections(self, include_undone: bool = False) -> list[Correction]:
        return self._read(lambda conn: corr.list_corrections(conn, include_undone))

    def add_user_place(self, place: UserPlace) -> str:
        self._places.forget([place.place.id])
        return self._write(lambda conn: up.add_user_place(conn, place))

    def user_places(self) -> list[UserPlace]:
        return self._read(up.list_user_places)

    def delete_article(self, article_id: int) -> None:
        self._write(lambda conn: delete_article(conn, article_id))

    def replace_mentions(self, article_id: int, found: Sequence[Mention]) -> None:
        self._places.forget(x.place.id for x in found if x.place is not None)
        self._write(lambda conn: replace_mentions(conn, article_id, found))

    def mentioned_places(self) -> list[Place]:
        return self._read(affected.mentioned_places)

    def articles_naming(self, place_ids: list[str]) -> set[int]:
        return self._read(lambda conn: affected.articles_naming(conn, place_ids))

    def articles_containing(self, name: str, without_place: str) -> set[int]:
        return self._read(lambda conn: affected.articles_containing(conn, name, without_place))

    def resolver_view(self, article_id: int) -> list[tuple[int, int, str | None, str]]:
        return self._read(lambda conn: affected.resolver_view(conn, article_id))

    def article_ids(self) -> list[int]:
        return self._read(affected.all_article_ids)

    def export_corrections(self, file: TextIO) -> int:
        from geo.store.corrections_csv import write_corrections_csv

        return self._read(lambda conn: write_corrections_csv(conn, file))

    def import_corrections(self, file: TextIO, source: str = "CSV") -> tuple[int, int]:
        """Read an export: (user places, corrections) added; duplicates are skipped."""
        from geo.store.corrections_csv import read_corrections_csv

        rows = read_corrections_csv(file, source)
        return self._write(lambda conn: rows.apply(conn))
