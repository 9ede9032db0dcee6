"""The stored articles as a list: id, title, date and its provenance, source, address, focus."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.engine import Connection

from geo.models import Focus
from geo.store.schema import articles, mentions

T = TypeVar("T")
a = articles.c


@dataclass(frozen=True)
class ArticleInfo:
    """An article's metadata and focus, without its text."""

    id: int
    title: str
    date: dt.date | None
    date_source: str
    source: str
    url: str
    path: str
    language: str
    focus: Focus
    mentions: int  # resolved mentions stored for it
    author: str = ""

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "date": self.date.isoformat() if self.date else None,
            "date_source": self.date_source,
            "source": self.source,
            "url": self.url,
            "author": self.author,
            "language": self.language,
            "focus": {"country_code": self.focus.country_code, "admin1": self.focus.admin1},
        }


def _as_date(value: Any) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


def list_articles(
    conn: Connection,
    focus_country: str = "",
    focus_admin1: str = "",
    limit: int | None = None,
    ids: list[int] | None = None,
) -> list[ArticleInfo]:
    """Articles newest first (undated last), optionally only those with a given focus."""
    resolved = (
        select(func.count())
        .where(mentions.c.article_id == a.id, mentions.c.place_id.is_not(None))
        .scalar_subquery()
    )
    terms: list[ColumnElement[bool]] = []
    if focus_country:
        terms.append(a.focus_country == focus_country.upper())
    if focus_admin1:
        terms.append(func.lower(a.focus_admin1) == focus_admin1.lower())
    if ids is not None:
        terms.append(a.id.in_(ids))
    query = (
        select(
            a.id,
            a.title,
            a.date,
            a.date_source,
            a.source,
            a.url,
            a.path,
            a.language,
            a.author,
            a.focus_country,
            a.focus_admin1,
            resolved.label("n"),
        )
        .where(*terms)
        .order_by(a.date.desc().nulls_last(), a.id.desc())
    )
    if limit is not None:
        query = query.limit(limit)
    return [
        ArticleInfo(
            id=row.id,
            title=row.title,
            date=_as_date(row.date),
            date_source=row.date_source,
            source=row.source,
            url=row.url,
            path=row.path,
            language=row.language,
            focus=Focus(country_code=row.focus_country, admin1=row.focus_admin1),
            mentions=int(row.n or 0),
            author=row.author or "",
        )
        for row in conn.execute(query)
    ]


def focus_countries(conn: Connection) -> list[str]:
    """The focus countries of the stored articles, for a filter."""
    query = select(a.focus_country).where(a.focus_country != "").distinct()
    return sorted(code for (code,) in conn.execute(query))


class ArticleListing:
    """Store methods listing articles (mixed into Store, which provides _read)."""

    _read: Callable[..., Any]

    def articles(
        self, focus_country: str = "", focus_admin1: str = "", limit: int | None = None
    ) -> list[ArticleInfo]:
        """Stored articles newest first, optionally those whose focus is a country/region."""
        return self._read(lambda conn: list_articles(conn, focus_country, focus_admin1, limit))

    def article_info(self, article_id: int) -> ArticleInfo | None:
        found = self._read(lambda conn: list_articles(conn, ids=[article_id]))
        return found[0] if found else None

    def focus_countries(self) -> list[str]:
        return self._read(focus_countries)
