"""Build the folium map: a constant offline base map plus one canvas circle per place.

Pure functions over geo.models values; no Streamlit here, so they are tested directly.

Why a custom marker element instead of 5,000 folium.CircleMarker objects: folium renders
each marker through Jinja with its own tooltip element (3 s and 3.3 MB for 5,000 places
here). One element that carries a compact JSON array and loops in JavaScript creates the
same Leaflet L.circleMarker objects (tooltips, clicks) in a fraction of the time and size.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from collections.abc import Collection, Sequence
from dataclasses import dataclass

import folium
from branca.element import Element, MacroElement
from jinja2 import Template

from dashboard.basemap import UserTiles, build_base_map, script_json
from dashboard.passages import escape_html
from geo import Place, PlaceCount

# Above this many places, nearby circles are clustered until CLUSTER_OFF_ZOOM.
CLUSTER_MIN_PLACES = 300
CLUSTER_OFF_ZOOM = 8
NAME_ZOOM = 7  # from this zoom on, the largest markers carry their names

COLOR_BY_COUNTRY = "country"
COLOR_BY_RECENCY = "recency"

# Colour-blind-friendly categorical palette (Okabe-Ito plus two) for the top countries.
PALETTE = (
    "#0072B2",
    "#D55E00",
    "#009E73",
    "#CC79A7",
    "#E69F00",
    "#56B4E9",
    "#882255",
    "#117733",
    "#332288",
)
OTHER_COLOR = "#7f7f7f"
# Recency buckets: (label, max age in days relative to the newest mention in the selection).
RECENCY = (
    ("last 7 days", 7, "#b2182b"),
    ("last 30 days", 30, "#ef8a62"),
    ("last year", 365, "#67a9cf"),
    ("older", None, "#2166ac"),
)
UNDATED_COLOR = "#999999"

MIN_RADIUS = 4.0
MAX_RADIUS = 22.0


@dataclass(frozen=True)
class LegendEntry:
    label: str
    color: str


def marker_radius(count: int, max_count: int) -> float:
    """Circle radius in pixels; area grows with the count so big places do not swamp."""
    if max_count <= 0 or count <= 0:
        return MIN_RADIUS
    return round(MIN_RADIUS + (MAX_RADIUS - MIN_RADIUS) * math.sqrt(count / max_count), 1)


def tooltip_text(pc: PlaceCount) -> str:
    """Plain-text tooltip with the region ("Charleston, West Virginia, US: 3 mentions"); the app
    matches clicks back to places by this exact text."""
    noun = "mention" if pc.count == 1 else "mentions"
    return f"{pc.place.label}: {pc.count} {noun}"


def _country_colors(counts: Sequence[PlaceCount]) -> tuple[list[str], list[LegendEntry]]:
    totals: Counter[str] = Counter()
    for pc in counts:
        totals[pc.place.country_code or "?"] += pc.count
    top = [code for code, _ in totals.most_common(len(PALETTE))]
    colour = {code: PALETTE[i] for i, code in enumerate(top)}
    colors = [colour.get(pc.place.country_code or "?", OTHER_COLOR) for pc in counts]
    legend = [LegendEntry(code, colour[code]) for code in top]
    if len(totals) > len(top):
        legend.append(LegendEntry("other countries", OTHER_COLOR))
    return colors, legend


def _recency_colors(counts: Sequence[PlaceCount]) -> tuple[list[str], list[LegendEntry]]:
    dates = [pc.last_date for pc in counts if pc.last_date is not None]
    newest = max(dates) if dates else dt.date.today()

    def bucket(day: dt.date | None) -> str:
        if day is None:
            return UNDATED_COLOR
        age = (newest - day).days
        for _, max_age, color in RECENCY:
            if max_age is None or age <= max_age:
                return color
        return RECENCY[-1][2]

    colors = [bucket(pc.last_date) for pc in counts]
    legend = [LegendEntry(f"{label} (to {newest.isoformat()})", c) for label, _, c in RECENCY]
    if any(pc.last_date is None for pc in counts):
        legend.append(LegendEntry("undated", UNDATED_COLOR))
    return colors, legend


def marker_colors(
    counts: Sequence[PlaceCount], color_by: str = COLOR_BY_COUNTRY
) -> tuple[list[str], list[LegendEntry]]:
    """One colour per place, and the legend that explains them."""
    if color_by == COLOR_BY_RECENCY:
        return _recency_colors(counts)
    return _country_colors(counts)


def draw_order(counts: Sequence[PlaceCount], color_by: str = COLOR_BY_COUNTRY) -> list[int]:
    """Indexes of `counts` in drawing order; the last drawn is on top and takes the click.

    Smaller circles go over bigger ones so that every circle can be clicked; in recency
    colouring the newest go on top (then the smaller, among equally recent ones).
    """

    def size_key(i: int) -> tuple[int, str]:
        return (-counts[i].count, counts[i].place.id)

    if color_by == COLOR_BY_RECENCY:
        oldest = dt.date.min

        def key(i: int) -> tuple:
            return (counts[i].last_date or oldest, *size_key(i))

        return sorted(range(len(counts)), key=key)
    return sorted(range(len(counts)), key=size_key)


def selection_zoom(place: Place) -> int:
    """How far in the map goes to show a selected place: a country, a region, a town."""
    code = place.feature_code
    if code.startswith("PCL") or place.feature_class == "L":
        return 5
    if code == "ADM1":
        return 7
    if code.startswith("ADM"):
        return 9
    return 11


class PlaceMarkers(MacroElement):
    """Canvas circle markers for many places, drawn by GeoMap.markers (static/geomap)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        GeoMap.markers({{ this._parent._parent.get_name() }}, {{ this._parent.get_name() }},
            {{ this.data_json }});
        {% endmacro %}
        """
    )

    def __init__(self, data_json: str) -> None:
        super().__init__()
        self._name = "PlaceMarkers"
        self.data_json = data_json

    def render(self, **kwargs) -> None:
        # MacroElement.render wraps the rendered script in a new Element, i.e. compiles the
        # whole marker array (MBs for 20,000 places) as a Jinja template: add it verbatim.
        script = self._template.module.__dict__["script"](self, kwargs)
        self.get_root().script.add_child(_Verbatim(script), name=self.get_name())


class _Verbatim(Element):
    """Already rendered script text, rendered as itself."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self._text = text

    def render(self, **kwargs) -> str:
        return self._text


