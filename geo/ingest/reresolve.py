"""Re-resolution: parse stored articles again with the current gazetteer and user places.

Only the affected articles are parsed again: those naming a place the gazetteer no longer
has or now describes differently, and those whose text holds a user place's name that no
mention points at yet (`everything=True` parses them all, e.g. after a gazetteer import).
An article whose resolver output is unchanged is left alone; a changed one gets its new
mentions, then the saved corrections and rules again, so manual corrections are kept.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from geo.gazetteer import Gazetteer
from geo.models import Mention, Place
from geo.store import Store

log = logging.getLogger(__name__)
BATCH = 32


@dataclass
class ReresolveReport:
    checked: int = 0  # articles parsed again
    changed: int = 0  # articles whose mentions changed
    total: int = 0  # articles in the store


def _same(a: Place, b: Place) -> bool:
    return (a.name, round(a.lat, 5), round(a.lon, 5), a.country_code, a.feature_code) == (
        b.name,
        round(b.lat, 5),
        round(b.lon, 5),
        b.country_code,
        b.feature_code,
    )


def affected_articles(store: Store, gazetteer: Gazetteer) -> set[int]:
    """Stored articles the current gazetteer and user places may resolve differently."""
    stale = []
    for place in store.mentioned_places():
        now = gazetteer.get(place.id)
        if now is None or not _same(now, place):
            stale.append(place.id)
    found = store.articles_naming(stale) if stale else set()
    for user in gazetteer.user_places.places:
        for name in user.names:
            found |= store.articles_containing(name, without_place=user.place.id)
    return found


def _view(found: list[Mention]) -> list[tuple[int, int, str | None, str]]:
    return [(m.start, m.end, m.place.id if m.place else None, m.role) for m in found]


def reresolve(store: Store, parser, everything: bool = False) -> ReresolveReport:
    """Parse the affected (or all) stored articles again; `parser` is a Geoparser."""
    gazetteer = parser.gazetteer
    gazetteer.use_user_places(store.user_places())
    ids = store.article_ids()
    todo = sorted(ids if everything else affected_articles(store, gazetteer))
    report = ReresolveReport(total=len(ids))
    for i in range(0, len(todo), BATCH):
        batch = todo[i : i + BATCH]
        texts = [store.article_text(aid) for aid in batch]
        for aid, found in zip(batch, parser.parse_many(texts), strict=True):
            report.checked += 1
            if _view(found) != store.resolver_view(aid):
                store.replace_mentions(aid, found)
                report.changed += 1
        log.info("re-resolved %d of %d articles", report.checked, len(todo))
    return report
