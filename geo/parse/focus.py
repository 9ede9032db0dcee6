"""The article's focus: the country, and the state or province, it is about (CLIFF's "focus").

Found before any name is resolved, from the names whose reading is clear: countries and
first-level regions named under their own name, demonyms ("Syrian"), and towns whose every
exact reading lies in one country or one region. The focus then weighs on every name of the
article, so "Paris" in a story about Lamar County, Texas, is Paris, Texas, and "Richmond"
in a London story is the one in London.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from geo.models import ROLE_ADJECTIVE, Candidate

MIN_SHARE = 0.05  # readings below this share of a name cast no vote
_PER_NAME_CAP = 3  # a name repeated ten times votes at most three times


@dataclass(frozen=True)
class Focus:
    """Shares (0..1) of the article's evidence per country and per (country, admin1)."""

    countries: dict[str, float] = field(default_factory=dict)
    regions: dict[tuple[str, str], float] = field(default_factory=dict)
    # Votes per name key, so a name's own votes can be left out when it is ranked.
    votes_by_name: dict[str, tuple[Counter[str], Counter[tuple[str, str]]]] = field(
        default_factory=dict
    )

    @property
    def country(self) -> str:
        return max(self.countries, key=self.countries.__getitem__) if self.countries else ""

    @property
    def region(self) -> tuple[str, str] | None:
        return max(self.regions, key=self.regions.__getitem__) if self.regions else None

    def without(self, key: str) -> Focus:
        """The focus as the article's other names see it (a name never votes for itself)."""
        own = self.votes_by_name.get(key)
        if own is None:
            return self
        countries: Counter[str] = Counter()
        regions: Counter[tuple[str, str]] = Counter()
        for other, (c, r) in self.votes_by_name.items():
            if other != key:
                countries.update(c)
                regions.update(r)
        return _shares(countries, regions, {})


def _name_votes(
    role: str, scored: Sequence[tuple[float, Candidate]]
) -> tuple[Counter[str], Counter[tuple[str, str]]]:
    """Soft votes of one mention: each reading's share of the focus-free ranking.

    A country named outright votes double; a first-level region named outright votes for
    its region too. "Dallas" (nearly all of its weight on Dallas, Texas) votes for Texas;
    "Springfield" (spread over many states) votes for none in particular.
    """
    countries: Counter[str] = Counter()
    regions: Counter[tuple[str, str]] = Counter()
    if not scored:
        return countries, regions
    top = max(s for s, _ in scored)
    weights = [(math.exp(s - top), c) for s, c in scored]
    z = sum(w for w, _ in weights)
    for w, c in weights:
        share = w / z
        if share < MIN_SHARE:
            continue
        p = c.place
        if p.feature_code.startswith("PCL") or role == ROLE_ADJECTIVE:
            countries[p.country_code] += 2.0 * share
            continue
        countries[p.country_code] += share
        if p.admin1 and not p.is_broad or p.feature_code == "ADM1":
            regions[(p.country_code, p.admin1)] += (
                1.5 if p.feature_code == "ADM1" else 1.0
            ) * share
    return countries, regions


def _shares(
    countries: Counter[str],
    regions: Counter[tuple[str, str]],
    by_name: dict[str, tuple[Counter[str], Counter[tuple[str, str]]]],
) -> Focus:
    countries.pop("", None)
    regions = Counter({k: v for k, v in regions.items() if k[0] and k[1]})
    total = sum(countries.values())
    region_total = sum(regions.values())
    return Focus(
        countries={k: v / total for k, v in countries.items()} if total else {},
        # A region's share is of all regional evidence, damped when there is little of it.
        regions={k: v / max(region_total, 2.0) for k, v in regions.items()},
        votes_by_name=by_name,
    )


def find_focus(names: Sequence[tuple[str, str, Sequence[tuple[float, Candidate]]]]) -> Focus:
    """The focus of an article from each mention's (name key, role, focus-free scores)."""
    by_name: dict[str, tuple[Counter[str], Counter[tuple[str, str]]]] = {}
    seen: Counter[str] = Counter()
    for key, role, scored in names:
        if not key or seen[key] >= _PER_NAME_CAP:
            continue
        seen[key] += 1
        c, r = _name_votes(role, scored)
        old = by_name.setdefault(key, (Counter(), Counter()))
        old[0].update(c)
        old[1].update(r)
    countries: Counter[str] = Counter()
    regions: Counter[tuple[str, str]] = Counter()
    for c, r in by_name.values():
        countries.update(c)
        regions.update(r)
    return _shares(countries, regions, by_name)


NO_FOCUS = Focus()