@dataclass(frozen=True)
class MarkerRows:
    """The heavy, selection-independent part of the marker data (cached by the app)."""

    colors: list[str]
    rows: list[list]  # [lat, lon, radius, colour index, hollow, tooltip HTML, name, count]
    radius: dict[str, float]  # by place id, for the halo of a selected place
    legend: list[LegendEntry]


def marker_rows(
    counts: Sequence[PlaceCount],
    color_by: str = COLOR_BY_COUNTRY,
    uncertain: Collection[str] = frozenset(),
) -> MarkerRows:
    """Compact rows in drawing order: the last drawn is on top and takes the click."""
    colors, legend = marker_colors(counts, color_by)
    palette = list(dict.fromkeys(colors))
    index = {c: i for i, c in enumerate(palette)}
    max_count = max((pc.count for pc in counts), default=0)
    rows, radius = [], {}
    for i in draw_order(counts, color_by):
        pc, color = counts[i], colors[i]
        radius[pc.place.id] = size = marker_radius(pc.count, max_count)
        rows.append(
            [
                round(pc.place.lat, 5),
                round(pc.place.lon, 5),
                size,
                index[color],
                1 if pc.place.id in uncertain else 0,
                # Tooltip content is HTML in Leaflet: escape even gazetteer names.
                escape_html(tooltip_text(pc)),
                # Marker names are set with textContent in the browser: plain text.
                pc.place.name,
                pc.count,
            ]
        )
    return MarkerRows(palette, rows, radius, legend)


