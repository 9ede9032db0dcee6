"""The dashboard's read queries over the store, every one following the same Filters."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, false, func, select
from sqlalchemy.engine import Connection, Row

from geo.models import (
    BROAD_FEATURE_CODES,
    EARLIEST_DATE,
    ROLES,
    Filters,
    Place,
    PlaceCount,
    latest_date,
)
from geo.store.schema import articles, mentions, place_totals, places
from geo.store.text_index import text_condition

m, a, p = mentions.c, articles.c, places.c


@dataclass(frozen=True)
class MentionRow:
    """One resolved mention with its article and place, flat, for exports."""

    mention_id: int
    article_id: int
    title: str
    date: dt.date | None
    source: str
    path: str
    place_id: str
    place_name: str
    country_code: str
    lat: float
    lon: float
    surface: str
    role: str
    score: float
    start: int
    end: int
    sentence: str
    url: str = ""
    admin1: str = ""


def place_from_row(row: Row[Any] | Any) -> Place:
    return Place(
        id=row.id,
        name=row.name,
        lat=row.lat,
        lon=row.lon,
        country_code=row.country_code or "",
        admin1=row.admin1 or "",
        feature_class=row.feature_class or "",
        feature_code=row.feature_code or "",
        population=row.population or 0,
        source=row.source or "",
        geonameid=row.geonameid,
    )


def mention_conditions(filters: Filters, conn: Connection) -> list[ColumnElement[bool]]:
    """WHERE terms on `mentions` (resolved mentions only) for a selection."""
    terms: list[ColumnElement[bool]] = [m.place_id.is_not(None)]
    if filters.date_from is not None:
        terms.append(m.date >= filters.date_from)
    if filters.date_to is not None:
        terms.append(m.date <= filters.date_to)
    if not filters.roles:
        terms.append(false())
    elif set(filters.roles) != set(ROLES):
        terms.append(m.role.in_(tuple(filters.roles)))
    # Case- and accent-insensitive, served by FTS5 or a GIN index (text_index).
    text_term = text_condition(conn, filters.text)
    if text_term is not None:
        terms.append(text_term)
    place_terms = place_conditions(filters)
    if place_terms:
        terms.append(m.place_id.in_(select(p.id).where(*place_terms)))
    if filters.focus:
        focus = tuple(c.upper() for c in filters.focus)
        terms.append(m.article_id.in_(select(a.id).where(a.focus_country.in_(focus))))
    return terms


def place_conditions(filters: Filters) -> list[ColumnElement[bool]]:
    """WHERE terms on `places` (countries, broad places) for a selection."""
    terms: list[ColumnElement[bool]] = []
    if filters.countries:
        terms.append(p.country_code.in_(tuple(c.upper() for c in filters.countries)))
    if not filters.include_broad:
        terms.append(p.feature_code.not_in(tuple(sorted(BROAD_FEATURE_CODES))))
    return terms


class PlaceCache:
    """Place rows by id, read once: building 20,000 Place objects per query would cost more
    than the query itself. A place row changes only when an ingest rewrites it from a
    rebuilt gazetteer; this process forgets the places it writes, and another process's
    dashboard picks such changes up when it restarts."""

    def __init__(self) -> None:
        self._places: dict[str, Place] = {}

    def forget(self, ids: Iterable[str]) -> None:
        for place_id in ids:
            self._places.pop(place_id, None)

    def get_many(self, conn: Connection, ids: list[str]) -> dict[str, Place]:
        missing = [i for i in ids if i not in self._places]
        for chunk in range(0, len(missing), 900):  # below SQLite's bound-parameter limit
            rows = conn.execute(select(places).where(p.id.in_(missing[chunk : chunk + 900])))
            for row in rows:
                self._places[row.id] = place_from_row(row)
        return self._places


def _all_mentions(filters: Filters) -> bool:
    """No date, text or role condition: the running totals answer the query."""
    return (
        filters.date_from is None
        and filters.date_to is None
        and not filters.text.strip()
        and set(filters.roles) == set(ROLES)
        and not filters.focus
    )


def _counts(conn: Connection, inner: Select[Any], cache: PlaceCache) -> list[PlaceCount]:
    return _assemble(conn, conn.execute(inner.group_by(m.place_id)).all(), cache)


def _assemble(conn: Connection, rows: list[Any], cache: PlaceCache) -> list[PlaceCount]:
    known = cache.get_many(conn, [row[0] for row in rows])
    counts = [
        PlaceCount(
            place=known[row[0]],
            count=row[1],
            articles=row[2],
            last_date=_as_date(row[3]),
            best_score=float(row[4]) if len(row) > 4 and row[4] is not None else None,
        )
        for row in rows
    ]
    counts.sort(key=lambda pc: (-pc.count, pc.place.name, pc.place.id))
    return counts


def _as_date(value: Any) -> dt.date | None:
    # MAX() over a DATE column comes back as text from SQLite.
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


def _article_count(filters: Filters) -> ColumnElement[Any]:
    """Distinct articles per place: a sum of first-mention flags unless the filter can drop
    an article's first mention (text, or some but not all roles)."""
    if not filters.text.strip():
        if set(filters.roles) == set(ROLES):
            return func.sum(m.first_in_article)
        if len(set(filters.roles)) == 1:
            return func.sum(m.first_for_role)
    return func.count(m.article_id.distinct())


