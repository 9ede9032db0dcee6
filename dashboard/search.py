"""The place search box: the geoparser's name keys over stored names and spellings.

Results are one button per place, labelled with its region and country, ranked by its
mentions in the current selection. Places that match but have no mention under the current
filters are counted in a note, not hidden silently.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

import streamlit as st

from dashboard import data, state
from dashboard.passages import place_label
from geo import Filters, PlaceCount

RESULTS = 8


def ranked_matches(
    matches: dict[str, int], counts: Sequence[PlaceCount]
) -> tuple[list[PlaceCount], int]:
    """(places in the selection that match, most mentioned first; matches outside it).

    `matches` maps place id to match quality; mentions rank first, quality breaks ties."""
    inside = [pc for pc in counts if pc.place.id in matches]
    inside.sort(key=lambda pc: (-pc.count, -matches[pc.place.id], pc.place.label))
    return inside, len(matches) - len(inside)


def place_search(db: str | None, filters: Filters) -> None:
    """The search box. It follows every filter but "Show countries and regions": a country
    or region is found by name even while the map hides them."""
    query = st.text_input(
        "Find a place",
        key="place_query",
        placeholder="e.g. Idleb, Saraqeb, al eis",
        live="300ms",  # results as you type, after a short pause
    )
    if not query.strip():
        return
    counts = data.place_counts(db, dataclasses.replace(filters, include_broad=True))
    found = data.name_index(db).match(query)
    inside, outside = ranked_matches({k: v.quality for k, v in found.items()}, counts)
    if not inside:
        st.caption("No place in the current selection matches.")
    for pc in inside[:RESULTS]:
        st.button(
            f"{place_label(pc.place)} · {pc.count} mention(s)",
            key=f"find_{pc.place.id}",
            on_click=state.select_place,
            args=(pc.place,),
        )
    notes = []
    if len(inside) > RESULTS:
        notes.append(f"{len(inside) - RESULTS} more in the selection; type more of the name")
    if outside:
        notes.append(f"{outside} matching place(s) have no mentions under the current filters")
    if notes:
        st.caption("; ".join(notes) + ".")
