"""Mention.score as a calibrated-ish confidence: the chance the chosen point is within 161 km.

Two things must both hold for that: the reading is the right one (the ranking's softmax
share), and the place is small enough that one representative point stands for it. For a
town the second is near certain; for Canada or Queensland it is not (gold sets put their
points hundreds of kilometres apart), so the share is scaled by the place's extent: a
country's radius from its area (countryinfo), a first-level region's from its country's
area shared among its regions, and named regions, continents and seas at half.
The thresholds in geo.models (SURE_SCORE, LIKELY_SCORE) are calibrated on this score
(README, "Confidence").
"""

from __future__ import annotations

import math
from functools import lru_cache

from geo.gazetteer import Gazetteer
from geo.models import Place

POINT_KM = 500.0  # a place of this radius or smaller is one point for the 161-km test
AREA_SCALE = 0.55  # continents, seas and named regions: extent unknown, always large
# The least extent factor: a clear-cut reading of a vast country stays "likely" (never "sure":
# its point is a convention), rather than drawn as doubtful as an unknown village.
EXTENT_FLOOR = 0.55
_AREA_CODES = frozenset({"CONT", "RGN", "OCN", "SEA", "AREA", "PLN", "MTS", "DSRT", "PEN"})


@lru_cache(maxsize=512)
def country_area_km2(country_code: str) -> float:
    """Land area from countryinfo; 0.0 when unknown."""
    from countryinfo import CountryInfo  # imported lazily: its data loads on first use

    try:
        return float(CountryInfo(country_code).area() or 0.0)
    except (KeyError, ValueError, TypeError):
        return 0.0


def extent_factor(place: Place, gazetteer: Gazetteer) -> float:
    """1.0 for a place one point can stand for, less the larger it is."""
    code = place.feature_code
    if code in _AREA_CODES or place.feature_class == "L" and not code.startswith("PCL"):
        return AREA_SCALE
    if code.startswith("PCL") or code == "TERR":
        area = country_area_km2(place.country_code)
    elif code == "ADM1":
        regions = max(1, gazetteer.admin1_count(place.country_code))
        area = country_area_km2(place.country_code) / regions
    else:
        return 1.0
    radius = math.sqrt(area / math.pi) if area > 0 else 0.0
    return 1.0 if radius <= POINT_KM else max(EXTENT_FLOOR, POINT_KM / radius)


def calibrated(share: float, place: Place, gazetteer: Gazetteer) -> float:
    """The confidence stored on a Mention: softmax share times extent factor, 0..1."""
    return max(0.0, min(1.0, share * extent_factor(place, gazetteer)))