def place_counts(
    conn: Connection, filters: Filters, cache: PlaceCache, use_totals: bool = True
) -> list[PlaceCount]:
    if use_totals and _all_mentions(filters):
        t = place_totals.c
        rows = conn.execute(
            select(t.place_id, t.mentions, t.articles, t.last_date, t.best_score)
        ).all()
        counts = _assemble(conn, rows, cache)
        # Country and broad-place filters on the cached places: cheaper than a join here.
        countries = {c.upper() for c in filters.countries}
        return [
            pc
            for pc in counts
            if (not countries or pc.place.country_code in countries)
            and (filters.include_broad or pc.place.feature_code not in BROAD_FEATURE_CODES)
        ]
    inner = select(
        m.place_id,
        func.count().label("n"),
        _article_count(filters).label("n_articles"),
        func.max(m.date).label("last_date"),
        func.max(m.score).label("best_score"),  # in the same pass: no second query
    ).where(*mention_conditions(filters, conn))
    return _counts(conn, inner, cache)


def article_places(conn: Connection, article_id: int, cache: PlaceCache) -> list[PlaceCount]:
    inner = select(
        m.place_id,
        func.count().label("n"),
        func.count(m.article_id.distinct()).label("n_articles"),
        func.max(m.date).label("last_date"),
        func.max(m.score).label("best_score"),
    ).where(m.article_id == article_id, m.place_id.is_not(None))
    return _counts(conn, inner, cache)


def timeline(
    conn: Connection, filters: Filters, freq: str, place_id: str | None = None
) -> list[tuple[dt.date, int]]:
    """Mentions per day or per week (Mondays), gaps filled with zeros; one place's if given.

    Dates no article can have (stored before they were refused: 0202-05-04, 9999-12-31) are
    left out, so the series keeps to the span of the real data and stays plottable."""
    terms = mention_conditions(filters, conn)
    if place_id is not None:
        terms.append(m.place_id == place_id)
    query = (
        select(m.date, func.count().label("n"))
        .where(m.date.between(EARLIEST_DATE, latest_date()), *terms)
        .group_by(m.date)
    )
    buckets: dict[dt.date, int] = {}
    for day, n in conn.execute(query):
        day = _as_date(day)
        assert day is not None  # excluded by the WHERE clause
        key = day - dt.timedelta(days=day.weekday()) if freq == "W" else day
        buckets[key] = buckets.get(key, 0) + n
    if not buckets:
        return []
    step = dt.timedelta(days=7 if freq == "W" else 1)
    current, last = min(buckets), max(buckets)
    series: list[tuple[dt.date, int]] = []
    while current <= last:
        series.append((current, buckets.get(current, 0)))
        current += step
    return series


def date_bounds(conn: Connection) -> tuple[dt.date | None, dt.date | None]:
    plausible = a.date.between(EARLIEST_DATE, latest_date())
    low, high = conn.execute(select(func.min(a.date), func.max(a.date)).where(plausible)).one()
    return _as_date(low), _as_date(high)


def countries(conn: Connection) -> list[str]:
    used = select(m.id).where(m.place_id == p.id).exists()
    query = select(p.country_code).where(p.country_code != "", used).distinct()
    return sorted(code for (code,) in conn.execute(query))


def mention_rows(
    conn: Connection, filters: Filters, place_id: str | None = None
) -> Iterator[MentionRow]:
    terms = mention_conditions(filters, conn)
    if place_id is not None:
        terms.append(m.place_id == place_id)
    query = (
        select(
            m.id.label("mention_id"),
            m.article_id,
            a.title,
            m.date,
            a.source,
            a.path,
            m.place_id,
            p.name.label("place_name"),
            p.country_code,
            p.lat,
            p.lon,
            m.surface,
            m.role,
            m.score,
            m.start,
            m.end_,
            m.sentence,
            a.url,
            p.admin1,
        )
        .join(articles, a.id == m.article_id)
        .join(places, p.id == m.place_id)
        .where(*terms)
        .order_by(m.article_id, m.start)
    )
    for row in conn.execution_options(yield_per=2000).execute(query):
        values = row._asdict()
        values["end"] = values.pop("end_")
        values["date"] = _as_date(values["date"])
        yield MentionRow(**values)


def place_confidence(conn: Connection, filters: Filters) -> dict[str, float]:
    """The best resolver score among each place's mentions in the selection."""
    if _all_mentions(filters):
        # The running totals keep it: grouping 1,000,000 mentions took 3 s.
        t = place_totals.c
        kept = conn.execute(
            select(t.place_id, t.best_score)
            .join(places, p.id == t.place_id)
            .where(*place_conditions(filters))
        )
        return {pid: float(best) for pid, best in kept}
    query = (
        select(m.place_id, func.max(m.score))
        .where(*mention_conditions(filters, conn))
        .group_by(m.place_id)
    )
    return {pid: float(best) for pid, best in conn.execute(query)}
