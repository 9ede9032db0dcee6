"""Which readings a name may take beyond its own entries, and what its neighbours say.

- A multi-word name with no entry ("Danube Delta", "West Kasai") may take its head's
  readings, but only in the article's focus (never "Delta, Canada"), never an everyday
  word ("West" of "West Wing"), and a compass word keeps the head's region, not its towns.
- A qualifier ("Paris, Texas") means its country or state; a list ("Mexico, China, Japan",
  "Kansas, New Mexico, North Carolina") is no qualifier, and a state listed beside states
  is read as the state.
"""

from __future__ import annotations

from collections.abc import Sequence

from spacy.tokens import Span

from geo.gazetteer import Gazetteer
from geo.models import Candidate, Place
from geo.names import name_key
from geo.parse.cues import list_neighbours
from geo.parse.evidence import COMMON_ZIPF, common_word, is_major_place
from geo.parse.focus import Focus

MAX_CANDIDATES = 25
EXACT = 0.95  # name_score from which a reading is the name itself
LOOSE = 0.9  # name_score of a loose-key match; below it, fuzzy
HEAD_FOCUS_SHARE = 0.3  # focus share a country needs before a head may resolve in it
HEAD_REGION_SHARE = 0.05  # focus share a region needs before a landform's head is its town
COMPASS_WORDS = frozenset(
    {"north", "south", "east", "west", "northern", "southern", "eastern", "western"}
    | {"central", "upper", "lower", "greater", "inner", "outer", "northeast", "northwest"}
    | {"southeast", "southwest", "north-east", "north-west", "south-east", "south-west"}
)
# Words that make a name a landform or water body, whatever town shares its other word.
LANDFORM_WORDS = frozenset(
    {"mountains", "mountain", "mount", "mt", "mt.", "hills", "range", "valley", "river"}
    | {"lake", "delta", "island", "islands", "bay", "gulf", "sea", "coast", "peninsula"}
    | {"desert", "forest", "plateau", "basin", "strait", "canal", "creek", "falls", "park"}
)


def head_candidates(span: Span, gazetteer: Gazetteer) -> tuple[Candidate, ...]:
    """Exact candidates of the longest known part of a name, from either end.

    A part that is an everyday word ("West" of "West Wing", "Harbor" of "Harbor City") names
    nothing here. A part left by a compass word ("East Yorkshire", "West Kasai") names the
    region it is a part of, never a town of that name.
    """
    for size in range(len(span) - 1, 0, -1):
        for part in (span[:size], span[len(span) - size :]):
            if not part[0].is_alpha or not (part[0].is_title or part[0].is_upper):
                continue
            if common_word(part) >= COMMON_ZIPF and not is_major_place(part.text, gazetteer):
                continue
            rest = span[size:] if part.start == span.start else span[: len(span) - size]
            compass = all(t.lower_ in COMPASS_WORDS for t in rest)
            key = name_key(part.text)
            cands = [
                c
                for c in gazetteer.candidates(part.text, limit=MAX_CANDIDATES)
                if c.name_score >= LOOSE
                and (c.place.is_broad or name_key(c.place.name) == key)
                and not (compass and c.place.feature_class == "P")
            ]
            if cands:
                return tuple(cands)
    return ()


def head_in_focus(
    candidates: Sequence[Candidate], focus: Focus, landform: bool = False
) -> tuple[Candidate, ...]:
    """A head's readings in the article's focus country, or none: better unresolved than
    a town of that name on another continent. A landform's head ("Salinas" of "Salinas
    Valley") may be a town only in the focus region: Ural, Krasnoyarsk is not the Urals."""
    return tuple(
        c
        for c in candidates
        if focus.countries.get(c.place.country_code, 0.0) >= HEAD_FOCUS_SHARE
        and not (
            landform
            and c.place.feature_class == "P"
            and focus.regions.get((c.place.country_code, c.place.admin1), 0.0) < HEAD_REGION_SHARE
        )
    )


def qualifier_places(text: str, gazetteer: Gazetteer) -> tuple[Place, ...]:
    """Readings of a qualifier ("Texas" in "Paris, Texas"): the demonym's place, else the
    countries and states of that name, else every region of that name (the ranking keeps
    the one holding a candidate). "Switzerland" is the country, not Switzerland County,
    Indiana, which would otherwise lift every Indiana reading of the name before it."""
    if not text:
        return ()
    demonym = gazetteer.demonym(text)
    if demonym is not None:
        return (demonym,)
    admins = [
        c.place
        for c in gazetteer.candidates(text, limit=10)
        if c.name_score >= 0.95 and c.place.feature_class == "A"
    ]
    top = [p for p in admins if _level(p)]
    return tuple(top or admins)


def _level(place: Place) -> str:
    """ "country" or "state" for the two levels a qualifier names; "" for anything else."""
    if place.feature_code.startswith("PCL"):
        return "country"
    return "state" if place.feature_code == "ADM1" else ""


def listed_not_qualified(span: Span, qualifier: str, gazetteer: Gazetteer) -> bool:
    """ "Mexico, China, Japan" or "Kansas, New Mexico, North Carolina": a list, not "Paris,
    Texas". A country is never qualified by a country; a state named inside a list is not
    qualified by the next state."""
    levels = {
        _level(c.place)
        for c in gazetteer.candidates(span.text, limit=10)
        if c.name_score >= 0.95 and _level(c.place)
    }
    if not levels:
        return False
    qualifier_levels = {_level(p) for p in qualifier_places(qualifier, gazetteer)}
    if "country" in levels and "country" in qualifier_levels:
        return True
    doc = span.doc
    in_list = span.start > 0 and doc[span.start - 1].lower_ in {",", "and", "or", "&"}
    return in_list and "state" in levels and qualifier_levels == {"state"}


def _states(text: str, gazetteer: Gazetteer) -> set[str]:
    """Countries in which the name is a state or province under its own name."""
    key = name_key(text)
    return {
        c.place.country_code
        for c in gazetteer.candidates(text, limit=10)
        if c.name_score >= EXACT
        and c.place.feature_code == "ADM1"
        and name_key(c.place.name) == key
    }


def listed_with_states(span: Span, gazetteer: Gazetteer) -> bool:
    """A name that is a state, listed beside a state of the same country: the list is of
    states ("Oregon, Washington and Idaho"; not "Washington and Moscow")."""
    countries = _states(span.text, gazetteer)
    return bool(countries) and any(
        countries & _states(other.text, gazetteer) for other in list_neighbours(span)
    )
