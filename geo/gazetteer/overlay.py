"""The analyst's own places laid over the read-only index: found by the same name keys.

A store's user places (geo.models.UserPlace) are few (tens to thousands), so they live in
memory; `Gazetteer.use_user_places` puts them in front of the index for recognition
(`has_name`) and resolution (`candidates`, `get`).
"""

from __future__ import annotations

from collections.abc import Iterable

from geo.models import Candidate, Place, UserPlace
from geo.names import loose_key, name_key

LOOSE_SCORE = 0.9  # as for the index: same skeleton, different spelling


class UserOverlay:
    """User places by exact and loose name key."""

    def __init__(self, places: Iterable[UserPlace]) -> None:
        self.places = tuple(places)
        self._by_id: dict[str, Place] = {}
        self._exact: dict[str, list[tuple[Place, str]]] = {}
        self._loose: dict[str, list[tuple[Place, str]]] = {}
        for user in self.places:
            self._by_id[user.place.id] = user.place
            for name in user.names:
                for table, key in ((self._exact, name_key(name)), (self._loose, loose_key(name))):
                    if key and all(p.id != user.place.id for p, _ in table.get(key, [])):
                        table.setdefault(key, []).append((user.place, name))

    def __len__(self) -> int:
        return len(self._by_id)

    def get(self, place_id: str) -> Place | None:
        return self._by_id.get(place_id)

    def has_name(self, text: str) -> bool:
        key = name_key(text)
        return bool(key) and (key in self._exact or loose_key(text) in self._loose)

    def candidates(self, name: str) -> list[Candidate]:
        """Exact-key matches (score 1.0), else loose-key ones."""
        exact = self._exact.get(name_key(name), [])
        if exact:
            return [Candidate(place=p, name_score=1.0, matched_name=n) for p, n in exact]
        loose = self._loose.get(loose_key(name), [])
        return [Candidate(place=p, name_score=LOOSE_SCORE, matched_name=n) for p, n in loose]
