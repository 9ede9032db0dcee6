"""Representative points of first-level regions, from their towns.

A first-level region's point is the centre of the bounding box of its populated places,
leaving out far outliers (mis-coded towns, remote islands). A median or a town near the
median sits in the populous corner instead: Queensland's was beside Brisbane, 1,000 km from
the state's middle. Checked against GeoNames' own ADM1 points (the 105 in points.csv): median
error 34 km, 8 over 161 km, at most 356 km, against 73 km, 24 and 978 km for the town nearest
the median.

Countries and continents keep GeoNames' own points (points.csv): see data/supplement/README.md.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence

from geopy.distance import great_circle

from geo.errors import GazetteerError

LatLon = tuple[float, float]

# Towns are grouped into cells of this many degrees; neighbouring cells join, and only the
# largest group of joined cells spans the bounding box: mis-coded towns and remote islands
# far from the region's main body stay out.
CELL_DEG = 2.0
# The main body counts only if it holds this share of the towns: a region of scattered
# settlements (Nunavut, Sakha) has no main body, and then all its towns span the box.
MAIN_BODY_SHARE = 0.8
# In a region with a main body, a centre farther than this from every kept town (an odd
# shape, a bay) falls back to the town nearest it, so the point stays in the region. A region
# of scattered settlements keeps its box centre: there every point is far from a town.
SNAP_KM = 150.0


def _unwrapped(lons: Sequence[float]) -> list[float]:
    """Longitudes moved to 0..360 when the places straddle the 180th meridian."""
    if max(lons) - min(lons) > 180 and any(x > 90 for x in lons) and any(x < -90 for x in lons):
        return [x + 360 if x < 0 else x for x in lons]
    return list(lons)


def _wrap(lon: float) -> float:
    return lon - 360 if lon > 180 else lon


def _main_body(points: list[LatLon]) -> list[LatLon]:
    """The points in the largest group of neighbouring CELL_DEG cells."""
    cells: dict[tuple[int, int], list[LatLon]] = defaultdict(list)
    for lat, lon in points:
        cells[(math.floor(lat / CELL_DEG), math.floor(lon / CELL_DEG))].append((lat, lon))
    seen: set[tuple[int, int]] = set()
    best: list[LatLon] = []
    for start in sorted(cells):
        if start in seen:
            continue
        seen.add(start)
        stack, group = [start], []
        while stack:
            x, y = stack.pop()
            group.extend(cells[(x, y)])
            for n in ((x + dx, y + dy) for dx in (-1, 0, 1) for dy in (-1, 0, 1)):
                if n in cells and n not in seen:
                    seen.add(n)
                    stack.append(n)
        if len(group) > len(best):
            best = group
    return best


def region_point(points: Sequence[LatLon]) -> LatLon:
    """Centre of the bounding box of the region's main body of places (see module doc)."""
    if not points:
        raise GazetteerError("a region without places has no point")
    lons = _unwrapped([p[1] for p in points])
    every = [(p[0], lon) for p, lon in zip(points, lons, strict=True)]
    body = _main_body(every)
    kept = body if len(body) >= MAIN_BODY_SHARE * len(every) else every
    clat = (min(a for a, _ in kept) + max(a for a, _ in kept)) / 2
    clon = (min(b for _, b in kept) + max(b for _, b in kept)) / 2
    centre = (clat, _wrap(clon))
    nearest = min(kept, key=lambda p: great_circle(centre, (p[0], _wrap(p[1]))).km)
    nearest = (nearest[0], _wrap(nearest[1]))
    if kept is body and great_circle(centre, nearest).km > SNAP_KM:
        return nearest
    return centre