def marker_payload(markers: MarkerRows) -> dict:
    """The selection-independent data GeoMap.markers draws (also served as a file)."""
    return {
        "colors": markers.colors,
        "rows": markers.rows,
        "cluster": len(markers.rows) > CLUSTER_MIN_PLACES,
        "clusterOffZoom": CLUSTER_OFF_ZOOM,
        "nameZoom": NAME_ZOOM,
    }


def selection_data(markers: MarkerRows, selected: Place | None) -> dict:
    """The selected place's halo and zoom; a place the filters hide gets the smallest halo."""
    point = None
    if selected is not None:
        size = markers.radius.get(selected.id, MIN_RADIUS)
        point = [round(selected.lat, 5), round(selected.lon, 5), size, selected.name]
    zoom = selection_zoom(selected) if selected is not None else 0
    return {"selected": point, "selectedZoom": zoom, "fit": True}


def marker_json(markers: MarkerRows, selected: Place | None = None) -> str:
    """All the data GeoMap.markers draws, inline: the rows, the selected place's halo, options."""
    return script_json({**marker_payload(markers), **selection_data(markers, selected)})


def data_bounds(places: Sequence[Place]) -> list[list[float]] | None:
    """South-west and north-east corners around the places, padded and rounded."""
    if not places:
        return None
    south = math.floor(min(p.lat for p in places)) - 1
    north = math.ceil(max(p.lat for p in places)) + 1
    west = math.floor(min(p.lon for p in places)) - 1
    east = math.ceil(max(p.lon for p in places)) + 1
    return [[max(south, -85), max(west, -180)], [min(north, 85), min(east, 180)]]


def build_markers(
    counts: Sequence[PlaceCount],
    color_by: str = COLOR_BY_COUNTRY,
    *,
    selected: Place | None = None,
    uncertain: Collection[str] = frozenset(),
) -> tuple[folium.FeatureGroup, list[LegendEntry]]:
    """The changing part: one circle per place (hollow if uncertain), a halo on `selected`.

    The browser fits the first view to these markers, and pans (zooming in if needed) to a
    newly selected place, whatever selected it.
    """
    markers = marker_rows(counts, color_by, uncertain)
    return marker_group(marker_json(markers, selected)), markers.legend


def marker_group(data_json: str) -> folium.FeatureGroup:
    """A fresh feature group (st_folium adopts it into the map) around marker_json's data."""
    group = folium.FeatureGroup(name="places")
    PlaceMarkers(data_json).add_to(group)
    return group


def build_map(
    counts: Sequence[PlaceCount],
    *,
    color_by: str = COLOR_BY_COUNTRY,
    online_tiles: bool = False,
    bounds: list[list[float]] | None = None,
    selected: Place | None = None,
    uncertain: Collection[str] = frozenset(),
    tiles: UserTiles | None = None,
) -> folium.Map:
    """A complete map (base plus markers), e.g. for `m.save()` or measuring."""
    m = build_base_map(bounds, online_tiles=online_tiles, tiles=tiles)
    group, _ = build_markers(counts, color_by, selected=selected, uncertain=uncertain)
    group.add_to(m)
    return m


def match_click(
    counts: Sequence[PlaceCount], tooltip: str | None, latlng: dict | None = None
) -> Place | None:
    """The place a map click hit, from st_folium's tooltip text (and click position)."""
    if not tooltip:
        return None
    wanted = " ".join(tooltip.split())
    hits = [pc.place for pc in counts if tooltip_text(pc) == wanted]
    if len(hits) <= 1 or not latlng:
        return hits[0] if hits else None
    # Same name and count twice: take the one nearest the click.
    lat, lng = float(latlng.get("lat", 0.0)), float(latlng.get("lng", 0.0))
    return min(hits, key=lambda p: (p.lat - lat) ** 2 + (p.lon - lng) ** 2)
